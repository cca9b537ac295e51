"""The import report's shape, for the OpenAPI document (the service builds the JSON itself:
interop.services.Report.as_dict)."""

from rest_framework import serializers


class RejectionSerializer(serializers.Serializer):
    document = serializers.CharField(help_text="The file, or `request` for the API's body.")
    position = serializers.CharField(help_text='Where in the document, e.g. "@graph[2]".')
    reason = serializers.CharField()


class ImportWarningSerializer(serializers.Serializer):
    document = serializers.CharField()
    position = serializers.CharField()
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    """What the import did. `created`, `updated`, `unchanged` and `rejected` count entries
    (ClaimReviews); `rows_created` counts the records written, by kind; `unknown_labels`
    counts the labels the rating table does not know (their reviews are rated from their
    numbers, else `unproven`). With `imported` false nothing was written."""

    imported = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField()
    rows_created = serializers.DictField(child=serializers.IntegerField())
    unknown_labels = serializers.DictField(child=serializers.IntegerField())
    rejections = RejectionSerializer(many=True)
    warnings = ImportWarningSerializer(many=True)

    class Meta:
        ref_name = "ImportReport"

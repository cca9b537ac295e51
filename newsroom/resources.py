"""CSV import of speakers, sources and claims (django-import-export), for the admin.

Every row is validated as the admin's forms validate it (the model's full_clean), the whole
file runs in one transaction, and a file with any invalid row writes nothing: the preview
lists each row's errors by line and field. Speakers are matched by slug and sources by URL
(an existing row is updated, as a new version); claims are always added, as drafts, so
nothing imported reaches anonymous clients before someone publishes it.
"""

from import_export import fields, resources, widgets

from api.concurrency import bump_version
from claims.enums import ClaimStatus
from claims.models import Claim, Speaker, Topic
from sources.models import Outlet, Source


class VersionedResource(resources.ModelResource):
    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is not None:
            bump_version(instance)  # an update is the row's next version (ETags change)


class SpeakerResource(VersionedResource):
    affiliation = fields.Field(
        attribute="affiliation",
        column_name="affiliation",
        widget=widgets.ForeignKeyWidget(Speaker, field="slug"),
    )

    class Meta:
        model = Speaker
        fields = [
            "slug",
            "name",
            "kind",
            "job_title",
            "affiliation",
            "country",
            "description",
            "wikidata_id",
        ]
        import_id_fields = ["slug"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class SourceResource(VersionedResource):
    outlet = fields.Field(
        attribute="outlet",
        column_name="outlet",
        widget=widgets.ForeignKeyWidget(Outlet, field="slug"),
    )

    class Meta:
        model = Source
        fields = [
            "url",
            "title",
            "outlet",
            "authors",
            "published_on",
            "dateline",
            "medium",
            "language",
            "archived_url",
            "excerpt",
        ]
        import_id_fields = ["url"]
        clean_model_instances = True
        skip_unchanged = True


class ClaimResource(resources.ModelResource):
    speaker = fields.Field(
        attribute="speaker",
        column_name="speaker",
        widget=widgets.ForeignKeyWidget(Speaker, field="slug"),
    )
    topics = fields.Field(
        attribute="topics",
        column_name="topics",
        widget=widgets.ManyToManyWidget(Topic, field="slug", separator=";"),
    )

    class Meta:
        model = Claim
        fields = ["text", "speaker", "speaker_title", "stated_on", "context", "language", "topics"]
        import_id_fields = []
        force_init_instance = True  # always a new claim
        clean_model_instances = True

    def before_save_instance(self, instance, row, **kwargs):
        instance.status = ClaimStatus.DRAFT
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance.created_by = user

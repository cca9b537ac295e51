from rest_framework import serializers

from .models import Outlet, Source
from .validators import unique_slug


class OutletRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["slug", "name"]


class OutletSerializer(serializers.ModelSerializer):
    """Reads and writes an outlet; `slug` is made from the name when not given."""

    class Meta:
        model = Outlet
        fields = ["id", "slug", "name", "homepage", "kind", "country"]
        extra_kwargs = {"slug": {"required": False}}

    def create(self, validated_data):
        if not validated_data.get("slug"):
            validated_data["slug"] = unique_slug(Outlet, validated_data["name"])
        return super().create(validated_data)


class SourceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "title", "url"]


class SourceSerializer(serializers.ModelSerializer):
    outlet = OutletRefSerializer(allow_null=True)

    class Meta:
        model = Source
        fields = [
            "id",
            "title",
            "url",
            "outlet",
            "authors",
            "published_on",
            "dateline",
            "medium",
            "language",
            "archived_url",
            "excerpt",
        ]


class SourceWriteSerializer(serializers.ModelSerializer):
    outlet = serializers.SlugRelatedField(
        slug_field="slug", queryset=Outlet.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Source
        fields = [
            "title",
            "url",
            "outlet",
            "authors",
            "published_on",
            "dateline",
            "medium",
            "language",
            "archived_url",
            "excerpt",
        ]

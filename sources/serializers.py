from django.db import IntegrityError, transaction
from rest_framework import serializers

from api.serializers import StrictModelSerializer

from .models import Outlet, Source
from .validators import unique_slug

# Concurrent creates under one name each take the first free slug, so each round of
# conflicts lets one of them through: this many may share a name at the same moment.
SLUG_ATTEMPTS = 50


class SlugFromNameMixin:
    """On create, makes `slug` from `name` when the client gives none (`nato`, `nato-2`…);
    an update may change the slug but not blank it."""

    def validate_slug(self, slug):
        if not slug and self.instance is not None:
            raise serializers.ValidationError("Give a slug, or leave the field out.")
        return slug

    def create(self, validated_data):
        if validated_data.get("slug"):
            return super().create(validated_data)
        # The free slug is found, then inserted: another request may insert it in between.
        # Then the insert conflicts, and the next free one is tried, in a savepoint each.
        model = self.Meta.model
        for attempt in range(1, SLUG_ATTEMPTS + 1):
            validated_data["slug"] = unique_slug(model, validated_data["name"])
            try:
                with transaction.atomic():
                    return super().create(validated_data)
            except IntegrityError:
                taken = model._default_manager.filter(slug=validated_data["slug"]).exists()
                if not taken or attempt == SLUG_ATTEMPTS:
                    raise  # another constraint, or a crowd: 409


class OutletRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["slug", "name"]


class OutletSerializer(SlugFromNameMixin, StrictModelSerializer):
    """Reads and writes an outlet; `slug` is made from the name when not given."""

    class Meta:
        model = Outlet
        fields = ["id", "slug", "name", "homepage", "kind", "country"]
        extra_kwargs = {"slug": {"required": False}}


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


class SourceWriteSerializer(StrictModelSerializer):
    outlet = serializers.SlugRelatedField(
        slug_field="slug", queryset=Outlet.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Source
        fields = SourceSerializer.Meta.fields[1:]  # all but `id`

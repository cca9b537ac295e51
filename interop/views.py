"""HTTP: the ClaimReview export (one review, and the DataFeed), the import, and the Fact Check
Tools-compatible search."""

from __future__ import annotations

import base64
import datetime
import re

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, parsers
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.filtering import MAX_VALUE_LENGTH
from api.pagination import whole_number
from api.permissions import HasModelPermission
from api.throttling import ThrottleFirstMixin
from claims.filters import ClaimFilter, ReviewFilter, SlugsFilter, all_speakers
from claims.models import Claim, Review
from claims.querysets import sees_unpublished

from . import export, values
from .mapping import UNKNOWN_SPEAKER, language_tag
from .parse import DocumentError, read_document
from .schemas import (
    CLAIMREVIEW,
    COMPAT_PARAMETERS,
    COMPAT_SEARCH,
    DATA_FEED,
    IMPORT_PARAMETERS,
)
from .serializers import ImportReportSerializer
from .services import claimreview_import


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


LD_RENDERERS = [JSONLDRenderer]


class AlwaysJSONLD(BaseContentNegotiation):
    """JSON-LD whatever the client accepts: it is JSON, and a client asking for
    application/json (or anything else) reads it as such."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ClaimReviewFilter(ReviewFilter):
    """The reviews list's filters, and the claim's speaker."""

    speaker = SlugsFilter(
        field_name="claim__speaker",
        to_field_name="slug",
        queryset=all_speakers,
        distinct=False,
        help_text="Slug of the claim's speaker; repeat for several (either matches).",
    )

    class Meta(ReviewFilter.Meta):
        fields = []


def exported_reviews(user):
    reviews = Review.objects.visible_to(user)
    return export.for_export(reviews, unpublished=sees_unpublished(user)).newest_first()


class ClaimReviewFeedView(ThrottleFirstMixin, generics.GenericAPIView):
    """Published reviews as schema.org ClaimReviews, a page at a time, in a DataFeed (JSON-LD),
    newest first. Anonymous clients get published reviews of published claims only."""

    renderer_classes = LD_RENDERERS
    content_negotiation_class = AlwaysJSONLD
    # Its errors too are JSON-LD (api/schema.py documents them so).
    error_media_type = JSONLDRenderer.media_type
    filterset_class = ClaimReviewFilter
    permission_classes = [AllowAny]  # a read; the queryset decides what each client sees

    def get_queryset(self):
        return exported_reviews(self.request.user)

    @extend_schema(
        operation_id="claimreview_feed",
        responses={200: OpenApiResponse(DATA_FEED, description="A page of ClaimReviews.")},
    )
    def get(self, request, *args, **kwargs):
        """A page of ClaimReviews (DataFeed), filterable like the reviews list."""
        reviews = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(reviews)
        paginator = self.paginator
        return Response(
            export.data_feed(
                [export.claimreview(review) for review in page],
                count=paginator.page.paginator.count,
                next=paginator.get_next_link(),
                previous=paginator.get_previous_link(),
            )
        )


class ClaimReviewDetailView(ThrottleFirstMixin, APIView):
    renderer_classes = LD_RENDERERS
    content_negotiation_class = AlwaysJSONLD
    # Its errors too are JSON-LD (api/schema.py documents them so).
    error_media_type = JSONLDRenderer.media_type
    # Anyone reads; what each client may see is the queryset's rule (visible_to).
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="reviews_claimreview",
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Review id")
        ],
        responses={200: OpenApiResponse(CLAIMREVIEW, description="The review as ClaimReview.")},
    )
    def get(self, request, pk: str):
        """One review as a schema.org ClaimReview (JSON-LD)."""
        # Any path segment reaches the view, so that every 404 here is answered in JSON-LD.
        valid = pk.isascii() and pk.isdigit() and len(pk) <= 18
        review = exported_reviews(request.user).filter(pk=int(pk)).first() if valid else None
        if review is None:
            raise Http404("No Review matches the given query.")
        return Response(export.claimreview(review))


class _RawParser(parsers.BaseParser):
    """The body as bytes: interop.parse reads it, with its own messages."""

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read() if stream is not None else b""


def _raw(media_type: str):
    return type(f"Raw_{media_type}", (_RawParser,), {"media_type": media_type})


IMPORT_STATUSES = ("draft", "in_review", "published")


class ClaimReviewImportView(ThrottleFirstMixin, APIView):
    # Adding claims and reviews; giving them the published status also needs the publish
    # permissions (checked by the service).
    permission_classes = [
        HasModelPermission.of("claims.add_claim"),
        HasModelPermission.of("claims.add_review"),
    ]
    parser_classes = [
        _raw("application/json"),
        _raw("application/ld+json"),
        _raw("text/html"),
        _raw("text/plain"),
    ]

    @extend_schema(
        operation_id="imports_claimreview",
        parameters=IMPORT_PARAMETERS,
        request={"application/json": {"type": "object", "additionalProperties": True}},
        responses={
            200: OpenApiResponse(ImportReportSerializer, description="Imported; the report."),
            422: OpenApiResponse(
                ImportReportSerializer,
                description="Entries were refused (each with its position and reason) and, "
                "without skip_invalid, nothing was imported.",
            ),
        },
    )
    def post(self, request):
        """Import ClaimReviews: one object, a list, a JSON-LD `@graph`, a DataFeed, an HTML
        page with `application/ld+json` blocks (send it as text/html), or a Fact Check Tools
        `claims:search` answer. Matching records are reused, so importing twice creates
        nothing new; a review found again with a changed rating or a later dateModified is
        updated. Answers the report: 200 when imported, 422 when refused entries stopped it."""
        params = request.query_params
        unknown = sorted(set(params) - {"status", "skip_invalid", "base_url"})
        if unknown:
            allowed = "Unknown query parameter. Allowed here: base_url, skip_invalid, status."
            raise ValidationError({name: [allowed] for name in unknown})
        status = params.get("status", "published")
        if status not in IMPORT_STATUSES:
            raise ValidationError({"status": [f"Choose one of {', '.join(IMPORT_STATUSES)}."]})
        skip = params.get("skip_invalid", "false")
        if skip not in ("true", "false"):
            raise ValidationError({"skip_invalid": ["Give true or false."]})
        base_url = None
        if "base_url" in params:
            try:
                base_url = values.url(params["base_url"])
            except values.BadValue as error:
                raise ValidationError({"base_url": [str(error)]}) from None
            if not base_url:
                raise ValidationError({"base_url": ["Give an absolute http(s) URL."]})
        body = request.data
        if not isinstance(body, bytes):
            raise ValidationError({"detail": "Send the document as the request body."})
        try:
            document = read_document(body, name="request", base_url=base_url)
        except DocumentError as error:
            raise ValidationError({"detail": f"The document cannot be imported: {error}"}) from None
        report = claimreview_import(
            documents=[document], status=status, by=request.user, skip_invalid=skip == "true"
        )
        return Response(report.as_dict(), status=200 if report.imported else 422)


# --- Fact Check Tools-compatible search ---------------------------------------------------------

COMPAT_PARAMETER_NAMES = {p.name for p in COMPAT_PARAMETERS}
DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_OFFSET = 10, 100, 1_000_000


def _timestamp(day: datetime.date | None) -> str | None:
    return f"{day.isoformat()}T00:00:00Z" if day else None


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(str(offset).encode()).decode().rstrip("=")


def _offset_from_token(token: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raw = ""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 7):
        raise ValidationError({"pageToken": ["Give the nextPageToken of a previous answer."]})
    return int(raw)


class CompatSearchView(ThrottleFirstMixin, APIView):
    """Fact Check Tools API `claims:search`, answered from this service's published claims
    and reviews: a client of that API works by changing its base URL (README, "ClaimReview
    interoperability", lists the differences)."""

    renderer_classes = [JSONRenderer]
    # Anyone reads; what each client may see is the querysets' rule (visible_to).
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="compat_claims_search",
        parameters=COMPAT_PARAMETERS,
        responses={200: OpenApiResponse(COMPAT_SEARCH, description="Claims with reviews.")},
    )
    def get(self, request):
        """Claims with their reviews, in the Fact Check Tools API's shape: `query` is the
        claims list's search; filters by language, reviewer site and review age."""
        params = request.query_params
        unknown = sorted(set(params) - COMPAT_PARAMETER_NAMES - {"format"})
        if unknown:
            allowed = ", ".join(sorted(COMPAT_PARAMETER_NAMES))
            raise ValidationError(
                {name: [f"Unknown query parameter. Allowed here: {allowed}."] for name in unknown}
            )
        empty = sorted(name for name in params if params.get(name) == "")
        if empty:
            raise ValidationError(
                {name: ["Give a value, or leave the parameter out."] for name in empty}
            )
        too_long = sorted(name for name in params if len(params[name]) > MAX_VALUE_LENGTH)
        if too_long:
            message = f"Ensure this value has at most {MAX_VALUE_LENGTH} characters."
            raise ValidationError({name: [message] for name in too_long})
        control = sorted(name for name in params if "\x00" in params[name])
        if control:
            raise ValidationError({name: ["Null characters are not allowed."] for name in control})
        size = whole_number(
            request, "pageSize", MAX_PAGE_SIZE, f"Enter a whole number from 1 to {MAX_PAGE_SIZE}."
        )
        size = size or DEFAULT_PAGE_SIZE
        offset = 0
        if "pageToken" in params:
            offset = _offset_from_token(params["pageToken"])
        elif "offset" in params:
            raw = params["offset"]
            if not (raw.isascii() and raw.isdigit() and len(raw) <= 7):
                raise ValidationError({"offset": [f"Enter a whole number from 0 to {MAX_OFFSET}."]})
            offset = int(raw)

        user = request.user
        claims = Claim.objects.visible_to(user)
        if "query" in params:
            search = ClaimFilter(data={"q": params["query"]}, queryset=claims, request=request)
            if not search.is_valid():
                raise ValidationError({"query": search.errors["q"]})
            claims = search.qs
        if "languageCode" in params:
            tag = language_tag(params["languageCode"])
            if not tag:
                raise ValidationError({"languageCode": ['Give a BCP-47 code, e.g. "en-US".']})
            primary = tag.split("-")[0]
            claims = claims.filter(Q(language=primary) | Q(language__startswith=f"{primary}-"))

        reviews = Review.objects.visible_to(user)
        if "reviewPublisherSiteFilter" in params:
            site = params["reviewPublisherSiteFilter"].strip().lower().removeprefix("www.")
            site = site.split("/")[0]
            if len(site) > 200 or not site:
                raise ValidationError({"reviewPublisherSiteFilter": ["Give a site, e.g. x.org."]})
            reviews = reviews.filter(
                Q(reviewer__homepage__iregex=rf"^https?://(www\.)?{re.escape(site)}(/|:|$)")
            )
        if "maxAgeDays" in params:
            days = whole_number(
                request, "maxAgeDays", 100_000, "Enter a whole number from 1 to 100000."
            )
            reviews = reviews.filter(
                published_on__gte=timezone.now().date() - datetime.timedelta(days=days)
            )
        claims = claims.filter(Exists(reviews.filter(claim=OuterRef("pk"))))
        page = list(
            claims.select_related("speaker").prefetch_related(
                Prefetch(
                    "reviews",
                    queryset=reviews.select_related("reviewer").newest_first(),
                    to_attr="compat_reviews",
                )
            )[offset : offset + size + 1]
        )
        body = {"claims": [self.claim(claim) for claim in page[:size]]}
        if len(page) > size:
            body["nextPageToken"] = _token(offset + size)
        return Response(body)

    @staticmethod
    def claim(claim: Claim) -> dict:
        document = {"text": claim.text}
        if claim.speaker.name != UNKNOWN_SPEAKER:
            document["claimant"] = claim.speaker.name
        if claim.stated_on:
            document["claimDate"] = _timestamp(claim.stated_on)
        document["claimReview"] = [
            _compact(
                {
                    "publisher": _compact(
                        {
                            "name": review.reviewer.name,
                            "site": values.site(review.reviewer.homepage),
                        }
                    ),
                    "url": review.url,
                    "title": review.title or "",
                    "reviewDate": _timestamp(review.published_on),
                    "textualRating": review.textual_rating or review.get_rating_display(),
                    "languageCode": claim.language,
                }
            )
            for review in claim.compat_reviews
        ]
        return document


def _compact(document: dict) -> dict:
    return {key: value for key, value in document.items() if value not in (None, "")}

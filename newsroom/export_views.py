"""`GET /api/v1/exports/claims.csv` and `.jsonl`: every claim the client may see, streamed."""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import BaseRenderer, JSONRenderer

from api.throttling import ThrottleFirstMixin
from claims.filters import ClaimFilter
from claims.models import Claim

from .exports import FORMATS, claim_rows


class StreamRenderer(BaseRenderer):
    """Lets a client ask for the export's own media type; the body is streamed by the view."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class ClaimExportView(ThrottleFirstMixin, GenericAPIView):
    """Every claim the client may see (anonymous clients: published ones), with the claims
    list's filters, in id order, streamed: one row per claim, topics as slugs."""

    filterset_class = ClaimFilter
    pagination_class = None
    export_format = "csv"

    def get_queryset(self):
        return Claim.objects.visible_to(self.request.user)

    def get_renderers(self):
        # The export's own media type only (errors are JSON all the same: handle_exception).
        media_type = FORMATS[self.export_format][1].split(";")[0]
        attributes = {"media_type": media_type, "format": self.export_format}
        return [type("Renderer", (StreamRenderer,), attributes)()]

    def handle_exception(self, exc):
        # Errors (400 for a bad filter, 401, 429) are JSON, whatever the client accepts.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def get(self, request, *args, **kwargs):
        claims = self.filter_queryset(self.get_queryset())
        lines, content_type = FORMATS[self.export_format]
        response = StreamingHttpResponse(lines(claim_rows(claims)), content_type=content_type)
        name = f"claims.{self.export_format}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


DESCRIPTIONS = {
    "csv": (
        "Every claim you may see (anonymous clients: published ones) as CSV, streamed, with "
        "the claims list's filters: a header line, then one line per claim in id order "
        "(topics as slugs separated by `;`, no value as an empty cell)."
    ),
    "jsonl": (
        "Every claim you may see (anonymous clients: published ones) as JSON Lines, streamed, "
        "with the claims list's filters: one JSON object per line, per claim, in id order."
    ),
}


def export_view(export_format: str, media_type: str):
    documented = extend_schema(
        operation_id=f"exports_claims_{export_format}",
        description=DESCRIPTIONS[export_format],
        responses={
            (200, media_type): OpenApiResponse(
                OpenApiTypes.STR, description=f"The claims as {export_format.upper()}."
            )
        },
    )

    def get(self, request, *args, **kwargs):  # a function of its own, for its own schema
        return ClaimExportView.get(self, request, *args, **kwargs)

    get.__doc__ = ClaimExportView.__doc__
    view = type(
        f"ClaimExport{export_format.title()}View",
        (ClaimExportView,),
        {"export_format": export_format, "get": documented(get)},
    )
    return view.as_view()

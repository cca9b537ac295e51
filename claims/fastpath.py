"""GET list and detail of claims through `projections`, for JSON clients.

Everything before the SQL stays DRF's: authentication, permissions, content negotiation,
`ClaimFilter` (validation, 400s, unknown parameters), `PageNumberPagination` (page numbers,
404 for a page out of range, `next`/`previous` links). Only the serializer is skipped: the
database writes each claim's JSON (see claims/projections.py). The browsable API and every
write keep the serializer path. Details carry the same ETag as on the serializer path
(api.concurrency.VersionedMixin.detail_response: version and canonical-JSON digest).
"""

import json

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.http import Http404, HttpResponse

from . import projections, search
from .querysets import sees_unpublished


def ids_by_slug(model, slugs: list[str], field: str = "slug") -> dict[str, int]:
    """{slug: id} for the rows of `model` with these slugs, in one plain query: no queryset
    to compile and no model instance to build."""
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    column, pk = quote(model._meta.get_field(field).column), quote(model._meta.pk.column)
    placeholders = ", ".join(["%s"] * len(slugs))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column}, {pk} FROM {quote(model._meta.db_table)} "
            f"WHERE {column} IN ({placeholders})",
            slugs,
        )
        return dict(cursor.fetchall())


def speaker_id_or_404(slug: str) -> int:
    """The id of the speaker with this slug (`/speakers/{slug}/claims/`), or a 404."""
    from .models import Speaker

    found = ids_by_slug(Speaker, [slug])
    if not found:
        raise Http404("No Speaker matches the given query.")
    return found[slug]


class ProjectedClaimReadMixin:
    def projected(self, request) -> bool:
        """A JSON read: answered from projections, with a bare queryset (no prefetching)."""
        renderer = getattr(request, "accepted_renderer", None)
        return request.method in ("GET", "HEAD") and getattr(renderer, "format", None) == "json"

    def list(self, request, *args, **kwargs):
        if not self.projected(request):
            return super().list(request, *args, **kwargs)
        with search.recording_plans() as plans:
            queryset = self.filter_queryset(self.get_queryset())

        def counting():
            # Reading every match of `q` (an uncached count) is cheapest through the index.
            with search.index_only():
                return self.filter_queryset(self.get_queryset())

        documents = self.paginate_queryset(
            projections.ClaimPage(
                queryset,
                staff=sees_unpublished(request.user),
                counting=counting if plans.scanned else None,
            )
        )
        paginator = self.paginator
        body = projections.page_body(
            paginator.page.paginator.count,
            paginator.get_next_link(),
            paginator.get_previous_link(),
            documents,
        )
        return HttpResponse(body, content_type="application/json")

    def retrieve(self, request, *args, **kwargs):
        if not self.projected(request):
            return super().retrieve(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        model = queryset.model
        try:
            pk = model._meta.pk.to_python(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        except ValidationError:
            pk = None
        found = pk and projections.fetch_document(queryset, sees_unpublished(request.user), pk)
        if not found:
            raise Http404(f"No {model._meta.object_name} matches the given query.")
        document, version = found
        return self.detail_response(request, version, json.loads(document), document.encode())


class ProjectedSpeakerReadMixin:
    """The speaker detail (with claim count and scorecard) in one query, for JSON clients.
    With filter parameters (which may hide the speaker) it stays on the serializer path."""

    def retrieve(self, request, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        plain = set(request.query_params) <= {"format"}
        if not (plain and getattr(renderer, "format", None) == "json"):
            return super().retrieve(request, *args, **kwargs)
        slug = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        using = router.db_for_read(self.get_serializer_class().Meta.model)
        found = projections.fetch_speaker_document(using, sees_unpublished(request.user), slug)
        if not found:
            raise Http404("No Speaker matches the given query.")
        document, version = found
        return self.detail_response(request, version, json.loads(document), document.encode())

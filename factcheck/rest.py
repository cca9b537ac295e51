"""Project-wide REST plumbing shared by both apps: pagination, strict filtering, error shapes."""

import hashlib
import json

from django.db import DataError, IntegrityError, transaction
from django.db.models import ProtectedError
from django.http import HttpResponse, JsonResponse
from django.views.defaults import page_not_found
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import pagination, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

# Query parameters that are not filters but are understood everywhere.
GENERAL_PARAMETERS = {"page", "page_size", "format"}


class PageNumberPagination(pagination.PageNumberPagination):
    """`page` and `page_size` (default 20, capped at 100). A malformed number is a 400;
    a page past the end is a 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_number(self, request, paginator):
        page = positive_int(request, self.page_query_param, "Enter a page number from 1.")
        return page or 1

    def get_page_size(self, request):
        message = f"Enter a whole number from 1 to {self.max_page_size}."
        size = positive_int(request, self.page_size_query_param, message)
        return min(size, self.max_page_size) if size else self.page_size


def positive_int(request, name: str, message: str) -> int | None:
    """The query parameter `name` as a whole number from 1, None if absent; else a 400."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise ValidationError({name: [message]})
    return int(raw)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, plus a 400 for a query parameter that is neither a filter nor general,
    and for a filter given an empty value.

    A misspelt filter (`?speakr=nato`) would otherwise be ignored silently and return
    everything, which a client cannot tell from a correct answer.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        known = set(filterset_class.base_filters) if filterset_class else set()
        unknown = sorted(set(request.query_params) - known - GENERAL_PARAMETERS)
        if unknown:
            allowed = ", ".join(sorted(known | GENERAL_PARAMETERS))
            raise ValidationError(
                {name: [f"Unknown query parameter. Allowed here: {allowed}."] for name in unknown}
            )
        # An empty value (`?stated_before=`) would otherwise mean "no filter" without a word.
        empty = sorted(name for name in known if "" in request.query_params.getlist(name, []))
        if empty:
            raise ValidationError(
                {name: ["Give a value, or leave the parameter out."] for name in empty}
            )
        given = known.intersection(request.query_params)
        if not given:
            # No filter given: nothing to validate or apply, so skip building the FilterSet
            # and its form (a large share of a fast request's CPU).
            return queryset
        renderer = getattr(request, "accepted_renderer", None)
        if len(given) == 1 and getattr(renderer, "format", None) != "api":
            # One filter that can check and apply its values by itself (filter_raw) needs no
            # FilterSet either. The browsable API keeps the FilterSet, for its form.
            (name,) = given
            filter_ = filterset_class.base_filters[name]
            if hasattr(filter_, "filter_raw"):
                values = request.query_params.getlist(name)
                return filter_.filter_raw(queryset, request, name, values)
        return super().filter_queryset(request, queryset, view)


def exception_handler(exc, context):
    """DRF's handler, plus JSON answers for deletes that evidence depends on (409), writes
    that conflict (409) and values the database refuses outright (400)."""
    if isinstance(exc, ProtectedError):
        protected = sorted({obj._meta.verbose_name_plural for obj in exc.protected_objects})
        return Response(
            {
                "detail": "This cannot be deleted while other records depend on it.",
                "code": "protected",
                "protected_by": protected,
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DataError):
        # A value the database cannot take at all: a NUL character, a number out of range.
        return Response(
            {"detail": "A value in the request cannot be stored or looked up.", "code": "invalid"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": "The change conflicts with existing data.", "code": "conflict"},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


class ReadWriteSerializerMixin:
    """Validate writes with `write_serializer_class`; answer with `serializer_class`.

    Writes take references by key (a speaker's slug); reads nest them. VersionedMixin
    answers every write with the row read back through `get_queryset()`, so the answer
    has the same shape and annotations as a GET.
    """

    write_serializer_class = None
    write_actions = ("create", "update", "partial_update")

    def get_serializer_class(self):
        if self.action in self.write_actions and self.write_serializer_class is not None:
            return self.write_serializer_class
        return super().get_serializer_class()


# --- optimistic concurrency ------------------------------------------------------------------


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = "This write needs an If-Match header with the ETag of the version you read."
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The record changed since you read it (its ETag no longer matches If-Match). "
        "Read it again, reapply your change, and retry."
    )
    default_code = "precondition_failed"


def etag_for(version: int, data) -> str:
    """A strong ETag: the row's version counter, plus a digest of the payload built from the
    same row, so nested changes (a new review on a claim) change it too. The digest is of
    the payload's canonical JSON, so the serializer path and the database-built JSON path
    (claims.fastpath) give the same tag."""
    payload = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    digest = hashlib.blake2b(payload.encode(), digest_size=6).hexdigest()
    return f'"{version}-{digest}"'


def parse_etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


class VersionedMixin:
    """Detail answers carry an ETag; PUT, PATCH and DELETE need a matching If-Match.

    Without If-Match a write is refused with 428, with a stale one 412, so no client can
    overwrite a version it has not seen. The row is locked while the ETag is compared and
    the write made, and the write bumps `version`.
    """

    detail_serializer_class = None  # the GET detail shape, when not `serializer_class`

    def detail_data(self, instance):
        """The detail payload a GET answers with (viewsets may add to the instance first)."""
        serializer_class = self.detail_serializer_class or self.serializer_class
        return serializer_class(instance, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():  # a conflicting insert rolls back whole, and answers 409
            self.perform_create(serializer)
            fresh = self.get_queryset().get(pk=serializer.instance.pk)
            data = self.detail_data(fresh)
        tag = etag_for(fresh.version, data)
        return Response(data, status=status.HTTP_201_CREATED, headers={"ETag": tag})

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        return self.detail_response(request, instance.version, self.detail_data(instance))

    def detail_response(self, request, version: int, data, body: bytes | None = None):
        """The detail answer with its ETag, or 304 if If-None-Match holds that ETag.
        `body`: the payload already rendered as JSON (the fast read path), else None."""
        tag = etag_for(version, data)
        if_none_match = request.headers.get("If-None-Match", "")
        if if_none_match.strip() == "*" or tag in parse_etags(if_none_match):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
        if body is not None:
            return HttpResponse(body, content_type="application/json", headers={"ETag": tag})
        return Response(data, headers={"ETag": tag})

    def get_current_for_write(self, request):
        """Lock the row, then check If-Match against its current ETag; returns the row."""
        header = request.headers.get("If-Match", "").strip()
        if not header:
            raise PreconditionRequired()
        instance = self.get_object()  # 404 for a row that is missing or not visible
        model = type(instance)
        list(model._default_manager.select_for_update().filter(pk=instance.pk).values("pk"))
        instance = self.get_object()  # re-read under the lock: the state the write replaces
        current = etag_for(instance.version, self.detail_data(instance))
        if header != "*" and current not in parse_etags(header):
            raise PreconditionFailed()
        return instance

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self.get_current_for_write(request)
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            serializer.save(version=instance.version + 1)
            fresh = self.get_object()
            data = self.detail_data(fresh)
        return Response(data, headers={"ETag": etag_for(fresh.version, data)})

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.get_current_for_write(request)
            self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)


def not_found(request, exception=None):
    """404 for URLs no route matches: JSON under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


def unslugged_patterns(result, generator, request, public):
    """drf-spectacular postprocessing hook: drop the ASCII `\\w` pattern from slug fields.

    Our slugs keep non-Latin letters (`владимир-путин`); JSON Schema validators read
    `\\w` as ASCII only, so the pattern would call valid slugs invalid.
    """

    def walk(node):
        if isinstance(node, dict):
            if node.get("pattern") == "^[-\\w]+$":
                del node["pattern"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result

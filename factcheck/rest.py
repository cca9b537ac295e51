"""Project-wide REST plumbing shared by both apps: pagination, strict filtering, error shapes."""

from django.db import IntegrityError
from django.db.models import ProtectedError
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import pagination, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

# Query parameters that are not filters but are understood everywhere.
GENERAL_PARAMETERS = {"page", "page_size", "format"}


class PageNumberPagination(pagination.PageNumberPagination):
    """`page` and `page_size` (default 20, capped at 100); a malformed size is a 400."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationError(
                {"page_size": [f"Enter a whole number from 1 to {self.max_page_size}."]}
            )
        return min(int(raw), self.max_page_size)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, plus a 400 for any query parameter that is neither a filter nor general.

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
        if not known.intersection(request.query_params):
            # No filter given: nothing to validate or apply, so skip building the FilterSet
            # and its form (a large share of a fast request's CPU).
            return queryset
        return super().filter_queryset(request, queryset, view)


def exception_handler(exc, context):
    """DRF's handler, plus JSON answers for deletes that evidence depends on."""
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
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": "The change conflicts with existing data.", "code": "conflict"},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


class ReadWriteSerializerMixin:
    """Validate writes with `write_serializer_class`, answer with `serializer_class`.

    Writes take references by key (a speaker's slug); reads nest them. After a
    create or update the row is read back through `get_queryset()`, so the answer
    has the same shape and annotations as a GET.
    """

    write_serializer_class = None
    write_actions = ("create", "update", "partial_update")

    def get_serializer_class(self):
        if self.action in self.write_actions:
            return self.write_serializer_class
        return super().get_serializer_class()

    def read_back(self, instance):
        return self.serializer_class(
            self.get_queryset().get(pk=instance.pk), context=self.get_serializer_context()
        ).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(self.read_back(serializer.instance), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(self.read_back(serializer.instance))

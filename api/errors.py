"""Error answers: JSON under /api/, with a code, for what DRF alone would answer 500 or HTML."""

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, OperationalError
from django.db.models import ProtectedError
from django.http import JsonResponse
from django.views.defaults import page_not_found
from rest_framework import status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from .concurrency import is_transient


def exception_handler(exc, context):
    """DRF's handler, plus JSON answers for deletes that evidence depends on (409), writes
    that conflict (409), values the database refuses outright (400), a service's refusal
    (Django's ValidationError: 400 with field messages) and writes the database gave up on
    because of other writes (503 with Retry-After)."""
    if isinstance(exc, ValidationError):
        return Response(as_serializer_error(exc), status=status.HTTP_400_BAD_REQUEST)
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
    if isinstance(exc, OperationalError) and busy(exc):
        return Response(
            {
                "detail": "The database is busy with conflicting writes; retry in a moment.",
                "code": "busy",
            },
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "1"},
        )
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": "The change conflicts with existing data.", "code": "conflict"},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


def busy(error: OperationalError) -> bool:
    """A write the database gave up on because of other writes: a deadlock or serialization
    failure still there after api.concurrency's retries, or SQLite's lock still held after
    its busy timeout."""
    return is_transient(error) or str(error) in ("database is locked", "database table is locked")


def not_found(request, exception=None):
    """404 for URLs no route matches: JSON under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)

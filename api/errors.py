"""Error answers: JSON under /api/, with a code, for what DRF alone would answer 500 or HTML.

A database error that escapes a view is answered for what it is: a write the database gave up
on because of other writes (a deadlock or lock wait still there after the retries), a
statement stopped by the statement timeout, or a database that cannot be reached, is a 503
with Retry-After; a statement too large for the database to take (SQLite's expression-depth and
variable limits) is a 400. Anything else unexpected is a 500 whose body (under /api/) carries
the request's id as `error_id`, the id its log line carries with the traceback.
"""

import logging
import sys

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent, ValidationError
from django.db import DataError, IntegrityError, OperationalError
from django.db.models import ProtectedError
from django.http import HttpResponse, JsonResponse
from django.views.defaults import bad_request as django_bad_request
from django.views.defaults import page_not_found
from django.views.defaults import server_error as django_server_error
from rest_framework import status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from .concurrency import is_transient
from .request_id import current_request_id
from .statement_timeout import timed_out

logger = logging.getLogger(__name__)

# Seconds a client should wait before retrying after a 503.
RETRY_AFTER = 5

# What SQLite says of a statement too large for it, whatever the data (PostgreSQL: SQLSTATE
# class 54, "program limit exceeded", e.g. "stack depth limit exceeded").
TOO_COMPLEX = ("Expression tree is too large", "too many SQL variables", "parser stack overflow")


def exception_handler(exc, context):
    """DRF's handler, plus JSON answers for deletes that evidence depends on (409), writes
    that conflict (409), values the database refuses outright (400), a service's refusal
    (Django's ValidationError: 400 with field messages), and other database errors
    (database_error: 503 for writes given up because of other writes, a timeout or an
    unavailable database; 400 for a statement too large), which are logged."""
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
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": "The change conflicts with existing data.", "code": "conflict"},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, OperationalError):
        status_code, body, headers = database_error(exc)
        request = context.get("request")
        where = f"{request.method} {request.path}" if request is not None else "-"
        level = logging.ERROR if body["code"] == "unavailable" else logging.WARNING
        logger.log(level, "Database error (%s): %s", body["code"], where, exc_info=exc)
        return Response(body, status=status_code, headers=headers)
    return drf_exception_handler(exc, context)


def database_error(exc: OperationalError) -> tuple[int, dict, dict]:
    """(status, JSON body, headers) answering a database error that escaped a view."""
    if busy(exc):
        detail = "The database is busy with conflicting writes; retry in a moment."
        return 503, {"detail": detail, "code": "busy"}, {"Retry-After": "1"}
    if timed_out(exc):
        detail = (
            "The database took too long to answer this request. Try again later, or ask for "
            "less (fewer words or filter values)."
        )
        return 503, {"detail": detail, "code": "timeout"}, {"Retry-After": str(RETRY_AFTER)}
    sqlstate = getattr(exc.__cause__, "sqlstate", None) or ""
    if sqlstate.startswith("54") or any(text in str(exc) for text in TOO_COMPLEX):
        detail = "The request is too large for the database to answer: ask for fewer values."
        return 400, {"detail": detail, "code": "too_complex"}, {}
    detail = "The database is unavailable. Try again shortly."
    return 503, {"detail": detail, "code": "unavailable"}, {"Retry-After": str(RETRY_AFTER)}


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


def bad_request(request, exception=None):
    """400 for what Django refuses before any view (SuspiciousOperation: more than
    DATA_UPLOAD_MAX_NUMBER_FIELDS parameters, a malformed multipart body…): JSON under /api/,
    Django's page elsewhere."""
    if not request.path.startswith("/api/"):
        return django_bad_request(request, exception)
    if isinstance(exception, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        detail = f"The request has more than {limit} query or form parameters."
    else:
        detail = "The request is malformed."
    return JsonResponse({"detail": detail, "code": "bad_request"}, status=400)


def server_error(request):
    """handler500: Django calls it while handling the exception, and then logs the exception
    with the status answered here.

    A database error is answered as in the API (503 or 400, in JSON under /api/, as plain
    text elsewhere); anything else under /api/ is a JSON 500 whose `error_id` is the request
    id of the log line; elsewhere, Django's own page."""
    exc = sys.exc_info()[1]
    api = request.path.startswith("/api/")
    if isinstance(exc, OperationalError):
        status_code, body, headers = database_error(exc)
        if api:
            return JsonResponse(body, status=status_code, headers=headers)
        return HttpResponse(
            body["detail"], status=status_code, headers=headers, content_type="text/plain"
        )
    if api:
        body = {
            "detail": "A server error occurred. It has been logged; quote error_id if you "
            "report it.",
            "code": "server_error",
            "error_id": current_request_id(),
        }
        return JsonResponse(body, status=500)
    return django_server_error(request)

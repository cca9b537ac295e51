"""Log lines as JSON, one per line on standard error, each with the request id and user id.

A line holds the time, level, logger, message, the id of the request being answered (None
outside a request), the signed-in user's id, and the traceback of an exception: never headers,
cookies, tokens or bodies, which no field here reads.
"""

import json
import logging
from datetime import UTC, datetime

from django.utils.functional import SimpleLazyObject, empty

from .request_id import current_request


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` to every record (a handler's filter, so it sees the
    records of every logger)."""

    def filter(self, record):
        request = current_request()
        record.request_id = getattr(request, "id", None)
        record.user_id = user_id(request)
        return True


def user_id(request) -> int | None:
    """The id of the request's signed-in user, if already known. A user still to be looked up
    (a session not yet read) stays unknown: logging never queries the database."""
    user = getattr(request, "__dict__", {}).get("user")
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    if user is None or not user.is_authenticated:
        return None
    return user.pk


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)

"""Each request's id: the client's (or a proxy's) X-Request-ID when it is a sane token, else a
new one. It is echoed in the response's X-Request-ID, carried by every log line written while
the request runs (api.logs), and given as `error_id` in a 500's body (api.errors), so a report
from a client leads to its log lines."""

import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"

# Letters, digits and a little punctuation, as request ids (UUIDs, nginx's $request_id) are:
# nothing that could forge or break a log line.
SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")

_request = ContextVar("request", default=None)


def current_request():
    """The request being answered in this thread (or task), or None."""
    return _request.get()


def current_request_id() -> str | None:
    return getattr(_request.get(), "id", None)


class RequestIdMiddleware:
    """First in MIDDLEWARE, so that every answer, an error's too, carries the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request.id = given if SANE.fullmatch(given) else uuid.uuid4().hex
        token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        response[HEADER] = request.id
        return response

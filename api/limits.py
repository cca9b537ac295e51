"""Request-level guards that must answer before a view, or anything else, reads the request."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose body is declared larger than DATA_UPLOAD_MAX_MEMORY_SIZE.

    Django enforces that limit only when something reads `request.body` or `request.POST`,
    with an HTML 400; DRF's parsers read the stream, where the error would be a 500. Checking
    Content-Length first gives every client the same clean answer, in JSON under /api/. A body
    sent without Content-Length (chunked) is not read at all: the WSGI request stream is empty.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return self.too_large(request, limit)
        return self.get_response(request)

    @staticmethod
    def too_large(request, limit):
        message = f"The request body is larger than the limit of {limit} bytes."
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "too_large"}, status=413)
        return HttpResponse(message, status=413, content_type="text/plain")

"""Content negotiation: DRF's, remembering its answers for the Accept headers clients repeat."""

from rest_framework.negotiation import DefaultContentNegotiation

# Distinct negotiations remembered per process, and the longest Accept header remembered: a
# client can send any header, so neither the number nor the size of the entries may grow with
# what clients send. Clients send a handful of headers (`application/json`, a browser's, `*/*`).
MEMO_ENTRIES = 256
MEMO_HEADER_LENGTH = 512


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, whose answer depends only on the Accept header, the requested format
    and the view's renderers: parsing and matching the header's media types was about 2% of a
    claim's detail. The answer is worked out once by DRF's own code and then looked up; a
    header DRF refuses (406, or a 404 for an unknown format) is never remembered."""

    _memo: dict[tuple, tuple[int, str]] = {}

    def select_renderer(self, request, renderers, format_suffix=None):
        header = request.META.get("HTTP_ACCEPT", "*/*")
        format_ = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        key = (header, format_, tuple(type(renderer) for renderer in renderers))
        found = self._memo.get(key)
        if found is not None:
            index, media_type = found
            return renderers[index], media_type
        renderer, media_type = super().select_renderer(request, renderers, format_suffix)
        if len(header) <= MEMO_HEADER_LENGTH and len(self._memo) < MEMO_ENTRIES:
            index = next(i for i, candidate in enumerate(renderers) if candidate is renderer)
            self._memo[key] = (index, media_type)
        return renderer, media_type

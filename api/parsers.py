"""Request body parsers: DRF's, with JSON nested too deeply for Python refused as a 400."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser. Python's json module parses nesting by recursion, so a body nested
    about a thousand levels deep raises RecursionError, which DRF does not catch (a 500): here
    it is a parse error like any other malformed body."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None

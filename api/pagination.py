"""Page-number pagination: `page` and `page_size`, strict about both."""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError

# Far beyond any real result (a billion pages), yet a number every database and Python's
# int() take: a longer string of digits is refused before it is converted.
MAX_PAGE = 1_000_000_000


class PageNumberPagination(pagination.PageNumberPagination):
    """`page` (from 1) and `page_size` (1 to 100, default 20). A malformed or out-of-range
    number is a 400 naming the range; a page past the end is a 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_number(self, request, paginator):
        message = f"Enter a page number from 1 to {MAX_PAGE}."
        page = whole_number(request, self.page_query_param, MAX_PAGE, message)
        return page or 1

    def get_page_size(self, request):
        message = f"Enter a whole number from 1 to {self.max_page_size}."
        size = whole_number(request, self.page_size_query_param, self.max_page_size, message)
        return size or self.page_size

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number; a page past the last one answers 404.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


def whole_number(request, name: str, maximum: int, message: str) -> int | None:
    """The query parameter `name` as a whole number from 1 to `maximum`, None if absent;
    anything else is a 400 with `message`.

    ASCII digits only: str.isdigit() also accepts "²" and "①", which int() refuses, and "٣",
    which int() reads as 3."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    # More digits than the maximum has are refused before int() reads them (past 4,300 digits
    # it raises).
    digits = raw.isascii() and raw.isdigit() and len(raw.lstrip("0")) <= len(str(maximum))
    if not digits or not 1 <= int(raw) <= maximum:
        raise ValidationError({name: [message]})
    return int(raw)

"""Page-number pagination: `page` and `page_size`, strict about both."""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError


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

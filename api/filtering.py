"""Strict filtering: an unknown query parameter, or an empty or overlong filter value, is a 400."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

# Query parameters that are not filters but are understood everywhere.
GENERAL_PARAMETERS = {"page", "page_size", "format"}

# The longest value a filter takes: a slug, a date, a search of a few words. A longer one only
# makes a request dearer to check and to run.
MAX_VALUE_LENGTH = 200


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, plus a 400 for a query parameter that is neither a filter nor general,
    and for a filter given an empty value or one longer than MAX_VALUE_LENGTH.

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
        # An empty value (`?stated_before=`) would otherwise mean "no filter" without a word.
        empty = sorted(name for name in known if "" in request.query_params.getlist(name, []))
        if empty:
            raise ValidationError(
                {name: ["Give a value, or leave the parameter out."] for name in empty}
            )
        given = known.intersection(request.query_params)
        longest = {name: max(map(len, request.query_params.getlist(name))) for name in given}
        too_long = sorted(name for name, length in longest.items() if length > MAX_VALUE_LENGTH)
        if too_long:
            message = "Ensure this value has at most {} characters (it has {})."
            raise ValidationError(
                {name: [message.format(MAX_VALUE_LENGTH, longest[name])] for name in too_long}
            )
        if not given:
            # No filter given: nothing to validate or apply, so skip building the FilterSet
            # and its form (a large share of a fast request's CPU).
            return queryset
        renderer = getattr(request, "accepted_renderer", None)
        if len(given) == 1 and getattr(renderer, "format", None) != "api":
            # One filter that can check and apply its values by itself (filter_raw) needs no
            # FilterSet either. The browsable API keeps the FilterSet, for its form.
            (name,) = given
            filter_ = filterset_class.base_filters[name]
            if hasattr(filter_, "filter_raw"):
                values = request.query_params.getlist(name)
                return filter_.filter_raw(queryset, request, name, values)
        return super().filter_queryset(request, queryset, view)

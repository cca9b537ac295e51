"""Strict filtering: an unknown query parameter, or an empty or overlong filter value, is a 400."""

from django.http import QueryDict
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

# Query parameters that are not filters but are understood everywhere.
GENERAL_PARAMETERS = {"page", "page_size", "format"}

# The longest value a filter takes: a slug, a date, a search of a few words. A longer one only
# makes a request dearer to check and to run.
MAX_VALUE_LENGTH = 200


PATH_GIVES_IT = "The path gives this filter here: leave the parameter out."


def path_filters(view) -> dict[str, str]:
    """{filter name: value} for the filters this request's path gives: a view's `path_filters`
    maps URL keywords to the filters they fill (`{"speaker_slug": "speaker"}`)."""
    kwargs = getattr(view, "kwargs", None) or {}
    return {
        name: kwargs[keyword]
        for keyword, name in getattr(view, "path_filters", {}).items()
        if keyword in kwargs
    }


def filters_given(request, view) -> bool:
    """Whether the request names any filter, in its query string or its path: without one, a
    list is all the rows the client sees, and a detail is looked up among them."""
    return not GENERAL_PARAMETERS.issuperset(request.query_params) or bool(path_filters(view))


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, plus a 400 for a query parameter that is neither a filter nor general,
    and for a filter given an empty value or one longer than MAX_VALUE_LENGTH.

    A misspelt filter (`?speakr=nato`) would otherwise be ignored silently and return
    everything, which a client cannot tell from a correct answer.
    """

    def get_filterset_kwargs(self, request, queryset, view):
        """The query string as the FilterSet's data, with the filters the URL's path gives
        (`path_filters`): /speakers/{slug}/claims/ is /claims/?speaker={slug}, one code path."""
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filled = path_filters(view)
        if filled:
            given = sorted(set(filled) & set(request.query_params))
            if given:
                raise ValidationError({name: [PATH_GIVES_IT] for name in given})
            data = QueryDict(mutable=True)  # QueryDict.copy() deep-copies: slower
            for name, values in request.query_params.lists():
                data.setlist(name, values)
            for name, value in filled.items():
                data.setlist(name, [value])
            kwargs["data"] = data
        return kwargs

    def filter_queryset(self, request, queryset, view):
        filterset = self.checked_filterset(request, queryset, view)
        return queryset if filterset is None else filterset.qs

    def checked_filterset(self, request, queryset, view):
        """The view's FilterSet over `queryset`, validated (a 400 otherwise), or None when no
        filter is given: then there is nothing to validate or apply, and building the
        FilterSet and its form would be a large share of a fast request's CPU."""
        if not filters_given(request, view):
            return None
        filterset_class = self.get_filterset_class(view, queryset)
        known = set(filterset_class.base_filters) if filterset_class else set()
        unknown = sorted(set(request.query_params) - known - GENERAL_PARAMETERS)
        if unknown:
            allowed = ", ".join(sorted(known | GENERAL_PARAMETERS))
            raise ValidationError(
                {name: [f"Unknown query parameter. Allowed here: {allowed}."] for name in unknown}
            )
        kwargs = self.get_filterset_kwargs(request, queryset, view)
        data = kwargs["data"]
        # An empty value (`?stated_before=`) would otherwise mean "no filter" without a word.
        empty = sorted(name for name in known if "" in data.getlist(name, []))
        if empty:
            raise ValidationError(
                {name: ["Give a value, or leave the parameter out."] for name in empty}
            )
        given = known.intersection(data)
        longest = {name: max(map(len, data.getlist(name))) for name in given}
        too_long = sorted(name for name, length in longest.items() if length > MAX_VALUE_LENGTH)
        if too_long:
            message = "Ensure this value has at most {} characters (it has {})."
            raise ValidationError(
                {name: [message.format(MAX_VALUE_LENGTH, longest[name])] for name in too_long}
            )
        if not given:
            return None
        filterset = filterset_class(**kwargs)
        if not filterset.is_valid():
            raise utils.translate_validation(filterset.errors)
        return filterset

import django_filters as filters

from api import websearch

from .enums import Medium
from .models import Outlet, Source
from .validators import validate_language_tag


class SourceFilter(filters.FilterSet):
    outlet = filters.ModelChoiceFilter(
        queryset=Outlet.objects.all(), to_field_name="slug", help_text="Outlet slug."
    )
    medium = filters.ChoiceFilter(choices=Medium.choices, help_text="What kind of document.")
    language = filters.CharFilter(validators=[validate_language_tag], help_text="BCP-47 tag")
    published_after = filters.DateFilter(
        field_name="published_on", lookup_expr="gte", help_text="ISO date, inclusive."
    )
    published_before = filters.DateFilter(
        field_name="published_on", lookup_expr="lte", help_text="ISO date, inclusive."
    )
    q = filters.CharFilter(
        method="filter_q",
        validators=[websearch.validate],
        help_text=(
            "Full-text search in the title and excerpt, in web-search syntax: words, "
            '"a phrase", `or`, -excluded.'
        ),
    )

    class Meta:
        model = Source
        fields = []

    def filter_q(self, queryset, name, value):
        query = websearch.parse(value)
        return queryset.filter(websearch.condition(query, queryset.db, table="sources_source"))

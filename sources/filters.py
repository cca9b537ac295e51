import django_filters as filters

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
    q = filters.CharFilter(field_name="title", lookup_expr="icontains", help_text="Title contains.")

    class Meta:
        model = Source
        fields = []

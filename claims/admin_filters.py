"""Admin list filters for the claim changelist."""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Q

from .enums import Rating

MAX_ROW_ID = 2**63 - 1  # BigAutoField


class SpeakerAutocompleteFilter(admin.ListFilter):
    """Filter by speaker through a search box, not a list of every speaker's name.

    Uses the same `speaker__id__exact` parameter as Django's own related-field
    filter, so links such as "this speaker's claims" keep working unchanged.
    The box is the admin's select2 autocomplete, fed by the speaker admin's search.
    """

    title = "speaker"
    parameter_name = "speaker__id__exact"
    template = "admin/claims/speaker_filter.html"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        value = params.pop(self.parameter_name, None)
        if isinstance(value, list):
            value = value[-1]
        self.value = value if value and is_row_id(value) else None
        # Refused in queryset(), as Django's own filters refuse a malformed value.
        self.malformed = bool(value) and self.value is None
        self.used_parameters = {self.parameter_name: self.value} if self.value else {}
        speaker_field = model._meta.get_field("speaker")
        self.form_field = forms.ModelChoiceField(
            queryset=speaker_field.related_model.objects.all(),
            widget=AutocompleteSelect(speaker_field, model_admin.admin_site),
            required=False,
        )

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.parameter_name]

    def queryset(self, request, queryset):
        if self.malformed:
            raise IncorrectLookupParameters(f"{self.parameter_name} takes a speaker's id.")
        if self.value:
            return queryset.filter(speaker_id=self.value)
        return queryset

    def choices(self, changelist):
        yield {
            "selected": self.value is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "All",
        }

    def widget_html(self):
        # Renders only the selected speaker as an option; select2 fetches the rest on typing.
        return self.form_field.widget.render(
            "speaker-filter",
            self.value,
            attrs={"id": "speaker-filter", "data-parameter": self.parameter_name},
        )


def is_row_id(value: str) -> bool:
    """Whether `value` is a row id: ASCII digits (str.isdigit() also takes "²", which int()
    refuses, and "٣", which int() reads as 3) within a 64-bit integer column's range."""
    return value.isascii() and value.isdigit() and int(value) <= MAX_ROW_ID


class VerdictFilter(admin.SimpleListFilter):
    """Filter on `Claim.verdict` (rating of the newest published review)."""

    title = "verdict"
    parameter_name = "verdict"
    UNRATED = "unrated"

    def lookups(self, request, model_admin):
        return [*Rating.choices, (self.UNRATED, "Unrated")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.UNRATED:
            return queryset.filter(Q(verdict__isnull=True))
        if value in Rating.values:
            return queryset.filter(verdict=value)
        return queryset

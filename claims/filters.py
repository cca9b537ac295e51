"""Query-string filters for the API. Every filter validates its value: a bad one is a 400."""

import copy

import django_filters as filters
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import connections, router
from django.db.models import Exists, F, OuterRef
from django.forms.utils import ErrorDict, ErrorList
from django_filters.fields import ModelMultipleChoiceField
from django_filters.filters import QuerySetRequestMixin
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions

from api import websearch
from sources.models import Outlet, Source
from sources.validators import validate_country_code, validate_language_tag

from . import aliases, search
from .enums import ClaimStatus, Rating, RebuttalStatus, Relation, SpeakerKind
from .models import Appearance, Claim, Rebuttal, Review, Speaker, Topic
from .querysets import sees_unpublished

UNRATED = "unrated"
ASSIGNEE_FOR_EDITORS = "Only editors who see unpublished claims may filter by assignee."


@extend_schema_field(OpenApiTypes.BOOL)
class TrueFalseFilter(filters.ChoiceFilter):
    """`true` or `false`; anything else is a 400 (django-filter's BooleanFilter ignores it).

    Its method receives the string: compare with "true".
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=[("true", "true"), ("false", "false")], **kwargs)


class NullsLastOrderingFilter(filters.OrderingFilter):
    """Ordering by a nullable date puts undated rows last in both directions, on every engine."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = F(self.param_map[param.lstrip("-")])
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)


def ids_by_slug(model, slugs: list[str], field: str = "slug") -> dict[str, int]:
    """{slug: id} for the rows of `model` with these slugs, in one plain query: no queryset
    to compile and no model instance to build."""
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    column, pk = quote(model._meta.get_field(field).column), quote(model._meta.pk.column)
    placeholders = ", ".join(["%s"] * len(slugs))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column}, {pk} FROM {quote(model._meta.db_table)} "
            f"WHERE {column} IN ({placeholders})",
            slugs,
        )
        return dict(cursor.fetchall())


def checked_ids(model, field: str, slugs, messages: dict, by_alias=None) -> list[int]:
    """The ids of the rows of `model` whose `field` holds these slugs, in one plain query
    (`ids_by_slug`), checked as Django's ModelMultipleChoiceField checks them, with its
    messages: a NUL character, or a slug no row has, is a ValidationError. `by_alias`, if
    given, maps the values no slug matched to ids ({value: id}), in one more query."""
    slugs = list(dict.fromkeys(slugs))  # de-duplicated, in the client's order
    for slug in slugs:
        ProhibitNullCharactersValidator()(slug)
    found = ids_by_slug(model, slugs, field)
    missing = [slug for slug in slugs if slug not in found]
    if missing and by_alias is not None:
        found.update(by_alias(missing))
    for slug in slugs:
        if slug not in found:
            raise ValidationError(
                messages["invalid_choice"], code="invalid_choice", params={"value": slug}
            )
    return [found[slug] for slug in slugs]


class SlugsField(ModelMultipleChoiceField):
    """Cleans slugs to the ids of their rows with `checked_ids`: same checks and messages as
    Django's ModelMultipleChoiceField, which reads every matching row as a model instance (most
    of a fast request's filtering CPU). The queryset must be all of its model's rows: the query
    does not apply its filters."""

    def _check_values(self, value) -> list[int]:
        if self.queryset.query.has_filters():
            raise ImproperlyConfigured("SlugsField looks slugs up among all rows of a model.")
        return checked_ids(
            self.queryset.model, self.to_field_name, value, self.error_messages, self.by_alias
        )

    by_alias = None


def speaker_ids_by_alias(values: list[str]) -> dict[str, int]:
    """{value: id} for the values that are a speaker's alias (up to case); an alias two
    speakers share is a ValidationError naming their slugs."""
    found = {}
    for value, speakers in aliases.speakers_by_alias(values, router.db_for_read(Speaker)).items():
        if len(speakers) > 1:
            slugs = ", ".join(slug for _, slug in speakers)
            raise ValidationError(
                "“%(value)s” is an alias of several speakers (%(slugs)s): use a slug.",
                code="ambiguous",
                params={"value": value, "slugs": slugs},
            )
        found[value] = speakers[0][0]
    return found


class SpeakerSlugsField(SlugsField):
    """Speaker slugs; a value that is no slug may be one speaker's alias."""

    by_alias = staticmethod(speaker_ids_by_alias)


@extend_schema_field(OpenApiTypes.STR)
class SlugsFilter(filters.ModelMultipleChoiceFilter):
    """One or more slugs (`?speaker=a&speaker=b`): rows matching any; an unknown slug is a 400.

    `field_name` is the relation (`speaker`), `to_field_name` the slug field of its model; the
    query filters on the related ids (`speaker_id IN (…)`), with no join."""

    field_class = SlugsField

    def __deepcopy__(self, memo):
        # A FilterSet deep-copies its filters for every request. Until bound, a filter holds
        # only its settings: a shallow copy with its own `extra` is enough, and much cheaper
        # for the API's most common filter.
        clone = copy.copy(self)
        clone.extra = dict(self.extra)
        clone._origin = getattr(self, "_origin", self)
        return clone

    @property
    def field(self):
        # The form field holds settings only (all rows of a model, by slug: SlugsField refuses
        # a filtered queryset, so no request shapes it): the copies share the first one built.
        origin = getattr(self, "_origin", self)
        if "_field" not in origin.__dict__:
            origin._field = super().field
        return origin._field

    def filter(self, qs, value: list[int]):
        if not value:
            return qs
        qs = qs.filter(**{f"{self.field_name}__in": value})
        return qs.distinct() if self.distinct else qs


class SparseFilterSet(filters.FilterSet):
    """Copies, validates and applies only the filters named in the query string.

    django-filter deep-copies every filter, builds a Form class with a field for each and
    validates through it on every request. An absent filter would validate to empty and be
    skipped anyway, so this keeps only the filters asked for and cleans their fields directly,
    as Django's Form would (same values, same error messages), which saves most of a fast
    request's filtering CPU. Only for filters whose widget reads the parameter of the filter's
    own name (no range or suffixed widgets). The browsable API's HTML form keeps every field.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        renderer = getattr(request, "accepted_renderer", None)
        self.sparse = (
            data is not None and prefix is None and getattr(renderer, "format", None) != "api"
        )
        if self.sparse:
            self.base_filters = GivenFilters(
                (name, filter_) for name, filter_ in self.base_filters.items() if name in data
            )
        super().__init__(data, queryset, request=request, prefix=prefix)

    @property
    def form(self):
        if not self.sparse:
            return super().form
        if not hasattr(self, "_form"):
            self._form = CleanedData(self.data, self.filters)
        return self._form


# Filters whose form field holds settings only (no queryset made for the request), and whose
# state is their settings until a FilterSet binds them.
PLAIN_FILTERS = (filters.CharFilter, filters.ChoiceFilter, filters.DateFilter)


def plain(filter_) -> bool:
    return isinstance(filter_, PLAIN_FILTERS) and not isinstance(
        filter_, (QuerySetRequestMixin, filters.OrderingFilter)
    )


class GivenFilters(dict):
    """The filters a sparse FilterSet copies for a request (django-filter deep-copies them).

    A plain filter is copied shallowly, with its own `extra` and a method bound to the copy,
    and its form field is built once, by the first copy, then shared (`form_field`): deep
    copies and fields built anew were a twentieth of a search. Any other filter is deep-copied
    as django-filter does."""

    def __deepcopy__(self, memo):
        return {name: copied(filter_, memo) for name, filter_ in self.items()}


def copied(filter_, memo):
    if not plain(filter_):
        return copy.deepcopy(filter_, memo)
    clone = copy.copy(filter_)
    clone.extra = dict(filter_.extra)
    if filter_.method is not None:
        clone.method = filter_.method  # a FilterMethod of its own, bound to the copy
    clone._origin = filter_
    return clone


def form_field(filter_):
    """The filter's form field; a plain filter's copies share the one the first built."""
    origin = filter_.__dict__.get("_origin")
    if origin is None:
        return filter_.field
    if "_shared_field" not in origin.__dict__:
        origin._shared_field = filter_.field
    return origin._shared_field


class CleanedData:
    """What a FilterSet reads from its form (`cleaned_data`, `errors`, `is_valid()`), made by
    cleaning each filter's form field as Form.full_clean() would, without a Form class."""

    def __init__(self, data, filters):
        self.cleaned_data, self.errors = {}, ErrorDict()
        for name, filter_ in filters.items():
            field = form_field(filter_)
            try:
                self.cleaned_data[name] = field.clean(
                    field.widget.value_from_datadict(data, {}, name)
                )
            except ValidationError as error:
                self.errors[name] = ErrorList(error.error_list)

    def is_valid(self) -> bool:
        return not self.errors


# Callables, not querysets: django-filter deep-copies each filter per request, and a function
# copies for free where a QuerySet (and its Query) does not.
def all_speakers(request):
    return Speaker.objects.all()


def all_topics(request):
    return Topic.objects.all()


def visible_claims(request):
    # An id the client may not see must answer like an id that does not exist.
    return Claim.objects.visible_to(request.user)


class SpeakerSlugsFilter(SlugsFilter):
    field_class = SpeakerSlugsField


class ClaimFilter(SparseFilterSet):
    speaker = SpeakerSlugsFilter(
        field_name="speaker",
        to_field_name="slug",
        queryset=all_speakers,
        distinct=False,  # a claim has one speaker: no duplicate rows to remove
        help_text=(
            "Speaker slug (see /api/v1/speakers/); repeat for several (either matches). A value "
            "that is no slug is looked up among the speakers' aliases, up to case (`?speaker="
            "Владимир Путин`); an alias of several speakers is a 400 naming their slugs."
        ),
    )
    speaker_kind = filters.ChoiceFilter(
        field_name="speaker__kind", choices=SpeakerKind.choices, help_text="The speaker's kind."
    )
    affiliation = filters.ModelChoiceFilter(
        field_name="speaker__affiliation",
        to_field_name="slug",
        queryset=Speaker.objects.all(),
        help_text="Slug of the speaker's affiliation (e.g. nato).",
    )
    topic = SlugsFilter(
        field_name="topics",
        to_field_name="slug",
        queryset=all_topics,
        help_text="Topic slug (see /api/v1/topics/); repeat for several (either matches).",
    )
    verdict = filters.ChoiceFilter(
        choices=[*Rating.choices, (UNRATED, "Unrated")],
        method="filter_verdict",
        help_text="Rating of the newest published review, or `unrated`.",
    )
    status = filters.ChoiceFilter(choices=ClaimStatus.choices, help_text="Workflow state.")
    language = filters.CharFilter(validators=[validate_language_tag], help_text="BCP-47 tag")
    stated_after = filters.DateFilter(
        field_name="stated_on", lookup_expr="gte", help_text="ISO date, inclusive."
    )
    stated_before = filters.DateFilter(
        field_name="stated_on", lookup_expr="lte", help_text="ISO date, inclusive."
    )
    source = filters.ModelChoiceFilter(
        queryset=Source.objects.all(),
        method="filter_source",
        help_text="Id of a source the claim appeared in.",
    )
    outlet = filters.ModelChoiceFilter(
        queryset=Outlet.objects.all(),
        to_field_name="slug",
        method="filter_outlet",
        help_text="Slug of an outlet the claim appeared in.",
    )
    rebutted_by = filters.ModelChoiceFilter(
        queryset=Speaker.objects.all(),
        to_field_name="slug",
        method="filter_rebutted_by",
        help_text="Slug of a speaker who rebutted the claim.",
    )
    has_rebuttal = TrueFalseFilter(method="filter_has_rebuttal", help_text="Has a rebuttal.")
    has_review = TrueFalseFilter(
        method="filter_has_review", help_text="Has a review the client may see."
    )
    q = filters.CharFilter(
        method="filter_q",
        validators=[websearch.validate],
        help_text=(
            "Full-text search in the claim's text, its quotes, its speaker's name and aliases "
            'and its rebuttals: words (all must match), "a phrase", `or` between two terms, '
            f"-excluded; at most {websearch.MAX_TERMS} different terms. Without `ordering`, "
            "the best matches come first, each with its `score`."
        ),
    )
    assignee = filters.CharFilter(
        method="filter_assignee",
        max_length=150,
        help_text=(
            "`me`, or an editor's username: the claims assigned to them. Only for clients who "
            "see unpublished claims (editors); for anyone else a 400."
        ),
    )
    ordering = NullsLastOrderingFilter(
        fields=["stated_on", "created_at", "updated_at"],
        help_text="stated_on, created_at or updated_at; prefix - for descending.",
    )

    class Meta:
        model = Claim
        fields = []

    def filter_verdict(self, queryset, name, value):
        if value == UNRATED:
            return queryset.filter(verdict__isnull=True)
        return queryset.filter(verdict=value)

    def filter_assignee(self, queryset, name, value: str):
        # Who is assigned is staff business: no other client may ask (nor learn by asking).
        user = self.request.user
        if not sees_unpublished(user):
            raise exceptions.ValidationError({"assignee": [ASSIGNEE_FOR_EDITORS]})
        if value == "me":
            return queryset.filter(assignee=user.pk)
        return queryset.filter(assignee__username=value)

    def filter_source(self, queryset, name, value: int):  # hint: the schema's type
        return queryset.filter(
            Exists(Appearance.objects.filter(claim=OuterRef("pk"), source=value))
        )

    def filter_outlet(self, queryset, name, value: str):
        return queryset.filter(
            Exists(Appearance.objects.filter(claim=OuterRef("pk"), source__outlet=value))
        )

    def filter_rebutted_by(self, queryset, name, value: str):
        rebuttals = Rebuttal.objects.visible_to(self.request.user)
        return queryset.filter(Exists(rebuttals.filter(claim=OuterRef("pk"), speaker=value)))

    def filter_has_rebuttal(self, queryset, name, value: str):
        rebuttals = Rebuttal.objects.visible_to(self.request.user)
        exists = Exists(rebuttals.filter(claim=OuterRef("pk")))
        return queryset.filter(exists if value == "true" else ~exists)

    def filter_has_review(self, queryset, name, value: str):
        reviews = Review.objects.visible_to(self.request.user).filter(claim=OuterRef("pk"))
        return queryset.filter(Exists(reviews) if value == "true" else ~Exists(reviews))

    def only_speakers(self) -> list[int] | None:
        """The ids of the speakers asked for (distinct, in the client's order) when `speaker`
        is the only filter given, else None: a speaker's page of claims, whose ids query is
        compiled once per process (documents.visible_ids_in_sql) rather than the filters run."""
        if not self.sparse or self.filters.keys() != {"speaker"}:
            return None
        return list(dict.fromkeys(self.form.cleaned_data["speaker"]))

    search_query: websearch.Query | None = None
    # The claims every filter but `q` leaves (`filter_unsearched`): a ranked list matches the
    # query itself (claims.search.RankedClaims), the way each engine's index reads best.
    unsearched = None

    @property
    def ranked(self) -> bool:
        """Whether the claims come best first (`q` without `ordering`), with their score (known
        once the filters ran: `filter_unsearched`)."""
        return self.search_query is not None and not self.form.cleaned_data.get("ordering")

    def filter_q(self, queryset, name, value):
        self.search_query = websearch.parse(value)
        return queryset  # matched in filter_queryset, once the other filters are applied

    def filter_unsearched(self):
        """The claims every filter keeps before `q` is matched (its filter only parses it into
        `search_query`), worked out once: a ranked list needs no more (`.qs`, with the match
        and the score as an annotation, is for exports: building it was a tenth of a search)."""
        if self.unsearched is None:
            self.is_valid()  # validated first, as `.qs` does
            self.unsearched = super().filter_queryset(self.queryset.all())
        return self.unsearched

    def filter_queryset(self, queryset):
        # `queryset` is `self.queryset.all()` (`.qs`), what `filter_unsearched` filters.
        queryset = self.filter_unsearched()
        if self.search_query is not None:
            queryset = queryset.filter(search.condition(self.search_query, using=queryset.db))
        if self.ranked:
            score = search.score(self.search_query, using=queryset.db)
            return queryset.annotate(score=score).order_by("-score", "-id")
        # A chosen ordering still needs a tie-breaker for stable pages.
        if self.form.cleaned_data.get("ordering"):
            queryset = queryset.order_by(*queryset.query.order_by, "-id")
        return queryset


class SpeakerFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=SpeakerKind.choices, help_text="The speaker's kind.")
    affiliation = filters.ModelChoiceFilter(
        queryset=Speaker.objects.all(), to_field_name="slug", help_text="Affiliation's slug."
    )
    country = filters.CharFilter(validators=[validate_country_code], help_text="ISO alpha-2")
    q = filters.CharFilter(
        method="filter_q",
        validators=[websearch.validate],
        help_text=(
            "Full-text search in the name, aliases, job title and description, in web-search "
            'syntax: words, "a phrase", `or`, -excluded.'
        ),
    )

    class Meta:
        model = Speaker
        fields = []

    def filter_q(self, queryset, name, value):
        query = websearch.parse(value)
        return queryset.filter(search.speaker_condition(query, using=queryset.db))


class RebuttalFilter(filters.FilterSet):
    claim = filters.ModelChoiceFilter(queryset=visible_claims, help_text="Claim id.")
    speaker = filters.ModelChoiceFilter(
        queryset=Speaker.objects.all(), to_field_name="slug", help_text="Rebutting speaker's slug."
    )
    relation = filters.ChoiceFilter(
        choices=Relation.choices, help_text="How the rebuttal answers the claim."
    )
    status = filters.ChoiceFilter(
        choices=RebuttalStatus.choices,
        help_text="Workflow state (anonymous clients see published rebuttals only).",
    )

    class Meta:
        model = Rebuttal
        fields = []


class ReviewFilter(filters.FilterSet):
    claim = filters.ModelChoiceFilter(queryset=visible_claims, help_text="Claim id.")
    reviewer = filters.ModelChoiceFilter(
        queryset=Outlet.objects.all(), to_field_name="slug", help_text="Reviewer outlet's slug."
    )
    rating = filters.ChoiceFilter(choices=Rating.choices, help_text="Normalised rating.")
    published_after = filters.DateFilter(
        field_name="published_on", lookup_expr="gte", help_text="ISO date, inclusive."
    )
    published_before = filters.DateFilter(
        field_name="published_on", lookup_expr="lte", help_text="ISO date, inclusive."
    )

    class Meta:
        model = Review
        fields = []

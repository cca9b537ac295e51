from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from simple_history.admin import SimpleHistoryAdmin

from sources.versioning import VersionCheckedAdminMixin

from .admin_filters import SpeakerAutocompleteFilter, VerdictFilter
from .enums import ClaimStatus, Rating
from .models import Appearance, Claim, Rebuttal, Review, Speaker, Topic
from .services import claim_set_status


def claims_of_speaker_url(speaker_id: int) -> str:
    query = urlencode({SpeakerAutocompleteFilter.parameter_name: speaker_id})
    return f"{reverse('admin:claims_claim_changelist')}?{query}"


@admin.register(Speaker)
class SpeakerAdmin(VersionCheckedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "job_title", "affiliation", "country", "claims"]
    list_filter = ["kind", "country"]
    list_select_related = ["affiliation"]
    search_fields = ["name", "slug", "job_title", "wikidata_id"]
    autocomplete_fields = ["affiliation"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["claims_link"]
    fields = [
        "name",
        "slug",
        "kind",
        "job_title",
        "affiliation",
        "country",
        "wikidata_id",
        "description",
        "claims_link",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    @admin.display(description="claims", ordering="claim_count")
    def claims(self, speaker):
        return format_html(
            '<a href="{}">{}</a>', claims_of_speaker_url(speaker.pk), speaker.claim_count
        )

    @admin.display(description="claims")
    def claims_link(self, speaker):
        if not speaker.pk:
            return "—"
        return format_html(
            '<a href="{}">This speaker\'s claims ({})</a>',
            claims_of_speaker_url(speaker.pk),
            speaker.claim_count,
        )


@admin.register(Topic)
class TopicAdmin(VersionCheckedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class AppearanceInline(VersionCheckedAdminMixin, admin.TabularInline):
    model = Appearance
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "quote", "is_first"]


class RebuttalInline(VersionCheckedAdminMixin, admin.StackedInline):
    model = Rebuttal
    fk_name = "claim"
    extra = 0
    autocomplete_fields = ["speaker", "source", "rebutting_claim"]
    fields = ["speaker", "text", "relation", "source", "stated_on", "rebutting_claim"]


class ReviewInline(VersionCheckedAdminMixin, admin.StackedInline):
    model = Review
    extra = 0
    autocomplete_fields = ["reviewer"]
    fields = [
        "reviewer",
        ("rating", "textual_rating"),
        ("rating_value", "worst_rating", "best_rating"),
        "summary",
        "url",
        "published_on",
        "status",
    ]


@admin.register(Claim)
class ClaimAdmin(VersionCheckedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "short_text",
        "speaker",
        "stated_on",
        "status",
        "verdict_badge",
        "rebuttal_count",
        "first_appearance",
    ]
    list_filter = [SpeakerAutocompleteFilter, "status", VerdictFilter, "topics", "language"]
    list_select_related = ["speaker"]
    search_fields = ["text", "speaker__name", "appearances__quote"]
    autocomplete_fields = ["speaker", "topics"]
    date_hierarchy = "stated_on"
    readonly_fields = ["created_at", "updated_at", "created_by"]
    inlines = [AppearanceInline, RebuttalInline, ReviewInline]
    actions = ["send_to_review", "publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["text", "speaker", "speaker_title", "stated_on", "context"]}),
        ("Classification", {"fields": ["language", "topics", "status"]}),
        ("Record", {"fields": ["created_at", "updated_at", "created_by"]}),
    ]

    class Media:
        css = {"all": ["claims/admin.css"]}

    @property
    def media(self):
        # The speaker filter's autocomplete box needs select2 on the changelist too.
        return (
            super().media
            + AutocompleteSelect(Claim._meta.get_field("speaker"), self.admin_site).media
            + forms.Media(js=["claims/speaker_filter.js"])
        )

    def get_queryset(self, request):
        first = Appearance.objects.filter(claim=OuterRef("pk"), is_first=True)
        return (
            super()
            .get_queryset(request)
            .with_verdict()
            .annotate(
                rebuttal_total=Count("rebuttals", distinct=True),
                first_outlet=Subquery(first.values("source__outlet__name")[:1]),
                first_published_on=Subquery(first.values("source__published_on")[:1]),
            )
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="claim", ordering="text")
    def short_text(self, claim):
        return claim.text if len(claim.text) <= 100 else claim.text[:99] + "…"

    @admin.display(description="verdict", ordering="verdict")
    def verdict_badge(self, claim):
        if not claim.verdict:
            return format_html('<span class="verdict-badge verdict-none">{}</span>', "unrated")
        return format_html(
            '<span class="verdict-badge verdict-{}" title="Verdict: {}">{}</span>',
            claim.verdict,
            Rating(claim.verdict).label,
            Rating(claim.verdict).label,
        )

    @admin.display(description="rebuttals", ordering="rebuttal_total")
    def rebuttal_count(self, claim):
        return claim.rebuttal_total

    @admin.display(description="first appearance", ordering="first_published_on")
    def first_appearance(self, claim):
        parts = [p for p in (claim.first_outlet, claim.first_published_on) if p]
        return ", ".join(str(p) for p in parts) or "—"

    def _move(self, request, queryset, status: ClaimStatus):
        changed = claim_set_status(claims=queryset, status=status)
        self.message_user(
            request, f"{changed} claim(s) moved to “{status.label}”.", messages.SUCCESS
        )

    @admin.action(description="Send selected claims to review", permissions=["change"])
    def send_to_review(self, request, queryset):
        self._move(request, queryset, ClaimStatus.IN_REVIEW)

    @admin.action(description="Publish selected claims", permissions=["change"])
    def publish(self, request, queryset):
        self._move(request, queryset, ClaimStatus.PUBLISHED)

    @admin.action(description="Unpublish selected claims (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        self._move(request, queryset, ClaimStatus.DRAFT)


@admin.register(Appearance)
class AppearanceAdmin(VersionCheckedAdminMixin, SimpleHistoryAdmin):
    list_display = ["claim", "source", "is_first"]
    list_filter = ["is_first"]
    list_select_related = ["claim", "source"]
    search_fields = ["quote", "claim__text", "source__title"]
    autocomplete_fields = ["claim", "source"]


@admin.register(Rebuttal)
class RebuttalAdmin(VersionCheckedAdminMixin, SimpleHistoryAdmin):
    list_display = ["speaker", "relation", "claim", "source", "stated_on"]
    list_filter = ["relation"]
    list_select_related = ["speaker", "claim", "source"]
    search_fields = ["text", "speaker__name", "claim__text"]
    autocomplete_fields = ["claim", "speaker", "source", "rebutting_claim"]


@admin.register(Review)
class ReviewAdmin(VersionCheckedAdminMixin, SimpleHistoryAdmin):
    list_display = ["claim", "reviewer", "rating", "textual_rating", "published_on", "status"]
    list_filter = ["rating", "status", "reviewer"]
    list_select_related = ["claim", "reviewer"]
    search_fields = ["claim__text", "textual_rating", "summary", "reviewer__name"]
    autocomplete_fields = ["claim", "reviewer"]
    date_hierarchy = "published_on"

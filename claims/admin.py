from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminTextareaWidget, AutocompleteSelect
from django.db import models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from simple_history.admin import SimpleHistoryAdmin

from api.concurrency import VersionCheckedAdminMixin

from .admin_desk import (
    AssigneeFilter,
    ClaimNoteInline,
    CorrectableForm,
    ReviewForm,
    record_correction,
    save_notes,
)
from .admin_filters import SpeakerAutocompleteFilter, VerdictFilter
from .assignments import assignable_users
from .enums import ClaimStatus, Rating, ReviewStatus
from .models import Appearance, Claim, ClaimNote, Rebuttal, Review, Speaker, Topic
from .querysets import sees_unpublished
from .services import claim_save, claim_set_status, review_save, review_set_status

# Short text boxes: a claim page holds the claim and its inlines, and should fit on a screen.
COMPACT_TEXT = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 3})}}


def move_each(queryset, move) -> list:
    """Lock the selected rows, in id order, and `move` each one (a status service); returns
    the rows it moved."""
    ids = list(queryset.values_list("pk", flat=True))
    with transaction.atomic():
        rows = queryset.model.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        return [row for row in rows if move(row)]


def save_review(review: Review, by) -> None:
    """Save an edited review through its service: the form has set its fields; the service
    takes the status and claim moves from the row's current state."""
    current = Review.objects.values("status", "claim_id").get(pk=review.pk)
    changes = {"status": review.status, "claim": review.claim}
    review.status, review.claim_id = current["status"], current["claim_id"]
    review_save(review=review, changes=changes, by=by)


def claims_of_speaker_url(speaker_id: int) -> str:
    query = urlencode({SpeakerAutocompleteFilter.parameter_name: speaker_id})
    return f"{reverse('admin:claims_claim_changelist')}?{query}"


# The editor's home page: counts by status, what waits for review, the newest reviews and
# the busiest speakers' scorecards above the list of models (claims/dashboard.py).
admin.site.index_template = "claims/admin_index.html"


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
        # A subquery, not a join with GROUP BY: a grouped query drops the model's default
        # ordering, and the speaker autocomplete pages through this queryset.
        count = (
            Claim.objects.filter(speaker=OuterRef("pk"))
            .order_by()
            .values("speaker")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(claim_count=Coalesce(Subquery(count), 0))

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
    autocomplete_fields = ["source"]
    fields = ["source", "quote", "is_first"]
    # Not the admin's wide text box: the row also holds the source and the "first" box.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 60})}
    }

    def get_extra(self, request, obj=None, **kwargs):
        # A new claim is recorded from an article: offer a row for that article straight away.
        return 1 if obj is None else 0

    def get_queryset(self, request):
        # Each row's caption names its source (Appearance.__str__).
        return super().get_queryset(request).select_related("source")


class RebuttalInline(VersionCheckedAdminMixin, admin.StackedInline):
    model = Rebuttal
    fk_name = "claim"
    extra = 0
    formfield_overrides = COMPACT_TEXT
    autocomplete_fields = ["speaker", "source", "rebutting_claim"]
    fields = ["speaker", "text", "relation", "source", "stated_on", "rebutting_claim"]

    def get_queryset(self, request):
        # Each row's caption names its speaker and source (Rebuttal.__str__).
        return super().get_queryset(request).select_related("speaker", "source")


class PublishPermissionMixin:
    """The status is read-only without the model's publish permission: it then moves only
    through what the status services allow (claims.services)."""

    publish_permission = ""

    def has_publish_permission(self, request):
        return request.user.has_perm(self.publish_permission)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            readonly.append("status")
        return readonly


class ReviewInline(PublishPermissionMixin, VersionCheckedAdminMixin, admin.StackedInline):
    model = Review
    form = ReviewForm
    publish_permission = "claims.publish_review"
    extra = 0
    formfield_overrides = COMPACT_TEXT
    autocomplete_fields = ["reviewer"]
    fields = [
        "reviewer",
        ("rating", "textual_rating"),
        ("rating_value", "worst_rating", "best_rating"),
        "summary",
        ("url", "title"),
        ("published_on", "date_modified"),
        "status",
        "correction",
    ]

    def get_queryset(self, request):
        # Each row's caption names its reviewer (Review.__str__).
        return super().get_queryset(request).select_related("reviewer")


@admin.register(Claim)
class ClaimAdmin(PublishPermissionMixin, VersionCheckedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "short_text",
        "speaker_link",
        "stated_on",
        "status",
        "verdict_badge",
        "rebuttal_count",
        "first_appearance",
        "assignee",
    ]
    list_filter = [
        AssigneeFilter,
        SpeakerAutocompleteFilter,
        "status",
        VerdictFilter,
        "topics",
        "language",
    ]
    list_select_related = ["speaker", "assignee"]
    search_fields = ["text", "speaker__name", "appearances__quote"]
    autocomplete_fields = ["speaker", "topics"]
    date_hierarchy = "stated_on"
    readonly_fields = ["verdict_badge", "rebuts", "created_at", "updated_at", "created_by"]
    inlines = [AppearanceInline, RebuttalInline, ReviewInline, ClaimNoteInline]
    form = CorrectableForm
    formfield_overrides = COMPACT_TEXT
    actions = ["send_to_review", "publish", "unpublish"]
    publish_permission = "claims.publish_claim"
    fieldsets = [
        (None, {"fields": ["text", "speaker", "speaker_title", "stated_on", "context"]}),
        ("Classification", {"fields": ["language", "topics", "status", "assignee"]}),
        ("Verdict and answers", {"fields": ["verdict_badge", "rebuts"]}),
        ("Correction", {"fields": ["correction"]}),
        (
            "Record",
            {"fields": ["created_at", "updated_at", "created_by"], "classes": ["collapse"]},
        ),
    ]

    @property
    def media(self):
        # The speaker filter's autocomplete box needs select2 on the changelist too. (A
        # `class Media` would be ignored here: defining `media` replaces it.)
        return (
            super().media
            + AutocompleteSelect(Claim._meta.get_field("speaker"), self.admin_site).media
            + forms.Media(css={"all": ["claims/admin.css"]}, js=["claims/speaker_filter.js"])
        )

    def get_fieldsets(self, request, obj=None):
        # A claim being added has no record, verdict or answers yet.
        fieldsets = super().get_fieldsets(request, obj)
        added_later = {"Record", "Verdict and answers", "Correction"}
        return fieldsets if obj else [fs for fs in fieldsets if fs[0] not in added_later]

    def get_inlines(self, request, obj):
        # Notes are about a recorded claim: none on the add page.
        inlines = super().get_inlines(request, obj)
        return inlines if obj else [i for i in inlines if i is not ClaimNoteInline]

    def get_object(self, request, object_id, from_field=None):
        claim = super().get_object(request, object_id, from_field)
        if claim is not None:
            # What `rebuts` lists: the claims this one answers, those this user may see.
            claim.answered = list(
                Rebuttal.objects.visible_to(request.user)
                .filter(rebutting_claim=claim)
                .select_related("claim__speaker")
                .order_by("claim_id")
            )
        return claim

    @admin.display(description="answers")
    def rebuts(self, claim):
        """The claims this claim answers (it is their rebuttal's own claim record), linked."""
        rows = [
            (
                rebuttal.get_relation_display(),
                reverse("admin:claims_claim_change", args=[rebuttal.claim_id]),
                rebuttal.claim,
                rebuttal.claim.speaker,
            )
            for rebuttal in getattr(claim, "answered", [])
        ]
        if not rows:
            return "This claim answers no other claim."
        items = format_html_join("", '<li>{} <a href="{}">{}</a>, by {}</li>', rows)
        return format_html("<ul>{}</ul>", items)

    def get_queryset(self, request):
        first = Appearance.objects.filter(claim=OuterRef("pk"), is_first=True)
        return (
            super()
            .get_queryset(request)
            .annotate(
                rebuttal_total=Count("rebuttals", distinct=True),
                first_outlet=Subquery(first.values("source__outlet__name")[:1]),
                first_published_on=Subquery(first.values("source__published_on")[:1]),
            )
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":  # the API's rule (claims.assignments)
            kwargs["queryset"] = assignable_users()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, AppearanceInline) and obj.pk is None:
            # The article a new claim is recorded from is, as far as the desk knows, its first.
            kwargs["initial"] = [{"is_first": True}]
        return kwargs

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            return super().save_model(request, obj, form, change)
        # A status the form brings moves through the status service: permissions checked,
        # version bumped, reason in the history. So does a revert to an old version with
        # another status, which the read-only status field would not stop (the old version
        # is saved whole).
        status = obj.status
        obj.status = Claim.objects.values_list("status", flat=True).get(pk=obj.pk)
        claim_save(claim=obj, changes={"status": status}, by=request.user)
        record_correction(form, obj, request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is ClaimNote:
            return save_notes(formset, form.instance, request.user)
        if formset.model is not Review:
            return super().save_formset(request, form, formset, change)
        # Reviews edited in place: saved through their service, as on the review's own page.
        forms_of = {id(inline.instance): inline for inline in formset.forms}
        for review in formset.save(commit=False):
            if review.pk is None:
                review.save()
            else:
                save_review(review, request.user)
                record_correction(forms_of[id(review)], review, request.user)
        for review in formset.deleted_objects:
            review.delete()
        formset.save_m2m()

    @admin.display(description="claim", ordering="text")
    def short_text(self, claim):
        return claim.text if len(claim.text) <= 100 else claim.text[:99] + "…"

    @admin.display(description="speaker", ordering="speaker__name")
    def speaker_link(self, claim):
        return format_html(
            '<a href="{}" title="All claims by {}">{}</a>',
            claims_of_speaker_url(claim.speaker_id),
            claim.speaker.name,
            claim.speaker.name,
        )

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
        """Move the claims through the status service, which records each move, with its
        reason, in the claim's history; the admin's recent actions list each one too."""
        moved = move_each(
            queryset, lambda claim: claim_set_status(claim=claim, status=status, by=request.user)
        )
        for claim in moved:
            self.log_change(request, claim, claim._change_reason)
        self.message_user(
            request, f"{len(moved)} claim(s) moved to “{status.label}”.", messages.SUCCESS
        )

    @admin.action(description="Send selected drafts to review", permissions=["change"])
    def send_to_review(self, request, queryset):
        # Only drafts: moving a published claim back would unpublish it, which needs the
        # publish permission (the "unpublish" action).
        skipped = queryset.exclude(status=ClaimStatus.DRAFT).count()
        self._move(request, queryset.filter(status=ClaimStatus.DRAFT), ClaimStatus.IN_REVIEW)
        if skipped:
            self.message_user(
                request,
                f"{skipped} selected claim(s) were not drafts and were left as they were.",
                messages.WARNING,
            )

    @admin.action(description="Publish selected claims", permissions=["publish"])
    def publish(self, request, queryset):
        self._move(request, queryset, ClaimStatus.PUBLISHED)

    @admin.action(description="Unpublish selected claims (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._move(request, queryset, ClaimStatus.DRAFT)


@admin.register(Appearance)
class AppearanceAdmin(VersionCheckedAdminMixin, SimpleHistoryAdmin):
    list_display = ["claim", "source", "is_first"]
    list_filter = ["is_first"]
    list_select_related = ["claim__speaker", "source"]
    search_fields = ["quote", "claim__text", "source__title"]
    autocomplete_fields = ["claim", "source"]

    def get_queryset(self, request):
        # Unpublished claims' appearances (and their claims' text) only to those who see them
        # in the API too.
        appearances = super().get_queryset(request)
        if sees_unpublished(request.user):
            return appearances
        return appearances.filter(claim__status=ClaimStatus.PUBLISHED)


@admin.register(Rebuttal)
class RebuttalAdmin(VersionCheckedAdminMixin, SimpleHistoryAdmin):
    list_display = ["speaker", "relation", "claim", "source", "stated_on"]
    list_filter = ["relation"]
    list_select_related = ["speaker", "claim", "source"]
    search_fields = ["text", "speaker__name", "claim__text"]
    autocomplete_fields = ["claim", "speaker", "source", "rebutting_claim"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_fields(self, request, obj=None):
        # A draft rebutting claim is left out of the page (and, unchanged, out of the save)
        # for an account that may not see drafts: its text would show in the field.
        fields = super().get_fields(request, obj)
        answer = obj.rebutting_claim if obj is not None else None
        hidden = answer is not None and answer.status != ClaimStatus.PUBLISHED
        if hidden and not sees_unpublished(request.user):
            return [name for name in fields if name != "rebutting_claim"]
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only claims the account may see can be chosen (or, by id, posted).
        if db_field.name in ("claim", "rebutting_claim"):
            kwargs["queryset"] = Claim.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Review)
class ReviewAdmin(PublishPermissionMixin, VersionCheckedAdminMixin, SimpleHistoryAdmin):
    list_display = ["claim", "reviewer", "rating", "textual_rating", "published_on", "status"]
    list_filter = ["rating", "status", "reviewer"]
    list_select_related = ["claim", "reviewer"]
    search_fields = ["claim__text", "textual_rating", "summary", "reviewer__name"]
    autocomplete_fields = ["claim", "reviewer"]
    date_hierarchy = "published_on"
    actions = ["publish", "unpublish"]
    publish_permission = "claims.publish_review"
    form = ReviewForm

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        save_review(obj, request.user)
        record_correction(form, obj, request.user)

    def _move(self, request, queryset, status: ReviewStatus):
        moved = move_each(
            queryset,
            lambda review: review_set_status(review=review, status=status, by=request.user),
        )
        for review in moved:
            self.log_change(request, review, review._change_reason)
        self.message_user(
            request, f"{len(moved)} review(s) moved to “{status.label}”.", messages.SUCCESS
        )

    @admin.action(description="Publish selected reviews", permissions=["publish"])
    def publish(self, request, queryset):
        self._move(request, queryset, ReviewStatus.PUBLISHED)

    @admin.action(description="Unpublish selected reviews (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._move(request, queryset, ReviewStatus.DRAFT)

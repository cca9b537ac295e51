from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminTextareaWidget, AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
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
from .enums import ClaimStatus, Rating, RebuttalStatus, ReviewStatus
from .models import Appearance, Claim, ClaimNote, Rebuttal, Review, Speaker, Topic
from .querysets import sees_unpublished
from .services import (
    appearance_delete,
    claim_create,
    claim_delete,
    claim_save,
    claim_set_status,
    leaves_no_evidence,
    orphaned_by_deleting,
    rebuttal_create,
    rebuttal_save,
    rebuttal_set_status,
    review_create,
    review_delete,
    review_save,
    review_set_status,
)

# Short text boxes: a claim page holds the claim and its inlines, and should fit on a screen.
COMPACT_TEXT = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 3})}}


def move_each(queryset, move) -> tuple[list, list[str]]:
    """Lock the selected rows, in id order, and `move` each one (a status service); returns
    the rows it moved, and why each row the workflow refused to move was left as it was."""
    ids = list(queryset.values_list("pk", flat=True))
    moved, refused = [], []
    with transaction.atomic():
        rows = queryset.model.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        for row in rows:
            try:
                if move(row):
                    moved.append(row)
            except (PermissionDenied, ValidationError) as error:
                reason = " ".join(error.messages) if hasattr(error, "messages") else str(error)
                refused.append(f"“{row}”: {reason}")
    return moved, refused


def move_and_report(modeladmin, request, queryset, status, move) -> None:
    """An admin action moving the selected rows to `status` through `move` (a status
    service, which records each move's reason in the row's history); the admin's recent
    actions list each move, and the message says what moved and what was refused."""
    moved, refused = move_each(queryset, lambda row: move(row, status, request.user))
    for row in moved:
        modeladmin.log_change(request, row, row._change_reason)
    name = queryset.model._meta.verbose_name
    modeladmin.message_user(
        request, f"{len(moved)} {name}(s) moved to “{status.label}”.", messages.SUCCESS
    )
    for reason in refused:
        modeladmin.message_user(request, f"Not moved: {reason}", messages.WARNING)


def save_review(review: Review, by) -> None:
    """Save an edited review through its service: the form has set its fields; the service
    takes the status and claim moves from the row's current state."""
    current = Review.objects.values("status", "claim_id").get(pk=review.pk)
    changes = {"status": review.status, "claim": review.claim}
    review.status, review.claim_id = current["status"], current["claim_id"]
    review_save(review=review, changes=changes, by=by)


def save_rebuttal(rebuttal: Rebuttal, by) -> None:
    """Save an edited rebuttal through its service, as save_review does a review."""
    current = Rebuttal.objects.values_list("status", flat=True).get(pk=rebuttal.pk)
    changes = {"status": rebuttal.status}
    rebuttal.status = current
    rebuttal_save(rebuttal=rebuttal, changes=changes, by=by)


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
        "aliases",
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


class AppearanceFormSet(BaseInlineFormSet):
    """Refuses to delete a published claim's last appearance (claims.services rule)."""

    def clean(self):
        super().clean()
        deleted = self.deleted_forms
        kept = [f for f in self.forms if f not in deleted and (f.instance.pk or f.has_changed())]
        if deleted and leaves_no_evidence(status=self.instance.status, remaining=len(kept)):
            raise ValidationError(
                "A published claim keeps at least one appearance: record another, or "
                "unpublish the claim, before deleting this one."
            )


class AppearanceInline(VersionCheckedAdminMixin, admin.TabularInline):
    model = Appearance
    formset = AppearanceFormSet
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


class RebuttalInline(PublishPermissionMixin, VersionCheckedAdminMixin, admin.StackedInline):
    model = Rebuttal
    fk_name = "claim"
    publish_permission = "claims.publish_rebuttal"
    extra = 0
    formfield_overrides = COMPACT_TEXT
    autocomplete_fields = ["speaker", "source", "rebutting_claim"]
    fields = ["speaker", "text", "relation", "source", "stated_on", "rebutting_claim", "status"]

    def get_queryset(self, request):
        # Each row's caption names its speaker and source (Rebuttal.__str__).
        return super().get_queryset(request).select_related("speaker", "source")


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
            # Created in a status other than draft: the workflow's rules for that move.
            obj.created_by = request.user
            claim_create(claim=obj, by=request.user)
            return
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
        if formset.model not in (Review, Rebuttal):
            return super().save_formset(request, form, formset, change)
        # Reviews and rebuttals edited in place: saved through their services, as on their
        # own pages (status moves checked, events enqueued, a review's correction recorded).
        by = request.user
        reviews = formset.model is Review
        forms_of = {id(inline.instance): inline for inline in formset.forms}
        for row in formset.save(commit=False):
            if row.pk is not None:
                (save_review if reviews else save_rebuttal)(row, by)
                if reviews:
                    record_correction(forms_of[id(row)], row, by)
            elif reviews:
                review_create(review=row, by=by)
            else:
                rebuttal_create(rebuttal=row, by=by)
        for row in formset.deleted_objects:
            if reviews:
                review_delete(review=row, by=by)
            else:
                row.delete()
        formset.save_m2m()

    def delete_model(self, request, obj):
        claim_delete(claim=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for claim in queryset.select_related("speaker"):
            claim_delete(claim=claim, by=request.user)

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
        def move(claim, status, by):
            return claim_set_status(claim=claim, status=status, by=by)

        move_and_report(self, request, queryset, status, move)

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

    def get_deleted_objects(self, objs, request):
        # The last appearance of a published claim is its evidence: the claim protects it.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = [*protected, *(str(a.claim) for a in objs if orphaned_by_deleting(a))]
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        appearance_delete(appearance=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for appearance in queryset:
            appearance_delete(appearance=appearance, by=request.user)

    def get_queryset(self, request):
        # Unpublished claims' appearances (and their claims' text) only to those who see them
        # in the API too.
        appearances = super().get_queryset(request)
        if sees_unpublished(request.user):
            return appearances
        return appearances.filter(claim__status=ClaimStatus.PUBLISHED)


@admin.register(Rebuttal)
class RebuttalAdmin(PublishPermissionMixin, VersionCheckedAdminMixin, SimpleHistoryAdmin):
    list_display = ["speaker", "relation", "claim", "source", "stated_on", "status"]
    list_filter = ["relation", "status"]
    list_select_related = ["speaker", "claim", "source"]
    search_fields = ["text", "speaker__name", "claim__text"]
    autocomplete_fields = ["claim", "speaker", "source", "rebutting_claim"]
    actions = ["send_to_review", "publish", "unpublish"]
    publish_permission = "claims.publish_rebuttal"

    def save_model(self, request, obj, form, change):
        if not change:
            rebuttal_create(rebuttal=obj, by=request.user)
        else:
            save_rebuttal(obj, request.user)

    def _move(self, request, queryset, status: RebuttalStatus):
        def move(rebuttal, status, by):
            return rebuttal_set_status(rebuttal=rebuttal, status=status, by=by)

        move_and_report(self, request, queryset, status, move)

    @admin.action(description="Send selected drafts to review", permissions=["change"])
    def send_to_review(self, request, queryset):
        self._move(request, queryset.filter(status=RebuttalStatus.DRAFT), RebuttalStatus.IN_REVIEW)

    @admin.action(description="Publish selected rebuttals", permissions=["publish"])
    def publish(self, request, queryset):
        self._move(request, queryset, RebuttalStatus.PUBLISHED)

    @admin.action(
        description="Unpublish selected rebuttals (back to draft)", permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        self._move(request, queryset, RebuttalStatus.DRAFT)

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
            review_create(review=obj, by=request.user)
        else:
            save_review(obj, request.user)
            record_correction(form, obj, request.user)

    def delete_model(self, request, obj):
        review_delete(review=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for review in queryset:
            review_delete(review=review, by=request.user)

    def _move(self, request, queryset, status: ReviewStatus):
        def move(review, status, by):
            return review_set_status(review=review, status=status, by=by)

        move_and_report(self, request, queryset, status, move)

    @admin.action(description="Publish selected reviews", permissions=["publish"])
    def publish(self, request, queryset):
        self._move(request, queryset, ReviewStatus.PUBLISHED)

    @admin.action(description="Unpublish selected reviews (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._move(request, queryset, ReviewStatus.DRAFT)

"""The editor's side of ingestion: "Add from article" (a URL, pasted HTML or text) and one page
per ingested article, listing its proposals, where each is edited and accepted, merged into a
claim on file, or rejected. Every decision goes through ingest.services, as the API's do."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from api.concurrency import VersionCheckedForm
from claims.models import Claim

from .enums import ProposalState
from .models import Article, Proposal
from .serializers import IngestSerializer
from .services import (
    EDITABLE,
    INGEST_PERMISSION,
    IngestError,
    article_ingest,
    proposal_accept,
    proposal_edit,
    proposal_merge,
    proposal_reject,
)


class AddFromArticleForm(forms.Form):
    url = forms.CharField(
        label="URL",
        max_length=1000,
        required=False,
        help_text="Fetched when no HTML or text is pasted below; else the article's address.",
    )
    html = forms.CharField(
        label="HTML", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    text = forms.CharField(
        label="Plain text", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    title = forms.CharField(max_length=500, required=False)
    outlet = forms.CharField(max_length=200, required=False, help_text="e.g. Reuters")
    published_on = forms.DateField(required=False, help_text="YYYY-MM-DD")

    def clean(self):
        # The API's rules, written once: the serializer judges the same fields.
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if "published_on" in data:
            data["published_on"] = data["published_on"].isoformat()
        serializer = IngestSerializer(data=data)
        if not serializer.is_valid():
            for name, errors in serializer.errors.items():
                self.add_error(name if name in self.fields else None, errors)
            return self.cleaned_data
        self.ingest_kwargs = dict(serializer.validated_data)
        return self.cleaned_data


DECISIONS = [
    ("", "—"),
    ("accept", "Accept"),
    ("merge", "Merge into claim"),
    ("reject", "Reject"),
]


class ProposalForm(VersionCheckedForm):
    """A proposal's edits and decision; the version it was shown at travels with it, so an
    edit or a decision made meanwhile (over the API, in another tab) is not overwritten."""

    decision = forms.ChoiceField(choices=DECISIONS, required=False)
    merge_into = forms.IntegerField(
        label="claim id", required=False, min_value=1, help_text="For “Merge into claim”."
    )

    class Meta:
        model = Proposal
        fields = [*EDITABLE, "decision", "merge_into"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3, "cols": 40}),
            "quote": forms.Textarea(attrs={"rows": 3, "cols": 40}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        proposal = self.instance
        if "answers" in self.fields:
            others = Proposal.objects.filter(article_id=proposal.article_id)
            self.fields["answers"].queryset = others.exclude(pk=proposal.pk)
        if proposal.pk and proposal.state != ProposalState.PENDING:
            for field in self.fields.values():
                field.disabled = True

    def clean(self):
        data = super().clean()
        if data.get("decision") == "merge" and not data.get("merge_into"):
            self.add_error("merge_into", "Give the id of the claim to merge into.")
        return data


class MayAddClaimsMixin:
    """Whoever may add claims works with ingested articles; only superusers delete them."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(INGEST_PERMISSION)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(INGEST_PERMISSION)

    def has_add_permission(self, request, *args):
        return request.user.has_perm(INGEST_PERMISSION)


class ProposalInline(MayAddClaimsMixin, admin.StackedInline):
    model = Proposal
    form = ProposalForm
    extra = 0
    max_num = 0
    can_delete = False
    autocomplete_fields = ["speaker"]
    readonly_fields = ["state", "kind", "confidence", "matches_found", "outcome"]
    fieldsets = [
        (None, {"fields": [("state", "kind", "confidence"), "quote", "text"]}),
        ("Speaker", {"fields": ["speaker", ("speaker_name", "speaker_job_title", "speaker_kind")]}),
        (None, {"fields": ["stated_on", ("answers", "relation"), "matches_found"]}),
        ("Decision", {"fields": [("decision", "merge_into"), "outcome", "seen_version"]}),
    ]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker", "claim")

    @admin.display(description="likely matches")
    def matches_found(self, proposal):
        rows = list(proposal.match_rows.all())
        if not rows:
            return "—"
        return format_html(
            ", ".join(["#{} ({:.2f})"] * len(rows)),
            *[value for row in rows for value in (row.claim_id, row.score)],
        )

    @admin.display(description="created")
    def outcome(self, proposal):
        if proposal.claim_id is None:
            return "—"
        url = reverse("admin:claims_claim_change", args=[proposal.claim_id])
        return format_html('<a href="{}">{}</a>', url, proposal.claim)


@admin.register(Article)
class ArticleAdmin(MayAddClaimsMixin, admin.ModelAdmin):
    list_display = ["__str__", "source", "language", "created_by", "created_at", "pending"]
    list_select_related = ["source", "created_by"]
    search_fields = ["title", "url", "source__title"]
    readonly_fields = ["source_link", "url", "language", "created_by", "created_at", "text"]
    fields = readonly_fields
    inlines = [ProposalInline]
    change_list_template = "admin/ingest/article/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description="pending proposals", ordering="pending_count")
    def pending(self, article):
        return f"{article.pending_count} of {article.proposal_count}"

    @admin.display(description="source")
    def source_link(self, article):
        url = reverse("admin:sources_source_change", args=[article.source_id])
        return format_html('<a href="{}">{}</a>', url, article.source)

    def add_view(self, request, form_url="", extra_context=None):
        """ "Add from article": ingest a report, then open its page."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AddFromArticleForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                ingested = article_ingest(by=request.user, **form.ingest_kwargs)
            except IngestError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                article = ingested.article
                if ingested.created:
                    count = article.proposals.count()
                    messages.success(request, f"Ingested: {count} statement(s) proposed.")
                else:
                    messages.info(request, "This article was ingested before: nothing new.")
                url = reverse("admin:ingest_article_change", args=[article.pk])
                return HttpResponseRedirect(url)
        context = {
            **self.admin_site.each_context(request),
            "title": "Add from article",
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/ingest/article/add_from_article.html", context)

    def save_model(self, request, obj, form, change):
        pass  # an article's own fields are read-only; its proposals are decided below

    def save_formset(self, request, form, formset, change):
        """Each proposal's edits and decision through the services, one by one: one that
        cannot stand is reported and changes nothing, the others go through."""
        # What the admin's change message reads from a saved formset.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for proposal_form in formset.forms:
            proposal = proposal_form.instance
            if proposal.state != ProposalState.PENDING:
                continue
            data = proposal_form.cleaned_data
            changes = {name: data[name] for name in proposal_form.changed_data if name in EDITABLE}
            decision = data.get("decision")
            try:
                with transaction.atomic():  # an edit and the decision after it, or neither
                    self._decide(request, proposal, changes, decision, data.get("merge_into"))
            except (ValidationError, PermissionDenied) as error:
                text = "; ".join(_messages(error))
                messages.error(request, f"Proposal {proposal.position} ({proposal}): {text}")

    @staticmethod
    def _decide(request, proposal, changes, decision, claim_id):
        by = request.user
        if decision == "accept":
            proposal_accept(proposal=proposal, by=by, changes=changes)
            return
        if changes:
            proposal = proposal_edit(proposal=proposal, changes=changes, by=by)
        if decision == "reject":
            proposal_reject(proposal=proposal, by=by)
        elif decision == "merge":
            claim = Claim.objects.visible_to(by).filter(pk=claim_id).first()
            if claim is None:
                raise ValidationError({"merge_into": f"There is no claim #{claim_id}."})
            proposal_merge(proposal=proposal, claim=claim, by=by)


def _messages(error) -> list[str]:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return [f"{name}: {' '.join(m)}" for name, m in error.message_dict.items()]
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error)]

"""The admin's pieces for the desk: who works on a claim ("My claims"), internal notes, and
the correction note a change of a published claim or review may carry (required for a change
of a published review's rating). The rules are claims.assignments', claims.notes' and
claims.corrections'; these only put them on the admin's pages."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models

from api.concurrency import VersionCheckedForm

from .corrections import MAX_LENGTH, NEW_RECORD, WRITE_HELP, check_correction, correction_add
from .models import ClaimNote
from .notes import may_read_notes, may_write_notes, note_add

MINE, UNASSIGNED = "me", "none"


class AssigneeFilter(admin.SimpleListFilter):
    """The API's `assignee=me` ("My claims"), and "Unassigned"."""

    title = "assignee"
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        return [(MINE, "My claims"), (UNASSIGNED, "Unassigned")]

    def queryset(self, request, queryset):
        if self.value() == MINE:
            return queryset.filter(assignee=request.user.pk)
        if self.value() == UNASSIGNED:
            return queryset.filter(assignee__isnull=True)
        return queryset


class CorrectableForm(VersionCheckedForm):
    """A claim's or a review's form with its correction note, checked as the API checks it."""

    correction = forms.CharField(
        label="Correction note",
        required=False,
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=WRITE_HELP.replace("`", ""),
    )
    watches_rating = False

    def clean(self):
        cleaned = super().clean()
        note = cleaned.get("correction")
        rating_changed = self.watches_rating and "rating" in self.changed_data
        if self.instance.pk and (note or rating_changed):
            check_correction(record=self.instance, correction=note, rating_changed=rating_changed)
        elif note:
            self.add_error("correction", NEW_RECORD)
        return cleaned


class ReviewForm(CorrectableForm):
    watches_rating = True


def record_correction(form, record, by) -> None:
    """The note the saved form carries, if any (claims.corrections.correction_add)."""
    note = form.cleaned_data.get("correction")
    if note:
        correction_add(record=record, text=note, by=by)


class ClaimNoteInline(admin.TabularInline):
    """Notes are a log: added, never edited; shown to staff who see claims (may_read_notes),
    added by those who may change claims (may_write_notes); deleted by superusers only."""

    model = ClaimNote
    extra = 1
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    verbose_name = "internal note (staff only)"
    verbose_name_plural = "internal notes (staff only, never published)"

    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 80})}
    }

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_view_permission(self, request, obj=None):
        return may_read_notes(request.user)

    def has_add_permission(self, request, obj=None):
        return may_write_notes(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


def save_notes(formset, claim, by) -> None:
    """The inline's new notes, through claims.notes.note_add; deletions (superusers)."""
    # The saved rows replace the form's: the admin's change message names them.
    new = formset.save(commit=False)
    formset.new_objects = [note_add(claim=claim, text=note.text, by=by) for note in new]
    for note in formset.deleted_objects:
        note.delete()

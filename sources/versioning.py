"""Optimistic concurrency for tracked rows: a `version` counter, and the admin form check.

Every tracked model counts its saves in `version`. API clients send it back as an
ETag in `If-Match`; admin forms carry it in a hidden field. A write whose version is
no longer the row's current one is refused instead of silently overwriting.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

CHANGED_ELSEWHERE = (
    "This record was changed by someone else since you opened it. Your changes were not "
    "saved: reload the page to see the current version, then make your edit again."
)


class Versioned(models.Model):
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Counts the row's saves; the ETag is built on it."
    )

    class Meta:
        abstract = True


class VersionCheckedForm(forms.ModelForm):
    """An admin form that refuses to save over a newer version of its row.

    The version the editor opened travels in a hidden field; on a changed form, the
    row is locked and its current version compared before anything is saved.
    """

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Set when the form edits an old version (a history revert): the row's current version,
    # which is what the editor is about to replace.
    current_version = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.current_version or self.instance.version

    def clean(self):
        cleaned = super().clean()
        reverting = self.current_version is not None
        if self.instance.pk and (self.has_changed() or reverting):
            manager = type(self.instance)._default_manager
            current = (
                manager.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is None or current != cleaned.get("seen_version"):
                raise ValidationError(CHANGED_ELSEWHERE, code="stale")
            self.instance.version = current + 1
        return cleaned


class VersionCheckedAdminMixin:
    """For ModelAdmins and inlines: use VersionCheckedForm and render its hidden field."""

    form = VersionCheckedForm

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.reverting_to_old_version = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and getattr(request, "reverting_to_old_version", False):
            manager = type(obj)._default_manager
            current = manager.filter(pk=obj.pk).values_list("version", flat=True).first()
            form = type(form.__name__, (form,), {"current_version": current})
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if any("seen_version" in flatten(opts["fields"]) for _, opts in fieldsets):
            return fieldsets
        name, opts = fieldsets[0]
        return [(name, {**opts, "fields": [*opts["fields"], "seen_version"]}), *fieldsets[1:]]


def flatten(fields):
    for field in fields:
        if isinstance(field, (list, tuple)):
            yield from field
        else:
            yield field

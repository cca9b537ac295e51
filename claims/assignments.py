"""Assignments: which editor works on a claim. Staff only: the assignee is in the answers of
clients who see unpublished records, never in an anonymous answer, export or feed.

Who may be assigned is one rule (`assignable_users`), asked by the API, the admin's form and
the editor's home page alike.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from rest_framework import serializers


def assignable_users():
    """Active staff accounts that may change claims (the permission through the account, one
    of its groups, or superuser status), by username."""
    change_claim = {"content_type__app_label": "claims", "codename": "change_claim"}
    may_change = (
        Q(is_superuser=True)
        | Q(**{f"user_permissions__{key}": value for key, value in change_claim.items()})
        | Q(**{f"groups__permissions__{key}": value for key, value in change_claim.items()})
    )
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    return users.filter(pk__in=users.filter(may_change).values("pk")).order_by("username")


class AssigneeField(serializers.SlugRelatedField):
    """An editor, by username: any account on read; on write, one of `assignable_users()`."""

    staff_only = True  # api.schema: not required in answers, which leave it out for others
    default_error_messages = {
        "does_not_exist": "No account is named {value}.",
        "not_assignable": (
            "{value} cannot be assigned claims: only an active staff account that may change "
            "claims can."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            "Username of the editor working on the claim, or null. Only in the answers of "
            "clients who see unpublished claims; never shown to anonymous clients.",
        )
        if not kwargs.get("read_only"):
            kwargs["queryset"] = get_user_model().objects.all()
        super().__init__(slug_field="username", **kwargs)

    def to_internal_value(self, data):
        user = super().to_internal_value(data)
        current = getattr(self.parent.instance, "assignee_id", None)
        if user.pk == current:  # sent back as read: kept, even if no longer assignable
            return user
        if not assignable_users().filter(pk=user.pk).exists():
            self.fail("not_assignable", value=user.get_username())
        return user


class StaffOnlyFieldsMixin:
    """For read serializers: leaves out the fields marked `staff_only` when the context says
    the client does not see unpublished records (`unpublished`: False), as the documents do
    (claims/documents.py). Without that key (the OpenAPI schema) every field is described."""

    def get_fields(self):
        fields = super().get_fields()
        if self.context.get("unpublished", True) is False:
            fields = {k: f for k, f in fields.items() if not getattr(f, "staff_only", False)}
        return fields

"""Internal notes: what editors tell each other about a claim. Staff only: never in an
anonymous answer, the claim's document, an export, a feed, a webhook or any edit history
(notes keep none; the claim's history does not list them).

Read and written at `/api/v1/claims/{id}/notes/` and in the claim's admin page.
"""

from __future__ import annotations

from django.db import transaction
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, BasePermission

from api.serializers import StrictModelSerializer

from .models import Claim, ClaimNote
from .querysets import sees_unpublished


def may_read_notes(user) -> bool:
    """Staff accounts that see unpublished claims."""
    return bool(user and user.is_authenticated and user.is_staff and sees_unpublished(user))


def may_write_notes(user) -> bool:
    """Staff accounts that may change claims."""
    return may_read_notes(user) and user.has_perm("claims.change_claim")


class StaffNotesPermission(BasePermission):
    """Reading notes: `may_read_notes`; adding one: `may_write_notes`. Anonymous clients get
    401, other accounts 403."""

    message = "Internal notes are for staff accounts that may see (or, to add one, change) claims."

    def has_permission(self, request, view):
        check = may_read_notes if request.method in SAFE_METHODS else may_write_notes
        return check(request.user)


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ClaimNote
        fields = ["id", "author", "created_at", "text"]


class NoteWriteSerializer(StrictModelSerializer):
    class Meta:
        model = ClaimNote
        fields = ["text"]


def notes_of(claim: Claim):
    """The claim's notes, newest first, with their authors: one query."""
    return claim.notes.select_related("author")


@transaction.atomic
def note_add(*, claim: Claim, text: str, by) -> ClaimNote:
    """Add the internal note `text` to `claim`, written by `by`.

    Effects: one ClaimNote row. The claim itself is not changed (no new version, no ETag
    change, nothing in its history or any public answer)."""
    return ClaimNote.objects.create(claim=claim, text=text, author=by)

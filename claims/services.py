"""Writes that change a state or touch several rows. The admin and the API both call these."""

from collections.abc import Iterable

from django.db import transaction

from .enums import ClaimStatus
from .models import Claim


@transaction.atomic
def claim_set_status(*, claims: Iterable[Claim], status: ClaimStatus) -> int:
    """Move claims to `status` (draft, in_review, published).

    Effects: each claim that is not already in that state is saved, one by one so the
    edit history records each, with the new status, a fresh `updated_at` and its
    `version` bumped. Returns how many claims changed.
    """
    changed = 0
    for claim in claims:
        if claim.status != status:
            claim.status = status
            claim.version += 1
            claim.save(update_fields=["status", "updated_at", "version"])
            changed += 1
    return changed

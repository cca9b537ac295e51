"""Writes that change a state or touch several rows. The API and the admin both call these.

Each is atomic (a savepoint inside the caller's transaction, so a refusal undoes the service's
work and nothing else) and expects the rows it is given to have been read under their lock:
the API's write path (api.concurrency.VersionedMixin) and the admin's forms
(VersionCheckedForm) lock and read a row before changing it; the admin's list actions lock
the selected rows.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from api.concurrency import bump_version
from newsroom import events

from .enums import ClaimStatus, ReviewStatus
from .models import Appearance, Claim, Review

# Who may move a record between two states. Every move needs the change permission; a move
# into or out of "published" (what anonymous clients see) needs the publish permission too.
PUBLISHED = "published"
PUBLISH_PERMISSIONS = {Claim: "claims.publish_claim", Review: "claims.publish_review"}
CHANGE_PERMISSIONS = {Claim: "claims.change_claim", Review: "claims.change_review"}


def check_status_move(*, model: type[Claim | Review], current: str, status: str, by) -> None:
    """Raise PermissionDenied unless `by` may take a `model` row from `current` to `status`
    as far as publication goes (also asked of a create, `current` being the default state)."""
    moves_publication = status != current and PUBLISHED in (current, status)
    if moves_publication and not by.has_perm(PUBLISH_PERMISSIONS[model]):
        name = model._meta.verbose_name
        raise PermissionDenied(f"Publishing or unpublishing a {name} needs the publish permission.")


def _set_status(record: Claim | Review, labels, status: str, by) -> bool:
    current = record.status
    if status == current:
        return False
    model = type(record)
    if not by.has_perm(CHANGE_PERMISSIONS[model]):
        name = model._meta.verbose_name
        raise PermissionDenied(f"Changing the status of a {name} needs the change permission.")
    check_status_move(model=model, current=current, status=status, by=by)
    record.status = status
    bump_version(record)
    # The reason django-simple-history records with this version.
    record._change_reason = f"Moved from {labels(current).label} to {labels(status).label}."
    record.save()
    return True


@transaction.atomic
def claim_set_status(*, claim: Claim, status: ClaimStatus, by) -> bool:
    """Move `claim` to `status` (draft, in_review, published) on behalf of the user `by`.

    Effects: PermissionDenied, and nothing saved, unless `by` may make the move (the change
    permission; the publish permission for a move into or out of published). Otherwise the
    claim is saved whole — other edits made to the instance go into the same version — with
    the new status, a fresh `updated_at`, its `version` bumped and the reason in its edit
    history ("Moved from Draft to Published."). Returns False, saving nothing, when the
    claim is already in that state. A move into or out of published enqueues the webhook
    event `claim.published` or `claim.unpublished` in the same transaction (newsroom.events).
    """
    before = claim.status
    moved = _set_status(claim, ClaimStatus, status, by)
    if moved:
        events.claim_status_changed(claim=claim, before=before)
    return moved


@transaction.atomic
def review_set_status(*, review: Review, status: ReviewStatus, by) -> bool:
    """Move `review` to `status` (draft, published) on behalf of the user `by`.

    Effects: as claim_set_status, with the review permissions (`claims.publish_review` to
    publish or unpublish); the database recomputes its claim's verdict. Publishing a review of
    a published claim enqueues `review.published`, and a changed verdict of a published claim
    `claim.verdict_changed` (newsroom.events).
    """
    with events.watch_verdicts(review.claim_id):
        moved = _set_status(review, ReviewStatus, status, by)
        if moved:
            events.review_status_changed(review=review)
    return moved


def lock_claims(*claim_ids: int | None) -> None:
    """Lock these claims' rows, always in id order, so that two writers touching the same
    claims (a review moved from A to B while another moves from B to A) queue instead of
    deadlocking."""
    ids = sorted({pk for pk in claim_ids if pk is not None})
    if ids:
        rows = Claim.objects.filter(pk__in=ids).order_by("pk").select_for_update(no_key=True)
        list(rows.values_list("pk", flat=True))


@transaction.atomic
def review_save(*, review: Review, changes: dict, by) -> Review:
    """Apply `changes` (field name → value, as validated by the API or the admin) to `review`
    and save it as its next version.

    Effects: when `claim` changes (the review moves to another claim), both claims' rows are
    locked first, in id order; a change of `status` goes through review_set_status (publish
    permission, reason in history); the review is saved once, its `version` bumped; the
    database recomputes the verdict of the claim it left and of the claim it joined (a changed
    verdict of a published claim enqueues `claim.verdict_changed`).
    """
    status = changes.pop("status", review.status)
    claim_ids = (review.claim_id, changes["claim"].pk if "claim" in changes else None)
    if "claim" in changes and changes["claim"].pk != review.claim_id:
        lock_claims(*claim_ids)
    with events.watch_verdicts(*claim_ids):
        for name, value in changes.items():
            setattr(review, name, value)
        if not review_set_status(review=review, status=status, by=by):
            bump_version(review)
            review.save()
    return review


@transaction.atomic
def claim_save(*, claim: Claim, changes: dict, by) -> Claim:
    """Apply `changes` (field name → value, topics included) to `claim` and save it as its
    next version.

    Effects: a change of `status` goes through claim_set_status (permissions, reason in
    history); the claim is saved once, its `version` bumped; its topics replaced when given.
    """
    status = changes.pop("status", claim.status)
    topics = changes.pop("topics", None)
    for name, value in changes.items():
        setattr(claim, name, value)
    if not claim_set_status(claim=claim, status=status, by=by):
        bump_version(claim)
        claim.save()
    if topics is not None:
        claim.topics.set(topics)
    return claim


@transaction.atomic
def appearance_create(*, claim: Claim, source, quote: str = "", is_first: bool = False):
    """Record that `claim` appears in `source`, in the verbatim words `quote`.

    Effects: locks the claim's row, so that concurrent additions to one claim are checked
    one after another; ValidationError, and nothing written, if the claim already appears in
    that source, or `is_first` is asked when the claim already has a first appearance;
    otherwise creates the appearance (its edit history records it).
    """
    lock_claims(claim.pk)
    appearances = Appearance.objects.filter(claim=claim)
    if appearances.filter(source=source).exists():
        raise ValidationError({"source": "This claim already has an appearance in that source."})
    if is_first and appearances.filter(is_first=True).exists():
        raise ValidationError({"is_first": "This claim already has a first appearance."})
    return Appearance.objects.create(claim=claim, source=source, quote=quote, is_first=is_first)

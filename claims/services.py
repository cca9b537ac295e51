"""Writes that change a state or touch several rows. The API and the admin both call these.

Each is atomic (a savepoint inside the caller's transaction, so a refusal undoes the service's
work and nothing else) and expects the rows it is given to have been read under their lock:
the API's write path (api.concurrency.VersionedMixin) and the admin's forms
(VersionCheckedForm) lock and read a row before changing it; the admin's list actions lock
the selected rows.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from api.concurrency import bump_version
from newsroom import events

from .enums import ClaimStatus, RebuttalStatus, ReviewStatus
from .models import Appearance, Claim, Rebuttal, Review
from .workflow import check_move


def _set_status(record: Claim | Rebuttal | Review, labels, status: str, by) -> bool:
    current = record.status
    if status == current:
        return False
    check_move(model=type(record), current=current, status=status, by=by)
    record.status = status
    bump_version(record)
    # The reason django-simple-history records with this version.
    record._change_reason = f"Moved from {labels(current).label} to {labels(status).label}."
    record.save()
    return True


@transaction.atomic
def claim_set_status(*, claim: Claim, status: ClaimStatus, by) -> bool:
    """Move `claim` to `status` (draft, in_review, published) on behalf of the user `by`.

    Effects: ValidationError for a move the workflow lacks, PermissionDenied unless `by` may
    make it (claims.workflow: the change permission; the publish permission for a move into or
    out of published; straight from draft to published, the permission to publish unreviewed
    claims too), and nothing saved. Otherwise the
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


@transaction.atomic
def rebuttal_set_status(*, rebuttal: Rebuttal, status: RebuttalStatus, by) -> bool:
    """Move `rebuttal` to `status` (draft, in_review, published) on behalf of the user `by`.

    Effects: as claim_set_status, with the rebuttal permissions (`claims.publish_rebuttal` to
    publish or unpublish); no webhook event (events are about claims and reviews).
    """
    return _set_status(rebuttal, RebuttalStatus, status, by)


@transaction.atomic
def claim_create(*, claim: Claim, topics=None, by) -> Claim:
    """Save the new `claim` (built by the API or the admin) in its status, with `topics`.

    Effects: ValidationError or PermissionDenied, and nothing saved, unless `by` may create a
    claim in that status (claims.workflow: a claim created published moves straight from
    draft, so it needs the permission to publish unreviewed claims); otherwise saves it
    (its edit history records it) and, created published, enqueues `claim.published`.
    """
    check_move(model=Claim, current=ClaimStatus.DRAFT, status=claim.status, by=by, creating=True)
    claim.save()
    if topics is not None:
        claim.topics.set(topics)
    events.claim_status_changed(claim=claim, before=ClaimStatus.DRAFT)
    return claim


@transaction.atomic
def claim_delete(*, claim: Claim, by) -> None:
    """Delete `claim`, with its appearances, rebuttals and reviews.

    Effects: a published claim leaving enqueues `claim.unpublished` (its payload read before
    the row goes), in the same transaction as the delete.
    """
    if claim.status == ClaimStatus.PUBLISHED:
        events.emit(event=events.Event.CLAIM_UNPUBLISHED, claim=claim)
    claim.delete()


@transaction.atomic
def review_create(*, review: Review, by) -> Review:
    """Save the new `review` in its status.

    Effects: ValidationError or PermissionDenied, and nothing saved, unless `by` may create a
    review in that status (a published one needs `claims.publish_review`); otherwise saves
    it; the database recomputes its claim's verdict. Created published on a published claim,
    it enqueues `review.published`, and `claim.verdict_changed` when the verdict changed.
    """
    check_move(model=Review, current=ReviewStatus.DRAFT, status=review.status, by=by, creating=True)
    with events.watch_verdicts(review.claim_id):
        review.save()
        events.review_status_changed(review=review)
    return review


@transaction.atomic
def review_delete(*, review: Review, by) -> None:
    """Delete `review`. Effects: the database recomputes its claim's verdict; a published
    claim whose verdict that changes enqueues `claim.verdict_changed`."""
    with events.watch_verdicts(review.claim_id):
        review.delete()


@transaction.atomic
def rebuttal_create(*, rebuttal: Rebuttal, by) -> Rebuttal:
    """Save the new `rebuttal` in its status. Effects: ValidationError or PermissionDenied, and
    nothing saved, unless `by` may create a rebuttal in that status (a published one needs
    `claims.publish_rebuttal`); otherwise saves it (its edit history records it)."""
    check_move(
        model=Rebuttal, current=RebuttalStatus.DRAFT, status=rebuttal.status, by=by, creating=True
    )
    rebuttal.save()
    return rebuttal


@transaction.atomic
def rebuttal_save(*, rebuttal: Rebuttal, changes: dict, by) -> Rebuttal:
    """Apply `changes` (field name → value) to `rebuttal` and save it as its next version.

    Effects: a change of `status` goes through rebuttal_set_status (permissions, reason in
    history); the rebuttal is saved once, its `version` bumped.
    """
    status = changes.pop("status", rebuttal.status)
    for name, value in changes.items():
        setattr(rebuttal, name, value)
    if not rebuttal_set_status(rebuttal=rebuttal, status=status, by=by):
        bump_version(rebuttal)
        rebuttal.save()
    return rebuttal


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
    check_appearance(Appearance.objects.filter(claim=claim), source=source, is_first=is_first)
    return Appearance.objects.create(claim=claim, source=source, quote=quote, is_first=is_first)


def check_appearance(others, *, source, is_first: bool) -> None:
    """ValidationError if the claim's `others` appearances already hold `source`, or a first
    one when `is_first` is asked (the claim's row locked by the caller)."""
    if others.filter(source=source).exists():
        raise ValidationError({"source": "This claim already has an appearance in that source."})
    if is_first and others.filter(is_first=True).exists():
        raise ValidationError({"is_first": "This claim already has a first appearance."})


@transaction.atomic
def appearance_save(*, appearance: Appearance, changes: dict, by) -> Appearance:
    """Apply `changes` (source, quote, is_first) to `appearance` and save it as its next
    version.

    Effects: locks its claim's row, so that changes to one claim's appearances are checked
    one after another; ValidationError, and nothing written, if the claim already appears in
    the new source, or `is_first` is asked when another appearance is the first; otherwise
    saves it, its `version` bumped (its edit history records the change).
    """
    lock_claims(appearance.claim_id)
    others = Appearance.objects.filter(claim_id=appearance.claim_id).exclude(pk=appearance.pk)
    check_appearance(
        others,
        source=changes.get("source", appearance.source),
        is_first=changes.get("is_first", appearance.is_first),
    )
    for name, value in changes.items():
        setattr(appearance, name, value)
    bump_version(appearance)
    appearance.save()
    return appearance


def leaves_no_evidence(*, status: str, remaining: int) -> bool:
    """Whether a claim in `status` left with `remaining` appearances lacks its evidence: a
    published claim keeps at least one (what was said, where, that its readers rely on)."""
    return status == ClaimStatus.PUBLISHED and remaining == 0


def orphaned_by_deleting(appearance: Appearance) -> bool:
    """Whether deleting `appearance` would leave its claim without its evidence."""
    others = Appearance.objects.filter(claim_id=appearance.claim_id).exclude(pk=appearance.pk)
    return leaves_no_evidence(status=appearance.claim.status, remaining=others.count())


@transaction.atomic
def appearance_delete(*, appearance: Appearance, by) -> None:
    """Delete `appearance`.

    Effects: locks its claim's row; ProtectedError (the API's 409), and nothing deleted, when
    it is the last appearance of a published claim (orphaned_by_deleting: unpublish the
    claim, or record another appearance, first); otherwise deletes it (its edit history
    records the deletion).
    """
    lock_claims(appearance.claim_id)
    if orphaned_by_deleting(appearance):
        raise ProtectedError(
            "The last appearance of a published claim cannot be deleted.", {appearance.claim}
        )
    appearance.delete()

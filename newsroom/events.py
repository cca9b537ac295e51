"""Webhook events: what is said about a published record, and enqueuing it.

`emit()` is called inside the transaction that makes the change (claims.services calls it
through the hooks below): the deliveries and their tasks are rows written by that transaction,
so an event exists exactly when its change was committed, and a change rolled back leaves none.
Sending happens only in the worker (newsroom.tasks), never in the request.
"""

from __future__ import annotations

import contextvars
import uuid
from contextlib import contextmanager

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from claims.enums import ClaimStatus, ReviewStatus

from .enums import Event
from .models import Delivery, Subscription

PUBLISHED = ClaimStatus.PUBLISHED


def claim_data(claim) -> dict:
    """The public facts of a published claim, as an event carries them (never internal
    fields; the claim's API answer has the rest, at `api_url`)."""
    return {
        "id": claim.pk,
        "api_url": reverse("claim-detail", args=[claim.pk]),
        "text": claim.text,
        "speaker": {"slug": claim.speaker.slug, "name": claim.speaker.name},
        "stated_on": claim.stated_on.isoformat() if claim.stated_on else None,
        "language": claim.language,
        "status": claim.status,
        "verdict": claim.verdict,
    }


def review_data(review) -> dict:
    return {
        "id": review.pk,
        "api_url": reverse("review-detail", args=[review.pk]),
        "reviewer": {"slug": review.reviewer.slug, "name": review.reviewer.name},
        "rating": review.rating,
        "textual_rating": review.textual_rating,
        "url": review.url,
        "published_on": review.published_on.isoformat() if review.published_on else None,
    }


def emit(*, event: Event | str, claim, review=None, extra: dict | None = None) -> uuid.UUID | None:
    """Enqueue `event` about `claim` (and `review`) for every active subscription that asked
    for it, in the caller's transaction; returns the event's id, or None when nobody listens
    or the claim is not public.

    Effects: one Delivery row and one task row per subscription. A claim that is not
    published produces nothing, except `claim.unpublished` (which says it left). `extra` is
    merged into the payload's `data` (e.g. a correction note for `claim.corrected`).
    """
    event = Event(event)
    if claim.status != PUBLISHED and event != Event.CLAIM_UNPUBLISHED:
        return None
    if review is not None and review.status != ReviewStatus.PUBLISHED:
        return None
    subscriptions = [s for s in _active_subscriptions() if s.wants(event)]
    if not subscriptions:
        return None
    from .tasks import deliver  # the task module imports the delivery services

    event_id = uuid.uuid4()
    data = {"claim": claim_data(claim)}
    if review is not None:
        data["review"] = review_data(review)
    data.update(extra or {})
    payload = {
        "id": str(event_id),
        "event": event.value,
        "occurred_at": timezone.now().isoformat(),
        "data": data,
    }
    with transaction.atomic():
        deliveries = Delivery.objects.bulk_create(
            Delivery(subscription=s, event_id=event_id, event=event, payload=payload)
            for s in subscriptions
        )
        for delivery in deliveries:
            deliver.enqueue(delivery.pk)
    return event_id


_read_once: contextvars.ContextVar[list | None] = contextvars.ContextVar("read_once", default=None)


def _active_subscriptions() -> list[Subscription]:
    held = _read_once.get()
    if held is not None:
        return held
    return list(Subscription.objects.filter(active=True))


@contextmanager
def subscriptions_read_once():
    """Within this block, emit() reads the active subscriptions once, at its start, instead of
    at every event: for a write of many rows in one transaction (a ClaimReview import), where
    an event costs nothing when nobody listens. watch_verdicts() then skips its reads when
    nobody listens to `claim.verdict_changed`. Outside such a block nothing changes."""
    token = _read_once.set(list(Subscription.objects.filter(active=True)))
    try:
        yield
    finally:
        _read_once.reset(token)


def _nobody_listens(event: Event) -> bool:
    """Known without a query: inside subscriptions_read_once(), no subscription wants `event`."""
    held = _read_once.get()
    return held is not None and not any(s.wants(event) for s in held)


# --- hooks for claims.services ---------------------------------------------------------------


def claim_status_changed(*, claim, before: str) -> None:
    """A claim moved from `before` to its current status."""
    if claim.status == PUBLISHED:
        emit(event=Event.CLAIM_PUBLISHED, claim=claim)
    elif before == PUBLISHED:
        emit(event=Event.CLAIM_UNPUBLISHED, claim=claim)


def review_status_changed(*, review) -> None:
    """A review changed status; its publication is news only on a published claim."""
    if review.status == ReviewStatus.PUBLISHED:
        emit(event=Event.REVIEW_PUBLISHED, claim=review.claim, review=review)


_watched: contextvars.ContextVar[dict | None] = contextvars.ContextVar("watched", default=None)


# Ids per query: an import may watch thousands of claims (SQLite limits a query's parameters).
CHUNK = 500


def _chunks(ids) -> list[list[int]]:
    ids = sorted(ids)
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


def _verdicts(claim_ids) -> dict[int, str | None]:
    from claims.models import Claim

    rows = Claim.objects.values_list("pk", "verdict")
    return {pk: verdict for part in _chunks(claim_ids) for pk, verdict in rows.filter(pk__in=part)}


@contextmanager
def watch_verdicts(*claim_ids: int | None):
    """Emit `claim.verdict_changed` for each of these claims (published ones) whose verdict,
    kept by the database's triggers, differs at the end of the block from its start.

    Nested blocks (review_save calling review_set_status) join the outermost one, so a change
    is told once."""
    if _nobody_listens(Event.CLAIM_VERDICT_CHANGED):
        yield
        return
    ids = {pk for pk in claim_ids if pk is not None}
    outer = _watched.get()
    if outer is not None:
        outer.update(_verdicts(ids - outer.keys()))
        yield
        return
    before = _verdicts(ids)
    token = _watched.set(before)
    try:
        yield
    finally:
        _watched.reset(token)
    after = _verdicts(before.keys())
    changed = [pk for pk, verdict in after.items() if before.get(pk) != verdict]
    if changed:
        from claims.models import Claim

        for part in _chunks(changed):
            for claim in Claim.objects.filter(pk__in=part).select_related("speaker"):
                previous = {"previous_verdict": before[claim.pk]}
                emit(event=Event.CLAIM_VERDICT_CHANGED, claim=claim, extra=previous)

"""Webhook writes: subscriptions' secrets and each delivery attempt.

A delivery always has exactly one task waiting for it until it is delivered or given up:
an attempt first commits its start together with the task of the next attempt (due when
this one's time is up), then sends, then records the outcome. A worker killed while sending
leaves that next task behind, so the event is sent again: at least once, never lost.
A next task that wakes before the delivery is due puts itself back until then.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import outbound
from .enums import DeliveryStatus
from .models import Delivery, Subscription, new_secret

FINAL = {DeliveryStatus.DELIVERED, DeliveryStatus.FAILED}
# Beyond the request's timeout, what recording an outcome may take before another attempt
# takes over from a worker presumed dead.
LEASE_MARGIN = 5


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: WEBHOOK_RETRY_DELAY after the first failure, doubling each time."""
    return timedelta(seconds=settings.WEBHOOK_RETRY_DELAY * 2 ** (attempts - 1))


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


@transaction.atomic
def subscription_rotate_secret(*, subscription: Subscription) -> str:
    """Give `subscription` a new secret; returns it (the only time it is shown)."""
    subscription.secret = new_secret()
    subscription.save(update_fields=["secret", "updated_at"])
    return subscription.secret


def _defer(delivery_id: int, when) -> None:
    from .tasks import deliver

    deliver.using(run_after=when).enqueue(delivery_id)


def delivery_attempt(*, delivery_id: int) -> str:
    """Make one attempt at `delivery_id` if it is due; returns what happened.

    Effects: (1) under the delivery's lock: nothing if it is final; given up ("failed") if its
    subscription was switched off; put back if not yet due; else `attempts` + 1, status
    "sending" and the next attempt's task enqueued, committed. (2) The signed POST, outside any
    transaction. (3) Under the locks of the delivery and its subscription: a 2xx marks it
    delivered and resets the subscription's failure count; anything else counts a failure
    (WEBHOOK_DISABLE_AFTER in a row switch the subscription off) and either schedules the retry
    (exponential backoff) or, after WEBHOOK_MAX_ATTEMPTS, gives up.
    """
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in FINAL:
            return "nothing to do"
        subscription = delivery.subscription
        if not subscription.active:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            delivery.last_error = "The subscription is switched off."
            delivery.save()
            return "subscription off"
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            _defer(delivery.pk, delivery.next_attempt_at)
            return "not due"
        delivery.attempts += 1
        delivery.status = DeliveryStatus.SENDING
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT + LEASE_MARGIN)
        delivery.save()
        _defer(delivery.pk, delivery.next_attempt_at)
        attempt = delivery.attempts

    body = body_of(delivery)
    headers = {
        outbound.SIGNATURE_HEADER: outbound.signature(subscription.secret, body),
        outbound.EVENT_HEADER: delivery.event,
        outbound.EVENT_ID_HEADER: str(delivery.event_id),
    }
    try:
        answer = outbound.post(
            subscription.target_url,
            body,
            headers,
            timeout=settings.WEBHOOK_TIMEOUT,
            allow_private=settings.WEBHOOKS_ALLOW_PRIVATE,
        )
        code, error = answer.status, ""
        if not 200 <= code < 300:
            error = f"The receiver answered {code}."
    except outbound.FetchError as failure:
        code, error = None, str(failure)
    return _record(delivery_id=delivery_id, attempt=attempt, code=code, error=error)


@transaction.atomic
def _record(*, delivery_id: int, attempt: int, code: int | None, error: str) -> str:
    delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
    if delivery is None or delivery.attempts != attempt or delivery.status != "sending":
        return "superseded"  # another attempt took over meanwhile
    subscription = Subscription.objects.select_for_update().get(pk=delivery.subscription_id)
    now = timezone.now()
    delivery.response_code = code
    delivery.last_error = error
    if not error:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        subscription.failure_count = 0
    else:
        subscription.failure_count += 1
        if subscription.active and subscription.failure_count >= settings.WEBHOOK_DISABLE_AFTER:
            subscription.active = False
            subscription.disabled_at = now
        if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
        else:
            # The task enqueued with this attempt runs then (or re-queues itself until then).
            delivery.status = DeliveryStatus.PENDING
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    delivery.save()
    subscription.save(update_fields=["failure_count", "active", "disabled_at", "updated_at"])
    return delivery.status

"""Delivering webhook events to a real receiver (a local HTTP server), through the task queue."""

import hashlib
import hmac
import json
import threading

import pytest
from django.urls import reverse

from claims.enums import ClaimStatus
from claims.services import claim_set_status
from newsroom.models import Delivery, Subscription
from tests.factories import ClaimFactory, SubscriptionFactory
from tests.newsroom.conftest import run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(receiver):
    return SubscriptionFactory(target_url=receiver.url, events=["claim.published"])


def publish(user):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    claim_set_status(claim=claim, status=ClaimStatus.PUBLISHED, by=user)
    return claim


def test_a_delivery_is_signed_and_carries_the_event_id(receiver, subscription, admin_user):
    claim = publish(admin_user)
    assert receiver.received == []  # nothing is sent by the write itself
    run_tasks()
    (request,) = receiver.received
    delivery = Delivery.objects.get()
    expected = hmac.new(subscription.secret.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Factcheck-Signature-256"] == f"sha256={expected}"
    assert hmac.compare_digest(request.headers["X-Factcheck-Signature-256"], f"sha256={expected}")
    assert request.headers["X-Factcheck-Event"] == "claim.published"
    assert request.headers["X-Factcheck-Event-Id"] == str(delivery.event_id)
    assert request.headers["Content-Type"] == "application/json"
    assert request.json() == delivery.payload
    assert request.json()["data"]["claim"]["id"] == claim.pk
    assert (delivery.status, delivery.attempts, delivery.response_code, delivery.last_error) == (
        "delivered",
        1,
        200,
        "",
    )


def test_a_wrong_secret_does_not_verify(receiver, subscription, admin_user):
    publish(admin_user)
    run_tasks()
    (request,) = receiver.received
    forged = hmac.new(b"another secret", request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Factcheck-Signature-256"] != f"sha256={forged}"


def test_retries_back_off_and_stop_at_the_limit(receiver, subscription, admin_user, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_RETRY_DELAY = 60
    receiver.status = 500
    publish(admin_user)
    run_tasks()
    assert len(receiver.received) == 3
    assert len({r.headers["X-Factcheck-Event-Id"] for r in receiver.received}) == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code, delivery.last_error) == (
        "failed",
        3,
        500,
        "The receiver answered 500.",
    )
    subscription.refresh_from_db()
    assert (subscription.failure_count, subscription.active) == (3, True)


def test_backoff_doubles(settings):
    from newsroom.services import retry_delay

    settings.WEBHOOK_RETRY_DELAY = 30
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_a_failed_attempt_is_retried_later_and_then_delivered(receiver, subscription, admin_user):
    from django.utils import timezone

    from newsroom.services import delivery_attempt

    receiver.status = 503
    publish(admin_user)
    delivery = Delivery.objects.get()
    assert delivery_attempt(delivery_id=delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert delivery.next_attempt_at > timezone.now()
    # Not due yet: the waiting task puts itself back, nothing is sent.
    assert delivery_attempt(delivery_id=delivery.pk) == "not due"
    assert len(receiver.received) == 1
    receiver.status = 204
    run_tasks()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 2, 204)


def test_repeated_failures_switch_the_subscription_off(
    receiver, subscription, admin_user, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 5
    settings.WEBHOOK_DISABLE_AFTER = 2
    receiver.status = 500
    publish(admin_user)
    run_tasks()
    assert len(receiver.received) == 2
    subscription.refresh_from_db()
    assert (subscription.active, subscription.failure_count) == (False, 2)
    assert subscription.disabled_at is not None
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        "failed",
        2,
        "The subscription is switched off.",
    )
    publish(admin_user)  # a switched-off subscription gets no new deliveries
    assert Delivery.objects.count() == 1


def test_a_success_resets_the_failure_count(receiver, subscription, admin_user):
    Subscription.objects.filter(pk=subscription.pk).update(failure_count=7)
    publish(admin_user)
    run_tasks()
    subscription.refresh_from_db()
    assert subscription.failure_count == 0


def test_a_hanging_receiver_times_out_in_the_worker_not_the_write(
    receiver, subscription, admin_client, settings
):
    settings.WEBHOOK_TIMEOUT = 0.5
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.hang = threading.Event()
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    url = reverse("claim-detail", args=[claim.pk])
    etag = admin_client.get(url)["ETag"]
    response = admin_client.patch(
        url, {"status": "published"}, content_type="application/json", headers={"If-Match": etag}
    )
    assert (response.status_code, response.json()["status"]) == (200, "published")
    assert receiver.received == []  # the write answered without contacting the receiver
    run_tasks()
    receiver.hang.set()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.response_code, delivery.last_error) == (
        "failed",
        None,
        "The receiver took too long to answer.",
    )


def test_loopback_targets_are_refused_unless_allowed(receiver, subscription, admin_user, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    publish(admin_user)
    run_tasks()
    assert receiver.received == []
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.last_error == (
        "Refused to fetch from '127.0.0.1': it resolves to 127.0.0.1, a loopback address."
    )


def test_the_payload_is_the_exact_signed_body(receiver, subscription, admin_user):
    publish(admin_user)
    run_tasks()
    (request,) = receiver.received
    assert json.loads(request.body) == Delivery.objects.get().payload

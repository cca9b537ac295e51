"""Which changes produce which webhook events, enqueued in the change's own transaction."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from claims.enums import ClaimStatus, Rating, ReviewStatus
from claims.services import claim_set_status, review_save, review_set_status
from newsroom.events import emit
from newsroom.models import Delivery
from tests.factories import ClaimFactory, ReviewFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def events():
    return [(d.event, d.payload["data"]["claim"]["id"]) for d in Delivery.objects.order_by("id")]


@pytest.fixture
def subscription():
    return SubscriptionFactory()


def test_publishing_a_claim_enqueues_claim_published_with_its_payload(subscription, admin_user):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    claim_set_status(claim=claim, status=ClaimStatus.PUBLISHED, by=admin_user)
    delivery = Delivery.objects.get()
    assert delivery.payload == {
        "id": str(delivery.event_id),
        "event": "claim.published",
        "occurred_at": delivery.payload["occurred_at"],
        "data": {
            "claim": {
                "id": claim.pk,
                "api_url": f"/api/v1/claims/{claim.pk}/",
                "text": claim.text,
                "speaker": {"slug": claim.speaker.slug, "name": claim.speaker.name},
                "stated_on": "2020-05-16",
                "language": "en",
                "status": "published",
                "verdict": None,
            }
        },
    }
    assert (delivery.subscription, delivery.status, delivery.attempts) == (
        subscription,
        "pending",
        0,
    )
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs) == (
        "newsroom.tasks.deliver",
        {"args": [delivery.pk], "kwargs": {}},
    )


def test_drafts_never_produce_events(subscription, admin_user):
    claim = ClaimFactory(status=ClaimStatus.DRAFT)
    claim_set_status(claim=claim, status=ClaimStatus.IN_REVIEW, by=admin_user)
    review = ReviewFactory(claim=claim, status=ReviewStatus.DRAFT)
    review_set_status(review=review, status=ReviewStatus.PUBLISHED, by=admin_user)
    review_save(review=review, changes={"rating": Rating.TRUE}, by=admin_user)
    claim_set_status(claim=claim, status=ClaimStatus.DRAFT, by=admin_user)
    emit(event="claim.corrected", claim=claim)
    assert (Delivery.objects.count(), DBTaskResult.objects.count()) == (0, 0)


def test_review_and_verdict_events_on_a_published_claim(subscription, admin_user):
    claim = ClaimFactory()
    review = ReviewFactory(claim=claim, status=ReviewStatus.DRAFT, rating=Rating.FALSE)
    review_set_status(review=review, status=ReviewStatus.PUBLISHED, by=admin_user)
    review_save(review=review, changes={"rating": Rating.MIXED}, by=admin_user)
    review_save(review=review, changes={"summary": "No verdict change."}, by=admin_user)
    assert events() == [
        ("review.published", claim.pk),
        ("claim.verdict_changed", claim.pk),
        ("claim.verdict_changed", claim.pk),
    ]
    first, second = Delivery.objects.filter(event="claim.verdict_changed").order_by("id")
    assert (
        first.payload["data"]["previous_verdict"],
        first.payload["data"]["claim"]["verdict"],
    ) == (
        None,
        "false",
    )
    assert (
        second.payload["data"]["previous_verdict"],
        second.payload["data"]["claim"]["verdict"],
    ) == (
        "false",
        "mixed",
    )


def test_a_review_moved_between_claims_tells_both_verdicts(subscription, admin_user):
    left, joined = ClaimFactory(), ClaimFactory()
    review = ReviewFactory(claim=left)
    review_save(review=review, changes={"claim": joined}, by=admin_user)
    assert sorted(events()) == sorted(
        [("claim.verdict_changed", left.pk), ("claim.verdict_changed", joined.pk)]
    )


def test_unpublishing_enqueues_claim_unpublished(subscription, admin_user):
    claim = ClaimFactory()
    claim_set_status(claim=claim, status=ClaimStatus.DRAFT, by=admin_user)
    assert events() == [("claim.unpublished", claim.pk)]


def test_only_subscribed_events_and_active_subscriptions(admin_user):
    wants_unpublished = SubscriptionFactory(events=["claim.unpublished"])
    SubscriptionFactory(active=False)
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    claim_set_status(claim=claim, status=ClaimStatus.PUBLISHED, by=admin_user)
    claim_set_status(claim=claim, status=ClaimStatus.DRAFT, by=admin_user)
    assert [(d.subscription, d.event) for d in Delivery.objects.all()] == [
        (wants_unpublished, "claim.unpublished")
    ]


def test_one_event_has_one_id_for_every_subscription(admin_user):
    SubscriptionFactory.create_batch(3)
    claim = ClaimFactory()
    emit(event="claim.corrected", claim=claim, extra={"correction": "A date was wrong."})
    deliveries = list(Delivery.objects.all())
    assert len({d.event_id for d in deliveries}) == 1
    assert [d.payload["data"]["correction"] for d in deliveries] == ["A date was wrong."] * 3
    assert DBTaskResult.objects.count() == 3


def test_a_change_rolled_back_leaves_no_event(subscription, admin_user):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    with pytest.raises(RuntimeError), transaction.atomic():
        claim_set_status(claim=claim, status=ClaimStatus.PUBLISHED, by=admin_user)
        assert Delivery.objects.count() == 1
        raise RuntimeError("the request failed after the move")
    assert (Delivery.objects.count(), DBTaskResult.objects.count()) == (0, 0)


def test_an_unknown_event_name_is_refused(subscription):
    with pytest.raises(ValueError):
        emit(event="claim.deleted", claim=ClaimFactory())

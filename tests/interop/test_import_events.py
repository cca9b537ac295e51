"""Webhook events of a ClaimReview import: the same news as the status services tell, in the
import's transaction (interop.services.claimreview_import, newsroom.events)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from claims.enums import ClaimStatus, Rating
from claims.models import Claim, Review
from newsroom.models import Delivery
from tests.factories import (
    ClaimFactory,
    FactCheckerFactory,
    ReviewFactory,
    SpeakerFactory,
    SubscriptionFactory,
)

from .conftest import load, run_import
from .test_import import ALL, claimreview

# Every test here runs on both ways of writing (conftest.both_writing_paths).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("both_writing_paths")]


@pytest.fixture
def subscription():
    return SubscriptionFactory()


def events():
    return [(d.event, d.payload["data"]["claim"]["id"]) for d in Delivery.objects.order_by("id")]


def enqueued() -> tuple[int, int]:
    return Delivery.objects.count(), DBTaskResult.objects.count()


MOON = {
    "text": "The Moon is made of green cheese.",
    "speaker": {"slug": "wallace-gromit", "name": "Wallace Gromit"},
    "stated_on": "2023-03-30",
    "language": "en",
    "status": "published",
}
MOON_REVIEW = {
    "reviewer": {"slug": "truth-meter", "name": "Truth Meter"},
    "rating": "false",
    "textual_rating": "Pants on Fire!",
    "url": "https://truthmeter.example/checks/2023/moon-cheese/",
    "published_on": "2023-04-02",
}


def payload(delivery, **data) -> dict:
    return {
        "id": str(delivery.event_id),
        "event": delivery.event,
        "occurred_at": delivery.payload["occurred_at"],
        "data": data,
    }


def test_a_published_claimreview_enqueues_the_events_of_a_new_claim_and_review(
    subscription, importer
):
    run_import("single.json", by=importer)
    claim, review = Claim.objects.get(), Review.objects.get()
    public = {"id": claim.pk, "api_url": f"/api/v1/claims/{claim.pk}/", **MOON}
    review_public = {"id": review.pk, "api_url": f"/api/v1/reviews/{review.pk}/", **MOON_REVIEW}
    published, reviewed, verdict = Delivery.objects.order_by("id")
    # As claim_create then review_create: the claim published with no verdict yet, its review,
    # then the verdict that review gave it.
    assert published.payload == payload(published, claim={**public, "verdict": None})
    assert reviewed.payload == payload(
        reviewed, claim={**public, "verdict": None}, review=review_public
    )
    assert verdict.payload == payload(
        verdict, claim={**public, "verdict": "false"}, previous_verdict=None
    )
    assert [d.event for d in (published, reviewed, verdict)] == [
        "claim.published",
        "review.published",
        "claim.verdict_changed",
    ]
    deliveries = Delivery.objects.order_by("id")
    assert {(d.subscription_id, d.status, d.attempts) for d in deliveries} == {
        (subscription.pk, "pending", 0)
    }
    tasks = DBTaskResult.objects.all()
    assert sorted((t.task_path, t.args_kwargs["args"]) for t in tasks) == [
        ("newsroom.tasks.deliver", [d.pk]) for d in deliveries
    ]


@pytest.mark.parametrize("status", ["draft", "in_review"])
def test_an_import_as_draft_enqueues_nothing_until_it_is_published(subscription, importer, status):
    run_import("single.json", by=importer, status=status)
    assert enqueued() == (0, 0)
    # Imported again as published: claim_set_status and review_update move both up and tell it.
    run_import("single.json", by=importer)
    claim = Claim.objects.get()
    assert events() == [
        ("claim.published", claim.pk),
        ("review.published", claim.pk),
        ("claim.verdict_changed", claim.pk),
    ]
    review = Delivery.objects.get(event="review.published")
    assert review.payload["data"]["review"]["id"] == Review.objects.get().pk


def test_importing_the_same_documents_again_enqueues_nothing_new(subscription):
    run_import(*ALL)
    claims = Claim.objects.count()
    told = sorted(events())
    assert told == sorted(
        [("claim.published", pk) for pk in Claim.objects.values_list("pk", flat=True)]
        + [("review.published", claim) for claim in Review.objects.values_list("claim", flat=True)]
        + [("claim.verdict_changed", pk) for pk in Claim.objects.values_list("pk", flat=True)]
    )
    assert Delivery.objects.filter(event="claim.verdict_changed").count() == claims
    report = run_import(*ALL)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 9)
    assert sorted(events()) == told
    assert enqueued() == (len(told), len(told))


def test_a_failed_import_leaves_no_delivery(subscription):
    good = json.loads(load("list.json"))[0]
    report = run_import(json.dumps([good, claimreview(claimReviewed=None)]))
    assert (report.imported, report.rejected) == (False, 1)
    assert enqueued() == (0, 0)


def test_an_entry_refused_after_its_claim_was_written_leaves_no_event(subscription):
    """Entry by entry the claim is saved before the review is refused (a date in the future):
    its savepoint takes the claim's event away with it."""
    good = json.loads(load("list.json"))[0]
    late = claimreview(datePublished="2999-01-01")
    report = run_import(json.dumps([late, good]), skip_invalid=True)
    assert (report.created, report.rejected) == (1, 1)
    claim = Claim.objects.get()
    assert events() == [
        ("claim.published", claim.pk),
        ("review.published", claim.pk),
        ("claim.verdict_changed", claim.pk),
    ]
    assert DBTaskResult.objects.count() == 3


def test_a_new_review_of_a_published_claim_on_file_tells_the_review_and_the_new_verdict(
    subscription,
):
    speaker = SpeakerFactory(name="Wallace Gromit", slug="wallace-gromit")
    claim = ClaimFactory(speaker=speaker, text=MOON["text"])
    ReviewFactory(claim=claim, reviewer=FactCheckerFactory(), rating=Rating.TRUE)
    claim.refresh_from_db()
    assert claim.verdict == "true"
    run_import("single.json")
    assert events() == [("review.published", claim.pk), ("claim.verdict_changed", claim.pk)]
    verdict = Delivery.objects.get(event="claim.verdict_changed")
    assert verdict.payload["data"]["previous_verdict"] == "true"
    assert verdict.payload["data"]["claim"]["verdict"] == "false"


def test_a_draft_claim_on_file_reviewed_by_a_published_import_is_published(subscription):
    speaker = SpeakerFactory(name="Wallace Gromit", slug="wallace-gromit")
    claim = ClaimFactory(speaker=speaker, text=MOON["text"], status=ClaimStatus.DRAFT)
    run_import("single.json")
    assert events() == [
        ("claim.published", claim.pk),
        ("review.published", claim.pk),
        ("claim.verdict_changed", claim.pk),
    ]


def test_only_the_events_a_subscription_asked_for(importer):
    only_reviews = SubscriptionFactory(events=["review.published"])
    SubscriptionFactory(active=False)
    run_import("single.json", by=importer)
    assert [(d.subscription, d.event) for d in Delivery.objects.all()] == [
        (only_reviews, "review.published")
    ]


def test_the_subscriptions_are_read_once_per_import():
    """With nobody listening an event costs no query: the import reads the subscriptions once
    (and, with nobody asking for verdicts, never reads them)."""
    SubscriptionFactory(active=False)
    with CaptureQueriesContext(connection) as queries:
        report = run_import(*ALL)
    assert report.created == 9
    read = [q["sql"] for q in queries if "newsroom_subscription" in q["sql"]]
    assert len(read) == 1
    assert not [q for q in queries if "newsroom_delivery" in q["sql"]]
    assert enqueued() == (0, 0)

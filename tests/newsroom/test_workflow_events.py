"""Events of records created already published, and of published records deleted: the same
news as a status move would give (newsroom.events), from the API and the admin alike."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from claims.enums import ClaimStatus, Rating, ReviewStatus
from claims.models import Claim
from newsroom.models import Delivery
from tests.api.conftest import etag, token_client
from tests.factories import (
    ClaimFactory,
    FactCheckerFactory,
    ReviewFactory,
    SpeakerFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db


def events():
    return [(d.event, d.payload["data"]["claim"]["id"]) for d in Delivery.objects.order_by("id")]


@pytest.fixture
def subscription():
    return SubscriptionFactory()


@pytest.fixture
def editor_client(editor):
    return token_client(editor)


@pytest.fixture
def chief(editor):
    """An editor who may also publish claims that were never in review."""
    editor.user_permissions.add(Permission.objects.get(codename="publish_unreviewed_claim"))
    return token_client(editor)


def test_a_claim_created_published_enqueues_claim_published(subscription, chief):
    SpeakerFactory(slug="jane-doe")
    for status in ("draft", "in_review", "published"):
        body = {"text": f"Said as {status}.", "speaker": "jane-doe", "status": status}
        assert chief.post("/api/v1/claims/", body, format="json").status_code == 201
    published = Claim.objects.get(status=ClaimStatus.PUBLISHED)
    assert events() == [("claim.published", published.pk)]


def test_a_review_created_published_enqueues_review_published_and_the_verdict(
    subscription, editor_client
):
    claim = ClaimFactory()
    draft_claim = ClaimFactory(status=ClaimStatus.DRAFT)
    FactCheckerFactory(slug="checker")
    for on, status in [(claim, "draft"), (draft_claim, "published"), (claim, "published")]:
        body = {"claim": on.pk, "reviewer": "checker", "rating": "false", "status": status}
        assert editor_client.post("/api/v1/reviews/", body, format="json").status_code == 201
    assert events() == [("review.published", claim.pk), ("claim.verdict_changed", claim.pk)]
    changed = Delivery.objects.get(event="claim.verdict_changed").payload["data"]
    assert (changed["claim"]["verdict"], changed["previous_verdict"]) == ("false", None)


def test_deleting_a_published_review_tells_the_verdict_change(subscription, editor_client):
    claim = ClaimFactory()
    older = ReviewFactory(claim=claim, rating=Rating.TRUE, published_on="2020-01-01")
    newer = ReviewFactory(claim=claim, rating=Rating.FALSE, published_on="2020-02-01")
    draft = ReviewFactory(claim=claim, rating=Rating.MIXED, status=ReviewStatus.DRAFT)
    for review in (draft, newer):
        url = f"/api/v1/reviews/{review.pk}/"
        response = editor_client.delete(url, HTTP_IF_MATCH=etag(editor_client, url))
        assert response.status_code == 204
    assert events() == [("claim.verdict_changed", claim.pk)]
    changed = Delivery.objects.get().payload["data"]
    assert (changed["claim"]["verdict"], changed["previous_verdict"]) == ("true", "false")
    assert older.claim.reviews.get() == older


def test_deleting_a_published_claim_enqueues_claim_unpublished(subscription, editor_client):
    published = ClaimFactory(text="Gone soon")
    draft = ClaimFactory(status=ClaimStatus.DRAFT)
    for claim in (draft, published):
        url = f"/api/v1/claims/{claim.pk}/"
        response = editor_client.delete(url, HTTP_IF_MATCH=etag(editor_client, url))
        assert response.status_code == 204
    delivery = Delivery.objects.get()
    assert (delivery.event, delivery.payload["data"]["claim"]["text"]) == (
        "claim.unpublished",
        "Gone soon",
    )
    assert not Claim.objects.exists()


def test_the_admin_creates_and_deletes_through_the_same_services(subscription, client, editor):
    claim = ClaimFactory()
    checker = FactCheckerFactory()
    client.force_login(editor)
    response = client.post(
        reverse("admin:claims_review_add"),
        {"claim": claim.pk, "reviewer": checker.pk, "rating": "false", "status": "published"},
    )
    assert response.status_code == 302, response.context["errors"]
    review = claim.reviews.get()
    response = client.post(reverse("admin:claims_review_delete", args=[review.pk]), {"post": "yes"})
    assert response.status_code == 302
    response = client.post(reverse("admin:claims_claim_delete", args=[claim.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert events() == [
        ("review.published", claim.pk),
        ("claim.verdict_changed", claim.pk),
        ("claim.verdict_changed", claim.pk),
        ("claim.unpublished", claim.pk),
    ]

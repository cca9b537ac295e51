"""Corrections: a change to a published claim or review may carry a public correction note,
and a change of a published review's rating must. The notes are in the claim's and the
review's answers (newest first), in the ClaimReview export, and told to webhooks as
`claim.corrected`, in the change's own transaction."""

import datetime
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from claims.corrections import NEEDS_NOTE, NEVER_PUBLISHED
from claims.enums import ClaimStatus, Rating, ReviewStatus
from claims.models import Claim, Correction, Review
from claims.services import review_set_status
from newsroom.models import Delivery
from tests.api.conftest import etag, token_client
from tests.factories import ClaimFactory, ReviewFactory, SubscriptionFactory
from tests.interop.conftest import load, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def editor_client(editor):
    return token_client(editor)


def stamp(correction) -> str:
    return correction.published_at.isoformat().replace("+00:00", "Z")


def patch(client, url, body):
    return client.patch(url, body, format="json", HTTP_IF_MATCH=etag(client, url))


def claim_url(claim):
    return f"/api/v1/claims/{claim.pk}/"


def review_url(review):
    return f"/api/v1/reviews/{review.pk}/"


def test_a_corrected_claim_lists_its_notes_newest_first(anon, editor_client):
    claim = ClaimFactory(text="Unemployment has halfed.")
    first = patch(
        editor_client,
        claim_url(claim),
        {"text": "Unemployment has halved.", "correction": "A typo in the quote."},
    )
    assert first.status_code == 200, first.content
    second = patch(
        editor_client,
        claim_url(claim),
        {"stated_on": "2020-05-15", "correction": "The statement was made a day earlier."},
    )
    older, newer = Correction.objects.filter(claim=claim).order_by("id")
    expected = [
        {"text": "The statement was made a day earlier.", "published_at": stamp(newer)},
        {"text": "A typo in the quote.", "published_at": stamp(older)},
    ]
    assert second.json()["corrections"] == expected
    public = anon.get(claim_url(claim)).json()
    assert (public["text"], public["stated_on"], public["corrections"]) == (
        "Unemployment has halved.",
        "2020-05-15",
        expected,
    )
    assert anon.get("/api/v1/claims/").json()["results"][0]["corrections"] == expected


def test_a_plain_edit_needs_no_note(editor_client):
    claim = ClaimFactory()
    response = patch(editor_client, claim_url(claim), {"context": "At a press conference."})
    assert response.status_code == 200, response.content
    assert response.json()["corrections"] == []
    review = ReviewFactory(rating=Rating.FALSE)
    response = patch(editor_client, review_url(review), {"summary": "Typo fixed."})
    assert (response.status_code, response.json()["corrections"]) == (200, [])
    assert not Correction.objects.exists()


def test_a_published_reviews_rating_never_changes_without_a_note(editor_client):
    review = ReviewFactory(rating=Rating.FALSE, textual_rating="False")
    refused = patch(editor_client, review_url(review), {"rating": Rating.MIXED})
    assert (refused.status_code, refused.json()) == (400, {"correction": [NEEDS_NOTE]})
    blank = patch(editor_client, review_url(review), {"rating": Rating.MIXED, "correction": ""})
    assert (blank.status_code, blank.json()) == (
        400,
        {"correction": ["This field may not be blank."]},
    )
    assert Review.objects.get(pk=review.pk).rating == Rating.FALSE
    assert Claim.objects.get(pk=review.claim_id).verdict == Rating.FALSE
    response = patch(
        editor_client,
        review_url(review),
        {
            "rating": Rating.MIXED,
            "textual_rating": "Half true",
            "correction": "New figures show the claim is partly right.",
        },
    )
    assert response.status_code == 200, response.content
    (note,) = Correction.objects.filter(review=review)
    assert response.json()["corrections"] == [
        {"text": "New figures show the claim is partly right.", "published_at": stamp(note)}
    ]
    assert (response.json()["rating"], response.json()["textual_rating"]) == ("mixed", "Half true")
    assert Claim.objects.get(pk=review.claim_id).verdict == Rating.MIXED
    # the same rating again is no change
    same = patch(editor_client, review_url(review), {"rating": Rating.MIXED})
    assert same.status_code == 200


def test_unpublishing_a_review_does_not_let_its_rating_change_silently(editor_client, admin_user):
    review = ReviewFactory(rating=Rating.FALSE)
    review_set_status(review=review, status=ReviewStatus.DRAFT, by=admin_user)
    refused = patch(editor_client, review_url(review), {"rating": Rating.TRUE})
    assert (refused.status_code, refused.json()) == (400, {"correction": [NEEDS_NOTE]})


def test_a_never_published_record_is_edited_freely_and_takes_no_note(editor_client):
    review = ReviewFactory(rating=Rating.FALSE, status=ReviewStatus.DRAFT)
    assert patch(editor_client, review_url(review), {"rating": Rating.TRUE}).status_code == 200
    refused = patch(
        editor_client, review_url(review), {"rating": Rating.MIXED, "correction": "Changed."}
    )
    message = NEVER_PUBLISHED.format(name="review")
    assert (refused.status_code, refused.json()) == (400, {"correction": [message]})
    claim = ClaimFactory(status=ClaimStatus.DRAFT)
    refused = patch(editor_client, claim_url(claim), {"text": "New.", "correction": "Changed."})
    message = NEVER_PUBLISHED.format(name="claim")
    assert (refused.status_code, refused.json()) == (400, {"correction": [message]})
    assert Claim.objects.get(pk=claim.pk).text == claim.text  # nothing saved
    assert not Correction.objects.exists()


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/claims/", {"text": "New.", "speaker": None}),
        ("/api/v1/reviews/", {"claim": None, "reviewer": None, "rating": "false"}),
    ],
)
def test_a_new_record_has_nothing_to_correct(editor_client, url, body):
    review = ReviewFactory()
    filled = {
        "speaker": review.claim.speaker.slug,
        "claim": review.claim_id,
        "reviewer": review.reviewer.slug,
    }
    body = {key: filled.get(key, value) if value is None else value for key, value in body.items()}
    response = editor_client.post(url, {**body, "correction": "Oops."}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"correction": ["A new record has nothing to correct."]},
    )


def test_a_note_is_limited_in_length(editor_client):
    claim = ClaimFactory()
    response = patch(editor_client, claim_url(claim), {"correction": "x" * 2001})
    assert (response.status_code, response.json()) == (
        400,
        {"correction": ["Ensure this field has no more than 2000 characters."]},
    )


def test_a_correction_emits_claim_corrected_in_its_transaction(editor_client):
    SubscriptionFactory(events=["claim.corrected"])
    review = ReviewFactory(rating=Rating.FALSE)
    claim = review.claim
    patch(editor_client, claim_url(claim), {"text": "Fixed.", "correction": "Typo."})
    patch(editor_client, review_url(review), {"rating": Rating.TRUE, "correction": "Re-rated."})
    # refused writes leave no event
    patch(editor_client, review_url(review), {"rating": Rating.MIXED})
    claim_note, review_note = Correction.objects.order_by("id")
    deliveries = Delivery.objects.order_by("id")
    assert [d.event for d in deliveries] == ["claim.corrected", "claim.corrected"]
    first, second = (d.payload["data"] for d in deliveries)
    assert first["claim"]["text"] == "Fixed."
    assert first["correction"] == {
        "text": "Typo.",
        "published_at": claim_note.published_at.isoformat(),
    }
    assert second["review"]["rating"] == "true"
    assert second["correction"] == {
        "text": "Re-rated.",
        "published_at": review_note.published_at.isoformat(),
        "review": review.pk,
    }


def test_a_correction_of_an_unpublished_claim_stays_quiet(editor_client, admin_user):
    """A claim published once, now back in draft: the note is kept (it shows when the claim is
    published again), but no webhook speaks of a claim that is not public."""
    SubscriptionFactory(events=["claim.corrected"])
    claim = ClaimFactory()
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.DRAFT)
    response = patch(editor_client, claim_url(claim), {"text": "Fixed.", "correction": "Typo."})
    assert response.status_code == 200, response.content
    assert len(response.json()["corrections"]) == 1
    assert not Delivery.objects.exists()


def test_the_claimreview_export_carries_the_notes(anon, editor_client):
    review = ReviewFactory(rating=Rating.FALSE, published_on=datetime.date(2020, 5, 20))
    patch(editor_client, claim_url(review.claim), {"text": "Fixed.", "correction": "Typo."})
    patch(editor_client, review_url(review), {"rating": Rating.TRUE, "correction": "Re-rated."})
    claim_note, review_note = Correction.objects.order_by("id")
    document = anon.get(f"/api/v1/reviews/{review.pk}/claimreview/").json()
    assert document["correction"] == [
        {"@type": "CorrectionComment", "text": "Re-rated.", "datePublished": stamp(review_note)}
    ]
    assert document["itemReviewed"]["correction"] == [
        {"@type": "CorrectionComment", "text": "Typo.", "datePublished": stamp(claim_note)}
    ]
    feed = anon.get("/api/v1/claimreview/").json()["dataFeedElement"]
    assert [element["correction"] for element in feed] == [document["correction"]]


def test_the_write_body_documents_the_note(anon):
    schema = anon.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    for name in ("PatchedClaimWriteRequest", "PatchedReviewWriteRequest"):
        field = components[name]["properties"]["correction"]
        assert field["type"] == "string" and field["maxLength"] == 2000
        assert "required when a published review's `rating` changes" in field["description"]
    for name in ("Claim", "Review"):
        assert components[name]["properties"]["corrections"]["type"] == "array"


# --- the admin ---------------------------------------------------------------------------------


def review_page(review, **changes):
    fields = {
        "claim": review.claim_id,
        "reviewer": review.reviewer_id,
        "rating": review.rating,
        "textual_rating": review.textual_rating,
        "summary": review.summary,
        "url": review.url,
        "published_on": review.published_on or "",
        "status": review.status,
        "seen_version": review.version,
    }
    return {**fields, **changes}


def test_the_admin_refuses_a_rating_change_without_a_note(admin_client):
    review = ReviewFactory(rating=Rating.FALSE)
    url = reverse("admin:claims_review_change", args=[review.pk])
    response = admin_client.post(url, review_page(review, rating=Rating.TRUE))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"correction": [NEEDS_NOTE]}
    assert Review.objects.get(pk=review.pk).rating == Rating.FALSE
    response = admin_client.post(
        url, review_page(review, rating=Rating.TRUE, correction="Re-rated after new data.")
    )
    assert response.status_code == 302
    assert Review.objects.get(pk=review.pk).rating == Rating.TRUE
    (note,) = Correction.objects.all()
    assert (note.review_id, note.text) == (review.pk, "Re-rated after new data.")


def test_the_admin_claim_form_takes_a_note(admin_client, admin_user):
    claim = ClaimFactory()
    form = {
        "text": "Fixed text.",
        "speaker": claim.speaker_id,
        "language": "en",
        "status": claim.status,
        "seen_version": claim.version,
        "correction": "A typo in the quote.",
        **{
            f"{p}-{k}": 0
            for p in ("appearances", "rebuttals", "reviews", "notes")
            for k in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    response = admin_client.post(reverse("admin:claims_claim_change", args=[claim.pk]), form)
    assert response.status_code == 302, response.context["errors"]
    (note,) = Correction.objects.all()
    assert (note.claim_id, note.text, note.created_by) == (
        claim.pk,
        "A typo in the quote.",
        admin_user,
    )
    assert Claim.objects.get(pk=claim.pk).text == "Fixed text."


def test_an_imported_rating_change_carries_its_note(admin_user):
    """A ClaimReview import that finds a published review's rating changed by its reviewer
    records the change as a correction (interop.services)."""
    run_import("single.json", by=admin_user)
    review = Review.objects.get()
    document = json.loads(load("single.json"))
    document["dateModified"] = "2023-05-01"
    document["reviewRating"]["alternateName"] = "True"
    run_import(json.dumps(document), by=admin_user)
    review.refresh_from_db()
    assert review.rating == Rating.TRUE
    (note,) = Correction.objects.all()
    assert (note.review, note.text) == (
        review,
        f"{review.reviewer.name} changed its rating from “Pants on Fire!” to “True”.",
    )

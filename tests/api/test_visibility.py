"""Anonymous and unprivileged clients see published records only; staff see everything.

Each test first creates the drafts that could leak, then looks for them.
"""

import pytest

from claims.enums import ClaimStatus, Rating, ReviewStatus
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    RebuttalFactory,
    ReviewFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "Secret draft statement"


@pytest.fixture
def world():
    speaker = SpeakerFactory(slug="jane-doe", name="Jane Doe")
    published = ClaimFactory(speaker=speaker, text="Public statement")
    draft = ClaimFactory(speaker=speaker, text=SECRET, status=ClaimStatus.DRAFT)
    in_review = ClaimFactory(speaker=speaker, text=SECRET + " 2", status=ClaimStatus.IN_REVIEW)
    AppearanceFactory(claim=draft, quote=SECRET)
    ReviewFactory(claim=published, rating=Rating.TRUE)
    hidden_review = ReviewFactory(
        claim=published, rating=Rating.FALSE, status=ReviewStatus.DRAFT, textual_rating="Secret"
    )
    ReviewFactory(claim=draft, rating=Rating.FALSE)  # published review of a draft claim
    RebuttalFactory(claim=draft, text=SECRET)
    # A published claim rebutted by a statement whose own claim record is still a draft.
    rebuttal = RebuttalFactory(claim=published, rebutting_claim=draft)
    return {
        "speaker": speaker,
        "published": published,
        "draft": draft,
        "in_review": in_review,
        "hidden_review": hidden_review,
        "rebuttal": rebuttal,
    }


@pytest.fixture(params=["anon", "reader_client"])
def outsider(request):
    return request.getfixturevalue(request.param)


def test_drafts_are_absent_from_claim_lists(outsider, world):
    body = outsider.get("/api/v1/claims/").json()
    assert [c["id"] for c in body["results"]] == [world["published"].pk]
    assert body["count"] == 1
    assert outsider.get("/api/v1/speakers/jane-doe/claims/").json()["count"] == 1


@pytest.mark.parametrize("claim", ["draft", "in_review"])
def test_a_draft_claims_detail_is_a_404(outsider, world, claim):
    response = outsider.get(f"/api/v1/claims/{world[claim].pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Claim matches the given query."}


@pytest.mark.parametrize(
    "query", ["status=draft", "status=in_review", "q=secret", "has_rebuttal=true"]
)
def test_no_filter_brings_drafts_back(outsider, world, query):
    results = outsider.get(f"/api/v1/claims/?{query}").json()["results"]
    assert all(SECRET not in c["text"] for c in results)


def test_drafts_are_absent_from_nested_fields(outsider, world):
    claim = outsider.get(f"/api/v1/claims/{world['published'].pk}/").json()
    assert [r["rating"] for r in claim["reviews"]] == ["true"]
    assert claim["verdict"] == "true"
    assert [r["rebutting_claim"] for r in claim["rebuttals"]] == [None]


def test_drafts_are_absent_from_rebuttal_and_review_lists(outsider, world):
    rebuttals = outsider.get("/api/v1/rebuttals/").json()
    assert [(r["id"], r["rebutting_claim"]) for r in rebuttals["results"]] == [
        (world["rebuttal"].pk, None)
    ]
    reviews = outsider.get("/api/v1/reviews/").json()
    assert [r["rating"] for r in reviews["results"]] == ["true"]
    hidden = outsider.get(f"/api/v1/reviews/{world['hidden_review'].pk}/")
    assert hidden.status_code == 404
    by_draft_claim = outsider.get("/api/v1/reviews/", {"claim": world["draft"].pk})
    assert by_draft_claim.status_code == 400
    assert by_draft_claim.json() == {
        "claim": ["Select a valid choice. That choice is not one of the available choices."]
    }


def test_drafts_are_absent_from_counts_and_scorecards(outsider, world):
    listed = outsider.get("/api/v1/speakers/").json()["results"]
    assert [(s["slug"], s["claim_count"]) for s in listed if s["slug"] == "jane-doe"] == [
        ("jane-doe", 1)
    ]
    detail = outsider.get("/api/v1/speakers/jane-doe/").json()
    assert detail["claim_count"] == 1
    assert detail["scorecard"] == {
        "true": 1,
        "mostly_true": 0,
        "mixed": 0,
        "mostly_false": 0,
        "false": 0,
        "unproven": 0,
        "misleading": 0,
        "unrated": 0,
    }


def test_staff_see_everything(editor_client, world):
    body = editor_client.get("/api/v1/claims/").json()
    assert body["count"] == 3
    claim = editor_client.get(f"/api/v1/claims/{world['published'].pk}/").json()
    assert sorted(r["rating"] for r in claim["reviews"]) == ["false", "true"]
    assert claim["verdict"] == "true"  # the verdict only ever counts published reviews
    assert [r["rebutting_claim"] for r in claim["rebuttals"]] == [world["draft"].pk]
    assert editor_client.get(f"/api/v1/claims/{world['draft'].pk}/").status_code == 200
    assert editor_client.get("/api/v1/speakers/jane-doe/").json()["claim_count"] == 3

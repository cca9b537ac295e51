"""A rebuttal reaches anonymous clients only once published, on a published claim: nowhere
before — the claim's nested rebuttals, the answering claim's `rebuts`, the rebuttals list and
detail, history, filters, the ClaimReview export."""

import json

import pytest

from claims.enums import RebuttalStatus
from tests.api.conftest import etag
from tests.factories import ClaimFactory, RebuttalFactory, ReviewFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer():
    """A published claim with a review, answered by a published claim through a draft
    rebuttal."""
    claim = ClaimFactory(text="NATO fights in Ukraine.", speaker=SpeakerFactory(slug="putin"))
    ReviewFactory(claim=claim)
    rebutter = SpeakerFactory(slug="stoltenberg", name="Jens Stoltenberg")
    answering = ClaimFactory(text="There is no NATO legion.", speaker=rebutter)
    rebuttal = RebuttalFactory(
        claim=claim,
        speaker=rebutter,
        text="There is no NATO legion.",
        rebutting_claim=answering,
        status=RebuttalStatus.DRAFT,
    )
    return claim, answering, rebuttal


def seen(client, answer) -> dict:
    claim, answering, rebuttal = answer
    return {
        "nested": [r["id"] for r in client.get(f"/api/v1/claims/{claim.pk}/").json()["rebuttals"]],
        "listed": [
            r["id"] for c in client.get("/api/v1/claims/").json()["results"] for r in c["rebuttals"]
        ],
        "rebuts": [
            r["rebuttal"] for r in client.get(f"/api/v1/claims/{answering.pk}/").json()["rebuts"]
        ],
        "rebuttals": [r["id"] for r in client.get("/api/v1/rebuttals/").json()["results"]],
        "detail": client.get(f"/api/v1/rebuttals/{rebuttal.pk}/").status_code,
        "history": client.get(f"/api/v1/rebuttals/{rebuttal.pk}/history/").status_code,
        "rebutted_by": [
            c["id"]
            for c in client.get("/api/v1/claims/", {"rebutted_by": "stoltenberg"}).json()["results"]
        ],
        "has_rebuttal": [
            c["id"]
            for c in client.get("/api/v1/claims/", {"has_rebuttal": "true"}).json()["results"]
        ],
        "claimreview": [
            len(element.get("factcheck:rebuttals", []))
            for element in client.get("/api/v1/claimreview/").json()["dataFeedElement"]
        ],
    }


def test_a_draft_rebuttal_is_hidden_from_anonymous_clients_everywhere(anon, editor_client, answer):
    claim, _, rebuttal = answer
    assert seen(anon, answer) == {
        "nested": [],
        "listed": [],
        "rebuts": [],
        "rebuttals": [],
        "detail": 404,
        "history": 404,
        "rebutted_by": [],
        "has_rebuttal": [],
        "claimreview": [0],
    }
    assert seen(editor_client, answer) == {
        "nested": [rebuttal.pk],
        "listed": [rebuttal.pk],
        "rebuts": [rebuttal.pk],
        "rebuttals": [rebuttal.pk],
        "detail": 200,
        "history": 200,
        "rebutted_by": [claim.pk],
        "has_rebuttal": [claim.pk],
        "claimreview": [1],
    }


def test_publishing_the_rebuttal_shows_it_to_everyone(anon, editor_client, answer):
    claim, _, rebuttal = answer
    url = f"/api/v1/rebuttals/{rebuttal.pk}/"
    for status in ("in_review", "published"):
        response = editor_client.patch(
            url, {"status": status}, format="json", HTTP_IF_MATCH=etag(editor_client, url)
        )
        assert (response.status_code, response.json()["status"]) == (200, status)
    assert seen(anon, answer) == {
        "nested": [rebuttal.pk],
        "listed": [rebuttal.pk],
        "rebuts": [rebuttal.pk],
        "rebuttals": [rebuttal.pk],
        "detail": 200,
        "history": 200,
        "rebutted_by": [claim.pk],
        "has_rebuttal": [claim.pk],
        "claimreview": [1],
    }
    # Its public history starts with the published version.
    entries = anon.get(url + "history/").json()["results"]
    assert [(e["version"], e["changes"][-1]) for e in entries] == [
        (3, {"field": "status", "old": None, "new": "published"})
    ]


def test_rebuts_names_the_answered_claim_and_hides_a_draft_one(anon, editor_client, answer):
    claim, answering, rebuttal = answer
    rebuttal.status = RebuttalStatus.PUBLISHED
    rebuttal.save()
    draft_claim = ClaimFactory(status="draft", text="A draft answered too.")
    hidden = RebuttalFactory(claim=draft_claim, speaker=rebuttal.speaker, rebutting_claim=answering)
    expected = {
        "rebuttal": rebuttal.pk,
        "claim": claim.pk,
        "speaker": {"slug": "putin", "name": claim.speaker.name},
        "text": "NATO fights in Ukraine.",
        "relation": "refutes",
    }
    assert anon.get(f"/api/v1/claims/{answering.pk}/").json()["rebuts"] == [expected]
    staff = editor_client.get(f"/api/v1/claims/{answering.pk}/").json()["rebuts"]
    assert [r["rebuttal"] for r in staff] == [rebuttal.pk, hidden.pk]
    assert json.dumps(anon.get("/api/v1/claims/").json()).count("A draft answered too.") == 0


def test_the_desk_lists_rebuttals_by_status(anon, editor_client, answer):
    _, _, draft = answer
    published = RebuttalFactory(claim=draft.claim)

    def listed(client, status):
        response = client.get("/api/v1/rebuttals/", {"status": status})
        return [r["id"] for r in response.json()["results"]]

    assert (listed(editor_client, "draft"), listed(editor_client, "published")) == (
        [draft.pk],
        [published.pk],
    )
    assert (listed(anon, "draft"), listed(anon, "published")) == ([], [published.pk])
    refused = anon.get("/api/v1/rebuttals/", {"status": "gone"})
    assert (refused.status_code, refused.json()) == (
        400,
        {"status": ["Select a valid choice. gone is not one of the available choices."]},
    )

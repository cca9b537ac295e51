import datetime

import pytest

from claims.enums import ClaimStatus, Rating, ReviewStatus
from tests.api.conftest import etag
from tests.factories import ClaimFactory, RebuttalFactory, ReviewFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def patch(client, url, data):
    response = client.patch(url, data, format="json", HTTP_IF_MATCH=etag(client, url))
    assert response.status_code == 200, response.content
    return response


def strip_dates(entries):
    for entry in entries:
        assert entry.pop("changed_at")
    return entries


def test_claim_history_lists_versions_newest_first_with_old_and_new_values(editor_client):
    speaker = SpeakerFactory(slug="jane-doe")
    created = editor_client.post(
        "/api/v1/claims/",
        {"text": "First wording", "speaker": "jane-doe", "status": "published"},
        format="json",
    )
    url = f"/api/v1/claims/{created.json()['id']}/"
    patch(editor_client, url, {"text": "Second wording", "stated_on": "2015-01-26"})
    body = editor_client.get(url + "history/").json()
    entries = strip_dates(body["results"])
    created_at = entries[1]["changes"][4]["new"]
    assert body["count"] == 2
    assert entries == [
        {
            "version": 2,
            "change": "changed",
            "changed_by": "editor",
            "changes": [
                {"field": "text", "old": "First wording", "new": "Second wording"},
                {"field": "stated_on", "old": None, "new": "2015-01-26"},
            ],
        },
        {
            "version": 1,
            "change": "created",
            "changed_by": "editor",
            "changes": [
                {"field": "text", "old": None, "new": "First wording"},
                {"field": "speaker", "old": None, "new": speaker.pk},
                {"field": "language", "old": None, "new": "en"},
                {"field": "status", "old": None, "new": "published"},
                {"field": "created_at", "old": None, "new": created_at},
                {"field": "created_by", "old": None, "new": entries[1]["changes"][5]["new"]},
            ],
        },
    ]


def test_history_of_a_draft_is_for_staff_only(anon, reader_client, editor_client):
    draft = ClaimFactory(status=ClaimStatus.DRAFT, text="Secret draft")
    url = f"/api/v1/claims/{draft.pk}/history/"
    assert editor_client.get(url).json()["count"] == 1
    for client in (anon, reader_client):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "No Claim matches the given query."}


def test_public_history_hides_draft_versions_and_editors(anon, editor_client):
    claim = ClaimFactory(status=ClaimStatus.DRAFT, text="Draft wording, never public")
    url = f"/api/v1/claims/{claim.pk}/"
    patch(editor_client, url, {"text": "Public wording", "status": "published"})
    patch(editor_client, url, {"text": "Corrected wording"})
    entries = strip_dates(anon.get(url + "history/").json()["results"])
    assert "Draft wording" not in str(entries)
    assert [(e["version"], e["change"], e["changed_by"]) for e in entries] == [
        (3, "changed", None),
        (2, "changed", None),
    ]
    assert entries[0]["changes"] == [
        {"field": "text", "old": "Public wording", "new": "Corrected wording"}
    ]
    # The first public version is shown whole: the draft it came from stays hidden.
    assert {"field": "text", "old": None, "new": "Public wording"} in entries[1]["changes"]
    staff = editor_client.get(url + "history/").json()["results"]
    assert [(e["version"], e["changed_by"]) for e in staff] == [
        (3, "editor"),
        (2, "editor"),
        (1, None),
    ]


def test_a_published_reviews_verdict_change_keeps_the_earlier_verdict(anon, editor_client):
    review = ReviewFactory(rating=Rating.MOSTLY_FALSE, published_on=datetime.date(2020, 1, 1))
    url = f"/api/v1/reviews/{review.pk}/"
    patch(editor_client, url, {"rating": "false", "textual_rating": "Pants on Fire"})
    entries = strip_dates(anon.get(url + "history/").json()["results"])
    assert entries[0] == {
        "version": 2,
        "change": "changed",
        "changed_by": None,
        "changes": [
            {"field": "rating", "old": "mostly_false", "new": "false"},
            {"field": "textual_rating", "old": "False", "new": "Pants on Fire"},
        ],
    }
    assert anon.get(f"/api/v1/claims/{review.claim_id}/").json()["verdict"] == "false"


def test_unpublished_review_history_is_hidden_from_the_public(anon, editor_client):
    review = ReviewFactory(status=ReviewStatus.DRAFT)
    url = f"/api/v1/reviews/{review.pk}/history/"
    assert anon.get(url).status_code == 404
    assert editor_client.get(url).json()["count"] == 1


def test_rebuttal_history_records_changes(anon, editor_client):
    rebuttal = RebuttalFactory(text="No.")
    url = f"/api/v1/rebuttals/{rebuttal.pk}/"
    patch(editor_client, url, {"text": "Certainly not.", "relation": "disputes"})
    entries = strip_dates(anon.get(url + "history/").json()["results"])
    assert entries[0]["changes"] == [
        {"field": "text", "old": "No.", "new": "Certainly not."},
        {"field": "relation", "old": "refutes", "new": "disputes"},
    ]
    assert [e["change"] for e in entries] == ["changed", "created"]

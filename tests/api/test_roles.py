"""Who sees drafts, who publishes and who sees editors' names is decided by permissions, not by
the staff flag: the same in the API as in the admin."""

import pytest
from django.contrib.auth.models import Permission

from claims.enums import ClaimStatus, ReviewStatus
from claims.models import Claim, Review
from tests.api.conftest import etag, token_client
from tests.factories import (
    ClaimFactory,
    FactCheckerFactory,
    RebuttalFactory,
    ReviewFactory,
    SpeakerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(desk_editor):
    return token_client(desk_editor)


@pytest.fixture
def drafts():
    speaker = SpeakerFactory(slug="jane-doe")
    return {
        "published": ClaimFactory(speaker=speaker, text="Public"),
        "draft": ClaimFactory(speaker=speaker, text="Secret draft", status=ClaimStatus.DRAFT),
    }


def listed(client):
    return sorted(c["text"] for c in client.get("/api/v1/claims/").json()["results"])


def test_an_editor_without_the_staff_flag_sees_drafts(desk, drafts):
    assert listed(desk) == ["Public", "Secret draft"]
    response = desk.get(f"/api/v1/claims/{drafts['draft'].pk}/")
    assert (response.status_code, response.json()["text"]) == (200, "Secret draft")


def test_the_staff_flag_without_permissions_shows_no_draft_and_no_editor(drafts):
    intern = token_client(UserFactory(username="intern", is_staff=True))
    assert listed(intern) == ["Public"]
    assert intern.get(f"/api/v1/claims/{drafts['draft'].pk}/").status_code == 404
    history = intern.get(f"/api/v1/claims/{drafts['published'].pk}/history/").json()
    assert [e["changed_by"] for e in history["results"]] == [None]


def test_an_editor_without_the_staff_flag_creates_draft_claims_and_reviews(desk, drafts):
    FactCheckerFactory(slug="checker")
    claim = desk.post(
        "/api/v1/claims/", {"text": "New draft", "speaker": "jane-doe"}, format="json"
    )
    assert claim.status_code == 201, claim.content
    assert (claim.json()["text"], claim.json()["status"]) == ("New draft", "draft")
    review = desk.post(
        "/api/v1/reviews/",
        {"claim": claim.json()["id"], "reviewer": "checker", "rating": "false"},
        format="json",
    )
    assert review.status_code == 201, review.content
    assert (review.json()["claim"], review.json()["status"]) == (claim.json()["id"], "draft")


def test_an_editor_without_the_staff_flag_unpublishes_a_claim(desk, drafts):
    url = f"/api/v1/claims/{drafts['published'].pk}/"
    response = desk.patch(url, {"status": "draft"}, format="json", HTTP_IF_MATCH=etag(desk, url))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "draft"
    assert Claim.objects.get(pk=drafts["published"].pk).status == ClaimStatus.DRAFT


def test_a_writer_who_may_not_view_drafts_gets_the_draft_they_created(drafts):
    adder = UserFactory(username="adder")
    adder.user_permissions.set(Permission.objects.filter(codename="add_claim"))
    client = token_client(adder)
    response = client.post(
        "/api/v1/claims/", {"text": "Mine", "speaker": "jane-doe"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert (response.json()["text"], response.json()["status"]) == ("Mine", "draft")
    assert response["ETag"].startswith('"1-')
    assert listed(client) == ["Public"]  # and, not being allowed to view drafts, no more


@pytest.mark.parametrize(
    ("user_kind", "name"),
    [("viewer", "editor"), ("staff without view permission", None)],
)
def test_editor_names_need_the_models_view_permission(
    editor, editor_client, drafts, user_kind, name
):
    # Published straight away: a trust beyond the Editors group's.
    editor.user_permissions.add(Permission.objects.get(codename="publish_unreviewed_claim"))
    created = editor_client.post(
        "/api/v1/claims/",
        {"text": "On the record", "speaker": "jane-doe", "status": "published"},
        format="json",
    )
    url = f"/api/v1/claims/{created.json()['id']}/history/"
    if user_kind == "viewer":
        user = UserFactory(username="viewer")
        user.user_permissions.set(Permission.objects.filter(codename="view_claim"))
    else:
        user = UserFactory(username="intern", is_staff=True)
    (entry,) = token_client(user).get(url).json()["results"]
    assert entry["changed_by"] == name
    shown = [change["field"] for change in entry["changes"]]
    assert ("created_by" in shown) == (name is not None)


# --- publishing a review ----------------------------------------------------------------------


@pytest.fixture
def review():
    return ReviewFactory(claim=ClaimFactory(), status=ReviewStatus.DRAFT)


def test_publishing_a_review_needs_the_publish_permission(writer, review):
    client = token_client(writer)
    FactCheckerFactory(slug="checker")
    created = client.post(
        "/api/v1/reviews/",
        {"claim": review.claim_id, "reviewer": "checker", "rating": "true", "status": "published"},
        format="json",
    )
    assert created.status_code == 403
    assert created.json() == {
        "detail": "Publishing or unpublishing a review needs the publish permission."
    }
    url = f"/api/v1/reviews/{review.pk}/"
    patched = client.patch(
        url, {"status": "published"}, format="json", HTTP_IF_MATCH=etag(client, url)
    )
    assert patched.status_code == 403
    assert patched.json() == created.json()
    assert list(Review.objects.values_list("status", "version")) == [("draft", 1)]
    assert review.claim.__class__.objects.get(pk=review.claim_id).verdict is None


def test_publishing_a_review_goes_through_the_status_service(editor_client, review):
    url = f"/api/v1/reviews/{review.pk}/"
    response = editor_client.patch(
        url,
        {"status": "published", "summary": "Checked."},
        format="json",
        HTTP_IF_MATCH=etag(editor_client, url),
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["summary"]) == ("published", "Checked.")
    assert response["ETag"].startswith('"2-')  # one write, one version
    latest = review.history.latest("history_date")
    assert (latest.version, latest.status, latest.history_change_reason) == (
        2,
        "published",
        "Moved from Draft to Published.",
    )
    assert Claim.objects.get(pk=review.claim_id).verdict == "false"


def test_publishing_a_claim_records_the_reason(editor_client):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    url = f"/api/v1/claims/{claim.pk}/"
    response = editor_client.patch(
        url,
        {"status": "published", "context": "At a press conference."},
        format="json",
        HTTP_IF_MATCH=etag(editor_client, url),
    )
    assert response.status_code == 200, response.content
    latest = claim.history.latest("history_date")
    assert (latest.version, latest.status, latest.context, latest.history_change_reason) == (
        2,
        "published",
        "At a press conference.",
        "Moved from In review to Published.",
    )


# --- nothing unpublished leaks through history or the browsable API ---------------------------


def patch(client, url, data):
    response = client.patch(url, data, format="json", HTTP_IF_MATCH=etag(client, url))
    assert response.status_code == 200, response.content
    return response


def history(client, url):
    return [
        (entry["version"], entry["changes"])
        for entry in client.get(url + "history/").json()["results"]
    ]


def test_a_rebuttals_history_hides_its_draft_past_and_a_draft_rebutting_claim(anon, editor_client):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    answer = ClaimFactory(status=ClaimStatus.DRAFT, text="Draft answer")
    rebuttal = RebuttalFactory(claim=claim, text="Draft wording", rebutting_claim=answer)
    url = f"/api/v1/rebuttals/{rebuttal.pk}/"
    patch(editor_client, url, {"text": "Public wording"})
    patch(editor_client, f"/api/v1/claims/{claim.pk}/", {"status": "published"})
    patch(editor_client, url, {"text": "Corrected wording"})
    entries = history(anon, url)
    assert "Draft wording" not in str(entries)
    assert answer.pk not in [c["new"] for _, changes in entries for c in changes]
    corrected = {"field": "text", "old": "Public wording", "new": "Corrected wording"}
    assert entries[0] == (3, [corrected])
    assert entries[1][0] == 2  # in force when the claim was published: shown whole
    assert "rebutting_claim" not in [c["field"] for c in entries[1][1]]
    assert {"field": "text", "old": None, "new": "Public wording"} in entries[1][1]
    assert len(entries) == 2
    assert [version for version, _ in history(editor_client, url)] == [3, 2, 1]


def test_a_reviews_history_hides_the_draft_claim_it_was_moved_off(anon, editor_client):
    draft, published = ClaimFactory(status=ClaimStatus.DRAFT), ClaimFactory()
    review = ReviewFactory(claim=draft)
    url = f"/api/v1/reviews/{review.pk}/"
    patch(editor_client, url, {"claim": published.pk})
    entries = history(anon, url)
    assert [version for version, _ in entries] == [2]  # on a draft claim, it was not public
    claim_changes = [c for c in entries[0][1] if c["field"] == "claim"]
    assert claim_changes == [{"field": "claim", "old": None, "new": published.pk}]
    assert history(editor_client, url)[0] == (
        2,
        [{"field": "claim", "old": draft.pk, "new": published.pk}],
    )


def test_a_reviews_history_blanks_a_claim_unpublished_since(anon, editor_client):
    first, second = ClaimFactory(), ClaimFactory()
    review = ReviewFactory(claim=first)
    url = f"/api/v1/reviews/{review.pk}/"
    patch(editor_client, url, {"claim": second.pk})
    patch(editor_client, f"/api/v1/claims/{first.pk}/", {"status": "draft"})
    assert history(anon, url)[0] == (2, [{"field": "claim", "old": None, "new": second.pk}])


def test_the_browsable_api_shows_no_draft_id_to_a_writer_who_may_not_see_drafts():
    answer = ClaimFactory(status=ClaimStatus.DRAFT)
    rebuttal = RebuttalFactory(rebutting_claim=answer)
    changer = UserFactory(username="changer")
    changer.user_permissions.set(Permission.objects.filter(codename="change_rebuttal"))
    client = token_client(changer)
    response = client.get(f"/api/v1/rebuttals/{rebuttal.pk}/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "raw-data" in response.text or "_content" in response.text  # the raw-data form
    assert f"&quot;rebutting_claim&quot;: {answer.pk}" not in response.text
    assert "&quot;rebutting_claim&quot;: null" in response.text

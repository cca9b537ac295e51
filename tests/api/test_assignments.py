"""Assignments: an editor works on a claim. Editors set and filter by the assignee; nobody
else ever sees who it is (answers, filters, history)."""

import pytest
from django.contrib.auth.models import Group

from claims.enums import ClaimStatus
from claims.filters import ASSIGNEE_FOR_EDITORS
from claims.models import Claim
from tests.api.conftest import etag, token_client
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


def staff_editor(username):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def inactive_editor():
    user = staff_editor("outsider")
    user.is_active = False
    user.save()


@pytest.fixture
def colleague():
    return staff_editor("colleague")


def assign(client, claim, username):
    url = f"/api/v1/claims/{claim.pk}/"
    return client.patch(url, {"assignee": username}, format="json", HTTP_IF_MATCH=etag(client, url))


def test_an_editor_assigns_a_claim_and_editors_read_the_assignee(editor_client, colleague):
    claim = ClaimFactory(status=ClaimStatus.DRAFT)
    response = assign(editor_client, claim, "colleague")
    assert response.status_code == 200, response.content
    assert response.json()["assignee"] == "colleague"
    assert Claim.objects.get(pk=claim.pk).assignee == colleague
    assert editor_client.get(f"/api/v1/claims/{claim.pk}/").json()["assignee"] == "colleague"
    listed = editor_client.get("/api/v1/claims/").json()["results"]
    assert [(c["id"], c["assignee"]) for c in listed] == [(claim.pk, "colleague")]
    # and unassigns it
    assert assign(editor_client, claim, None).json()["assignee"] is None


def test_anonymous_and_plain_accounts_never_see_the_assignee(anon, reader_client, colleague):
    claim = ClaimFactory(assignee=colleague)
    for client in (anon, reader_client):
        detail = client.get(f"/api/v1/claims/{claim.pk}/")
        assert detail.status_code == 200
        assert "assignee" not in detail.json()
        assert b"colleague" not in detail.content
        listed = client.get("/api/v1/claims/")
        assert [set(c) for c in listed.json()["results"]] == [set(detail.json())]
        assert b"colleague" not in listed.content
        by_speaker = client.get(f"/api/v1/speakers/{claim.speaker.slug}/claims/")
        assert b"colleague" not in by_speaker.content


def test_the_assignee_is_created_with_the_claim(editor_client, colleague):
    response = editor_client.post(
        "/api/v1/claims/",
        {"text": "New.", "speaker": ClaimFactory().speaker.slug, "assignee": "colleague"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["assignee"] == "colleague"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: UserFactory(username="outsider"),  # not staff
            "outsider cannot be assigned claims: only an active staff account that may change "
            "claims can.",
        ),
        (
            lambda: UserFactory(username="outsider", is_staff=True),  # no permission
            "outsider cannot be assigned claims: only an active staff account that may change "
            "claims can.",
        ),
        (
            inactive_editor,
            "outsider cannot be assigned claims: only an active staff account that may change "
            "claims can.",
        ),
        (lambda: None, "No account is named outsider."),
    ],
    ids=["not-staff", "no-permission", "inactive", "unknown"],
)
def test_only_active_staff_editors_can_be_assigned(editor_client, make, message):
    make()
    claim = ClaimFactory()
    response = assign(editor_client, claim, "outsider")
    assert (response.status_code, response.json()) == (400, {"assignee": [message]})
    assert Claim.objects.get(pk=claim.pk).assignee is None


def test_a_superuser_can_be_assigned(editor_client, admin_user):
    response = assign(editor_client, ClaimFactory(), admin_user.username)
    assert response.json()["assignee"] == admin_user.username


def test_assignee_me_and_by_username(editor, editor_client, colleague):
    mine = ClaimFactory(assignee=editor, status=ClaimStatus.DRAFT)
    theirs = ClaimFactory(assignee=colleague)
    ClaimFactory()  # unassigned

    def ids(query):
        response = editor_client.get(f"/api/v1/claims/?{query}")
        assert response.status_code == 200, response.content
        return [c["id"] for c in response.json()["results"]]

    assert ids("assignee=me") == [mine.pk]
    assert ids("assignee=colleague") == [theirs.pk]
    assert ids("assignee=nobody") == []
    colleague_client = token_client(colleague)
    body = colleague_client.get("/api/v1/claims/?assignee=me").json()
    assert [c["id"] for c in body["results"]] == [theirs.pk]


def test_clients_who_do_not_see_drafts_may_not_filter_by_assignee(
    anon, reader_client, editor, colleague
):
    ClaimFactory(assignee=colleague)
    for client in (anon, reader_client):
        for value in ("me", "colleague"):
            response = client.get(f"/api/v1/claims/?assignee={value}")
            assert (response.status_code, response.json()) == (
                400,
                {"assignee": [ASSIGNEE_FOR_EDITORS]},
            )


@pytest.mark.parametrize("items", [1, 3])
def test_assignee_filter_keeps_the_lists_query_count(
    editor, editor_client, django_assert_num_queries, items
):
    for _ in range(items):
        ClaimFactory(assignee=editor)
        ClaimFactory()
    # token+user, the user's permissions, count, page
    with django_assert_num_queries(4):
        response = editor_client.get("/api/v1/claims/?assignee=me")
    assert len(response.json()["results"]) == items


def test_the_history_shows_assignments_to_editors_only(anon, editor_client, colleague):
    claim = ClaimFactory()
    assign(editor_client, claim, "colleague")
    url = f"/api/v1/claims/{claim.pk}/history/"
    newest = editor_client.get(url).json()["results"][0]
    assert newest["changes"] == [{"field": "assignee", "old": None, "new": colleague.pk}]
    public = anon.get(url)
    assert public.status_code == 200
    assert all(
        change["field"] != "assignee"
        for entry in public.json()["results"]
        for change in entry["changes"]
    )


def test_an_assignee_sent_back_as_read_is_kept(editor_client, colleague):
    """A client sends back what it read: an assignee who has since lost the right to be
    assigned stays, where a new assignment of them is refused."""
    claim = ClaimFactory(assignee=colleague)
    colleague.is_staff = False
    colleague.save()
    url = f"/api/v1/claims/{claim.pk}/"
    response = editor_client.patch(
        url,
        {"assignee": "colleague", "context": "New context."},
        format="json",
        HTTP_IF_MATCH=etag(editor_client, url),
    )
    assert (response.status_code, response.json()["assignee"]) == (200, "colleague")
    other = ClaimFactory()
    assert assign(editor_client, other, "colleague").status_code == 400

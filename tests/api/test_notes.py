"""Internal notes: staff accounts read and add them at /claims/{id}/notes/; they are never in
any other answer: the claim's, lists, exports, feeds, the ClaimReview export, webhooks or any
edit history."""

import json

import pytest
from django.contrib.auth.models import Permission

from claims.enums import ClaimStatus, Rating
from claims.models import ClaimNote
from claims.notes import StaffNotesPermission
from claims.services import claim_set_status
from newsroom.models import Delivery
from tests.api.conftest import etag, token_client
from tests.factories import ClaimFactory, ReviewFactory, SubscriptionFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Source asked not to be named: call Marta before publishing."
DENIED = {"detail": StaffNotesPermission.message}


def notes_url(claim):
    return f"/api/v1/claims/{claim.pk}/notes/"


def test_staff_editors_add_and_read_notes_newest_first(editor, editor_client):
    claim = ClaimFactory(status=ClaimStatus.DRAFT)
    first = editor_client.post(notes_url(claim), {"text": "Check the date."}, format="json")
    assert first.status_code == 201, first.content
    second = editor_client.post(notes_url(claim), {"text": SECRET}, format="json")
    note = ClaimNote.objects.get(text=SECRET)
    assert second.json() == {
        "id": note.pk,
        "author": "editor",
        "created_at": note.created_at.isoformat().replace("+00:00", "Z"),
        "text": SECRET,
    }
    listed = editor_client.get(notes_url(claim))
    assert listed.status_code == 200
    assert [(n["author"], n["text"]) for n in listed.json()] == [
        ("editor", SECRET),
        ("editor", "Check the date."),
    ]


def test_a_note_leaves_the_claim_as_it_was(editor_client):
    claim = ClaimFactory()
    tag = etag(editor_client, f"/api/v1/claims/{claim.pk}/")
    editor_client.post(notes_url(claim), {"text": SECRET}, format="json")
    claim.refresh_from_db()
    assert claim.version == 1
    assert etag(editor_client, f"/api/v1/claims/{claim.pk}/") == tag


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"text": ["This field is required."]}),
        ({"text": ""}, {"text": ["This field may not be blank."]}),
        ({"text": "x" * 5001}, {"text": ["Ensure this field has no more than 5000 characters."]}),
        ({"text": "ok", "author": "someone"}, None),  # a read-only field: ignored
        ({"text": "ok", "colour": 3}, {"colour": ["Unknown field. Allowed here: text."]}),
    ],
)
def test_bad_notes_are_a_400_naming_the_field(editor_client, body, errors):
    response = editor_client.post(notes_url(ClaimFactory()), body, format="json")
    if errors is None:
        assert (response.status_code, response.json()["author"]) == (201, "editor")
    else:
        assert (response.status_code, response.json()) == (400, errors)


def test_who_may_read_and_add_notes(anon, reader_client, desk_editor, writer):
    claim = ClaimFactory()
    ClaimNote.objects.create(claim=claim, text=SECRET)
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_claim"))
    viewer_client = token_client(viewer)
    # anonymous: 401; signed in without being staff, or staff without claims: 403
    get, post = anon.get(notes_url(claim)), anon.post(notes_url(claim), {"text": "x"})
    assert (get.status_code, post.status_code) == (401, 401)
    staff_only = token_client(UserFactory(username="bare", is_staff=True))
    for client in (reader_client, token_client(desk_editor), token_client(writer), staff_only):
        for response in (
            client.get(notes_url(claim)),
            client.post(notes_url(claim), {"text": "x"}, format="json"),
        ):
            assert (response.status_code, response.json()) == (403, DENIED)
    # staff who may view claims read notes, and may not add one
    assert [n["text"] for n in viewer_client.get(notes_url(claim)).json()] == [SECRET]
    refused = viewer_client.post(notes_url(claim), {"text": "x"}, format="json")
    assert (refused.status_code, refused.json()) == (403, DENIED)
    assert ClaimNote.objects.count() == 1


def test_notes_of_a_claim_that_does_not_exist_are_a_404(editor_client):
    assert editor_client.get("/api/v1/claims/999999/notes/").status_code == 404


@pytest.mark.parametrize("items", [1, 3])
def test_the_notes_list_makes_a_fixed_number_of_queries(
    editor, editor_client, django_assert_num_queries, items
):
    claim = ClaimFactory()
    for n in range(items):
        ClaimNote.objects.create(claim=claim, text=f"note {n}", author=UserFactory())
    # token+user; the user's permissions; the claim; its notes with their authors
    with django_assert_num_queries(4):
        response = editor_client.get(notes_url(claim))
    assert len(response.json()) == items


def test_notes_are_in_no_other_answer(client, anon, editor, editor_client, admin_user):
    """Every place a claim goes out: none carries a note, to anonymous clients or editors."""
    SubscriptionFactory()
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    review = ReviewFactory(claim=claim, rating=Rating.FALSE)
    ClaimNote.objects.create(claim=claim, text=SECRET, author=editor)
    claim_set_status(claim=claim, status=ClaimStatus.PUBLISHED, by=admin_user)  # a webhook
    client.force_login(editor)
    urls = [
        f"/api/v1/claims/{claim.pk}/",
        "/api/v1/claims/",
        f"/api/v1/speakers/{claim.speaker.slug}/claims/",
        f"/api/v1/claims/{claim.pk}/history/",
        f"/api/v1/reviews/{review.pk}/",
        "/api/v1/exports/claims.csv",
        "/api/v1/exports/claims.jsonl",
        "/feeds/claims/",
        "/feeds/reviews/",
        f"/feeds/speakers/{claim.speaker.slug}/",
        "/api/v1/claimreview/",
        f"/api/v1/reviews/{review.pk}/claimreview/",
    ]
    for reader in (anon, editor_client, client):
        for url in urls:
            response = reader.get(url)
            assert response.status_code == 200, (url, response.status_code)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if "/history/" not in url and "/reviews/" not in url:
                assert claim.text.encode() in body, url  # the claim is there, its notes not
            assert SECRET.encode() not in body, url
    (delivery,) = Delivery.objects.all()
    assert SECRET not in json.dumps(delivery.payload)

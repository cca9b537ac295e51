"""Appearances read, changed and deleted over the API like every other record: ETag and
If-Match, edit history, 409 where deleting would leave a published claim without its evidence,
and nothing of a draft claim's for anonymous clients."""

import pytest

from claims.enums import ClaimStatus
from claims.models import Appearance
from tests.api.conftest import etag, token_client
from tests.factories import AppearanceFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def document(appearance) -> dict:
    source = appearance.source
    return {
        "id": appearance.pk,
        "claim": appearance.claim_id,
        "source": {
            "id": source.pk,
            "title": source.title,
            "url": source.url,
            "outlet": {"slug": source.outlet.slug, "name": source.outlet.name},
            "published_on": "2020-05-17",
        },
        "quote": appearance.quote,
        "is_first": appearance.is_first,
    }


def test_appearances_read_with_their_ids_nested_in_the_claim_too(anon, editor_client):
    appearance = AppearanceFactory(quote="the exact words", is_first=True)
    hidden = AppearanceFactory(claim=ClaimFactory(status=ClaimStatus.DRAFT))
    url = f"/api/v1/appearances/{appearance.pk}/"
    response = anon.get(url)
    assert (response.status_code, response.json()) == (200, document(appearance))
    assert response["ETag"].startswith('"1-')
    assert anon.get("/api/v1/appearances/").json()["results"] == [document(appearance)]
    nested = anon.get(f"/api/v1/claims/{appearance.claim_id}/").json()["appearances"]
    assert [a["id"] for a in nested] == [appearance.pk]
    # A draft claim's appearance: not for anonymous clients, for editors.
    assert anon.get(f"/api/v1/appearances/{hidden.pk}/").status_code == 404
    assert anon.get(f"/api/v1/appearances/{hidden.pk}/history/").status_code == 404
    listed = editor_client.get("/api/v1/appearances/").json()["results"]
    assert listed == [document(appearance), document(hidden)]


def test_an_appearance_is_changed_with_if_match_and_keeps_its_history(anon, editor_client):
    appearance = AppearanceFactory(quote="the words")
    url = f"/api/v1/appearances/{appearance.pk}/"
    body = {"quote": "the exact words", "is_first": True}
    assert editor_client.patch(url, body, format="json").status_code == 428
    stale = editor_client.patch(url, body, format="json", HTTP_IF_MATCH='"0-x"')
    assert stale.status_code == 412
    response = editor_client.patch(url, body, format="json", HTTP_IF_MATCH=etag(anon, url))
    appearance.refresh_from_db()
    assert (response.status_code, response.json()) == (200, document(appearance))
    assert (appearance.quote, appearance.is_first, appearance.version) == (
        "the exact words",
        True,
        2,
    )
    assert response["ETag"] == anon.get(url)["ETag"]
    history = anon.get(url + "history/").json()["results"]
    assert [(e["version"], e["change"]) for e in history] == [(2, "changed"), (1, "created")]
    assert history[0]["changes"] == [
        {"field": "quote", "old": "the words", "new": "the exact words"},
        {"field": "is_first", "old": False, "new": True},
    ]


def test_a_change_that_breaks_the_claims_rules_is_a_400(editor_client):
    first = AppearanceFactory(is_first=True)
    other = AppearanceFactory(claim=first.claim)
    source = other.source_id
    url = f"/api/v1/appearances/{other.pk}/"
    cases = [
        ({"is_first": True}, {"is_first": ["This claim already has a first appearance."]}),
        (
            {"source": first.source_id},
            {"source": ["This claim already has an appearance in that source."]},
        ),
        ({"source": 999999}, {"source": ['Invalid pk "999999" - object does not exist.']}),
        ({"colour": "red"}, {"colour": ["Unknown field. Allowed here: source, quote, is_first."]}),
    ]
    for body, errors in cases:
        tag = etag(editor_client, url)
        response = editor_client.patch(url, body, format="json", HTTP_IF_MATCH=tag)
        assert (response.status_code, response.json()) == (400, errors), body
    other.refresh_from_db()
    assert (other.version, other.is_first, other.source_id) == (1, False, source)


def test_deleting_the_last_appearance_of_a_published_claim_is_a_409(editor_client):
    appearance = AppearanceFactory()
    url = f"/api/v1/appearances/{appearance.pk}/"
    response = editor_client.delete(url, HTTP_IF_MATCH=etag(editor_client, url))
    assert (response.status_code, response.json()) == (
        409,
        {
            "detail": "This cannot be deleted while other records depend on it.",
            "code": "protected",
            "protected_by": ["claims"],
        },
    )
    # With another appearance, or on a draft claim, it goes.
    AppearanceFactory(claim=appearance.claim)
    response = editor_client.delete(url, HTTP_IF_MATCH=etag(editor_client, url))
    assert response.status_code == 204
    draft = AppearanceFactory(claim=ClaimFactory(status=ClaimStatus.DRAFT))
    url = f"/api/v1/appearances/{draft.pk}/"
    assert editor_client.delete(url, HTTP_IF_MATCH=etag(editor_client, url)).status_code == 204
    assert list(Appearance.objects.values_list("claim_id", flat=True)) == [appearance.claim_id]


def test_who_may_change_appearances(anon, reader_client, editor):
    appearance = AppearanceFactory()
    url = f"/api/v1/appearances/{appearance.pk}/"
    tag = etag(anon, url)
    body = {"quote": "changed"}
    assert anon.patch(url, body, format="json", HTTP_IF_MATCH=tag).status_code == 401
    assert reader_client.patch(url, body, format="json", HTTP_IF_MATCH=tag).status_code == 403
    assert reader_client.delete(url, HTTP_IF_MATCH=tag).status_code == 403
    # Appearances are added to their claim, not here.
    posted = token_client(editor).post(
        "/api/v1/appearances/",
        {"claim": appearance.claim_id, "source": SourceFactory().pk},
        format="json",
    )
    assert posted.status_code == 405
    assert Appearance.objects.get().quote == appearance.quote

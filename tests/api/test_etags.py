"""Optimistic concurrency: ETags on details, If-Match required on writes, 412 on stale."""

import pytest

from claims.models import Claim
from tests.factories import (
    ClaimFactory,
    RebuttalFactory,
    ReviewFactory,
    SourceFactory,
    SpeakerFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    return ClaimFactory(text="Original text")


def url_of(claim):
    return f"/api/v1/claims/{claim.pk}/"


def test_detail_carries_an_etag_built_on_the_version(anon, claim):
    response = anon.get(url_of(claim))
    assert response.status_code == 200
    assert response["ETag"].startswith('"1-')
    assert anon.get(url_of(claim))["ETag"] == response["ETag"]


def test_matching_if_none_match_answers_304(anon, claim):
    tag = anon.get(url_of(claim))["ETag"]
    response = anon.get(url_of(claim), HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 304
    assert response["ETag"] == tag
    assert response.content == b""
    assert anon.get(url_of(claim), HTTP_IF_NONE_MATCH='"1-000000000000"').status_code == 200


def test_a_nested_change_changes_the_etag(anon, claim):
    tag = anon.get(url_of(claim))["ETag"]
    ReviewFactory(claim=claim)
    response = anon.get(url_of(claim), HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 200
    assert response["ETag"] != tag
    assert response.json()["verdict"] == "false"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_write_without_if_match_is_428_and_changes_nothing(editor_client, claim, method):
    data = {"text": "Changed", "speaker": claim.speaker.slug}
    response = getattr(editor_client, method)(url_of(claim), data, format="json")
    assert response.status_code == 428
    assert response.json() == {
        "detail": "This write needs an If-Match header with the ETag of the version you read."
    }
    claim.refresh_from_db()
    assert (claim.text, claim.version) == ("Original text", 1)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_write_with_a_stale_if_match_is_412_and_changes_nothing(editor_client, claim, method):
    stale = editor_client.get(url_of(claim))["ETag"]
    first = editor_client.patch(
        url_of(claim), {"text": "First writer"}, format="json", HTTP_IF_MATCH=stale
    )
    assert first.status_code == 200
    data = {"text": "Second writer", "speaker": claim.speaker.slug}
    response = getattr(editor_client, method)(
        url_of(claim), data, format="json", HTTP_IF_MATCH=stale
    )
    assert response.status_code == 412
    assert response.json()["detail"].startswith("The record changed since you read it")
    claim.refresh_from_db()
    assert (claim.text, claim.version) == ("First writer", 2)


def test_write_with_the_current_etag_succeeds_and_answers_the_new_etag(editor_client, claim):
    tag = editor_client.get(url_of(claim))["ETag"]
    response = editor_client.patch(
        url_of(claim), {"text": "Updated"}, format="json", HTTP_IF_MATCH=tag
    )
    assert response.status_code == 200
    assert response.json()["text"] == "Updated"
    assert response["ETag"].startswith('"2-')
    assert response["ETag"] == editor_client.get(url_of(claim))["ETag"]
    delete = editor_client.delete(url_of(claim), HTTP_IF_MATCH=response["ETag"])
    assert delete.status_code == 204
    assert not Claim.objects.filter(pk=claim.pk).exists()


@pytest.mark.parametrize(
    "resource", ["claim", "speaker", "review", "outlet", "rebuttal", "source", "topic"]
)
def test_every_detail_endpoint_sends_an_etag(anon, resource):
    claim = ClaimFactory(speaker=SpeakerFactory(slug="jane-doe"))
    claim.topics.add(TopicFactory(slug="economy"))
    review = ReviewFactory(claim=claim)
    rebuttal = RebuttalFactory(claim=claim)
    source = SourceFactory()
    url = {
        "claim": url_of(claim),
        "speaker": "/api/v1/speakers/jane-doe/",
        "review": f"/api/v1/reviews/{review.pk}/",
        "outlet": f"/api/v1/outlets/{review.reviewer.slug}/",
        "rebuttal": f"/api/v1/rebuttals/{rebuttal.pk}/",
        "source": f"/api/v1/sources/{source.pk}/",
        "topic": "/api/v1/topics/economy/",
    }[resource]
    response = anon.get(url)
    assert response.status_code == 200
    assert response["ETag"].startswith('"1-')


def test_create_answers_with_the_etag_of_the_new_row(editor_client):
    SpeakerFactory(slug="jane-doe")
    response = editor_client.post(
        "/api/v1/claims/", {"text": "New", "speaker": "jane-doe"}, format="json"
    )
    assert response.status_code == 201
    assert response["ETag"] == editor_client.get(f"/api/v1/claims/{response.json()['id']}/")["ETag"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_if_match_star_is_428_saying_why_and_changes_nothing(editor_client, claim, method):
    data = {"text": "Changed", "speaker": claim.speaker.slug}
    response = getattr(editor_client, method)(url_of(claim), data, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 428
    assert response.json() == {
        "detail": "If-Match: * matches whatever version is current, so it cannot protect your "
        "write from overwriting someone else's. Send the ETag of the version you read."
    }
    claim.refresh_from_db()
    assert (claim.text, claim.version) == ("Original text", 1)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_weak_etag_never_matches_if_match(editor_client, claim, method):
    weak = "W/" + editor_client.get(url_of(claim))["ETag"]
    data = {"text": "Changed", "speaker": claim.speaker.slug}
    response = getattr(editor_client, method)(
        url_of(claim), data, format="json", HTTP_IF_MATCH=weak
    )
    assert response.status_code == 412
    assert response.json()["detail"].startswith("The record changed since you read it")
    claim.refresh_from_db()
    assert (claim.text, claim.version) == ("Original text", 1)


@pytest.mark.parametrize(
    "header", ["{tag}", '"1-000000000000", {tag}', "{tag}, {quoted}", "W/{tag}"]
)
def test_a_malformed_if_match_is_400(editor_client, claim, header):
    quoted = editor_client.get(url_of(claim))["ETag"]
    header = header.format(tag=quoted.strip('"'), quoted=quoted)
    response = editor_client.patch(
        url_of(claim), {"text": "Changed"}, format="json", HTTP_IF_MATCH=header
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "malformed If-Match: give the ETag exactly as a GET answered it, quotes "
        'included, e.g. If-Match: "3-1a2b3c4d5e6f".'
    }
    claim.refresh_from_db()
    assert (claim.text, claim.version) == ("Original text", 1)


def test_if_none_match_compares_weakly(anon, claim):
    tag = anon.get(url_of(claim))["ETag"]
    assert anon.get(url_of(claim), HTTP_IF_NONE_MATCH=f"W/{tag}").status_code == 304
    assert anon.get(url_of(claim), HTTP_IF_NONE_MATCH="*").status_code == 304


def test_a_stale_if_match_on_a_read_is_412(anon, claim):
    response = anon.get(url_of(claim), HTTP_IF_MATCH='"1-000000000000"')
    assert response.status_code == 412
    assert anon.get(url_of(claim), HTTP_IF_MATCH=anon.get(url_of(claim))["ETag"]).status_code == 200

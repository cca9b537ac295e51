"""Bad input is a 400 naming what is wrong (or a 404 for a page past the end), never a 500:
page numbers, page sizes, deeply nested JSON and long lists in write bodies."""

import json

import pytest

from claims.models import Claim
from tests.api.conftest import etag
from tests.factories import (
    ClaimFactory,
    RebuttalFactory,
    ReviewFactory,
    SpeakerFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

PAGE_SIZE_ERROR = {"page_size": ["Enter a whole number from 1 to 100."]}
PAGE_ERROR = {"page": ["Enter a page number from 1 to 1000000000."]}


LISTS = [
    "/api/v1/claims/",
    "/api/v1/speakers/",
    "/api/v1/speakers/jane-doe/claims/",
    "/api/v1/rebuttals/",
    "/api/v1/reviews/",
    "/api/v1/sources/",
    "/api/v1/outlets/",
    "/api/v1/topics/",
    "/api/v1/claims/{claim}/history/",
    "/api/v1/rebuttals/{rebuttal}/history/",
    "/api/v1/reviews/{review}/history/",
]


@pytest.fixture(params=LISTS)
def list_url(request):
    """Each paginated list of the API, with a row on it."""
    claim = ClaimFactory(speaker=SpeakerFactory(slug="jane-doe"))
    rebuttal = RebuttalFactory(claim=claim)
    review = ReviewFactory(claim=claim)
    return request.param.format(claim=claim.pk, rebuttal=rebuttal.pk, review=review.pk)


# "²" and "①" pass str.isdigit() but not int(); "٣" (Arabic-Indic three) passes both.
@pytest.mark.parametrize("digits", ["²", "①", "٣", "1²", "+1", " 1", "1.0", "-1"])
def test_a_page_or_page_size_that_is_not_ascii_digits_is_a_400_on_every_list(
    anon, list_url, digits
):
    response = anon.get(list_url, {"page_size": digits})
    assert (response.status_code, response.json()) == (400, PAGE_SIZE_ERROR)
    response = anon.get(list_url, {"page": digits})
    assert (response.status_code, response.json()) == (400, PAGE_ERROR)


@pytest.mark.parametrize("size", ["0", "101", "500", "9" * 5000], ids=["0", "101", "500", "huge"])
def test_page_size_above_the_maximum_is_a_400_like_zero(anon, list_url, size):
    response = anon.get(list_url, {"page_size": size})
    assert (response.status_code, response.json()) == (400, PAGE_SIZE_ERROR)


@pytest.mark.parametrize(("size", "shown"), [("1", 1), ("002", 2), ("100", 3)])
def test_page_size_from_1_to_100_is_taken_with_leading_zeros_too(anon, size, shown):
    ClaimFactory.create_batch(3)
    body = anon.get("/api/v1/claims/", {"page_size": size}).json()
    assert (body["count"], len(body["results"])) == (3, shown)


def test_a_page_number_too_long_for_int_is_a_400_and_one_past_the_end_a_404(anon, list_url):
    response = anon.get(list_url, {"page": "9" * 5000})
    assert (response.status_code, response.json()) == (400, PAGE_ERROR)
    response = anon.get(list_url, {"page": "1000000001"})
    assert (response.status_code, response.json()) == (400, PAGE_ERROR)
    response = anon.get(list_url, {"page": "1000000000"})
    assert (response.status_code, response.json()) == (404, {"detail": "Invalid page."})


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_json_nested_deeper_than_python_parses_is_a_400(editor_client, depth):
    SpeakerFactory(slug="jane-doe")
    body = f'{{"text": "A claim.", "speaker": "jane-doe", "topics": {nested(depth)}}}'
    response = editor_client.generic(
        "POST", "/api/v1/claims/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON parse error - nested too deeply."}
    assert not Claim.objects.exists()


def test_deeply_nested_json_is_a_400_on_updates_too(editor_client):
    claim = ClaimFactory()
    url = f"/api/v1/claims/{claim.pk}/"
    response = editor_client.generic(
        "PATCH",
        url,
        f'{{"context": {nested(5_000)}}}',
        content_type="application/json",
        HTTP_IF_MATCH=etag(editor_client, url),
    )
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "JSON parse error - nested too deeply."},
    )


@pytest.mark.parametrize("count", [21, 120_000])
def test_topics_longer_than_the_bound_is_a_400_naming_it(editor_client, count):
    SpeakerFactory(slug="jane-doe")
    body = {"text": "A claim.", "speaker": "jane-doe", "topics": ["nato"] * count}
    response = editor_client.post("/api/v1/claims/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"topics": ["Ensure this field has no more than 20 elements."]}
    assert not Claim.objects.exists()


def test_repeated_topics_are_stored_once(editor_client):
    SpeakerFactory(slug="jane-doe")
    TopicFactory(slug="nato")
    TopicFactory(slug="ukraine")
    body = {
        "text": "A claim.",
        "speaker": "jane-doe",
        "topics": ["nato", "ukraine", "nato", "nato", "ukraine"],
    }
    response = editor_client.post("/api/v1/claims/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["topics"] == ["nato", "ukraine"]
    assert sorted(Claim.objects.get().topics.values_list("slug", flat=True)) == ["nato", "ukraine"]


@pytest.mark.parametrize(
    ("topics", "message"),
    [
        ("nato", "Expected a list, got a string."),
        ([["nato"]], "Object with slug=['nato'] does not exist."),
        ([{"slug": "nato"}], "Object with slug={'slug': 'nato'} does not exist."),
    ],
)
def test_topics_that_are_not_a_list_of_strings_are_a_400(editor_client, topics, message):
    SpeakerFactory(slug="jane-doe")
    body = {"text": "A claim.", "speaker": "jane-doe", "topics": topics}
    response = editor_client.post("/api/v1/claims/", body, format="json")
    assert (response.status_code, response.json()) == (400, {"topics": [message]})


def test_the_openapi_document_states_the_bounds(anon):
    schema = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"]}
    assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 1000000000}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    request = schema["components"]["schemas"]["ClaimWriteRequest"]["properties"]["topics"]
    assert request["maxItems"] == 20
    assert json.dumps(request["items"]).count('"type": "string"') == 1

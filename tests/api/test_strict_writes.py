"""Writes as strict as reads: every thing wrong with a body is a 400 that names it, once."""

import datetime

import pytest
from django.utils import timezone

from claims.models import Claim, Speaker
from tests.api.conftest import etag
from tests.factories import ClaimFactory, FactCheckerFactory, SourceFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

CLAIM_FIELDS = (
    "text, speaker, speaker_title, stated_on, context, language, topics, status, assignee, "
    "correction"
)


@pytest.fixture
def refs():
    claim = ClaimFactory(speaker=SpeakerFactory(slug="jane-doe"))
    SpeakerFactory(slug="john-roe")
    FactCheckerFactory(slug="checker")
    return {"claim": claim.pk, "source": SourceFactory().pk}


def test_an_unknown_field_is_a_400_naming_it_on_create_and_update(editor_client, refs):
    body = {"text": "x", "speaker": "jane-doe", "txet": "typo", "speeker": "john-roe"}
    created = editor_client.post("/api/v1/claims/", body, format="json")
    message = [f"Unknown field. Allowed here: {CLAIM_FIELDS}."]
    assert (created.status_code, created.json()) == (400, {"speeker": message, "txet": message})
    assert Claim.objects.count() == 1
    url = f"/api/v1/claims/{refs['claim']}/"
    patched = editor_client.patch(
        url, {"contxt": "x"}, format="json", HTTP_IF_MATCH=etag(editor_client, url)
    )
    assert (patched.status_code, patched.json()) == (400, {"contxt": message})


def test_unknown_fields_are_named_beside_the_other_errors(editor_client, refs):
    response = editor_client.post(
        f"/api/v1/claims/{refs['claim']}/appearances/",
        {"source": 987654, "quote": "q", "text": "a claim's field, not an appearance's"},
        format="json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {
            "source": ['Invalid pk "987654" - object does not exist.'],
            "text": ["Unknown field. Allowed here: source, quote, is_first."],
        },
    )


def test_the_read_shape_may_be_sent_back(editor_client, refs):
    url = f"/api/v1/claims/{refs['claim']}/"
    read = editor_client.get(url)
    response = editor_client.put(
        url, {**read.json(), "speaker": "jane-doe"}, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert response.status_code == 200, response.content
    written = response.json()
    changed = {"speaker": written["speaker"], "updated_at": written["updated_at"]}
    assert written == {**read.json(), **changed}
    assert written["speaker"]["slug"] == "jane-doe"


def later(days):
    return (timezone.now().date() + datetime.timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/claims/", {"text": "x", "speaker": "jane-doe"}, "stated_on"),
        (
            "/api/v1/rebuttals/",
            {"claim": "{claim}", "speaker": "john-roe", "text": "No."},
            "stated_on",
        ),
        (
            "/api/v1/reviews/",
            {"claim": "{claim}", "reviewer": "checker", "rating": "false"},
            "published_on",
        ),
        ("/api/v1/sources/", {"title": "A report"}, "published_on"),
    ],
)
def test_a_date_more_than_a_day_ahead_is_a_400(editor_client, refs, url, body, field):
    body = {k: refs["claim"] if v == "{claim}" else v for k, v in body.items()}
    future = editor_client.post(url, {**body, field: later(2)}, format="json")
    assert (future.status_code, future.json()) == (
        400,
        {field: [f"Enter a date that is not in the future (at the latest {later(1)})."]},
    )
    # A day of slack: where the date is already tomorrow, tomorrow has begun.
    assert editor_client.post(url, {**body, field: later(1)}, format="json").status_code == 201


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2015-02-30", "2015-02-30 is not a date: day is out of range for month."),
        ("2015-13-01", "2015-13-01 is not a date: month must be in 1..12."),
        ("30/01/2015", "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."),
    ],
)
def test_an_impossible_date_is_called_not_a_date(editor_client, refs, value, message):
    response = editor_client.post(
        "/api/v1/claims/", {"text": "x", "speaker": "jane-doe", "stated_on": value}, format="json"
    )
    assert (response.status_code, response.json()) == (400, {"stated_on": [message]})


def test_choices_errors_list_the_valid_values(editor_client, refs):
    response = editor_client.post(
        "/api/v1/speakers/", {"name": "Someone", "kind": "alien"}, format="json"
    )
    assert response.json() == {
        "kind": ['"alien" is not a valid choice. Valid choices: person, organization, government.']
    }


@pytest.mark.parametrize(
    ("url", "body", "errors"),
    [
        (
            "/api/v1/speakers/",
            {"name": "Someone", "slug": "bad slug!"},
            {
                "slug": [
                    'Enter a valid "slug" consisting of Unicode letters, numbers, underscores, '
                    "or hyphens."
                ]
            },
        ),
        (
            "/api/v1/outlets/",
            {"name": "O", "homepage": "javascript:alert(1)"},
            {"homepage": ["Enter an http(s) URL."]},
        ),
        (
            "/api/v1/sources/",
            {"title": "T", "archived_url": "notaurl"},
            {"archived_url": ["Enter an http(s) URL."]},
        ),
    ],
)
def test_no_message_appears_twice(editor_client, url, body, errors):
    response = editor_client.post(url, body, format="json")
    assert (response.status_code, response.json()) == (400, errors)


def test_a_speaker_whose_name_is_on_file_is_created_and_the_namesakes_named(editor_client):
    SpeakerFactory(name="Jens Stoltenberg", slug="jens-stoltenberg")
    SpeakerFactory(name="J. Stoltenberg", slug="j-stoltenberg")
    created = editor_client.post(
        "/api/v1/speakers/", {"name": "jens  STOLTENBERG", "kind": "person"}, format="json"
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["slug"], body["similar_speakers"]) == (
        "jens-stoltenberg-2",
        [{"slug": "jens-stoltenberg", "name": "Jens Stoltenberg"}],
    )
    assert Speaker.objects.count() == 3
    # The ETag is that of the speaker as a GET reads it, without the namesakes.
    read = editor_client.get("/api/v1/speakers/jens-stoltenberg-2/")
    assert read["ETag"] == created["ETag"]
    assert "similar_speakers" not in read.json()


def test_a_speaker_with_a_new_name_has_no_namesakes(editor_client):
    SpeakerFactory(name="Владимир Путин", slug="владимир-путин")
    created = editor_client.post(
        "/api/v1/speakers/", {"name": "Ihor Dolhov", "kind": "person"}, format="json"
    )
    assert created.json()["similar_speakers"] == []
    cyrillic = editor_client.post(
        "/api/v1/speakers/", {"name": "ВЛАДИМИР ПУТИН", "kind": "person"}, format="json"
    )
    assert cyrillic.json()["similar_speakers"] == [
        {"slug": "владимир-путин", "name": "Владимир Путин"}
    ]


def test_a_json_value_of_the_wrong_type_is_a_400_not_converted(editor_client, refs):
    response = editor_client.post(
        "/api/v1/reviews/",
        {
            "claim": str(refs["claim"]),
            "reviewer": "checker",
            "rating": "false",
            "textual_rating": 0,
            "rating_value": "5",
            "summary": True,
        },
        format="json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {
            "claim": ["Expected a whole number, got a string."],
            "textual_rating": ["Expected a string, got a whole number."],
            "rating_value": ["Expected a whole number, got a string."],
            "summary": ["Expected a string, got true or false."],
        },
    )


def test_form_data_is_converted_as_before(editor_client, refs):
    # The browsable API posts forms, in which every value is text.
    response = editor_client.post(
        "/api/v1/reviews/",
        {
            "claim": str(refs["claim"]),
            "reviewer": "checker",
            "rating": "false",
            "rating_value": "5",
        },
    )
    assert (response.status_code, response.json()["rating_value"]) == (201, 5)

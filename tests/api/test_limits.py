"""Size limits: a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a JSON 413, a text field over its
max_length a 400 naming the field; a text at its limit is saved whole."""

import json

import pytest
from django.urls import reverse

from claims.models import Appearance, Claim, Rebuttal, Review, Speaker
from sources.models import Source
from tests.factories import ClaimFactory, FactCheckerFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

LIMIT = 1_048_576


def test_a_json_body_over_the_limit_is_a_json_413_and_writes_nothing(editor_client):
    SpeakerFactory(slug="jane-doe")
    body = json.dumps({"text": "x" * LIMIT, "speaker": "jane-doe"})
    response = editor_client.generic(
        "POST", "/api/v1/claims/", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json() == {
        "detail": f"The request body is larger than the limit of {LIMIT} bytes.",
        "code": "too_large",
    }
    assert not Claim.objects.exists()


def test_a_form_body_over_the_limit_is_413_outside_the_api_too(admin_client):
    response = admin_client.generic(
        "POST",
        reverse("admin:claims_claim_add"),
        "text=" + "x" * LIMIT,
        content_type="application/x-www-form-urlencoded",
    )
    assert (response.status_code, response["Content-Type"]) == (413, "text/plain")
    assert response.content.decode() == (
        f"The request body is larger than the limit of {LIMIT} bytes."
    )


def test_a_body_at_the_limit_is_read(editor_client):
    SpeakerFactory(slug="jane-doe")
    body = json.dumps({"text": "A claim.", "speaker": "jane-doe", "context": ""})
    body = body[:-1] + " " * (LIMIT - len(body)) + "}"  # padded to exactly the limit
    assert len(body.encode()) == LIMIT
    response = editor_client.generic(
        "POST", "/api/v1/claims/", body, content_type="application/json"
    )
    assert response.status_code == 201
    assert Claim.objects.get().text == "A claim."


# (model, field, limit, how to create it through the API with that field's text)
TEXT_FIELDS = [
    (Claim, "text", 10_000, "/api/v1/claims/", lambda t, ids: {"speaker": "jane-doe", "text": t}),
    (
        Claim,
        "context",
        5_000,
        "/api/v1/claims/",
        lambda t, ids: {"speaker": "jane-doe", "text": "A claim.", "context": t},
    ),
    (
        Appearance,
        "quote",
        10_000,
        "/api/v1/claims/{claim}/appearances/",
        lambda t, ids: {"source": ids["source"], "quote": t},
    ),
    (
        Rebuttal,
        "text",
        10_000,
        "/api/v1/rebuttals/",
        lambda t, ids: {"claim": ids["claim"], "speaker": "john-roe", "text": t},
    ),
    (
        Review,
        "summary",
        10_000,
        "/api/v1/reviews/",
        lambda t, ids: {
            "claim": ids["claim"],
            "reviewer": "checker",
            "rating": "false",
            "summary": t,
        },
    ),
    (
        Source,
        "excerpt",
        20_000,
        "/api/v1/sources/",
        lambda t, ids: {"title": "A report", "excerpt": t},
    ),
    (
        Speaker,
        "description",
        5_000,
        "/api/v1/speakers/",
        lambda t, ids: {"name": "New Speaker", "description": t},
    ),
]


@pytest.fixture
def ids():
    claim = ClaimFactory(speaker=SpeakerFactory(slug="jane-doe"))
    SpeakerFactory(slug="john-roe")
    FactCheckerFactory(slug="checker")
    source = Source.objects.create(title="The source")
    return {"claim": claim.pk, "source": source.pk}


@pytest.mark.parametrize(
    ("model", "field", "limit", "url", "payload"),
    TEXT_FIELDS,
    ids=[f"{m.__name__}.{f}" for m, f, *_ in TEXT_FIELDS],
)
def test_text_over_its_limit_is_a_400_and_at_its_limit_is_saved_whole(
    editor_client, ids, model, field, limit, url, payload
):
    assert model._meta.get_field(field).max_length == limit
    url = url.format(**ids)
    before = model.objects.count()

    too_long = editor_client.post(url, payload("é" * (limit + 1), ids), format="json")
    assert too_long.status_code == 400
    assert too_long.json() == {field: [f"Ensure this field has no more than {limit} characters."]}
    assert model.objects.count() == before

    at_limit = editor_client.post(url, payload("é" * limit, ids), format="json")
    assert at_limit.status_code == 201
    assert at_limit.json()[field] == "é" * limit
    assert model.objects.order_by("-pk").values_list(field, flat=True).first() == "é" * limit


def test_the_admin_form_refuses_a_claim_text_over_its_limit(admin_client):
    speaker = SpeakerFactory()
    response = admin_client.post(
        reverse("admin:claims_claim_add"),
        {
            "text": "x" * 10_001,
            "speaker": speaker.pk,
            "language": "en",
            "status": "draft",
            "appearances-TOTAL_FORMS": 0,
            "appearances-INITIAL_FORMS": 0,
            "rebuttals-TOTAL_FORMS": 0,
            "rebuttals-INITIAL_FORMS": 0,
            "reviews-TOTAL_FORMS": 0,
            "reviews-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "text": ["Ensure this value has at most 10000 characters (it has 10001)."]
    }
    assert not Claim.objects.exists()

import pytest

from claims.enums import ClaimStatus
from claims.models import Appearance, Claim, Rebuttal, Review, Speaker
from sources.models import Source
from tests.api.conftest import etag
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    FactCheckerFactory,
    OutletFactory,
    ReviewFactory,
    SourceFactory,
    SpeakerFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def row_counts():
    models = [Speaker, Claim, Appearance, Rebuttal, Review, Source]
    return {model.__name__: model.objects.count() for model in models}


# --- permissions ------------------------------------------------------------------------------

WRITES = [
    ("post", "/api/v1/claims/", {"text": "x", "speaker": "jane-doe"}),
    ("patch", "/api/v1/claims/{claim}/", {"text": "changed"}),
    ("delete", "/api/v1/claims/{claim}/", None),
    ("post", "/api/v1/claims/{claim}/appearances/", {"source": "{source}"}),
    ("post", "/api/v1/speakers/", {"name": "New Speaker", "kind": "person"}),
    ("delete", "/api/v1/speakers/jane-doe/", None),
    ("post", "/api/v1/rebuttals/", {"claim": "{claim}", "speaker": "john-roe", "text": "No."}),
    ("post", "/api/v1/reviews/", {"claim": "{claim}", "reviewer": "checker", "rating": "false"}),
    ("post", "/api/v1/sources/", {"title": "A report"}),
    ("post", "/api/v1/outlets/", {"name": "New Outlet"}),
    ("post", "/api/v1/topics/", {"name": "New Topic"}),
]


@pytest.fixture
def targets():
    claim = ClaimFactory(speaker=SpeakerFactory(slug="jane-doe"))
    SpeakerFactory(slug="john-roe")
    FactCheckerFactory(slug="checker")
    return {"claim": claim.pk, "source": SourceFactory().pk}


def fill(value, targets):
    if isinstance(value, dict):
        return {k: fill(v, targets) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("{"):
        return value.format(**targets) if "/" in value else int(value.format(**targets))
    return value


@pytest.mark.parametrize(("method", "url", "data"), WRITES)
def test_anonymous_writes_are_401_and_write_nothing(anon, targets, method, url, data):
    before = row_counts()
    response = getattr(anon, method)(fill(url, targets), fill(data, targets), format="json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert response["WWW-Authenticate"] == "Token"
    assert row_counts() == before


@pytest.mark.parametrize(("method", "url", "data"), WRITES)
def test_writes_without_permission_are_403_and_write_nothing(
    reader_client, targets, method, url, data
):
    before = row_counts()
    response = getattr(reader_client, method)(
        fill(url, targets), fill(data, targets), format="json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}
    assert row_counts() == before


def test_a_bad_token_is_401(anon, targets):
    anon.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = anon.post("/api/v1/claims/", {"text": "x", "speaker": "jane-doe"}, format="json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
    assert anon.get("/api/v1/claims/").status_code == 401


# --- creating ---------------------------------------------------------------------------------


def test_editor_creates_a_claim_by_speaker_and_topic_slugs(editor_client, editor):
    SpeakerFactory(slug="jane-doe", name="Jane Doe")
    TopicFactory(slug="economy")
    response = editor_client.post(
        "/api/v1/claims/",
        {
            "text": "Unemployment has halved.",
            "speaker": "jane-doe",
            "topics": ["economy"],
            "stated_on": "2021-03-04",
            "status": "in_review",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    claim = Claim.objects.get()
    assert (body["id"], body["speaker"]["slug"], body["topics"], body["status"]) == (
        claim.pk,
        "jane-doe",
        ["economy"],
        "in_review",
    )
    assert (body["verdict"], body["appearances"], body["rebuttals"], body["reviews"]) == (
        None,
        [],
        [],
        [],
    )
    assert claim.created_by == editor


def test_read_only_fields_sent_on_create_and_update_are_ignored(editor_client, editor):
    SpeakerFactory(slug="jane-doe")
    other = ClaimFactory()
    sneaky = {
        "id": 999,
        "created_at": "2000-01-01T00:00:00Z",
        "updated_at": "2000-01-01T00:00:00Z",
        "created_by": 12345,
        "verdict": "true",
        "appearances": [{"source": 1, "quote": "x"}],
    }
    response = editor_client.post(
        "/api/v1/claims/", {"text": "A claim", "speaker": "jane-doe", **sneaky}, format="json"
    )
    assert response.status_code == 201
    claim = Claim.objects.exclude(pk=other.pk).get()
    assert claim.pk != 999
    assert claim.created_at.year > 2000
    assert claim.created_by == editor
    assert response.json()["verdict"] is None
    assert claim.appearances.count() == 0
    url = f"/api/v1/claims/{claim.pk}/"
    patched = editor_client.patch(
        url, sneaky, format="json", HTTP_IF_MATCH=etag(editor_client, url)
    )
    assert patched.status_code == 200
    claim.refresh_from_db()
    assert (claim.pk, claim.created_by, claim.created_at.year) == (
        response.json()["id"],
        editor,
        claim.created_at.year,
    )
    speaker = editor_client.post(
        "/api/v1/speakers/",
        {"name": "Jo Bloggs", "kind": "person", "claim_count": 50, "scorecard": {"true": 9}},
        format="json",
    ).json()
    assert (speaker["slug"], speaker["claim_count"]) == ("jo-bloggs", 0)


def test_editor_adds_an_appearance(editor_client):
    claim = ClaimFactory()
    source = SourceFactory()
    response = editor_client.post(
        f"/api/v1/claims/{claim.pk}/appearances/",
        {"source": source.pk, "quote": "the exact words", "is_first": True},
        format="json",
    )
    assert response.status_code == 201
    assert response.json() == {
        "id": claim.appearances.get().pk,
        "source": {
            "id": source.pk,
            "title": source.title,
            "url": source.url,
            "outlet": {"slug": source.outlet.slug, "name": source.outlet.name},
            "published_on": "2020-05-17",
        },
        "quote": "the exact words",
        "is_first": True,
    }
    second = editor_client.post(
        f"/api/v1/claims/{claim.pk}/appearances/",
        {"source": SourceFactory().pk, "is_first": True},
        format="json",
    )
    assert second.status_code == 400
    assert second.json() == {"is_first": ["This claim already has a first appearance."]}
    again = editor_client.post(
        f"/api/v1/claims/{claim.pk}/appearances/", {"source": source.pk}, format="json"
    )
    assert again.status_code == 400
    assert again.json() == {"source": ["This claim already has an appearance in that source."]}
    assert claim.appearances.count() == 1


def test_editor_creates_a_rebuttal_and_a_review(editor_client):
    claim = ClaimFactory(speaker=SpeakerFactory(slug="vladimir-putin"))
    SpeakerFactory(slug="jens-stoltenberg", name="Jens Stoltenberg")
    source = SourceFactory()
    OutletFactory(slug="checker", name="Checker", kind="fact_checker")
    rebuttal = editor_client.post(
        "/api/v1/rebuttals/",
        {
            "claim": claim.pk,
            "speaker": "jens-stoltenberg",
            "source": source.pk,
            "text": "There is no NATO legion.",
            "relation": "refutes",
        },
        format="json",
    )
    assert rebuttal.status_code == 201, rebuttal.content
    assert rebuttal.json() == {
        "id": Rebuttal.objects.get().pk,
        "claim": claim.pk,
        "speaker": {"slug": "jens-stoltenberg", "name": "Jens Stoltenberg"},
        "text": "There is no NATO legion.",
        "relation": "refutes",
        "stated_on": None,
        "source": {"id": source.pk, "title": source.title, "url": source.url},
        "rebutting_claim": None,
        "status": "draft",
    }
    review = editor_client.post(
        "/api/v1/reviews/",
        {
            "claim": claim.pk,
            "reviewer": "checker",
            "rating": "false",
            "textual_rating": "Pants on Fire",
            "rating_value": 0,
            "worst_rating": 0,
            "best_rating": 5,
            "status": "published",
            "published_on": "2015-01-27",
        },
        format="json",
    )
    assert review.status_code == 201, review.content
    assert review.json() == {
        "id": Review.objects.get().pk,
        "claim": claim.pk,
        "reviewer": {"slug": "checker", "name": "Checker"},
        "rating": "false",
        "textual_rating": "Pants on Fire",
        "rating_value": 0,
        "best_rating": 5,
        "worst_rating": 0,
        "summary": "",
        "url": "",
        "title": None,
        "published_on": "2015-01-27",
        "date_modified": None,
        "status": "published",
        "corrections": [],
    }


# --- bad input --------------------------------------------------------------------------------


@pytest.fixture
def refs():
    claim = ClaimFactory(speaker=SpeakerFactory(slug="jane-doe"))
    SpeakerFactory(slug="john-roe")
    FactCheckerFactory(slug="checker")
    return claim


@pytest.mark.parametrize(
    ("url", "data", "errors"),
    [
        ("/api/v1/claims/", {"speaker": "jane-doe"}, {"text": ["This field is required."]}),
        (
            "/api/v1/claims/",
            {"text": "x", "speaker": "no-such-speaker"},
            {"speaker": ["Object with slug=no-such-speaker does not exist."]},
        ),
        (
            "/api/v1/claims/",
            {"text": "x", "speaker": "jane-doe", "status": "approved"},
            {
                "status": [
                    '"approved" is not a valid choice. Valid choices: draft, in_review, published.'
                ]
            },
        ),
        (
            "/api/v1/reviews/",
            {"claim": "{claim}", "reviewer": "checker", "rating": "pants_on_fire"},
            {
                "rating": [
                    '"pants_on_fire" is not a valid choice. Valid choices: true, mostly_true, '
                    "mixed, mostly_false, false, unproven, misleading."
                ]
            },
        ),
        (
            "/api/v1/reviews/",
            {
                "claim": "{claim}",
                "reviewer": "checker",
                "rating": "false",
                "rating_value": 4,
                "best_rating": 3,
            },
            {"best_rating": ["Must not be below rating_value (4)."]},
        ),
        (
            "/api/v1/reviews/",
            {"claim": "{claim}", "reviewer": "checker", "rating": "false", "url": "ftp://x.org/a"},
            {"url": ["Enter an http(s) URL."]},
        ),
        (
            "/api/v1/sources/",
            {"title": "A report", "url": "javascript:alert(1)"},
            {"url": ["Enter an http(s) URL."]},
        ),
        (
            "/api/v1/speakers/",
            {"name": "Someone", "kind": "person", "wikidata_id": "12"},
            {"wikidata_id": ["Enter a Wikidata item id: Q followed by digits, e.g. Q7747."]},
        ),
        (
            "/api/v1/rebuttals/",
            {"claim": "{claim}", "speaker": "jane-doe", "text": "I was wrong."},
            {"relation": ["A speaker answering their own claim corrects it: use 'corrects'."]},
        ),
        (
            "/api/v1/rebuttals/",
            {"claim": 987654, "speaker": "john-roe", "text": "No."},
            {"claim": ['Invalid pk "987654" - object does not exist.']},
        ),
    ],
)
def test_bad_input_is_a_400_with_field_messages_and_writes_nothing(
    editor_client, refs, url, data, errors
):
    data = {k: (refs.pk if v == "{claim}" else v) for k, v in data.items()}
    before = row_counts()
    response = editor_client.post(url, data, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert row_counts() == before


def test_duplicate_slugs_and_urls_are_400(editor_client):
    SpeakerFactory(slug="nato", wikidata_id="Q7184")
    SourceFactory(url="https://news.example/a")
    speaker = editor_client.post(
        "/api/v1/speakers/",
        {"name": "NATO", "slug": "nato", "kind": "organization", "wikidata_id": "Q7184"},
        format="json",
    )
    assert speaker.status_code == 400
    assert set(speaker.json()) == {"slug", "wikidata_id"}
    source = editor_client.post(
        "/api/v1/sources/", {"title": "Same", "url": "https://news.example/a"}, format="json"
    )
    assert source.status_code == 400
    assert list(source.json()) == ["url"]


def test_speaker_slug_is_made_from_a_non_latin_name(editor_client):
    response = editor_client.post(
        "/api/v1/speakers/", {"name": "Владимир Путин", "kind": "person"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["slug"] == "владимир-путин"
    assert editor_client.get("/api/v1/speakers/владимир-путин/").json()["name"] == "Владимир Путин"


def test_deleting_a_speaker_with_claims_is_a_409(editor_client):
    claim = ClaimFactory(speaker=SpeakerFactory(slug="jane-doe"))
    url = "/api/v1/speakers/jane-doe/"
    response = editor_client.delete(url, HTTP_IF_MATCH=etag(editor_client, url))
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This cannot be deleted while other records depend on it.",
        "code": "protected",
        "protected_by": ["claims"],
    }
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_deleting_a_source_with_appearances_is_a_409(editor_client):
    appearance = AppearanceFactory()
    url = f"/api/v1/sources/{appearance.source.pk}/"
    response = editor_client.delete(url, HTTP_IF_MATCH=etag(editor_client, url))
    assert response.status_code == 409
    assert response.json()["protected_by"] == ["appearances"]


def test_editor_can_publish_through_patch(editor_client):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    ReviewFactory(claim=claim)
    url = f"/api/v1/claims/{claim.pk}/"
    response = editor_client.patch(
        url, {"status": "published"}, format="json", HTTP_IF_MATCH=etag(editor_client, url)
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["verdict"]) == ("published", "false")


def test_publishing_through_the_api_needs_the_publish_permission(editor):
    from django.contrib.auth.models import Permission

    from tests.api.conftest import token_client

    writer = UserFactory(username="writer", is_staff=True)
    writer.user_permissions.set(
        Permission.objects.filter(codename__in=["add_claim", "change_claim", "view_claim"])
    )
    client = token_client(writer)
    SpeakerFactory(slug="jane-doe")
    refused = client.post(
        "/api/v1/claims/",
        {"text": "x", "speaker": "jane-doe", "status": "published"},
        format="json",
    )
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "Publishing or unpublishing a claim needs the publish permission."
    }
    assert not Claim.objects.exists()
    draft = client.post(
        "/api/v1/claims/",
        {"text": "x", "speaker": "jane-doe", "status": "in_review"},
        format="json",
    )
    assert draft.status_code == 201
    url = f"/api/v1/claims/{draft.json()['id']}/"
    publish = {"status": "published"}
    assert (
        client.patch(url, publish, format="json", HTTP_IF_MATCH=etag(client, url)).status_code
        == 403
    )
    assert Claim.objects.get().status == ClaimStatus.IN_REVIEW
    editor_client = token_client(editor)
    published = editor_client.patch(
        url, publish, format="json", HTTP_IF_MATCH=etag(editor_client, url)
    )
    assert published.json()["status"] == "published"


def test_values_the_database_cannot_take_are_400s_not_500s(editor_client):
    claim = ClaimFactory()
    nul = editor_client.post(
        "/api/v1/rebuttals/",
        {"claim": claim.pk, "speaker": "ab\x00cd", "text": "No."},
        format="json",
    )
    assert nul.status_code == 400
    huge = editor_client.get("/api/v1/claims/", {"source": "9" * 30})
    assert huge.status_code == 400
    assert Rebuttal.objects.count() == 0

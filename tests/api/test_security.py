"""Security: every write refused to outsiders, nothing unpublished leaks anywhere, read-only
fields cannot be assigned, markup is stored verbatim and rendered escaped, CSRF holds.

Operations are taken from the OpenAPI document itself, so a new endpoint is covered
without editing this file.
"""

import json

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from claims.enums import ClaimStatus, ReviewStatus
from claims.models import Appearance, Claim, Rebuttal, Review, Speaker, Topic
from sources.models import Outlet, Source
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    FactCheckerFactory,
    RebuttalFactory,
    ReviewFactory,
    SpeakerFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

MARKER = "ZZDRAFTLEAKZZ"
WRITE_METHODS = ("post", "put", "patch", "delete")


def operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        for method in item:
            yield path, method


def everything():
    models = [Speaker, Topic, Claim, Appearance, Rebuttal, Review, Outlet, Source]
    return {model.__name__: sorted(model.objects.values_list("pk", "version")) for model in models}


@pytest.fixture
def published():
    """One published row of each kind, for path parameters."""
    claim = ClaimFactory(speaker=SpeakerFactory(slug="jane-doe"))
    claim.topics.add(TopicFactory(slug="economy"))
    appearance = AppearanceFactory(claim=claim)
    rebuttal = RebuttalFactory(claim=claim)
    review = ReviewFactory(claim=claim)
    return {
        "claims": claim.pk,
        "speakers": "jane-doe",
        "topics": "economy",
        "sources": appearance.source.pk,
        "outlets": appearance.source.outlet.slug,
        "rebuttals": rebuttal.pk,
        "reviews": review.pk,
    }


@pytest.fixture
def drafts():
    """Unpublished records, every one carrying MARKER somewhere a leak would show it."""
    speaker = SpeakerFactory(slug="drafty")
    draft = ClaimFactory(speaker=speaker, text=f"{MARKER} draft", status=ClaimStatus.DRAFT)
    in_review = ClaimFactory(
        speaker=speaker, text=f"{MARKER} in review", status=ClaimStatus.IN_REVIEW
    )
    AppearanceFactory(claim=draft, quote=MARKER)
    RebuttalFactory(claim=draft, text=f"{MARKER} rebuttal of a draft")
    public = ClaimFactory(speaker=speaker, text="Public")
    hidden_review = ReviewFactory(
        claim=public, status=ReviewStatus.DRAFT, textual_rating=MARKER, summary=MARKER
    )
    ReviewFactory(claim=draft, textual_rating=MARKER)
    public_rebuttal = RebuttalFactory(claim=public, rebutting_claim=in_review)
    # A published claim whose earlier versions were drafts carrying the marker.
    was_draft = ClaimFactory(text=f"{MARKER} earlier wording", status=ClaimStatus.DRAFT)
    was_draft.text, was_draft.status, was_draft.version = "Now public", "published", 2
    was_draft.save()
    return {
        "claims": [draft.pk, in_review.pk, public.pk, was_draft.pk],
        "reviews": [hidden_review.pk],
        "rebuttals": [public_rebuttal.pk],
        "speakers": ["drafty"],
    }


def fill(path, values):
    resource = path.split("/")[3]
    value = values.get(resource)
    return (
        path.replace("{id}", str(value))
        .replace("{slug}", str(value))
        .replace("{speaker_slug}", str(values.get("speakers")))
    )


# Signing in for a token, and revoking one's own, are for anyone: tests/api/test_tokens.py.
# Claim matching is a read sent as a POST (a long text): tests/matching/test_match_api.py.
READ_POSTS = ("/api/v1/auth/token/", "/api/v1/claims/match/")
WRITES = [
    (path, method)
    for path, method in operations()
    if method in WRITE_METHODS and path not in READ_POSTS
]
READS = [path for path, method in operations() if method == "get"]
OUTSIDERS = [("anon", 401), ("reader_client", 403)]


def test_the_operations_are_read_from_the_schema():
    assert (len(WRITES), len(READS)) >= (20, 10)


@pytest.mark.parametrize(("client_name", "expected"), OUTSIDERS)
@pytest.mark.parametrize(("path", "method"), WRITES)
def test_every_write_operation_is_refused_to_outsiders_and_writes_nothing(
    request, published, client_name, expected, path, method
):
    client = request.getfixturevalue(client_name)
    before = everything()
    url = fill(path, published)
    response = getattr(client, method)(url, {"text": "x"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == expected, response.content
    assert "detail" in response.json()
    assert everything() == before


@pytest.mark.parametrize("client_name", ["anon", "reader_client"])
@pytest.mark.parametrize(
    "path", [*READS, "/api/v1/claims/?q=" + MARKER, "/api/v1/claims/?status=draft"]
)
def test_nothing_unpublished_leaks_through_any_read_operation(
    request, published, drafts, client_name, path
):
    """The operation read with the published rows in its path, then with each draft's."""
    client = request.getfixturevalue(client_name)
    urls = {fill(path, published)}
    resource = path.split("/")[3] if path.startswith("/api/v1/") else ""
    urls |= {
        fill(path, {**published, resource: value, "speakers": value})
        for value in drafts.get(resource, [])
        if "{" in path
    }
    # Webhook subscriptions are read only with their permissions (newsroom).
    private = 401 if client_name == "anon" else 403
    for url in sorted(urls):  # the same operation, with each row a leak could come from
        response = client.get(url, {"page_size": 100} if url.endswith("/") else None)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        body = content.decode()
        assert MARKER not in body, url
        # Ingestion is for those who may add claims only, webhooks for their owners and a
        # claim's internal notes for staff: refused, not read.
        if url.startswith(("/api/v1/ingest/", "/api/v1/proposals/")):
            allowed = (401, 403)
        elif url.startswith("/api/v1/webhooks/") or url.endswith("/notes/"):
            allowed = (private,)
        else:
            allowed = (200, 400, 404)
        assert response.status_code in allowed, (url, response.status_code)


def test_staff_do_see_the_drafts_the_leak_test_looks_for(editor_client, drafts):
    body = editor_client.get("/api/v1/claims/", {"q": MARKER}).content.decode()
    assert body.count(MARKER) >= 2


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/api/v1/speakers/", {"name": "Jo Bloggs", "kind": "person"}),
        ("/api/v1/topics/", {"name": "Economy"}),
        ("/api/v1/outlets/", {"name": "Daily Planet"}),
        ("/api/v1/sources/", {"title": "A report"}),
        ("/api/v1/claims/", {"text": "A claim", "speaker": "jane-doe"}),
        ("/api/v1/rebuttals/", {"claim": "{claim}", "speaker": "john-roe", "text": "No."}),
        ("/api/v1/reviews/", {"claim": "{claim}", "reviewer": "checker", "rating": "false"}),
    ],
)
def test_read_only_fields_are_never_assigned_on_create_or_update(editor_client, url, data):
    claim = ClaimFactory(speaker=SpeakerFactory(slug="jane-doe"))
    SpeakerFactory(slug="john-roe")
    FactCheckerFactory(slug="checker")
    data = {k: claim.pk if v == "{claim}" else v for k, v in data.items()}
    forged = {
        "id": 424242,
        "version": 999,
        "created_at": "2000-01-01T00:00:00Z",
        "updated_at": "2000-01-01T00:00:00Z",
        "created_by": 1,
        "verdict": "true",
        "claim_count": 77,
        "scorecard": {"true": 5},
        "appearances": [{"source": 1}],
        "rebuttals": [{"text": "forged"}],
        "reviews": [{"rating": "true"}],
    }
    created = editor_client.post(url, {**data, **forged}, format="json")
    if created.status_code == 400:
        # Names that are no field of this resource at all (a topic's `verdict`) are refused.
        unknown = created.json()
        assert set(unknown) < set(forged), unknown
        assert all(messages[0].startswith("Unknown field.") for messages in unknown.values())
        forged = {k: v for k, v in forged.items() if k not in unknown}
        created = editor_client.post(url, {**data, **forged}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["id"] != 424242
    assert created["ETag"].startswith('"1-')  # version 1, not 999
    for field in ("verdict", "claim_count", "appearances", "rebuttals", "reviews"):
        assert body.get(field) in (None, 0, []), field
    if "scorecard" in body:
        assert set(body["scorecard"].values()) == {0}
    detail = url + (str(body["id"]) if "slug" not in body else body["slug"]) + "/"
    updated = editor_client.patch(detail, forged, format="json", HTTP_IF_MATCH=created["ETag"])
    assert updated.status_code == 200, updated.content
    assert updated.json()["id"] == body["id"]
    assert updated["ETag"].startswith('"2-')
    assert updated.json().get("created_at", None) == body.get("created_at", None)


XSS = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    "page", ["admin changelist", "admin change form", "browsable detail", "browsable list"]
)
def test_markup_is_stored_and_returned_verbatim_and_rendered_escaped(
    editor_client, admin_client, page
):
    SpeakerFactory(slug="jane-doe")
    created = editor_client.post(
        "/api/v1/claims/", {"text": XSS, "speaker": "jane-doe"}, format="json"
    ).json()
    assert created["text"] == XSS
    claim = Claim.objects.get(pk=created["id"])
    assert claim.text == XSS
    raw = editor_client.get(f"/api/v1/claims/{claim.pk}/")
    assert json.loads(raw.content)["text"] == XSS
    url = {
        "admin changelist": reverse("admin:claims_claim_changelist"),
        "admin change form": reverse("admin:claims_claim_change", args=[claim.pk]),
        "browsable detail": f"/api/v1/claims/{claim.pk}/?format=api",
        "browsable list": "/api/v1/claims/?format=api",
    }[page]
    html = admin_client.get(url).content.decode()
    assert XSS not in html
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escaped in html or "&lt;script&gt;" in html


def test_csrf_is_enforced_for_session_authenticated_writes(editor):
    SpeakerFactory(slug="jane-doe")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    refused = client.post("/api/v1/claims/", {"text": "x", "speaker": "jane-doe"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("CSRF Failed")
    assert not Claim.objects.exists()
    client.get("/api/v1/claims/?format=api")  # the browsable API sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/v1/claims/",
        {"text": "x", "speaker": "jane-doe"},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert accepted.status_code == 201

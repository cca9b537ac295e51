"""The fast read path (claims/projections.py) answers exactly what ClaimSerializer answers.

The serializer is the contract and the schema; the projection renders the same shape in SQL.
These tests keep the two from drifting: same keys, recursively, and equal JSON for the same
rows, for anonymous and staff clients, on every engine the suite runs on.
"""

import datetime
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from claims.enums import ClaimStatus, Rating, ReviewStatus
from claims.models import Claim, Speaker
from claims.projections import claim_shape, speaker_shape
from claims.querysets import scorecard
from claims.serializers import ClaimSerializer, SpeakerDetailSerializer
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    RebuttalFactory,
    ReviewFactory,
    SourceFactory,
    SpeakerFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def serializer_shape(serializer) -> tuple:
    """The keys a serializer writes, nested like `claim_shape()`."""
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    shape = []
    for name, field in serializer.fields.items():
        nested = isinstance(field, serializers.BaseSerializer) and not isinstance(
            field, serializers.ManyRelatedField
        )
        shape.append((name, serializer_shape(field)) if nested else name)
    return tuple(shape)


@pytest.mark.parametrize("staff", [False, True])
def test_projection_has_the_serializers_keys_in_its_order(staff):
    assert claim_shape(staff) == serializer_shape(ClaimSerializer())


@pytest.fixture
def claims():
    """Claims that cover every branch of the shape: null outlets and sources, no rebuttals,
    draft rebutting claims, several reviews with drafts and undated ones, no topics,
    non-Latin text, timestamps with and without microseconds."""
    speaker = SpeakerFactory(name="Jane Doe", slug="jane-doe", job_title="Minister")
    other = SpeakerFactory(name="Алексей Петров", slug="aleksei-petrov")
    topics = [TopicFactory(name="Zeta", slug="zeta"), TopicFactory(name="Alpha", slug="alpha")]
    full = ClaimFactory(
        speaker=speaker,
        text='Unemployment has "halved" — and more.',
        speaker_title="Minister of Labour",
        context="Budget speech",
        stated_on=datetime.date(2021, 3, 4),
    )
    full.topics.set(topics)
    AppearanceFactory(claim=full, quote="has halved", is_first=True)
    AppearanceFactory(claim=full, source=SourceFactory(outlet=None, published_on=None), quote="")
    draft = ClaimFactory(speaker=other, text="Черновик", status=ClaimStatus.DRAFT)
    published_answer = ClaimFactory(speaker=other, text="It has not.", stated_on=None)
    RebuttalFactory(claim=full, speaker=other, rebutting_claim=draft, source=None)
    RebuttalFactory(
        claim=full,
        speaker=other,
        rebutting_claim=published_answer,
        source=SourceFactory(),
        stated_on=datetime.date(2021, 3, 5),
    )
    ReviewFactory(claim=full, rating=Rating.FALSE, published_on=datetime.date(2021, 1, 1))
    ReviewFactory(claim=full, rating=Rating.TRUE, published_on=None)
    ReviewFactory(claim=full, rating=Rating.MIXED, status=ReviewStatus.DRAFT)
    ReviewFactory(claim=published_answer, rating=Rating.MISLEADING, status=ReviewStatus.DRAFT)
    in_review = ClaimFactory(speaker=speaker, status=ClaimStatus.IN_REVIEW)
    ReviewFactory(claim=in_review, rating=Rating.TRUE)
    # Whole-second timestamps: ISO 8601 without a fraction.
    Claim.objects.filter(pk=published_answer.pk).update(
        created_at=datetime.datetime(2022, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    )
    return Claim.objects.all()


def serialized(user, **filters):
    claims = Claim.objects.visible_to(user).for_api(user).filter(**filters)
    data = ClaimSerializer(claims, many=True).data
    return json.loads(JSONRenderer().render(data))


@pytest.mark.parametrize("client_name", ["anon", "editor_client"])
def test_projected_list_and_details_equal_the_serializer(request, claims, client_name):
    client = request.getfixturevalue(client_name)
    user = request.getfixturevalue("editor") if client_name == "editor_client" else None
    user = user or AnonymousUser()
    expected = serialized(user)
    listed = client.get("/api/v1/claims/").json()
    assert listed["count"] == len(expected) == (4 if user.is_staff else 2)
    assert listed["results"] == expected
    for claim in expected:
        assert client.get(f"/api/v1/claims/{claim['id']}/").json() == claim
    by_speaker = client.get("/api/v1/speakers/jane-doe/claims/").json()["results"]
    assert by_speaker == serialized(user, speaker__slug="jane-doe")


def test_browsable_api_still_renders_through_the_serializer(anon, claims):
    response = anon.get("/api/v1/claims/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "Unemployment has" in response.content.decode()


def test_fast_path_keeps_page_links_and_out_of_range_pages(anon):
    ClaimFactory.create_batch(5)
    body = anon.get("/api/v1/claims/", {"page_size": 2, "page": 2}).json()
    assert body["count"] == 5
    assert body["next"].endswith("/api/v1/claims/?page=3&page_size=2")
    assert body["previous"].endswith("/api/v1/claims/?page_size=2")
    assert len(body["results"]) == 2
    missing = anon.get("/api/v1/claims/", {"page": 4, "page_size": 2})
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Invalid page."}
    assert anon.get("/api/v1/claims/not-a-number/").status_code == 404


@pytest.mark.parametrize("staff", [False, True])
def test_speaker_projection_has_the_serializers_keys_in_its_order(staff):
    assert speaker_shape(staff) == serializer_shape(SpeakerDetailSerializer())


@pytest.mark.parametrize("client_name", ["anon", "editor_client"])
def test_projected_speaker_detail_equals_the_serializer(request, claims, client_name):
    client = request.getfixturevalue(client_name)
    user = request.getfixturevalue("editor") if client_name == "editor_client" else None
    user = user or AnonymousUser()
    jane = Speaker.objects.get(slug="jane-doe")
    jane.affiliation = SpeakerFactory(name="Government", slug="government")
    jane.save()
    for slug in ("jane-doe", "aleksei-petrov", "government"):
        speaker = Speaker.objects.for_api(user).get(slug=slug)
        speaker.scorecard = scorecard(Claim.objects.published().filter(speaker=speaker))
        expected = json.loads(JSONRenderer().render(SpeakerDetailSerializer(speaker).data))
        assert client.get(f"/api/v1/speakers/{slug}/").json() == expected
    missing = client.get("/api/v1/speakers/nobody/")
    assert (missing.status_code, missing.json()) == (
        404,
        {"detail": "No Speaker matches the given query."},
    )

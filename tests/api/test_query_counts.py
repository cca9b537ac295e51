"""Every list and detail endpoint runs a fixed number of SQL queries, whatever the page size."""

import pytest

from claims.models import Claim
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    RebuttalFactory,
    ReviewFactory,
    SpeakerFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def build(n):
    """n fully dressed claims by one speaker, each with a topic, two appearances, a rebuttal
    with a rebutting claim and a source, and two reviews."""
    speaker = SpeakerFactory(slug="jane-doe", affiliation=SpeakerFactory())
    for _ in range(n):
        claim = ClaimFactory(speaker=speaker)
        claim.topics.add(TopicFactory())
        AppearanceFactory.create_batch(2, claim=claim)
        RebuttalFactory(
            claim=claim, rebutting_claim=ClaimFactory(), source=AppearanceFactory().source
        )
        ReviewFactory.create_batch(2, claim=claim)
    return Claim.objects.filter(speaker=speaker).first()


# (url, queries for an anonymous client). A token client adds one query: the token lookup.
ENDPOINTS = [
    # count, claims (with speaker and verdict), topics, appearances+sources+outlets,
    # rebuttals+speakers+sources, reviews+reviewers
    ("/api/v1/claims/", 6),
    # the same, plus validating the speaker slug
    ("/api/v1/claims/?speaker=jane-doe", 7),
    # the same, plus looking up the speaker of the path
    ("/api/v1/speakers/jane-doe/claims/", 7),
    # count, rebuttals with speaker, source and rebutting claim's status
    ("/api/v1/rebuttals/", 2),
    # count, reviews with reviewer
    ("/api/v1/reviews/", 2),
    # count, speakers with affiliation and claim count
    ("/api/v1/speakers/", 2),
    # count, sources with outlet
    ("/api/v1/sources/", 2),
    ("/api/v1/outlets/", 2),
    ("/api/v1/topics/", 2),
    # the claim, then topics, appearances, rebuttals, reviews
    ("/api/v1/claims/{claim}/", 5),
    # the speaker with its claim count, then the scorecard
    ("/api/v1/speakers/jane-doe/", 2),
    ("/api/v1/rebuttals/{rebuttal}/", 1),
    ("/api/v1/reviews/{review}/", 1),
    ("/api/v1/sources/{source}/", 1),
]


@pytest.mark.parametrize("items", [1, 20])
@pytest.mark.parametrize(("url", "queries"), ENDPOINTS)
def test_query_count_is_fixed(anon, django_assert_num_queries, items, url, queries):
    claim = build(items)
    url = url.format(
        claim=claim.pk,
        rebuttal=claim.rebuttals.first().pk,
        review=claim.reviews.first().pk,
        source=claim.appearances.first().source_id,
    )
    with django_assert_num_queries(queries):
        response = anon.get(url)
    assert response.status_code == 200
    body = response.json()
    if "results" in body:
        assert len(body["results"]) >= min(items, 20)


@pytest.mark.parametrize("items", [1, 20])
def test_token_client_adds_only_the_token_lookup(editor_client, django_assert_num_queries, items):
    build(items)
    # token+user, count, claims, topics, appearances, rebuttals, reviews
    with django_assert_num_queries(7):
        response = editor_client.get("/api/v1/claims/")
    # each item makes three claims: its own, its rebutting claim, its extra source's claim
    assert len(response.json()["results"]) == min(items * 3, 20)

"""Every list and detail endpoint runs a fixed number of SQL queries, whatever the page size."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def build(n, slug="jane-doe"):
    """n fully dressed claims by one speaker, each with a topic, two appearances, a rebuttal
    with a rebutting claim and a source, and two reviews."""
    speaker = SpeakerFactory(slug=slug, affiliation=SpeakerFactory())
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
# Claims and the speaker detail are documents (claims/documents.py): the database builds each
# one's JSON, so a page is one query however many claims, appearances or reviews it holds. At
# most 4 queries per claim list, search or detail request. (A result of more than
# EXACT_COUNT_LIMIT claims adds one query when its cached count has expired: claims/counts.py.)
ENDPOINTS = [
    # count, then the page: claims with speaker, verdict, topics, appearances, rebuttals, reviews
    ("/api/v1/claims/", 2),
    # the same, plus validating the speaker slug
    ("/api/v1/claims/?speaker=jane-doe", 3),
    # the same: the path's speaker is the same filter
    ("/api/v1/speakers/jane-doe/claims/", 3),
    ("/api/v1/speakers/jane-doe/claims/?verdict=false&ordering=stated_on", 3),
    # search: the count, then the page's documents best first with their scores (words are
    # matched and scored inside those two: claims/search.py; a page over-fetched before the
    # filters that comes up short is read once more)
    ("/api/v1/claims/?q=economy", 2),
    # an ordering instead of the score: count, page
    ("/api/v1/claims/?q=economy&ordering=-created_at&has_review=true", 2),
    # count, rebuttals with speaker, source and rebutting claim's status
    ("/api/v1/rebuttals/", 2),
    # count, reviews with reviewer
    ("/api/v1/reviews/", 2),
    # count, appearances with source and outlet
    ("/api/v1/appearances/", 2),
    # count, speakers with affiliation and claim count
    ("/api/v1/speakers/", 2),
    # count, sources with outlet
    ("/api/v1/sources/", 2),
    ("/api/v1/outlets/", 2),
    ("/api/v1/topics/", 2),
    # the claim with everything nested in it
    ("/api/v1/claims/{claim}/", 1),
    # the speaker with its affiliation, claim count and scorecard (claims/documents.py)
    ("/api/v1/speakers/jane-doe/", 1),
    ("/api/v1/rebuttals/{rebuttal}/", 1),
    ("/api/v1/reviews/{review}/", 1),
    ("/api/v1/appearances/{appearance}/", 1),
    ("/api/v1/sources/{source}/", 1),
]


@pytest.mark.parametrize("items", [1, 20])
@pytest.mark.parametrize(("url", "queries"), ENDPOINTS)
def test_query_count_is_fixed(anon, django_assert_num_queries, items, url, queries):
    caches["per_process"].clear()  # the first request after a restart: nothing cached
    claim = build(items)
    url = url.format(
        claim=claim.pk,
        rebuttal=claim.rebuttals.first().pk,
        review=claim.reviews.first().pk,
        appearance=claim.appearances.first().pk,
        source=claim.appearances.first().source_id,
    )
    with django_assert_num_queries(queries):
        response = anon.get(url)
    assert response.status_code == 200
    body = response.json()
    if "results" in body:
        assert len(body["results"]) >= min(items, 20)


def test_browsable_api_keeps_its_fixed_query_count(anon):
    """The browsable API renders the same documents: its queries (the page, and the filter
    form's choices) do not grow with the page either."""

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = anon.get("/api/v1/claims/", HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        return len(captured)

    build(1)
    few = queries()
    build(19, slug="john-roe")
    assert queries() == few


@pytest.mark.parametrize("items", [1, 20])
def test_token_client_adds_only_the_token_and_permission_lookups(
    editor_client, django_assert_num_queries, items
):
    build(items)
    # token+user, the user's permissions (whether they see drafts), count, page
    with django_assert_num_queries(4):
        response = editor_client.get("/api/v1/claims/")
    # each item makes three claims: its own, its rebutting claim, its extra source's claim
    assert len(response.json()["results"]) == min(items * 3, 20)


@pytest.mark.parametrize("items", [1, 3])
def test_a_claim_patch_makes_a_fixed_number_of_queries(
    editor_client, django_assert_num_queries, items
):
    claim = ClaimFactory()
    for _ in range(items):  # whatever the claim holds
        claim.topics.add(TopicFactory())
        AppearanceFactory(claim=claim)
        RebuttalFactory(claim=claim, rebutting_claim=ClaimFactory())
        ReviewFactory(claim=claim)
    url = f"/api/v1/claims/{claim.pk}/"
    tag = editor_client.get(url)["ETag"]
    # token+user; the user's permissions; SAVEPOINT (the request's transaction, nested in the
    # test's); lock the claim's row; read it once, then its document (the ETag to compare);
    # SAVEPOINT twice (claim_save, and claim_set_status in it); UPDATE the claim; INSERT its
    # version; django-simple-history reads back the field it does not keep (verdict) and the
    # claim's topics, and INSERTs them into the version; the move unpublishes the claim: read
    # the webhook subscriptions (newsroom.events); RELEASE SAVEPOINT twice; the answer's
    # document; RELEASE SAVEPOINT.
    with django_assert_num_queries(18):
        response = editor_client.patch(
            url, {"text": "Changed", "status": "in_review"}, format="json", HTTP_IF_MATCH=tag
        )
    assert response.status_code == 200, response.content
    assert (response.json()["text"], response.json()["status"]) == ("Changed", "in_review")
    assert len(response.json()["appearances"]) == len(response.json()["reviews"]) == items


def test_a_large_result_is_counted_once_then_its_count_reused(
    anon, settings, django_assert_num_queries
):
    settings.EXACT_COUNT_LIMIT = 2  # claims/counts.py: beyond it, counted once and cached
    ClaimFactory.create_batch(3)
    # the ids, capped at the limit (one too many: not small), the count, the page
    with django_assert_num_queries(3):
        assert anon.get("/api/v1/claims/", {"page_size": 2}).json()["count"] == 3
    ClaimFactory()  # the cached count lags writes, by design, until it expires
    with django_assert_num_queries(1):  # the page
        body = anon.get("/api/v1/claims/", {"page_size": 2, "page": 2}).json()
    assert (body["count"], len(body["results"])) == (3, 1)  # the page ends at the count

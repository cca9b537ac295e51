"""The ClaimReview export: one review, the DataFeed, what anonymous clients see, the query
counts, Google's required properties, and the round trip through the import."""

import datetime
import json

import pytest
from django.core.cache import caches

from claims.enums import ClaimStatus, ReviewStatus, SpeakerKind
from claims.models import Review
from interop.export import claimreview, for_export, shorten_claim
from interop.parse import read_document
from interop.services import CommandLine, claimreview_import
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    FactCheckerFactory,
    OutletFactory,
    RebuttalFactory,
    ReviewFactory,
    SourceFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db

LONG_TEXT = (
    "NATO is building a legion of foreign fighters in Ukraine, which it denies, and which "
    "nobody has seen."
)


def populated():
    """A published claim with everything a ClaimReview can say about it, and a rebuttal."""
    speaker = SpeakerFactory(
        name="Sergei Lavrov",
        slug="sergei-lavrov",
        job_title="Foreign Minister",
        wikidata_id="Q167321",
    )
    claim = ClaimFactory(
        speaker=speaker,
        text=LONG_TEXT,
        stated_on=datetime.date(2024, 2, 1),
        language="en",
        speaker_title="Foreign Minister of Russia",
    )
    wire = OutletFactory(name="Wire", slug="wire", homepage="https://wire.example/")
    AppearanceFactory(
        claim=claim,
        is_first=True,
        source=SourceFactory(
            url="https://wire.example/1",
            title="Lavrov on NATO",
            outlet=wire,
            authors="A. Reporter",
            published_on=datetime.date(2024, 2, 2),
        ),
    )
    AppearanceFactory(
        claim=claim,
        source=SourceFactory(url="https://tv.example/2", title="Evening news", outlet=None),
    )
    RebuttalFactory(
        claim=claim,
        speaker=SpeakerFactory(name="NATO", slug="nato", kind=SpeakerKind.ORGANIZATION),
        text="There is no NATO legion.",
        stated_on=datetime.date(2024, 2, 3),
        source=SourceFactory(url="https://nato.example/statement", title="Statement", outlet=wire),
    )
    checker = FactCheckerFactory(name="Checker", slug="checker", homepage="https://checker.example")
    return ReviewFactory(
        claim=claim,
        reviewer=checker,
        rating="false",
        textual_rating="Pants on Fire",
        rating_value=0,
        best_rating=5,
        worst_rating=0,
        summary="No such legion exists.",
        url="https://checker.example/nato-legion",
        title="No, NATO has no legion in Ukraine",
        published_on=datetime.date(2024, 2, 5),
        date_modified=datetime.date(2024, 2, 6),
    )


EXPECTED = {
    "@context": ["https://schema.org", {"factcheck": "urn:factcheck:"}],
    "@type": "ClaimReview",
    "url": "https://checker.example/nato-legion",
    "name": "No, NATO has no legion in Ukraine",
    "claimReviewed": "NATO is building a legion of foreign fighters in Ukraine, which it denies…",
    "reviewBody": "No such legion exists.",
    "datePublished": "2024-02-05",
    "dateModified": "2024-02-06",
    "author": {"@type": "Organization", "name": "Checker", "url": "https://checker.example"},
    "reviewRating": {
        "@type": "Rating",
        "alternateName": "Pants on Fire",
        "ratingValue": 0,
        "bestRating": 5,
        "worstRating": 0,
    },
    "itemReviewed": {
        "@type": "Claim",
        "author": {
            "@type": "Person",
            "name": "Sergei Lavrov",
            "jobTitle": "Foreign Minister of Russia",
            "sameAs": "https://www.wikidata.org/wiki/Q167321",
        },
        "datePublished": "2024-02-01",
        "inLanguage": "en",
        "text": LONG_TEXT,
        "firstAppearance": {
            "@type": "CreativeWork",
            "url": "https://wire.example/1",
            "headline": "Lavrov on NATO",
            "datePublished": "2024-02-02",
            "author": {"@type": "Person", "name": "A. Reporter"},
            "publisher": {"@type": "Organization", "name": "Wire", "url": "https://wire.example/"},
        },
        "appearance": [
            {
                "@type": "CreativeWork",
                "url": "https://tv.example/2",
                "headline": "Evening news",
                "datePublished": "2020-05-17",
                "author": {"@type": "Person", "name": "A. Reporter"},
            }
        ],
    },
    "factcheck:rebuttals": [
        {
            "@type": "Claim",
            "text": "There is no NATO legion.",
            "author": {"@type": "Organization", "name": "NATO"},
            "datePublished": "2024-02-03",
            "appearance": {
                "@type": "CreativeWork",
                "url": "https://nato.example/statement",
                "headline": "Statement",
                "datePublished": "2020-05-17",
                "author": {"@type": "Person", "name": "A. Reporter"},
                "publisher": {
                    "@type": "Organization",
                    "name": "Wire",
                    "url": "https://wire.example/",
                },
            },
            "relation": "refutes",
        }
    ],
}


def test_a_review_as_claimreview(anon):
    review = populated()
    response = anon.get(f"/api/v1/reviews/{review.pk}/claimreview/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert json.loads(response.content) == EXPECTED


def test_the_document_carries_googles_required_and_recommended_properties(anon):
    review = populated()
    document = json.loads(anon.get(f"/api/v1/reviews/{review.pk}/claimreview/").content)
    for required in ["claimReviewed", "reviewRating", "url"]:
        assert document[required]
    assert document["reviewRating"]["alternateName"]
    for recommended in ["author", "datePublished", "itemReviewed"]:
        assert document[recommended]
    assert {"name", "url"} <= set(document["author"])
    assert {"author", "datePublished", "appearance", "firstAppearance"} <= set(
        document["itemReviewed"]
    )
    assert len(document["claimReviewed"]) <= 75


@pytest.mark.parametrize(
    ("text", "short"),
    [
        ("Short enough.", "Short enough."),
        ("x" * 75, "x" * 75),
        (
            "word " * 20,
            "word word word word word word word word word word word word word word word…",
        ),
        ("a" * 80, "a" * 74 + "…"),
    ],
)
def test_claim_reviewed_is_shortened_on_a_word_boundary(text, short):
    assert shorten_claim(text) == short
    assert len(shorten_claim(text)) <= 75


def test_drafts_never_reach_anonymous_clients(anon, editor_client):
    published = populated()
    draft_review = ReviewFactory(claim=published.claim, status=ReviewStatus.DRAFT)
    draft_claim = ClaimFactory(status=ClaimStatus.DRAFT, text="A secret draft claim.")
    hidden = ReviewFactory(claim=draft_claim)
    for review in (draft_review, hidden):
        response = anon.get(f"/api/v1/reviews/{review.pk}/claimreview/")
        assert response.status_code == 404
        assert json.loads(response.content) == {"detail": "No Review matches the given query."}
    feed = json.loads(anon.get("/api/v1/claimreview/").content)
    assert feed["count"] == 1
    assert [d["url"] for d in feed["dataFeedElement"]] == ["https://checker.example/nato-legion"]
    assert "secret" not in json.dumps(feed)
    # Those who see drafts (the editors) export them too.
    assert editor_client.get(f"/api/v1/reviews/{hidden.pk}/claimreview/").status_code == 200
    assert json.loads(editor_client.get("/api/v1/claimreview/").content)["count"] == 3


def test_the_feed_is_a_paginated_data_feed_filterable_like_the_reviews_list(anon):
    review = populated()
    other = ReviewFactory(published_on=datetime.date(2019, 1, 1), url="https://other.example/1")
    feed = json.loads(anon.get("/api/v1/claimreview/?page_size=1").content)
    assert feed == {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "count": 2,
        "next": "http://testserver/api/v1/claimreview/?page=2&page_size=1",
        "previous": None,
        "dataFeedElement": [EXPECTED],
    }

    def urls(query):
        response = anon.get(f"/api/v1/claimreview/?{query}")
        assert response.status_code == 200, response.content
        return [d.get("url") for d in json.loads(response.content)["dataFeedElement"]]

    assert urls("reviewer=checker") == [review.url]
    assert urls(f"reviewer={other.reviewer.slug}") == [other.url]
    assert urls("published_after=2020-01-01") == [review.url]
    assert urls("speaker=sergei-lavrov") == [review.url]
    assert urls(f"speaker={other.claim.speaker.slug}&speaker=sergei-lavrov") == [
        review.url,
        other.url,
    ]
    bad = anon.get("/api/v1/claimreview/?speaker=nobody&colour=red")
    assert bad.status_code == 400
    assert json.loads(bad.content) == {
        "colour": [
            "Unknown query parameter. Allowed here: claim, format, page, page_size, "
            "published_after, published_before, rating, reviewer, speaker."
        ]
    }


@pytest.mark.parametrize("items", [1, 3])
def test_the_feed_makes_a_fixed_number_of_queries(anon, django_assert_num_queries, items):
    for _ in range(items):
        populated_claim = ReviewFactory(claim=AppearanceFactory().claim)
        RebuttalFactory(claim=populated_claim.claim, source=SourceFactory())
    caches["per_process"].clear()
    # count; reviews with reviewer, claim and speaker; appearances with source and outlet;
    # rebuttals with speaker, source and outlet
    with django_assert_num_queries(4):
        response = anon.get("/api/v1/claimreview/")
    assert len(json.loads(response.content)["dataFeedElement"]) == items
    # the same with the speaker filter, plus validating its slug
    slug = populated_claim.claim.speaker.slug
    with django_assert_num_queries(5):
        anon.get(f"/api/v1/claimreview/?speaker={slug}")


def test_export_import_export_gives_identical_documents(django_db_blocker):
    populated()
    ReviewFactory(claim=Review.objects.get().claim, reviewer=FactCheckerFactory(homepage=""))
    speaker = SpeakerFactory(name="Ministerio", kind=SpeakerKind.GOVERNMENT)
    ReviewFactory(
        claim=ClaimFactory(speaker=speaker, text="El paro bajó un 50 % en un año.", language="es"),
        textual_rating="",
        rating="misleading",
        url="https://verifica.example/paro",
    )
    ReviewFactory(status=ReviewStatus.DRAFT)  # not exported to anonymous clients

    def export_all():
        from django.contrib.auth.models import AnonymousUser

        reviews = for_export(Review.objects.visible_to(AnonymousUser())).order_by("url", "id")
        return [claimreview(review) for review in reviews]

    first = export_all()
    assert len(first) == 3
    # An empty database: delete everything, then import what was exported.
    from claims.models import Appearance, Claim, Rebuttal, Speaker
    from sources.models import Outlet, Source

    for model in [Review, Rebuttal, Appearance, Claim, Source, Speaker, Outlet]:
        model.objects.all().delete()
    document = read_document(json.dumps(first), name="export")
    report = claimreview_import(documents=[document], by=CommandLine())
    assert (report.created, report.rejected) == (3, 0), report.as_dict()
    assert export_all() == first

"""Atom feeds of published claims and reviews: only public records, a fixed number of queries."""

import xml.etree.ElementTree as ET

import pytest

from claims.enums import ClaimStatus, Rating, ReviewStatus
from tests.factories import ClaimFactory, ReviewFactory, SpeakerFactory, TopicFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    return feed.findtext(f"{ATOM}title"), [
        (e.findtext(f"{ATOM}title"), e.find(f"{ATOM}link").get("href"))
        for e in feed.findall(f"{ATOM}entry")
    ]


def test_claims_feed_lists_published_claims_only(client, admin_client):
    speaker = SpeakerFactory(name="Ada")
    public = ClaimFactory(speaker=speaker, text="Taxes fell.")
    ClaimFactory(speaker=speaker, text="Secret draft.", status=ClaimStatus.DRAFT)
    ClaimFactory(speaker=speaker, text="Under review.", status=ClaimStatus.IN_REVIEW)
    expected = (
        "Claims",
        [("Ada: Taxes fell.", f"http://testserver/api/v1/claims/{public.pk}/")],
    )
    assert entries(client, "/feeds/claims/") == expected
    assert entries(admin_client, "/feeds/claims/") == expected  # a feed is public, for anyone


def test_reviews_feed_lists_published_reviews_of_published_claims(client):
    published = ReviewFactory(textual_rating="Pants on Fire", claim__speaker__name="Bo")
    ReviewFactory(status=ReviewStatus.DRAFT)
    ReviewFactory(claim__status=ClaimStatus.DRAFT)
    title, items = entries(client, "/feeds/reviews/")
    assert (title, items) == (
        "Fact-checks",
        [
            (
                f"{published.reviewer.name}: Pants on Fire — Bo",
                f"http://testserver/api/v1/reviews/{published.pk}/",
            )
        ],
    )


def test_speaker_topic_and_verdict_feeds(client):
    speaker, topic = SpeakerFactory(name="Cy", slug="cy"), TopicFactory(slug="tax")
    claim = ClaimFactory(speaker=speaker, text="One.")
    claim.topics.add(topic)
    ReviewFactory(claim=claim, rating=Rating.FALSE)
    ClaimFactory(speaker=speaker, text="Draft.", status=ClaimStatus.DRAFT).topics.add(topic)
    ClaimFactory(text="Someone else's.")
    link = f"http://testserver/api/v1/claims/{claim.pk}/"
    assert entries(client, "/feeds/speakers/cy/") == ("Claims by Cy", [("Cy: One.", link)])
    assert entries(client, "/feeds/topics/tax/") == (
        f"Claims about {topic.name}",
        [("Cy: One.", link)],
    )
    assert entries(client, "/feeds/verdicts/false/") == ("Claims rated False", [("Cy: One.", link)])
    assert entries(client, "/feeds/verdicts/true/") == ("Claims rated True", [])


@pytest.mark.parametrize(
    "url", ["/feeds/speakers/nobody/", "/feeds/topics/nothing/", "/feeds/verdicts/bogus/"]
)
def test_unknown_feed_objects_are_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/feeds/claims/", 1),  # claims joined with their speakers
        ("/feeds/reviews/", 1),  # reviews joined with reviewer, claim and speaker
        ("/feeds/speakers/cy/", 2),  # the speaker, then its claims
        ("/feeds/topics/tax/", 2),  # the topic, then its claims
        ("/feeds/verdicts/false/", 1),  # the claims with that verdict
    ],
)
def test_feeds_make_a_fixed_number_of_queries(
    client, django_assert_num_queries, count, url, queries
):
    speaker, topic = SpeakerFactory(slug="cy"), TopicFactory(slug="tax")
    for _ in range(count):
        claim = ClaimFactory(speaker=speaker)
        claim.topics.add(topic)
        ReviewFactory(claim=claim, rating=Rating.FALSE)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.content.count(b"<entry>") == count


def test_the_api_root_links_the_feeds_and_exports(client):
    root = client.get("/api/v1/").json()
    assert {name: root[name] for name in root if "/" in name} == {
        "exports/claims.csv": "http://testserver/api/v1/exports/claims.csv",
        "exports/claims.jsonl": "http://testserver/api/v1/exports/claims.jsonl",
        "feeds/claims": "http://testserver/feeds/claims/",
        "feeds/reviews": "http://testserver/feeds/reviews/",
    }

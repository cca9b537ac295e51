"""`/api/v1/compat/claims:search`: the Fact Check Tools API's shape over our claims."""

import datetime
import json

import pytest
from django.core.cache import caches
from django.utils import timezone

from claims.enums import ClaimStatus, ReviewStatus
from tests.factories import ClaimFactory, FactCheckerFactory, ReviewFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/compat/claims:search"


@pytest.fixture
def claims():
    politifact = FactCheckerFactory(name="PolitiFact", homepage="https://www.politifact.com/")
    other = FactCheckerFactory(name="Other", homepage="https://other.example")
    speaker = SpeakerFactory(name="Jane Doe")
    moon = ClaimFactory(
        speaker=speaker, text="The moon is made of cheese.", stated_on=datetime.date(2020, 1, 2)
    )
    ReviewFactory(
        claim=moon,
        reviewer=politifact,
        textual_rating="Pants on Fire",
        url="https://www.politifact.com/moon",
        title="No cheese",
        published_on=datetime.date(2020, 1, 5),
    )
    ReviewFactory(
        claim=moon,
        reviewer=other,
        textual_rating="",
        rating="false",
        url="https://other.example/moon",
        published_on=timezone.now().date(),
    )
    sun = ClaimFactory(
        speaker=speaker, text="The sun is cold.", language="fr", stated_on=datetime.date(2019, 1, 1)
    )
    ReviewFactory(claim=sun, reviewer=other, url="https://other.example/sun")
    # What anonymous clients must not see: a draft review, a published review of a draft
    # claim, and a claim without reviews.
    ReviewFactory(claim=sun, reviewer=politifact, status=ReviewStatus.DRAFT, url="https://x/d")
    ReviewFactory(claim=ClaimFactory(status=ClaimStatus.DRAFT, text="The moon is secret."))
    ClaimFactory(text="The moon has no review.")
    return moon, sun


def search(client, query=""):
    response = client.get(f"{URL}?{query}")
    return response.status_code, json.loads(response.content)


def test_the_answer_has_the_fact_check_tools_shape(anon, claims):
    assert search(anon, "query=moon") == (
        200,
        {
            "claims": [
                {
                    "text": "The moon is made of cheese.",
                    "claimant": "Jane Doe",
                    "claimDate": "2020-01-02T00:00:00Z",
                    "claimReview": [
                        {
                            "publisher": {"name": "Other", "site": "other.example"},
                            "url": "https://other.example/moon",
                            "reviewDate": f"{timezone.now().date().isoformat()}T00:00:00Z",
                            "textualRating": "False",
                            "languageCode": "en",
                        },
                        {
                            "publisher": {"name": "PolitiFact", "site": "politifact.com"},
                            "url": "https://www.politifact.com/moon",
                            "title": "No cheese",
                            "reviewDate": "2020-01-05T00:00:00Z",
                            "textualRating": "Pants on Fire",
                            "languageCode": "en",
                        },
                    ],
                }
            ]
        },
    )


def test_filters_language_site_and_age(anon, claims):
    def texts(query):
        status, body = search(anon, query)
        assert status == 200, body
        return [(c["text"], [r["url"] for r in c["claimReview"]]) for c in body["claims"]]

    assert texts("languageCode=fr-FR") == [("The sun is cold.", ["https://other.example/sun"])]
    assert texts("reviewPublisherSiteFilter=politifact.com") == [
        ("The moon is made of cheese.", ["https://www.politifact.com/moon"])
    ]
    assert texts("maxAgeDays=3") == [
        ("The moon is made of cheese.", ["https://other.example/moon"])
    ]
    assert texts("query=sun&reviewPublisherSiteFilter=politifact.com") == []


def test_pages_follow_next_page_token_and_offset(anon, claims):
    status, first = search(anon, "pageSize=1")
    assert (status, [c["text"] for c in first["claims"]]) == (200, ["The moon is made of cheese."])
    status, second = search(anon, f"pageSize=1&pageToken={first['nextPageToken']}")
    assert [c["text"] for c in second["claims"]] == ["The sun is cold."]
    assert "nextPageToken" not in second
    assert [c["text"] for c in search(anon, "pageSize=1&offset=1")[1]["claims"]] == [
        "The sun is cold."
    ]


def test_drafts_never_show(anon, editor_client, claims):
    body = json.dumps(search(anon, "pageSize=100")[1])
    assert "secret" not in body and "https://x/d" not in body and "no review" not in body
    # An editor sees drafts, as everywhere else.
    assert "secret" in json.dumps(search(editor_client, "pageSize=100")[1])


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        (
            "colour=red",
            {
                "colour": [
                    "Unknown query parameter. Allowed here: languageCode, "
                    "maxAgeDays, offset, pageSize, pageToken, query, "
                    "reviewPublisherSiteFilter."
                ]
            },
        ),
        ("pageSize=0", {"pageSize": ["Enter a whole number from 1 to 100."]}),
        ("pageSize=abc", {"pageSize": ["Enter a whole number from 1 to 100."]}),
        ("pageToken=%%%", {"pageToken": ["Give the nextPageToken of a previous answer."]}),
        ("offset=-1", {"offset": ["Enter a whole number from 0 to 1000000."]}),
        ("maxAgeDays=x", {"maxAgeDays": ["Enter a whole number from 1 to 100000."]}),
        ("languageCode=%21%21", {"languageCode": ['Give a BCP-47 code, e.g. "en-US".']}),
        ("query=", {"query": ["Give a value, or leave the parameter out."]}),
        (
            "query=a+b+c+d+e+f+g+h+i+j+k",
            {"query": ["Give at most 10 different words or phrases."]},
        ),
    ],
)
def test_bad_parameters_are_a_400_naming_them(anon, claims, query, errors):
    assert search(anon, query) == (400, errors)


@pytest.mark.parametrize("items", [1, 3])
def test_a_fixed_number_of_queries(anon, django_assert_num_queries, items):
    for _ in range(items):
        claim = ClaimFactory(text="The economy grew.")
        ReviewFactory.create_batch(2, claim=claim)
    caches["per_process"].clear()
    # the claims of the page with their speaker; their reviews with reviewer
    with django_assert_num_queries(2):
        status, body = search(anon, "pageSize=10")
    assert (status, len(body["claims"])) == (200, items)
    # the same: the words are matched inside those two (claims/search.py)
    with django_assert_num_queries(2):
        status, body = search(anon, "query=economy&pageSize=10")
    assert (status, len(body["claims"])) == (200, items)

import datetime

import pytest
from django.core.management import call_command

from claims.enums import ClaimStatus, Rating, ReviewStatus
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    FactCheckerFactory,
    RebuttalFactory,
    ReviewFactory,
    SourceFactory,
    SpeakerFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims/"


def ids(response):
    assert response.status_code == 200, response.content
    return [claim["id"] for claim in response.json()["results"]]


@pytest.fixture
def putin():
    return SpeakerFactory(name="Vladimir Putin", slug="vladimir-putin")


@pytest.fixture
def nato():
    return SpeakerFactory(name="NATO", slug="nato", kind="organization")


@pytest.fixture
def others():
    """Claims by other speakers, created first so a filter that ignores its value shows them."""
    return ClaimFactory.create_batch(3)


def test_claim_payload_is_the_contract(anon):
    speaker = SpeakerFactory(name="Jane Doe", slug="jane-doe", job_title="Minister")
    rebutter = SpeakerFactory(name="John Roe", slug="john-roe")
    topic = TopicFactory(slug="economy")
    claim = ClaimFactory(
        text="Unemployment has halved.",
        speaker=speaker,
        speaker_title="Minister of Labour",
        stated_on=datetime.date(2021, 3, 4),
        context="Budget speech",
        language="en",
    )
    claim.topics.add(topic)
    appearance = AppearanceFactory(claim=claim, quote="unemployment has halved", is_first=True)
    source = appearance.source
    rebuttal_claim = ClaimFactory(speaker=rebutter, text="It has not.")
    rebuttal = RebuttalFactory(
        claim=claim,
        speaker=rebutter,
        text="It has not.",
        source=source,
        stated_on=datetime.date(2021, 3, 5),
        rebutting_claim=rebuttal_claim,
    )
    checker = FactCheckerFactory(name="Full Fact", slug="full-fact")
    review = ReviewFactory(
        claim=claim,
        reviewer=checker,
        rating=Rating.MOSTLY_FALSE,
        textual_rating="Not quite",
        url="https://checker.example/1",
        published_on=datetime.date(2021, 3, 6),
    )
    response = anon.get(f"{CLAIMS}{claim.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body.pop("created_at") and body.pop("updated_at")
    assert body == {
        "id": claim.pk,
        "text": "Unemployment has halved.",
        "speaker": {
            "slug": "jane-doe",
            "name": "Jane Doe",
            "kind": "person",
            "job_title": "Minister",
        },
        "speaker_title": "Minister of Labour",
        "stated_on": "2021-03-04",
        "context": "Budget speech",
        "language": "en",
        "topics": ["economy"],
        "status": "published",
        "verdict": "mostly_false",
        "appearances": [
            {
                "id": appearance.pk,
                "source": {
                    "id": source.pk,
                    "title": source.title,
                    "url": source.url,
                    "outlet": {"slug": source.outlet.slug, "name": source.outlet.name},
                    "published_on": "2020-05-17",
                },
                "quote": "unemployment has halved",
                "is_first": True,
            }
        ],
        "rebuttals": [
            {
                "id": rebuttal.pk,
                "speaker": {"slug": "john-roe", "name": "John Roe"},
                "text": "It has not.",
                "relation": "refutes",
                "stated_on": "2021-03-05",
                "source": {"id": source.pk, "title": source.title, "url": source.url},
                "rebutting_claim": rebuttal_claim.pk,
            }
        ],
        "rebuts": [],
        "reviews": [
            {
                "id": review.pk,
                "reviewer": {"slug": "full-fact", "name": "Full Fact"},
                "rating": "mostly_false",
                "textual_rating": "Not quite",
                "url": "https://checker.example/1",
                "published_on": "2021-03-06",
            }
        ],
        "corrections": [],
        "score": None,
    }
    # The answer says what it answers.
    answer = anon.get(f"{CLAIMS}{rebuttal_claim.pk}/").json()
    assert (answer["rebuttals"], answer["rebuts"]) == (
        [],
        [
            {
                "rebuttal": rebuttal.pk,
                "claim": claim.pk,
                "speaker": {"slug": "jane-doe", "name": "Jane Doe"},
                "text": "Unemployment has halved.",
                "relation": "refutes",
            }
        ],
    )


def test_verdict_is_the_newest_published_review(anon):
    claim = ClaimFactory()
    ReviewFactory(claim=claim, rating=Rating.TRUE, published_on=datetime.date(2020, 1, 1))
    ReviewFactory(claim=claim, rating=Rating.FALSE, published_on=datetime.date(2020, 2, 1))
    ReviewFactory(
        claim=claim,
        rating=Rating.MIXED,
        published_on=datetime.date(2020, 3, 1),
        status=ReviewStatus.DRAFT,
    )
    assert anon.get(f"{CLAIMS}{claim.pk}/").json()["verdict"] == "false"


def test_filter_by_speaker_returns_exactly_that_speakers_claims(anon, putin, others):
    mine = ClaimFactory.create_batch(2, speaker=putin)
    assert sorted(ids(anon.get(CLAIMS, {"speaker": "vladimir-putin"}))) == [c.pk for c in mine]


def test_speaker_claims_route_equals_the_speaker_filter(anon, putin, others):
    ClaimFactory.create_batch(2, speaker=putin)
    ClaimFactory(speaker=putin, stated_on=datetime.date(2019, 1, 1), status=ClaimStatus.DRAFT)
    nested = anon.get("/api/v1/speakers/vladimir-putin/claims/")
    filtered = anon.get(CLAIMS, {"speaker": "vladimir-putin"})
    assert nested.json() == filtered.json()
    assert nested.json()["count"] == 2


def test_speaker_claims_route_takes_the_same_filters(anon, putin):
    false = ClaimFactory(speaker=putin)
    ReviewFactory(claim=false, rating=Rating.FALSE)
    ReviewFactory(claim=ClaimFactory(speaker=putin), rating=Rating.TRUE)
    response = anon.get("/api/v1/speakers/vladimir-putin/claims/", {"verdict": "false"})
    assert ids(response) == [false.pk]


def test_speaker_claims_route_for_an_unknown_speaker_is_404(anon):
    response = anon.get("/api/v1/speakers/no-such-speaker/claims/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Speaker matches the given query."}
    response = anon.get("/api/v1/speakers/no-such-speaker/claims/", {"verdict": "nonsense"})
    assert response.status_code == 404


def test_speaker_claims_route_takes_no_second_speaker(anon, putin, nato):
    """The path fills the `speaker` filter: giving it again is a 400, not a silent choice."""
    ClaimFactory(speaker=putin)
    response = anon.get("/api/v1/speakers/vladimir-putin/claims/", {"speaker": "nato"})
    assert response.status_code == 400
    assert response.json() == {
        "speaker": ["The path gives this filter here: leave the parameter out."]
    }


def test_filter_by_several_speakers_means_either(anon, putin, nato, others):
    mine = [ClaimFactory(speaker=putin), ClaimFactory(speaker=nato)]
    response = anon.get(CLAIMS, {"speaker": ["vladimir-putin", "nato"]})
    assert sorted(ids(response)) == sorted(c.pk for c in mine)


def test_a_repeated_speaker_slug_counts_once(anon, putin, others):
    mine = ClaimFactory(speaker=putin)
    response = anon.get(CLAIMS, {"speaker": ["vladimir-putin", "vladimir-putin"]})
    assert ids(response) == [mine.pk]
    assert response.json()["count"] == 1


def test_one_unknown_speaker_among_known_ones_is_a_400_naming_it(anon, putin, nato):
    ClaimFactory(speaker=putin)
    response = anon.get(CLAIMS, {"speaker": ["vladimir-putin", "no-such-speaker", "nato"]})
    assert response.status_code == 400
    assert response.json() == {
        "speaker": ["Select a valid choice. no-such-speaker is not one of the available choices."]
    }


@pytest.mark.parametrize(
    "speakers",
    [["no-such-speaker"], ["vladimir-putin", "no-such-speaker"], ["a\x00b"], ["nato", "nato"]],
)
def test_the_speaker_filter_alone_and_with_others_checks_and_answers_alike(
    anon, putin, nato, speakers
):
    """Alone, `speaker` skips the FilterSet (StrictFilterBackend's shortcut): same answers."""
    ClaimFactory(speaker=putin)
    ClaimFactory(speaker=nato)
    alone = anon.get(CLAIMS, {"speaker": speakers})
    combined = anon.get(CLAIMS, {"speaker": speakers, "status": "published"})
    assert alone.status_code == combined.status_code
    assert alone.json() == combined.json()


def test_the_browsable_api_filters_by_speaker_too(anon, putin, others):
    mine = ClaimFactory(speaker=putin)
    response = anon.get(CLAIMS, {"speaker": "vladimir-putin", "format": "api"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert [claim["id"] for claim in response.data["results"]] == [mine.pk]


def test_a_claim_with_several_of_the_asked_topics_is_listed_once(anon, others):
    economy, ukraine = TopicFactory(slug="economy"), TopicFactory(slug="ukraine")
    both, one = ClaimFactory(), ClaimFactory()
    both.topics.add(economy, ukraine)
    one.topics.add(ukraine)
    response = anon.get(CLAIMS, {"topic": ["economy", "ukraine"]})
    assert sorted(ids(response)) == sorted([both.pk, one.pk])
    assert response.json()["count"] == 2


def test_filter_by_speaker_combined_with_verdict_and_date_range(anon, putin, others):
    def claim(day, rating):
        c = ClaimFactory(speaker=putin, stated_on=datetime.date(2015, 1, day))
        ReviewFactory(claim=c, rating=rating)
        return c

    inside = claim(10, Rating.FALSE)
    claim(9, Rating.FALSE)  # before the range
    claim(21, Rating.FALSE)  # after the range
    claim(15, Rating.TRUE)  # another verdict
    edge = claim(20, Rating.FALSE)  # the range is inclusive
    other = ClaimFactory(stated_on=datetime.date(2015, 1, 15))
    ReviewFactory(claim=other, rating=Rating.FALSE)
    response = anon.get(
        CLAIMS,
        {
            "speaker": "vladimir-putin",
            "verdict": "false",
            "stated_after": "2015-01-10",
            "stated_before": "2015-01-20",
        },
    )
    assert ids(response) == [edge.pk, inside.pk]


def test_default_order_is_newest_statement_first_then_id(anon):
    old = ClaimFactory(stated_on=datetime.date(2001, 1, 1))
    undated = ClaimFactory(stated_on=None)
    new_a = ClaimFactory(stated_on=datetime.date(2020, 1, 1))
    new_b = ClaimFactory(stated_on=datetime.date(2020, 1, 1))
    assert ids(anon.get(CLAIMS)) == [new_b.pk, new_a.pk, old.pk, undated.pk]
    ordered = ids(anon.get(CLAIMS, {"ordering": "stated_on"}))
    assert ordered[:3] == [old.pk, new_b.pk, new_a.pk]


def test_other_claim_filters(anon, putin, nato):
    putin.affiliation = SpeakerFactory(slug="russia", kind="government")
    putin.save()
    by_putin = ClaimFactory(speaker=putin, language="ru", text="Легион НАТО воюет")
    by_nato = ClaimFactory(speaker=nato, text="No plans to intervene")
    topic = TopicFactory(slug="ukraine")
    by_putin.topics.add(topic)
    appearance = AppearanceFactory(claim=by_nato, quote="made clear it has no plans")
    RebuttalFactory(claim=by_putin, speaker=nato)
    ReviewFactory(claim=by_nato)
    cases = {
        "speaker_kind=organization": [by_nato],
        "affiliation=russia": [by_putin],
        "topic=ukraine": [by_putin],
        "language=ru": [by_putin],
        f"source={appearance.source.pk}": [by_nato],
        f"outlet={appearance.source.outlet.slug}": [by_nato],
        "rebutted_by=nato": [by_putin],
        "has_rebuttal=true": [by_putin],
        "has_rebuttal=false": [by_nato],
        "has_review=true": [by_nato],
        "has_review=false": [by_putin],
        "verdict=unrated": [by_putin],
        "status=published": [by_putin, by_nato],
        "q=intervene": [by_nato],  # claim text
        "q=made%20clear": [by_nato],  # quote
        "q=putin": [by_putin],  # speaker name
    }
    for query, expected in cases.items():
        assert sorted(ids(anon.get(f"{CLAIMS}?{query}"))) == sorted(c.pk for c in expected), query


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("stated_after=yesterday", {"stated_after": ["Enter a valid date."]}),
        (
            "speaker=no-such-speaker",
            {
                "speaker": [
                    "Select a valid choice. no-such-speaker is not one of the available choices."
                ]
            },
        ),
        ("speaker=a%00b", {"speaker": ["Null characters are not allowed."]}),
        (
            "verdict=maybe",
            {"verdict": ["Select a valid choice. maybe is not one of the available choices."]},
        ),
        (
            "has_review=perhaps",
            {"has_review": ["Select a valid choice. perhaps is not one of the available choices."]},
        ),
        (
            "source=abc",
            {"source": ["Select a valid choice. That choice is not one of the available choices."]},
        ),
        (
            "ordering=text",
            {"ordering": ["Select a valid choice. text is not one of the available choices."]},
        ),
        (
            "language=English",
            {"language": ["Enter a BCP-47 language tag, e.g. en, pt-BR or zh-Hant."]},
        ),
        ("page_size=0", {"page_size": ["Enter a whole number from 1 to 100."]}),
    ],
)
def test_malformed_filter_value_is_a_400_naming_the_parameter(anon, query, errors):
    response = anon.get(f"{CLAIMS}?{query}")
    assert response.status_code == 400
    assert response.json() == errors


def test_unknown_query_parameter_is_a_400_not_ignored(anon):
    ClaimFactory()
    response = anon.get(CLAIMS, {"speakr": "nato"})
    assert response.status_code == 400
    assert list(response.json()) == ["speakr"]
    assert response.json()["speakr"][0].startswith("Unknown query parameter.")


def test_page_size_is_at_most_100_and_above_is_a_400(anon):
    ClaimFactory.create_batch(101, speaker=SpeakerFactory())
    body = anon.get(CLAIMS, {"page_size": 100}).json()
    assert (body["count"], len(body["results"])) == (101, 100)
    assert body["next"].endswith("page=2&page_size=100")
    too_many = anon.get(CLAIMS, {"page_size": 500})
    assert (too_many.status_code, too_many.json()) == (
        400,
        {"page_size": ["Enter a whole number from 1 to 100."]},
    )
    default = anon.get(CLAIMS).json()
    assert len(default["results"]) == 20


def test_demo_data_answers_putins_claims_with_stoltenbergs_refutation(anon):
    call_command("load_demo", verbosity=0)
    body = anon.get(CLAIMS, {"speaker": "vladimir-putin"}).json()
    assert body["count"] == 1
    claim = body["results"][0]
    assert "NATO legion" in claim["text"]
    [rebuttal] = claim["rebuttals"]
    del rebuttal["id"], rebuttal["source"]["id"], rebuttal["rebutting_claim"]
    assert rebuttal == {
        "speaker": {"slug": "jens-stoltenberg", "name": "Jens Stoltenberg"},
        "text": "There is no NATO legion. The foreign forces in Ukraine are Russian.",
        "relation": "refutes",
        "stated_on": "2015-01-26",
        "source": {
            "title": "NATO criticises Russia, backs Ukraine at emergency meeting",
            "url": "",
        },
    }


def test_sources_and_outlets_read(anon):
    source = SourceFactory(title="Budget night", language="en")
    body = anon.get("/api/v1/sources/", {"q": "budget"}).json()
    assert body["results"] == [
        {
            "id": source.pk,
            "title": "Budget night",
            "url": source.url,
            "outlet": {"slug": source.outlet.slug, "name": source.outlet.name},
            "authors": "A. Reporter",
            "published_on": "2020-05-17",
            "dateline": "",
            "medium": "article",
            "language": "en",
            "archived_url": "",
            "excerpt": "",
        }
    ]
    outlet = anon.get(f"/api/v1/outlets/{source.outlet.slug}/").json()
    assert outlet == {
        "id": source.outlet.pk,
        "slug": source.outlet.slug,
        "name": source.outlet.name,
        "homepage": "",
        "kind": "newspaper",
        "country": "GB",
    }

"""Query strings cannot make a request expensive: `q` takes at most 10 different words (a
repeated word counts once), and no filter value is longer than 200 characters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AppearanceFactory, ClaimFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims/"


def words(count: int) -> str:
    return " ".join(f"w{n}" for n in range(count))


@pytest.mark.parametrize("count", [11, 20, 40])
def test_q_with_more_than_ten_different_words_is_a_400_naming_the_cap(anon, count):
    ClaimFactory(text=words(count))
    response = anon.get(CLAIMS, {"q": words(count)})
    assert (response.status_code, response.json()) == (
        400,
        {"q": ["Give at most 10 different words or phrases."]},
    )


@pytest.mark.parametrize("count", [200, 1_000])
def test_q_with_hundreds_of_words_is_a_400_naming_the_length_limit(anon, count):
    # Each word used to add a subquery: on SQLite ~1,000 answered 500 ("Expression tree is too
    # large"); on PostgreSQL 200 words took 36 s, holding a pooled connection.
    ClaimFactory(text="nato")
    q = words(count)
    response = anon.get(CLAIMS, {"q": q})
    assert (response.status_code, response.json()) == (
        400,
        {"q": [f"Ensure this value has at most 200 characters (it has {len(q)})."]},
    )


def test_a_repeated_word_counts_once_in_any_case(anon):
    nato = ClaimFactory(text="NATO has no legion in Ukraine.")
    ClaimFactory(text="Nothing to see.")
    q = " ".join(["nato", "NATO", "Nato", "legion"] * 8)  # 32 words, 2 different, 175 chars
    anon.get(CLAIMS, {"q": "nato legion"})  # caches whether each word is frequent
    with CaptureQueriesContext(connection) as plain:
        expected = anon.get(CLAIMS, {"q": "nato legion"}).json()
    with CaptureQueriesContext(connection) as repeated:
        response = anon.get(CLAIMS, {"q": q})
    assert response.status_code == 200
    assert response.json() == expected
    assert [claim["id"] for claim in expected["results"]] == [nato.pk]
    # The same plan: one condition per different word, not per word given.
    assert len(repeated) == len(plain)
    assert [q["sql"] for q in repeated] == [q["sql"] for q in plain]


def test_q_with_ten_different_words_matches_claims_holding_all_of_them(anon):
    text = words(10)
    wanted = ClaimFactory(text=f"Every word: {text}.")
    ClaimFactory(text=words(9))
    AppearanceFactory(claim=ClaimFactory(text="w9 only"), quote=words(8))
    response = anon.get(CLAIMS, {"q": text})
    assert response.status_code == 200
    assert [claim["id"] for claim in response.json()["results"]] == [wanted.pk]


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (CLAIMS, "q"),
        (CLAIMS, "speaker"),
        (CLAIMS, "language"),
        ("/api/v1/speakers/", "q"),
        ("/api/v1/speakers/", "country"),
        ("/api/v1/sources/", "q"),
        ("/api/v1/rebuttals/", "speaker"),
        ("/api/v1/reviews/", "reviewer"),
    ],
)
def test_a_filter_value_longer_than_200_characters_is_a_400_naming_the_limit(anon, url, name):
    SpeakerFactory(slug="jane-doe")
    value = "x" * 201
    response = anon.get(url, {name: value})
    assert (response.status_code, response.json()) == (
        400,
        {name: ["Ensure this value has at most 200 characters (it has 201)."]},
    )
    # Each value counts, however many are given.
    response = anon.get(url, {name: ["jane-doe", "é" * 5_000]})
    assert (response.status_code, response.json()) == (
        400,
        {name: ["Ensure this value has at most 200 characters (it has 5000)."]},
    )


def test_a_filter_value_of_200_characters_is_read(anon):
    claim = ClaimFactory(text="y" * 200)
    response = anon.get(CLAIMS, {"q": "y" * 200})
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [claim.pk]


def test_the_openapi_document_states_non_empty_and_bounded_filter_values(anon):
    schema = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    claims = {p["name"]: p for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"]}
    bounded = {"type": "string", "minLength": 1, "maxLength": 200}
    strings = ["q", "affiliation", "outlet", "rebutted_by", "language"]
    assert {
        name: {k: claims[name]["schema"][k] for k in bounded} for name in strings
    } == dict.fromkeys(strings, bounded)
    # Repeatable: the bounds hold for each value.
    repeatable = ["speaker", "topic"]
    assert {
        name: (claims[name]["schema"]["type"], claims[name]["schema"]["items"])
        for name in repeatable
    } == dict.fromkeys(repeatable, ("array", bounded))
    assert "at most 10 different terms" in claims["q"]["description"]
    speakers = {p["name"]: p for p in schema["paths"]["/api/v1/speakers/"]["get"]["parameters"]}
    assert (speakers["q"]["schema"]["minLength"], speakers["q"]["schema"]["maxLength"]) == (1, 200)
    # Values with their own shape keep it: choices, dates, ids.
    assert "minLength" not in claims["verdict"]["schema"]
    assert claims["stated_after"]["schema"] == {"type": "string", "format": "date"}
    assert claims["source"]["schema"] == {"type": "integer"}

"""`q`: ranked full-text search in web-search syntax (claims/search.py, api/websearch.py).

Every test here runs on the engine of the suite: SQLite by default, PostgreSQL with
DATABASE_URL. The same cases and the same expected answers on both is the parity check."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.enums import ClaimStatus
from claims.models import Claim
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    RebuttalFactory,
    SourceFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims/"


def search(client, q, **params):
    response = client.get(CLAIMS, {"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()


def found(client, q, **params) -> list[int]:
    """The ids found, in the order given."""
    return [claim["id"] for claim in search(client, q, **params)["results"]]


@pytest.fixture
def world():
    speaker = SpeakerFactory(name="Jens Stoltenberg", aliases=["Йенс Столтенберг"])
    claims = {
        "legion": ClaimFactory(
            text="NATO has a legion fighting for Kiev.", speaker=speaker, language="en"
        ),
        "plans": ClaimFactory(text="NATO has no plans to intervene militarily.", language="en"),
        "running": ClaimFactory(text="The army is running out of shells.", language="en"),
        "bridge": ClaimFactory(text="The bridge will open in spring.", language="en"),
        "quote": ClaimFactory(text="Prices will fall.", language="en"),
        "rebutted": ClaimFactory(text="Taxes went down.", language="en"),
        "russian": ClaimFactory(text="Путин сказал это в Москве.", language="ru"),
    }
    AppearanceFactory(claim=claims["quote"], quote="prices will fall by Christmas, said the legion")
    RebuttalFactory(claim=claims["rebutted"], text="The legion of accountants says taxes rose.")
    return {name: claim.pk for name, claim in claims.items()}


# (q, the claims found, as a set): plain whole words, phrases, `or`, exclusion, case folding
# in every script, inflections both engines stem (English), the speaker's name and aliases,
# quotes and rebuttals. The same answers on SQLite and PostgreSQL.
PARITY = [
    ("nato", {"legion", "plans"}),
    ("NATO legion", {"legion"}),
    ("legion", {"legion", "quote", "rebutted"}),
    ('"intervene militarily"', {"plans"}),
    ('"militarily intervene"', set()),
    ("nato -legion", {"plans"}),
    ("bridge or shells", {"bridge", "running"}),
    ("nato legion or plans", {"legion", "plans"}),
    ("stoltenberg", {"legion"}),
    ("столтенберг", {"legion"}),
    ("ПУТИН", {"russian"}),
    ("christmas", {"quote"}),
    ("accountants", {"rebutted"}),
    ("runs", {"running"}),
    ("shell", {"running"}),
    ("nato -legion -plans", set()),
    ("nothing-here", set()),
]


@pytest.mark.parametrize(("q", "expected"), PARITY)
def test_q_finds_the_same_claims_on_every_engine(anon, world, q, expected):
    assert set(found(anon, q)) == {world[name] for name in expected}


def test_own_text_ranks_above_a_quote_or_a_rebuttal_and_scores_are_given(anon, world):
    body = search(anon, "legion")
    ids = [claim["id"] for claim in body["results"]]
    assert ids[0] == world["legion"]
    assert set(ids[1:]) == {world["quote"], world["rebutted"]}
    scores = [claim["score"] for claim in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] >= 2 > scores[1] > 0  # the own-text tier (claims/search.py)


def test_a_phrase_ranks_above_scattered_words(anon):
    scattered = ClaimFactory(text="The war ended the cold season early.")
    phrase = ClaimFactory(text="The cold war ended.")
    assert found(anon, "cold war") == [phrase.pk, scattered.pk]


def test_score_is_null_without_q_or_with_an_ordering(anon, world):
    assert {claim["score"] for claim in anon.get(CLAIMS).json()["results"]} == {None}
    ordered = search(anon, "legion", ordering="-created_at")["results"]
    assert [claim["id"] for claim in ordered] == sorted(
        [world["legion"], world["quote"], world["rebutted"]], reverse=True
    )
    assert {claim["score"] for claim in ordered} == {None}
    detail = anon.get(f"{CLAIMS}{world['legion']}/").json()
    assert detail["score"] is None


# Hostile or malformed syntax: read as plain words (the claims found), or a 400 with a message.
NO_WORDS = "Give at least one word to look for (letters or digits, not only exclusions)."
HOSTILE = [
    ('"intervene militarily', {"plans"}),  # an unbalanced quote: a phrase to the end
    ("nato -", {"legion", "plans"}),  # a lone minus
    ("NEAR( nato legion )", set()),  # FTS5 syntax is words: "near" too must match
    ("NEAR(nato legion)", set()),  # "NEAR(nato" is one token: the phrase "near nato"
    ("nato*", {"legion", "plans"}),
    ("legion:nato", set()),  # the phrase "legion nato"
    ("'); drop table claims_claim; --", set()),
    ("nato AND OR NOT", set()),  # operators of FTS5 are words (and, not) or a lone `or`
    ('"" nato ""', {"legion", "plans"}),
]
REFUSED = [
    ("-", NO_WORDS),
    ("-nato", NO_WORDS),
    ("*", NO_WORDS),
    ('"', NO_WORDS),
    ("^ : ( )", NO_WORDS),
    (" ".join(f"w{i}" for i in range(11)), "Give at most 10 different words or phrases."),
    ("a" * 201, "Ensure this value has at most 200 characters (it has 201)."),
    ("x" * 10_000, "Ensure this value has at most 200 characters (it has 10000)."),
    ("nato\x00legion", "Null characters are not allowed."),
]


@pytest.mark.parametrize(("q", "expected"), HOSTILE)
def test_hostile_syntax_is_read_as_plain_words(anon, world, q, expected):
    assert set(found(anon, q)) == {world[name] for name in expected}


@pytest.mark.parametrize(("q", "message"), REFUSED)
def test_hostile_syntax_without_words_is_a_400(anon, world, q, message):
    for url in (CLAIMS, "/api/v1/speakers/", "/api/v1/sources/"):
        response = anon.get(url, {"q": q})
        assert (response.status_code, response.json()) == (400, {"q": [message]}), url


def test_drafts_stay_invisible_to_anonymous_clients(anon, editor_client):
    published = ClaimFactory(text="The legion marches.")
    draft = ClaimFactory(text="The legion is secret.", status=ClaimStatus.DRAFT)
    assert found(anon, "legion") == [published.pk]
    assert search(anon, "legion")["count"] == 1
    assert found(anon, "secret") == []
    assert set(found(editor_client, "legion")) == {published.pk, draft.pk}


def test_the_index_follows_inserts_updates_and_deletes(anon):
    claim = ClaimFactory(text="The bridge will open in spring.")
    assert found(anon, "bridge") == [claim.pk]
    Claim.objects.filter(pk=claim.pk).update(text="The tunnel will open in spring.")
    assert found(anon, "bridge") == []
    assert found(anon, "tunnel") == [claim.pk]
    speaker = claim.speaker
    speaker.name = "Zebedee Quux"
    speaker.aliases = ["Зеведей"]
    speaker.save()
    assert found(anon, "quux") == [claim.pk]
    assert found(anon, "зеведей") == [claim.pk]
    appearance = AppearanceFactory(claim=claim, quote="a viaduct instead")
    assert found(anon, "viaduct") == [claim.pk]
    appearance.quote = "an aqueduct instead"
    appearance.save()
    assert found(anon, "viaduct") == []
    assert found(anon, "aqueduct") == [claim.pk]
    appearance.delete()
    assert found(anon, "aqueduct") == []
    rebuttal = RebuttalFactory(claim=claim, text="No ferry either.")
    assert found(anon, "ferry") == [claim.pk]
    rebuttal.delete()
    assert found(anon, "ferry") == []
    claim.delete()
    assert found(anon, "tunnel") == []


def test_speakers_q_searches_name_aliases_job_title_and_description(anon):
    putin = SpeakerFactory(
        name="Vladimir Putin", aliases=["Владимир Путин"], job_title="President of Russia"
    )
    other = SpeakerFactory(name="Jens Stoltenberg", description="Former Norwegian prime minister")

    def speakers(q):
        response = anon.get("/api/v1/speakers/", {"q": q})
        assert response.status_code == 200, response.content
        return [speaker["slug"] for speaker in response.json()["results"]]

    assert speakers("путин") == [putin.slug]
    assert speakers("Путин") == [putin.slug]
    assert speakers("president russia") == [putin.slug]
    assert speakers("norwegian or putin") == [other.slug, putin.slug]
    assert speakers('"prime minister" -putin') == [other.slug]
    assert speakers("NEAR(") == []


def test_sources_q_searches_title_and_excerpt(anon):
    match = SourceFactory(title="Interview on ПОЛИТИКА", excerpt="The minister spoke of NATO.")
    SourceFactory(title="Weather report", excerpt="Rain.")

    def sources(q):
        response = anon.get("/api/v1/sources/", {"q": q})
        assert response.status_code == 200, response.content
        return [source["id"] for source in response.json()["results"]]

    assert sources("политика") == [match.pk]
    assert sources('"minister spoke" nato') == [match.pk]
    assert sources("nato -interview") == []


@pytest.mark.parametrize("items", [1, 3])
def test_a_ranked_search_makes_a_fixed_number_of_queries(anon, django_assert_num_queries, items):
    for _ in range(items):
        claim = ClaimFactory(text="The economy grew.")
        AppearanceFactory(claim=claim, quote="the economy grew fast")
        RebuttalFactory(claim=claim)
    caches["per_process"].clear()
    # the count, then the page's documents best first with their scores
    with django_assert_num_queries(2):
        body = search(anon, "economy grew")
    assert len(body["results"]) == items


@pytest.mark.parametrize(
    ("aliases", "message"),
    [
        (["Путин", 0, None], "Give a list of names."),
        ("Путин", "Give a list of names."),
        (["Путин", " "], "Each alias is a name of 1 to 200 characters."),
        (["x" * 201], "Each alias is a name of 1 to 200 characters."),
        (["Путин", "путин"], "Each alias is given once."),
        ([f"name {i}" for i in range(21)], "Give at most 20 aliases."),
    ],
)
def test_bad_aliases_are_a_400_about_the_field(editor_client, aliases, message):
    response = editor_client.post(
        "/api/v1/speakers/", {"name": "Vladimir Putin", "aliases": aliases}, format="json"
    )
    assert (response.status_code, response.json()) == (400, {"aliases": [message]})


def test_aliases_are_written_read_and_searched(editor_client, anon):
    response = editor_client.post(
        "/api/v1/speakers/",
        {"name": "Vladimir Putin", "aliases": ["Владимир Путин", "Wladimir Putin"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["aliases"] == ["Владимир Путин", "Wladimir Putin"]
    detail = anon.get("/api/v1/speakers/vladimir-putin/").json()
    assert detail["aliases"] == ["Владимир Путин", "Wladimir Putin"]
    listed = anon.get("/api/v1/speakers/", {"q": "wladimir"}).json()["results"]
    assert [speaker["slug"] for speaker in listed] == ["vladimir-putin"]


@pytest.mark.parametrize(
    ("q", "own_text", "others"),
    [
        ("legion or accountants", ["legion"], {"quote", "rebutted"}),
        ("LEGION or brigade", ["legion"], {"quote", "rebutted"}),
        ("legion -nato", [], {"quote", "rebutted"}),
    ],
)
def test_own_text_tier_for_one_group_of_terms(anon, world, q, own_text, others):
    """One group (`or`, exclusions): the own-text tier read from the scan's own bm25."""
    results = search(anon, q)["results"]
    tiered = [claim["id"] for claim in results if claim["score"] >= 2]
    assert tiered == [world[name] for name in own_text]
    assert {claim["id"] for claim in results[len(tiered) :]} == {world[name] for name in others}
    assert all(0 < claim["score"] < 1 for claim in results[len(tiered) :])


def ranked_ids(client, q, page_size):
    """Every id of a ranked search, page after page."""
    ids, page = [], 1
    while True:
        body = search(client, q, page_size=page_size, page=page)
        ids += [claim["id"] for claim in body["results"]]
        if body["next"] is None:
            assert len(ids) == body["count"]
            return ids
        page += 1


@pytest.mark.parametrize("drafts_rank", ["best", "worst"])
def test_a_ranked_page_over_fetched_before_the_filters_is_whole_and_in_order(
    anon, editor_client, monkeypatch, drafts_rank
):
    """Anonymous pages (the drafts filtered out of the scan's best rows, read again when
    too few are left) hold exactly the published claims, in the order staff see them."""
    from claims.search import RankedClaims

    monkeypatch.setattr(RankedClaims, "SPARE", 0)
    monkeypatch.setattr(RankedClaims, "MARGIN", 1)
    strong, weak = "Economy economy economy.", "The economy of a long statement goes on and on."
    drafts = ClaimFactory.create_batch(
        6, text=strong if drafts_rank == "best" else weak, status=ClaimStatus.DRAFT
    )
    published = ClaimFactory.create_batch(
        14, text=weak if drafts_rank == "best" else strong, status=ClaimStatus.PUBLISHED
    )
    everyone = ranked_ids(editor_client, "economy", page_size=20)
    assert set(everyone) == {claim.pk for claim in drafts + published}
    hidden = {claim.pk for claim in drafts}
    expected = [pk for pk in everyone if pk not in hidden]
    assert ranked_ids(anon, "economy", page_size=2) == expected


def test_a_ranked_search_applies_filters_that_join(anon):
    """A filter through the speaker's row (a join) keeps its claims only."""
    from claims.enums import SpeakerKind

    person = SpeakerFactory(kind=SpeakerKind.PERSON)
    government = SpeakerFactory(kind=SpeakerKind.GOVERNMENT)
    said = ClaimFactory(text="The economy grew.", speaker=person)
    ClaimFactory(text="The economy shrank.", speaker=government)
    assert found(anon, "economy", speaker_kind="person") == [said.pk]
    assert found(anon, "economy", speaker_kind="person", verdict="false") == []


def co_routines_and_materialized(sql: str) -> tuple[bool, list[str]]:
    """Whether SQLite's plan of `sql` reads a co-routine, and the steps it materializes."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        steps = [row[-1] for row in cursor.fetchall()]
    return (
        any(step.startswith("CO-ROUTINE") for step in steps),
        [step for step in steps if step.startswith("MATERIALIZE")],
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_a_ranked_pages_sorted_subqueries_are_read_as_co_routines(anon, editor_client, monkeypatch):
    """A sorted subquery SQLite materializes packs every row it sorts into a record before the
    sorter's LIMIT drops it (claims.search.SQLITE_CO_ROUTINE): each way a ranked page is read
    (over-fetched for anonymous clients, whole for staff, filtered in the scan) is a plan of
    co-routines, with nothing materialized."""
    from claims.search import RankedClaims

    monkeypatch.setattr(RankedClaims, "SPARE", 0)
    monkeypatch.setattr(RankedClaims, "MARGIN", 1)
    speaker = SpeakerFactory()
    ClaimFactory.create_batch(3, text="The economy grew.", status=ClaimStatus.DRAFT)
    ClaimFactory.create_batch(12, text="The economy shrank.", speaker=speaker)
    plans = {}
    for name, client, params, count in [
        ("over-fetched", anon, {"page_size": 1}, 12),
        ("whole", editor_client, {}, 15),
        ("filtered in the scan", anon, {"speaker": speaker.slug}, 12),
    ]:
        with CaptureQueriesContext(connection) as queries:
            assert search(client, "economy", **params)["count"] == count
        (page,) = [query["sql"] for query in queries if "bm25(" in query["sql"]]
        plans[name] = co_routines_and_materialized(page)
    assert plans == {name: (True, []) for name in plans}


@pytest.fixture
def bm25_first(monkeypatch, settings):
    """Pages read by bm25 first on a handful of claims (claims.search.RankedClaims): counts
    kept from the first match, no margin on the best rows read; and a record of how each
    page was read (by bm25 first, which way, or tier first)."""
    from claims.search import SQLITE_CO_ROUTINE, RankedClaims

    settings.EXACT_COUNT_LIMIT = 0
    caches["per_process"].clear()
    monkeypatch.setattr(RankedClaims, "SPARE", 0)
    monkeypatch.setattr(RankedClaims, "MARGIN", 1)
    monkeypatch.setattr(RankedClaims, "WORTH", 1)
    reads = []
    rows = RankedClaims.rows

    def recorded(self, page, *args, **kwargs):
        answer = rows(self, page, *args, **kwargs)
        if not kwargs.get("extra"):
            reads.append("tier first")
        elif f"{SQLITE_CO_ROUTINE} claims_claim ON claims_claim.id = best.id" in page:
            reads.append("by bm25, over-fetched")
        elif "JOIN claims_claim ON claims_claim.id = m.rowid" in page:
            reads.append("by bm25, filtered in the scan")
        else:
            reads.append("by bm25, whole")
        return answer

    monkeypatch.setattr(RankedClaims, "rows", recorded)
    yield reads
    caches["per_process"].clear()


def every_page(client, q, page_size, **params):
    """Every page of a ranked search, whole."""
    pages, page = [], 1
    while True:
        body = search(client, q, page_size=page_size, page=page, **params)
        pages.append(body)
        if body["next"] is None:
            return pages
        page += 1


def test_pages_read_by_bm25_first_are_those_read_tier_first(
    anon, editor_client, bm25_first, settings
):
    """A query of one group sorts its scan by bm25 alone when most matches are in the
    own-text tier, and computes the tier for the best rows only; a page is kept only when
    those rows hold enough of the top tier (else it is read again tier first). The pages,
    scores included, are those read tier first, for staff and (drafts over-fetched and
    filtered out) for anonymous clients, and with a filter in the scan."""
    speaker = SpeakerFactory()
    # By bm25 alone, the quotes' six repetitions rank between the strong texts and the weak.
    ClaimFactory.create_batch(4, text="Economy economy economy.", speaker=speaker)
    for _ in range(3):
        quoted = ClaimFactory(text="Prices rose.", speaker=speaker)
        AppearanceFactory(claim=quoted, quote="economy " * 6)
    weak = "The economy of a long statement goes on and on and on."
    ClaimFactory.create_batch(8, text=weak)
    ClaimFactory.create_batch(2, text=weak, speaker=speaker, status=ClaimStatus.DRAFT)
    ClaimFactory(text="Economy economy economy.", status=ClaimStatus.DRAFT)
    cases = [
        ("whole", editor_client, {}),
        ("over-fetched", anon, {}),
        ("filtered in the scan", editor_client, {"speaker_kind": "person"}),
    ]
    read_by_bm25 = {}
    for name, client, params in cases:
        bm25_first.clear()
        pages = [every_page(client, "economy", page_size, **params) for page_size in (1, 2, 3, 5)]
        read_by_bm25[name] = list(bm25_first)
        settings.EXACT_COUNT_LIMIT = 1000  # no own-text count: every page tier first
        caches["per_process"].clear()
        bm25_first.clear()
        assert pages == [
            every_page(client, "economy", page_size, **params) for page_size in (1, 2, 3, 5)
        ], name
        assert set(bm25_first) == {"tier first"}
        settings.EXACT_COUNT_LIMIT = 0
        caches["per_process"].clear()
    first = pages[0][0]["results"][0]
    assert (first["text"], first["score"] >= 2) == ("Economy economy economy.", True)
    if connection.vendor == "sqlite":
        # Some pages were kept as read by bm25 (the strong texts'), some read again.
        for name, reads in read_by_bm25.items():
            assert f"by bm25, {name}" in reads, name
            assert set(reads) == {f"by bm25, {name}", "tier first"}, name


def test_a_query_matching_mostly_through_the_speaker_is_read_tier_first(anon, bm25_first):
    """Its best rows by bm25 would hold few own-text matches: no page is read by bm25."""
    speaker = SpeakerFactory(name="Angela Economy")
    ClaimFactory.create_batch(5, text="Prices rose.", speaker=speaker)
    ClaimFactory.create_batch(2, text="The economy grew.")
    pages = every_page(anon, "economy", page_size=2)
    assert [claim["score"] >= 2 for claim in pages[0]["results"]] == [True, True]
    assert sum(len(body["results"]) for body in pages) == 7
    assert set(bm25_first) == {"tier first"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_pages_read_by_bm25_first_are_plans_of_co_routines(anon, editor_client, bm25_first):
    """As a page read tier first (above): over-fetched, whole and filtered in the scan."""
    speaker = SpeakerFactory()
    ClaimFactory.create_batch(3, text="The economy grew.", status=ClaimStatus.DRAFT)
    ClaimFactory.create_batch(12, text="The economy shrank.", speaker=speaker)
    plans = {}
    for name, client, params in [
        ("over-fetched", anon, {"page_size": 1}),
        ("whole", editor_client, {"page_size": 5}),
        ("filtered in the scan", editor_client, {"page_size": 5, "speaker_kind": "person"}),
    ]:
        bm25_first.clear()
        with CaptureQueriesContext(connection) as queries:
            search(client, "economy", **params)
        assert bm25_first == [f"by bm25, {name}"]
        (page,) = [query["sql"] for query in queries if "OVER ()" in query["sql"]]
        plans[name] = co_routines_and_materialized(page)
    assert plans == {name: (True, []) for name in plans}

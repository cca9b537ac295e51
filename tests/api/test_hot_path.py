"""What the hot read path compiles or works out once per process gives the answers the ORM and
DRF give when asked every time: a detail's SQL (`documents.fetch_visible`), a list's ids query
(`documents.ids_sql`, `visible_ids_sql`), content negotiation (api.negotiation), SQLite's
placeholders (api.sqlite3); messages are stored only when used (api.messages), and history
signed only by writes (api.history)."""

import datetime
import itertools

import pytest
from django.core.cache import caches
from django.db import connection
from django.db.backends.sqlite3 import base as django_sqlite3
from django.db.models import F
from django.http import Http404, HttpResponse
from django.utils.functional import empty
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from simple_history.models import HistoricalRecords

from api import history, negotiation
from api.sqlite3 import base as sqlite3_base
from claims import documents, filters
from claims.enums import ClaimStatus
from claims.filters import ClaimFilter
from claims.models import Claim, Speaker
from tests.factories import ClaimFactory, SpeakerFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    """A speaker with published claims (dated and not) and a draft, another speaker's claim
    under two topics."""
    speaker = SpeakerFactory(slug="jane-doe", name="Jane Doe")
    other = SpeakerFactory(slug="aaron-other", name="Aaron Other")
    published = [
        ClaimFactory(speaker=speaker, stated_on=datetime.date(2020, 1, day)) for day in (3, 1, 2)
    ]
    undated = ClaimFactory(speaker=speaker, stated_on=None)
    draft = ClaimFactory(speaker=speaker, status=ClaimStatus.DRAFT)
    tagged = ClaimFactory(speaker=other, stated_on=datetime.date(2020, 1, 2))
    tagged.topics.set([TopicFactory(slug="a"), TopicFactory(slug="b")])
    return {"published": published, "undated": undated, "draft": draft, "tagged": tagged}


@pytest.mark.parametrize("unpublished", [False, True])
def test_fetch_visible_answers_as_fetch_one_over_the_visible_rows(rows, unpublished):
    visible = Claim.objects.visible(unpublished)
    for claim in [*rows["published"], rows["draft"], rows["tagged"]]:
        found = documents.fetch_visible(Claim, unpublished, pk=claim.pk)
        assert found == documents.fetch_one(visible, unpublished, pk=claim.pk)
        assert (found is not None) == (unpublished or claim.status == ClaimStatus.PUBLISHED)
    assert documents.fetch_visible(Claim, unpublished, pk=10**9) is None
    for slug in ("jane-doe", "aaron-other", "nobody"):
        found = documents.fetch_visible(Speaker, unpublished, slug=slug)
        assert found == documents.fetch_one(Speaker.objects.all(), unpublished, slug=slug)
        assert (found is None) == (slug == "nobody")


def test_a_detail_still_passes_the_filters_given(anon, rows):
    claim = rows["published"][0]
    assert anon.get(f"/api/v1/claims/{claim.pk}/?speaker=jane-doe").status_code == 200
    assert anon.get(f"/api/v1/claims/{claim.pk}/?speaker=aaron-other").status_code == 404
    assert anon.get(f"/api/v1/claims/{claim.pk}/?speakr=jane-doe").status_code == 400
    assert anon.get(f"/api/v1/claims/{rows['draft'].pk}/").status_code == 404


@pytest.mark.parametrize(
    "queryset",
    [
        lambda: Claim.objects.all(),
        lambda: Claim.objects.published(),
        lambda: Claim.objects.filter(speaker__slug="jane-doe"),
        lambda: Claim.objects.order_by(F("stated_on").asc(nulls_last=True), "-id"),
        lambda: Claim.objects.order_by("-created_at", "-id").filter(speaker__name__gt="B"),
        lambda: Claim.objects.order_by("speaker__name", "-id"),  # through a join
        lambda: Claim.objects.filter(topics__slug__in=["a", "b"]).distinct(),
        lambda: Claim.objects.order_by(),  # no order at all
    ],
    ids=["all", "published", "joined", "nulls-last", "filtered", "join-ordered", "distinct", "no"],
)
def test_ids_sql_reads_the_querysets_ids_in_its_order(rows, queryset):
    queryset = queryset()
    sql, params = documents.ids_sql(queryset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    expected = list(queryset.values_list("pk", flat=True))
    if queryset.query.order_by or queryset.query.default_ordering:
        assert ids == expected
    else:
        assert sorted(ids) == sorted(expected)


@pytest.mark.parametrize("unpublished", [False, True])
@pytest.mark.parametrize(
    "slugs", [["jane-doe"], ["jane-doe", "aaron-other"], ["aaron-other", "jane-doe", "aaron-other"]]
)
def test_a_speakers_claims_ids_compiled_once_are_the_filtered_querysets(rows, unpublished, slugs):
    """A page of a speaker's claims (only `speaker` given) reads the ids query compiled once
    (`documents.visible_ids_in_sql`): the same SQL and parameters as the filters give."""
    request = Request(APIRequestFactory().get("/api/v1/claims/", {"speaker": slugs}))
    visible = Claim.objects.visible(unpublished)
    filterset = ClaimFilter(request.query_params, visible, request=request)
    assert filterset.is_valid()
    speakers = filterset.only_speakers()
    assert len(speakers) == len(set(slugs))
    for _ in range(2):  # compiled, then remembered
        found = documents.visible_ids_in_sql(Claim, unpublished, "default", "speaker", speakers)
        assert found == documents.ids_sql(filterset.qs)


@pytest.mark.parametrize(
    "query",
    [
        {"speaker": "jane-doe", "verdict": "false"},
        {"speaker": "jane-doe", "ordering": "stated_on"},
        {"speaker": "jane-doe", "q": "economy"},
        {"verdict": "false"},
    ],
)
def test_a_list_filtered_otherwise_runs_its_filters(rows, query):
    request = Request(APIRequestFactory().get("/api/v1/claims/", query))
    filterset = ClaimFilter(request.query_params, Claim.objects.all(), request=request)
    assert filterset.is_valid()
    assert filterset.only_speakers() is None


@pytest.mark.parametrize("unpublished", [False, True])
def test_visible_ids_sql_reads_the_visible_claims_in_their_order(rows, unpublished):
    sql, params = documents.visible_ids_sql(Claim, unpublished, "default")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    assert ids == list(Claim.objects.visible(unpublished).values_list("pk", flat=True))


ACCEPTS = [
    None,
    "application/json",
    "*/*",
    "text/html",
    "application/json; indent=4",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "application/*",
]


def negotiate(negotiator, accept, query="", suffix=None):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get(f"/api/v1/claims/{query}", **headers))
    renderers = [JSONRenderer(), BrowsableAPIRenderer()]
    try:
        renderer, media_type = negotiator.select_renderer(request, renderers, suffix)
    except (NotAcceptable, Http404) as error:
        return type(error)
    return renderers.index(renderer), media_type


@pytest.mark.parametrize("accept", [*ACCEPTS, "image/png"])
@pytest.mark.parametrize(
    ("query", "suffix"), [("", None), ("?format=api", None), ("", "json"), ("?format=xml", None)]
)
def test_negotiation_answers_as_drfs_also_when_remembered(monkeypatch, accept, query, suffix):
    monkeypatch.setattr(negotiation.ContentNegotiation, "_memo", {})
    expected = negotiate(DefaultContentNegotiation(), accept, query, suffix)
    first = negotiate(negotiation.ContentNegotiation(), accept, query, suffix)
    again = negotiate(negotiation.ContentNegotiation(), accept, query, suffix)
    assert first == again == expected
    refused = expected in (NotAcceptable, Http404)
    assert len(negotiation.ContentNegotiation._memo) == (0 if refused else 1)


def test_negotiation_remembers_a_bounded_number_of_short_headers(monkeypatch):
    monkeypatch.setattr(negotiation.ContentNegotiation, "_memo", {})
    monkeypatch.setattr(negotiation, "MEMO_ENTRIES", 3)
    negotiator = negotiation.ContentNegotiation()
    long = "application/json," + "text/x-other," * (negotiation.MEMO_HEADER_LENGTH // 10)
    assert negotiate(negotiator, long) == negotiate(DefaultContentNegotiation(), long)
    assert negotiation.ContentNegotiation._memo == {}
    for accept in ACCEPTS:
        assert negotiate(negotiator, accept) == negotiate(DefaultContentNegotiation(), accept)
    assert len(negotiation.ContentNegotiation._memo) == 3


def test_an_api_request_makes_no_message_storage(anon, rows):
    response = anon.get("/api/v1/claims/")
    assert response.status_code == 200
    assert response.wsgi_request._messages._wrapped is empty  # the admin's tests use messages


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"])
def test_only_a_request_that_may_write_signs_the_history(rf, method):
    seen = []

    def view(request):
        seen.append(getattr(HistoricalRecords.context, "request", None))
        return HttpResponse()

    request = rf.generic(method, "/api/v1/claims/")
    history.HistoryRequestMiddleware(view)(request)
    assert seen == [None if method in history.READS else request]
    assert getattr(HistoricalRecords.context, "request", None) is None


def test_sqlite_placeholders_are_converted_as_djangos_own_backend_does(monkeypatch):
    monkeypatch.setattr(sqlite3_base, "_converted", {})
    # Every text of up to 7 characters from "%", "s" and another character, twice (remembered).
    texts = ["".join(chars) for n in range(8) for chars in itertools.product("%sa", repeat=n)]
    for text in texts + texts:
        expected = django_sqlite3.SQLiteCursorWrapper.convert_query(None, text)
        assert sqlite3_base.converted(text) == expected, text
        assert sqlite3_base.SQLiteCursorWrapper.convert_query(None, text) == expected, text


def test_sqlite_placeholders_remembered_are_a_bounded_number(monkeypatch):
    monkeypatch.setattr(sqlite3_base, "_converted", {})
    monkeypatch.setattr(sqlite3_base, "MAX_CONVERTED", 3)
    for n in range(5):
        assert sqlite3_base.converted(f"SELECT %s + {n}") == f"SELECT ? + {n}"
        assert len(sqlite3_base._converted) == n % 3 + 1
    assert sqlite3_base._converted == {
        "SELECT %s + 3": "SELECT ? + 3",
        "SELECT %s + 4": "SELECT ? + 4",
    }


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's cursor")
@pytest.mark.parametrize(
    ("sql", "params", "expected"),
    [
        ("SELECT %s, '%%s', '100%%'", ("a",), ("a", "%s", "100%")),  # the ORM's tuple
        ("SELECT %s, %s", ["a", "b"], ("a", "b")),  # a list
        ("SELECT %(x)s, %(y)s", {"x": 1, "y": 2}, (1, 2)),  # "pyformat"
        ("SELECT '100%%'", None, ("100%%",)),  # none: left as written, as Django does
    ],
)
def test_sqlite_cursor_runs_statements_as_djangos_own_backend_does(sql, params, expected):
    with connection.cursor() as cursor:
        assert isinstance(cursor.cursor, sqlite3_base.SQLiteCursorWrapper)
        cursor.execute(sql, params)
        assert cursor.fetchone() == expected


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's cursor")
def test_sqlite_cursor_converts_executemanys_statement_too():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE percents (value TEXT)")
        cursor.executemany("INSERT INTO percents VALUES (%s || '%%')", [("1",), ("2",)])
        cursor.execute("SELECT value FROM percents ORDER BY value")
        assert cursor.fetchall() == [("1%",), ("2%",)]


def test_a_sparse_filtersets_plain_filters_are_copied_cheaply_and_bound_to_their_copy(rows):
    """Two requests' FilterSets: each plain filter its own copy, with its method bound to that
    copy (so to its own FilterSet), the form field built once and shared; others deep-copied."""
    built = []
    for query in ({"q": "economy", "verdict": "false"}, {"q": "other", "verdict": "true"}):
        request = Request(APIRequestFactory().get("/api/v1/claims/", query))
        filterset = ClaimFilter(request.query_params, Claim.objects.all(), request=request)
        assert filterset.is_valid()
        built.append(filterset)
    first, second = (filterset.filters for filterset in built)
    base = ClaimFilter.base_filters
    for name in ("q", "verdict"):
        assert first[name] is not second[name] and first[name] is not base[name]
        assert first[name].filter.f is first[name]  # its FilterMethod: the copy's own
        assert first[name].parent is built[0] and second[name].parent is built[1]
        assert filters.form_field(first[name]) is filters.form_field(second[name])
    assert [filterset.form.cleaned_data for filterset in built] == [
        {"q": "economy", "verdict": "false"},
        {"q": "other", "verdict": "true"},
    ]
    assert [len(filterset.qs) for filterset in built] == [0, 0]
    assert built[1].search_query.fts5() != built[0].search_query.fts5()


@pytest.mark.parametrize("exact_count_limit", [0, 1, 1000])
def test_a_speakers_claims_are_counted_and_paged_as_their_filters_give(
    anon, rows, settings, exact_count_limit
):
    """Past EXACT_COUNT_LIMIT the count and the pages read the ids query compiled once; the
    count is the speaker's claims, not all the claims the client sees."""
    settings.EXACT_COUNT_LIMIT = exact_count_limit
    caches["per_process"].clear()
    expected = list(
        Claim.objects.visible(False).filter(speaker__slug="jane-doe").values_list("pk", flat=True)
    )
    assert 1 < len(expected) < Claim.objects.visible(False).count()
    for url in ("/api/v1/speakers/jane-doe/claims/", "/api/v1/claims/?speaker=jane-doe"):
        body = anon.get(url, {"page_size": 2} if "?" not in url else None).json()
        found = [claim["id"] for claim in body["results"]]
        while body["next"]:
            body = anon.get(body["next"]).json()
            found += [claim["id"] for claim in body["results"]]
        assert (body["count"], found) == (len(expected), expected)


def test_a_small_results_count_skips_the_cache_once_known_small(anon, rows, settings, monkeypatch):
    settings.EXACT_COUNT_LIMIT = 3
    caches["per_process"].clear()
    asked = []
    get = caches["per_process"].get
    monkeypatch.setattr(
        caches["per_process"], "get", lambda key, *a: asked.append(key) or get(key, *a)
    )
    counts = []
    for url in ["/api/v1/speakers/aaron-other/claims/"] * 2 + ["/api/v1/claims/"] * 2:
        counts.append(anon.get(url).json()["count"])
    # The small list asks the cache the first time only; the large one (past the limit) each
    # time, and finds its count there the second time.
    assert len(asked) == 3 and asked[1] == asked[2]
    total = Claim.objects.visible(False).count()
    assert total > settings.EXACT_COUNT_LIMIT
    assert counts == [1, 1, total, total]

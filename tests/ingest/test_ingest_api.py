"""POST /api/v1/ingest/ and the proposal endpoints, on invented reports: what is stored, bad
input (each a clear 400 and nothing written), idempotency, permissions and decisions."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims.models import Appearance, Claim, Rebuttal, Speaker
from ingest.models import Article, Proposal
from sources.models import Outlet, Source
from tests.api.conftest import etag, token_client
from tests.factories import ClaimFactory, OutletFactory, SpeakerFactory, UserFactory

REPORT = (
    "PORT HALDEN (Northline) - Ida Vorn, the harbour master, said on Tuesday that the new "
    'quay would open in May. "The quay is finished and the cranes are tested," Vorn told '
    "reporters. "
    'Union leader Per Askel rejected that. "The cranes have never been tested," Askel said.'
)
BODY = {
    "text": REPORT,
    "title": "Port Halden quay to open in May",
    "outlet": "Northline",
    "published_on": "2025-06-04",
    "url": "https://news.example.org/port-halden-quay",
}


def rows():
    models = (Source, Outlet, Article, Proposal, Claim, Speaker, Appearance, Rebuttal)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def client(editor):
    return token_client(editor)


def test_text_is_ingested_into_a_source_and_pending_proposals(client, editor):
    response = client.post("/api/v1/ingest/", BODY, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    article = body["article"]
    assert body["created"] is True
    assert body["detail"] == f"Article #{article['id']} ingested: 3 statement(s) proposed."
    source = Source.objects.get()
    assert article["source"] == {
        "id": source.pk,
        "title": "Port Halden quay to open in May",
        "url": "https://news.example.org/port-halden-quay",
        "outlet": {"slug": "northline", "name": "Northline"},
        "authors": "",
        "published_on": "2025-06-04",
        "dateline": "PORT HALDEN",
    }
    simplified = [
        (
            p["speaker"],
            p["speaker_name"],
            p["speaker_job_title"],
            p["kind"],
            p["quote"],
            p["state"],
            p["answers"] is not None,
        )
        for p in article["proposals"]
    ]
    assert simplified == [
        (
            None,
            "Ida Vorn",
            "",
            "reported",
            "the new quay would open in May",
            "pending",
            False,
        ),
        (
            None,
            "Ida Vorn",
            "",
            "direct",
            "The quay is finished and the cranes are tested",
            "pending",
            False,
        ),
        (
            None,
            "Per Askel",
            "Union leader",
            "direct",
            "The cranes have never been tested",
            "pending",
            True,
        ),
    ]
    assert Claim.objects.count() == 0  # nothing but proposals until an editor decides
    assert Article.objects.get().created_by == editor


def test_known_speakers_and_outlets_are_found_not_duplicated(client):
    vorn = SpeakerFactory(name="Ida Vorn", slug="ida-vorn", job_title="Harbour master")
    outlet = OutletFactory(name="Northline News", homepage="https://www.news.example.org/")
    response = client.post("/api/v1/ingest/", BODY, format="json")
    article = response.json()["article"]
    assert article["source"]["outlet"] == {"slug": outlet.slug, "name": "Northline News"}
    speakers = [p["speaker"] for p in article["proposals"]]
    assert speakers == [{"slug": "ida-vorn", "name": "Ida Vorn"}] * 2 + [None]
    assert Speaker.objects.get() == vorn and Outlet.objects.get() == outlet


def test_the_same_report_again_creates_nothing_and_says_so(client):
    first = client.post("/api/v1/ingest/", BODY, format="json").json()
    before = rows()
    # Same text under another URL, and same URL with other text: both found again.
    for body in (
        {**BODY, "url": "https://elsewhere.example.org/x"},
        {**BODY, "text": REPORT + " More."},
    ):
        response = client.post("/api/v1/ingest/", body, format="json")
        assert response.status_code == 200
        assert response.json()["created"] is False
        assert response.json()["detail"] == (
            f"Article #{first['article']['id']} was ingested before: nothing new was created."
        )
    assert rows() == before


def test_a_report_without_statements_gives_an_empty_proposal_list(client):
    body = {"text": "The ferry timetable changes on Monday. Tickets cost the same."}
    response = client.post("/api/v1/ingest/", body, format="json")
    assert response.status_code == 201
    assert response.json()["article"]["proposals"] == []


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"url": ["Send a url to fetch, an html page or a text."]}),
        ({"text": ""}, {"text": ["This field may not be blank."]}),
        ({"text": "   \n  "}, {"text": ["No readable text was found in it."], "code": "empty"}),
        (
            {"text": "\x01\x02binary\x03" * 50},
            {"text": ["This is binary data, not the text of a report."], "code": "binary"},
        ),
        (
            {"html": "<html><body></body></html>"},
            {"html": ["No readable text was found in it."], "code": "empty"},
        ),
        (
            {"text": "Words. " * 40_000},
            {
                "text": ["The text is 280000 characters long; a report may have at most 200000."],
                "code": "too_long",
            },
        ),
        ({"html": "<p>x</p>", "text": "x"}, {"text": ["Send either html or text, not both."]}),
        ({"text": "x", "url": "ftp://example.org/a"}, {"url": ["Enter an http(s) URL."]}),
        ({"text": "x", "published_on": "2999-01-01"}, "published_on"),
        (
            {"text": "x", "published_on": "2015-02-30"},
            {"published_on": ["2015-02-30 is not a date: day is out of range for month."]},
        ),
        ({"text": 5}, {"text": ["Expected a string, got a whole number."]}),
        ({"text": "x", "colour": "red"}, "colour"),
        (
            {"url": "https://example.org/a", "title": "T"},
            {"title": ["Only with html or text: a fetched page gives its own."]},
        ),
        ({"url": "http://127.0.0.1:1/article"}, "forbidden_address"),
        ({"url": "http://169.254.169.254/latest/meta-data/"}, "forbidden_address"),
        ({"url": "http://localhost/"}, "forbidden_address"),
    ],
)
def test_bad_input_is_a_clear_400_and_writes_nothing(client, body, errors):
    before = rows()
    response = client.post("/api/v1/ingest/", body, format="json")
    assert response.status_code == 400, response.content
    if isinstance(errors, dict):
        assert response.json() == errors
    elif errors in ("forbidden_address",):
        assert response.json()["code"] == errors
        assert list(response.json()) == ["url", "code"]
    else:
        assert list(response.json()) == [errors]
    assert rows() == before


@override_settings(INGEST_FETCH_ALLOW_PRIVATE=True)
@pytest.mark.parametrize(
    ("path", "code", "message"),
    [
        ("/missing", "http_status", "The page answered 404 Not Found."),
        (
            "/image",
            "unsupported_content_type",
            "Only HTML and plain text pages can be read, not image/png.",
        ),
        ("/big-declared", "too_large", "The page is larger than 5242880 bytes."),
        ("/loop", "too_many_redirects", "The page redirected more than 5 times."),
        (
            "/redirect-metadata",
            "forbidden_address",
            "Refused to fetch from '169.254.169.254': it resolves to 169.254.169.254, a cloud "
            "metadata address.",
        ),
    ],
)
def test_fetch_refusals_are_400s_naming_the_url(client, web, path, code, message):
    base, _ = web
    before = rows()
    response = client.post("/api/v1/ingest/", {"url": base + path}, format="json")
    assert response.status_code == 400
    assert response.json() == {"url": [message], "code": code}
    assert rows() == before


@override_settings(INGEST_FETCH_ALLOW_PRIVATE=True)
@pytest.mark.parametrize(
    ("path", "errors"),
    [
        (
            "/slow-headers",
            {"url": ["The page took too long to answer."], "code": "timeout"},
        ),
        (
            "/binary-as-html",
            {"url": ["This is binary data, not the text of a report."], "code": "binary"},
        ),
    ],
)
def test_a_page_that_times_out_or_is_binary_is_a_400(client, web, monkeypatch, path, errors):
    """The issue's bad input, fetched: a page that answers too late (the deadline shortened
    to keep the test quick) and bytes that say they are HTML."""
    from ingest import fetch

    quick = fetch.FetchPolicy(allow_private=True, total_timeout=0.4)
    monkeypatch.setattr(fetch, "default_policy", lambda: quick)
    base, _ = web
    before = rows()
    response = client.post("/api/v1/ingest/", {"url": base + path}, format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert rows() == before


@override_settings(INGEST_FETCH_ALLOW_PRIVATE=True)
@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/latin1", "Le café est fermé."),
        ("/meta-cp1251", "Министр заявил, что всё готово."),
        ("/shift-jis-plain", "東京の港"),
        ("/article", "Café owners welcome the port deal."),
    ],
)
def test_pages_in_other_encodings_or_without_statements_give_empty_lists(client, web, path, text):
    """An encoding the page declares (in its header or its meta tag) is read as declared; a
    page without attributed statements is an article with an empty proposal list."""
    base, _ = web
    response = client.post("/api/v1/ingest/", {"url": base + path}, format="json")
    assert response.status_code == 201, response.content
    article = response.json()["article"]
    assert text in article["text"]
    assert article["proposals"] == []
    assert Article.objects.get().source.url == base + path


def test_a_failure_after_the_source_is_made_leaves_no_half_written_source(editor, monkeypatch):
    """Source, outlet, article and proposals are written in one transaction: when storing the
    proposals fails, the source and outlet made just before are gone too."""
    from ingest import services

    def fail(*args, **kwargs):
        raise RuntimeError("storing the proposals failed")

    monkeypatch.setattr(services, "_proposals", fail)
    with pytest.raises(RuntimeError):
        services.article_ingest(by=editor, **{k: v for k, v in BODY.items() if k != "published_on"})
    assert rows() == dict.fromkeys(rows(), 0)


@pytest.mark.parametrize("size", [1_048_577 - len('{"text":""}'), 5_000_000])
def test_a_body_over_the_upload_limit_is_413(client, size):
    """5 MB of text, or one byte over 1 MiB of body: refused before anything reads it."""
    before = rows()
    response = client.post("/api/v1/ingest/", {"text": "x" * size}, format="json")
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is larger than the limit of 1048576 bytes.",
        "code": "too_large",
    }
    assert rows() == before


def test_ingesting_needs_the_permission_to_add_claims(plain_user):
    anon, reader_client = APIClient(), token_client(plain_user)
    before = rows()
    assert anon.post("/api/v1/ingest/", BODY, format="json").status_code == 401
    assert reader_client.post("/api/v1/ingest/", BODY, format="json").status_code == 403
    assert reader_client.get("/api/v1/ingest/").status_code == 403
    assert anon.get("/api/v1/proposals/1/").status_code == 401
    assert rows() == before


@override_settings(REST_FRAMEWORK={**__import__("django.conf").conf.settings.REST_FRAMEWORK})
def test_ingesting_is_throttled_per_user(client, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "ingest": "2/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    for number in range(2):
        body = {"text": f"Report {number}: nothing was said."}
        assert client.post("/api/v1/ingest/", body, format="json").status_code == 201
    response = client.post("/api/v1/ingest/", {"text": "A third."}, format="json")
    assert response.status_code == 429
    assert client.get("/api/v1/ingest/").status_code == 200  # reads are not counted


@pytest.mark.parametrize("count", [1, 3])
def test_article_list_makes_a_fixed_number_of_queries(client, count):
    made = []
    for number in range(count):
        response = client.post("/api/v1/ingest/", {"text": f"{REPORT} ({number})"}, format="json")
        assert response.status_code == 201, response.content
        made.append(response.json()["article"]["id"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/ingest/")
    assert response.status_code == 200 and response.json()["count"] == count, response.json()
    assert [row["id"] for row in response.json()["results"]] == made[::-1]  # newest first
    # Token and user, permissions, page count, the page (with proposal counts).
    assert len(queries) == 4, [q["sql"] for q in queries]


@pytest.mark.parametrize("count", [1, 3])
def test_article_detail_makes_a_fixed_number_of_queries(client, count):
    text = " ".join(f'"Item {n} is ready," Ida Vorn said.' for n in range(count))
    article = client.post("/api/v1/ingest/", {"text": text}, format="json").json()["article"]
    assert len(article["proposals"]) == count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/ingest/{article['id']}/")
    assert response.status_code == 200
    # Token and user, permissions, the article, its proposals with their speakers, their
    # matches.
    assert len(queries) == 5, [q["sql"] for q in queries]


# --- decisions -------------------------------------------------------------------------------


@pytest.fixture
def proposals(client):
    article = client.post("/api/v1/ingest/", BODY, format="json").json()["article"]
    return article["proposals"]


def test_accept_creates_a_draft_claim_a_new_speaker_and_the_appearance(client, editor, proposals):
    vorn = proposals[1]
    response = client.post(f"/api/v1/proposals/{vorn['id']}/accept/", {}, format="json")
    assert response.status_code == 200, response.content
    claim = Claim.objects.get()
    appearance = Appearance.objects.get()
    assert response.json() == {
        **vorn,
        "state": "accepted",
        "claim": claim.pk,
        "speaker": {"slug": "ida-vorn", "name": "Ida Vorn"},
        "speaker_created": True,
        "appearance": appearance.pk,
        "decided_at": response.json()["decided_at"],
        "version": 2,
    }
    assert (claim.text, claim.speaker.name, claim.speaker.job_title, claim.status) == (
        "The quay is finished and the cranes are tested",
        "Ida Vorn",
        "",
        "draft",
    )
    assert claim.created_by == editor
    assert (appearance.quote, appearance.is_first) == (vorn["quote"], True)
    assert claim.history.get().history_user == editor
    # Decided once: a second decision is a 400 and changes nothing.
    before = rows()
    for verb in ("accept", "reject"):
        again = client.post(f"/api/v1/proposals/{vorn['id']}/{verb}/", {}, format="json")
        assert again.status_code == 400
        assert again.json() == {"state": ["This proposal is already accepted."]}
    assert rows() == before


def test_accepting_the_answer_first_links_the_rebuttal_when_the_claim_follows(client, proposals):
    vorn, askel = proposals[1], proposals[2]
    assert askel["answers"] == vorn["id"]
    client.post(f"/api/v1/proposals/{askel['id']}/accept/", {}, format="json")
    assert Rebuttal.objects.count() == 0  # the claim it answers is not recorded yet
    client.post(f"/api/v1/proposals/{vorn['id']}/accept/", {}, format="json")
    rebuttal = Rebuttal.objects.get()
    assert (rebuttal.claim.speaker.name, rebuttal.speaker.name, rebuttal.relation) == (
        "Ida Vorn",
        "Per Askel",
        askel["relation"],
    )
    assert rebuttal.rebutting_claim.text == "The cranes have never been tested"
    assert Proposal.objects.get(pk=askel["id"]).rebuttal == rebuttal


def patch(client, pk, changes):
    """PATCH a proposal with the ETag a GET gives it, as every edit needs."""
    url = f"/api/v1/proposals/{pk}/"
    return client.patch(url, changes, format="json", HTTP_IF_MATCH=etag(client, url))


def test_edit_then_accept(client, proposals):
    vorn = proposals[0]
    speaker = SpeakerFactory(name="Ida Vorn-Lund", slug="ida-vorn-lund")
    changes = {
        "text": "The new quay will open in May.",
        "quote": "the new quay would open in May",
        "speaker": "ida-vorn-lund",
        "stated_on": "2025-06-03",
    }
    response = patch(client, vorn["id"], changes)
    assert response.status_code == 200, response.content
    assert response.json() == {
        **vorn,
        "text": "The new quay will open in May.",
        "speaker": {"slug": "ida-vorn-lund", "name": "Ida Vorn-Lund"},
        "speaker_name": "Ida Vorn-Lund",
        "stated_on": "2025-06-03",
        "version": 2,
    }
    assert response["ETag"] == etag(client, f"/api/v1/proposals/{vorn['id']}/")
    client.post(f"/api/v1/proposals/{vorn['id']}/accept/", {}, format="json")
    claim = Claim.objects.get()
    assert (claim.text, claim.speaker, str(claim.stated_on)) == (
        "The new quay will open in May.",
        speaker,
        "2025-06-03",
    )


def test_edits_need_the_current_etag(client, proposals):
    proposal = proposals[0]
    url = f"/api/v1/proposals/{proposal['id']}/"
    read = client.get(url)
    tag = read["ETag"]
    assert read.json() == proposal
    assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 304
    change = {"text": "The quay opens in May."}
    for headers, code, body in (
        (
            {},
            428,
            {
                "detail": "This write needs an If-Match header with the ETag of the version "
                "you read."
            },
        ),
        (
            {"HTTP_IF_MATCH": "*"},
            428,
            {
                "detail": "If-Match: * matches whatever version is current, so it cannot "
                "protect your write from overwriting someone else's. Send the ETag of the "
                "version you read."
            },
        ),
    ):
        response = client.patch(url, change, format="json", **headers)
        assert (response.status_code, response.json()) == (code, body)
    assert client.get(url).json() == proposal  # nothing changed
    first = client.patch(url, change, format="json", HTTP_IF_MATCH=tag)
    assert first.status_code == 200, first.content
    assert (first.json()["text"], first.json()["version"]) == ("The quay opens in May.", 2)
    # The ETag read before that edit is stale now: a second writer holding it is refused.
    stale = client.patch(url, {"text": "Overwritten."}, format="json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 412
    assert stale.json() == {
        "detail": "The record changed since you read it (its ETag no longer matches If-Match). "
        "Read it again, reapply your change, and retry."
    }
    assert client.get(url).json() == first.json()


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"quote": "words nobody wrote"},
            {"quote": ["The quote must be a passage of the article, word for word."]},
        ),
        ({"speaker": "nobody-here"}, {"speaker": ["Object with slug=nobody-here does not exist."]}),
        ({"text": ""}, {"text": ["This field may not be blank."]}),
        ({"stated_on": "2999-01-01"}, "stated_on"),
        (
            {"relation": "hates"},
            {
                "relation": [
                    '"hates" is not a valid choice. Valid choices: refutes, disputes, corrects, '
                    "contextualizes."
                ]
            },
        ),
        ({"state": "accepted"}, "state"),
    ],
)
def test_bad_edits_are_400s_and_change_nothing(client, proposals, changes, errors):
    proposal = proposals[0]
    response = patch(client, proposal["id"], changes)
    assert response.status_code == 400, response.content
    if isinstance(errors, dict):
        assert response.json() == errors
    else:
        assert list(response.json()) == [errors]
    assert client.get(f"/api/v1/proposals/{proposal['id']}/").json() == proposal


def test_answers_must_be_of_the_same_article(client, proposals):
    other = client.post(
        "/api/v1/ingest/", {"text": '"All is well," Mara Lind said.'}, format="json"
    )
    foreign = other.json()["article"]["proposals"][0]
    response = patch(client, proposals[0]["id"], {"answers": foreign["id"]})
    assert response.status_code == 400
    assert response.json() == {
        "answers": ["A proposal can only answer another of the same article."]
    }


def test_merge_adds_an_appearance_to_a_claim_on_file(client, proposals):
    claim = ClaimFactory(text="The quay opens in May.")
    response = client.post(
        f"/api/v1/proposals/{proposals[0]['id']}/merge/", {"claim": claim.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["claim"]) == ("merged", claim.pk)
    appearance = Appearance.objects.get()
    assert (appearance.claim, appearance.quote, appearance.is_first) == (
        claim,
        "the new quay would open in May",
        False,
    )
    assert Claim.objects.count() == 1
    # A second statement of the article merged into the same claim: it already appears there.
    before = rows()
    again = client.post(
        f"/api/v1/proposals/{proposals[1]['id']}/merge/", {"claim": claim.pk}, format="json"
    )
    assert again.status_code == 400
    assert again.json() == {"source": ["This claim already has an appearance in that source."]}
    assert rows() == before


def test_merge_into_a_draft_needs_to_see_drafts(proposals):
    draft = ClaimFactory(status="draft")
    adder = UserFactory(username="adder")
    from django.contrib.auth.models import Permission

    adder.user_permissions.set(
        Permission.objects.filter(codename__in=["add_claim", "add_appearance"])
    )
    response = token_client(adder).post(
        f"/api/v1/proposals/{proposals[0]['id']}/merge/", {"claim": draft.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"claim": [f'Invalid pk "{draft.pk}" - object does not exist.']}


def test_reject_creates_nothing(client, proposals):
    before = rows()
    response = client.post(f"/api/v1/proposals/{proposals[0]['id']}/reject/", format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "rejected"
    assert rows() == before


def test_accepting_needs_the_permissions_of_what_it_creates(proposals, writer):
    # The writer may add claims but not appearances nor speakers.
    before = rows()
    response = token_client(writer).post(
        f"/api/v1/proposals/{proposals[0]['id']}/accept/", {}, format="json"
    )
    assert response.status_code == 403
    assert rows() == before
    assert Proposal.objects.get(pk=proposals[0]["id"]).state == "pending"


def test_a_pages_own_canonical_link_is_kept_only_when_storable(client):
    page = (
        '<html><head><link rel="canonical" href="javascript:alert(1)"><title>Quay</title></head>'
        "<body><article><p>" + REPORT + "</p></article></body></html>"
    )
    body = {"html": page, "url": "https://news.example.org/quay"}
    response = client.post("/api/v1/ingest/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["article"]["source"]["url"] == "https://news.example.org/quay"

"""The ClaimReview import: every accepted form, the mapping, matching, idempotence, versions,
atomicity and refusals (interop.services.claimreview_import)."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied

from claims.models import Appearance, Claim, Rebuttal, Review, Speaker
from interop.parse import DocumentError, read_document
from sources.models import Outlet, Source
from tests.factories import ClaimFactory, FactCheckerFactory, SpeakerFactory

from .conftest import load, run_import, user_with

# Every test here runs on both ways of writing (conftest.both_writing_paths).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("both_writing_paths")]


MODELS = [Outlet, Speaker, Claim, Source, Appearance, Review, Rebuttal]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def review_row(review):
    return {
        name: getattr(review, name)
        for name in [
            "rating",
            "textual_rating",
            "rating_value",
            "best_rating",
            "worst_rating",
            "summary",
            "url",
            "title",
            "published_on",
            "date_modified",
            "status",
        ]
    }


def test_single_claimreview_maps_every_property():
    report = run_import("single.json")
    assert report.as_dict() == {
        "imported": True,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "rows_created": {
            "outlets": 1,
            "speakers": 1,
            "claims": 1,
            "sources": 1,
            "appearances": 1,
            "reviews": 1,
            "rebuttals": 0,
        },
        "unknown_labels": {},
        "rejections": [],
        "warnings": [],
    }
    review = Review.objects.select_related("claim__speaker", "reviewer").get()
    assert review_row(review) == {
        "rating": "false",
        "textual_rating": "Pants on Fire!",
        "rating_value": 1,
        "best_rating": 6,
        "worst_rating": 1,
        "summary": "Samples returned by six missions are rock.",
        "url": "https://truthmeter.example/checks/2023/moon-cheese/",
        "title": "No, the Moon is not made of cheese",
        "published_on": datetime.date(2023, 4, 2),
        "date_modified": None,
        "status": "published",
    }
    outlet = review.reviewer
    assert (outlet.name, outlet.homepage, outlet.kind) == (
        "Truth Meter",
        "https://www.truthmeter.example/",
        "fact_checker",
    )
    claim = review.claim
    assert (claim.text, claim.stated_on, claim.language, claim.status, claim.speaker_title) == (
        "The Moon is made of green cheese.",
        datetime.date(2023, 3, 30),
        "en",
        "published",
        "Inventor",
    )
    assert claim.verdict == "false"
    speaker = claim.speaker
    assert (speaker.name, speaker.kind, speaker.job_title, speaker.wikidata_id) == (
        "Wallace Gromit",
        "person",
        "Inventor",
        "Q2087231",
    )
    # An appearance given as a bare URL.
    appearance = Appearance.objects.select_related("source").get()
    assert (appearance.claim_id, appearance.source.url, appearance.source.title) == (
        claim.pk,
        "https://video.example/watch/cheese-moon",
        "https://video.example/watch/cheese-moon",
    )


def test_a_list_with_politifact_labels_and_messy_values():
    report = run_import("list.json")
    assert (report.created, report.rejected, report.warnings) == (2, 0, [])
    rows = {
        r.url: (r.rating, r.textual_rating, r.rating_value, r.best_rating, r.published_on)
        for r in Review.objects.all()
    }
    assert rows == {
        "https://truthmeter.example/checks/2011/taxes/": (
            "mostly_false",  # PolitiFact's old "Barely True"
            "Barely True",
            2,
            6,
            datetime.date(2011, 2, 14),
        ),
        # No scheme in the document; "2012-05-06 09:30" as the date.
        "https://truthmeter.example/checks/2012/jobs/": (
            "mixed",
            "Half-True",
            None,
            None,
            datetime.date(2012, 5, 6),
        ),
    }
    # One outlet (matched by site, the second taken from a list of authors), one speaker (the
    # second names them in a list), two claims.
    assert list(Outlet.objects.values_list("name", "homepage")) == [
        ("Truth Meter", "https://truthmeter.example")
    ]
    assert list(Speaker.objects.values_list("name", flat=True)) == ["Pat Example"]
    assert Claim.objects.count() == 2


def test_a_graph_with_an_organization_as_speaker_and_non_ascii_text():
    report = run_import("graph.json")
    assert (report.created, report.rejected) == (1, 0)  # the WebPage beside it is ignored
    claim = Claim.objects.select_related("speaker").get()
    assert claim.text == ("A ponte de São João & Maria custou três milhões de euros — é mentira?")
    assert claim.language == "pt"  # detected: the document declares none
    assert (claim.speaker.name, claim.speaker.kind) == (
        "Câmara Municipal de Exemplo",
        "organization",
    )
    review = Review.objects.get()
    assert (review.rating, review.textual_rating, review.rating_value, review.best_rating) == (
        "misleading",
        "Enganoso",
        None,
        None,
    )
    assert review.published_on == datetime.date(2022, 9, 10)
    sources = [
        (s.url, s.title, s.published_on, s.outlet.name if s.outlet else None)
        for s in Source.objects.order_by("id")
    ]
    assert sources == [
        (
            "https://social.example/posts/123",
            "Publicação viral",
            datetime.date(2022, 9, 2),
            "Social Example",
        ),
        ("https://social.example/posts/456", "https://social.example/posts/456", None, None),
    ]
    assert Outlet.objects.get(name="Social Example").kind == "other"


def test_a_data_feed_with_data_feed_items():
    report = run_import("datafeed.json")
    assert (report.created, report.rejected) == (2, 0)
    assert sorted(Review.objects.values_list("url", "rating", "textual_rating")) == [
        ("https://faktencheck.example/1", "false", "Falsch"),
        ("https://faktencheck.example/2", "true", "Richtig"),
    ]
    assert (Outlet.objects.count(), Speaker.objects.count()) == (1, 1)
    assert set(Claim.objects.values_list("language", flat=True)) == {"de"}


def test_an_html_page_resolves_relative_urls_against_its_address():
    report = run_import("page.html")
    assert (report.created, report.rejected, report.warnings) == (1, 0, [])
    review = Review.objects.select_related("reviewer").get()
    assert (review.url, review.rating, review.rating_value) == (
        "https://checkers.example/fact-check/bridge-collapse/",
        "mixed",
        3,
    )
    assert (review.reviewer.name, review.reviewer.homepage) == (
        "Checkers",
        "https://checkers.example/",
    )


def test_a_fact_check_tools_response():
    report = run_import("factcheck.json")
    assert (report.created, report.rejected) == (2, 0)
    assert report.unknown_labels == {"Needs more salt": 1}
    rows = sorted(
        Review.objects.values_list(
            "reviewer__name", "reviewer__homepage", "rating", "textual_rating", "title"
        )
    )
    assert rows == [
        (
            "Health Checks",
            "https://healthchecks.example",
            "false",
            "FALSE",
            "Sea water does not cure colds",
        ),
        ("otherchecks.example", "https://otherchecks.example", "unproven", "Needs more salt", None),
    ]
    claim = Claim.objects.select_related("speaker").get()
    assert (claim.text, claim.speaker.name, claim.stated_on, claim.language) == (
        "Drinking sea water cures colds",
        "Health Blog",
        datetime.date(2019, 6, 20),
        "en",
    )


def test_one_claim_of_a_fact_check_tools_response():
    claim = json.loads(load("factcheck.json"))["claims"][0]
    claim["claimReview"] = claim["claimReview"][:1]
    report = run_import(json.dumps(claim))
    assert (report.created, report.rejected) == (1, 0)


ALL = ["single.json", "list.json", "graph.json", "datafeed.json", "page.html", "factcheck.json"]


def test_importing_the_same_documents_twice_creates_nothing_new():
    first = run_import(*ALL)
    assert (first.created, first.rejected) == (9, 0)
    before = counts()
    again = run_import(*ALL)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 9, 0)
    assert sum(again.rows_created.values()) == 0
    assert counts() == before


def test_a_claim_is_matched_by_speaker_and_normalised_text():
    speaker = SpeakerFactory(name="Wallace Gromit")
    existing = ClaimFactory(speaker=speaker, text="the moon is made of  GREEN cheese")
    run_import("single.json")
    assert list(Claim.objects.values_list("pk", flat=True)) == [existing.pk]
    assert Review.objects.get().claim_id == existing.pk


def test_a_speaker_is_matched_by_wikidata_id_before_name():
    speaker = SpeakerFactory(name="W. Gromit", wikidata_id="Q2087231")
    run_import("single.json")
    assert list(Speaker.objects.values_list("pk", flat=True)) == [speaker.pk]


def test_an_outlet_is_matched_by_site_then_by_name():
    by_site = FactCheckerFactory(name="TM", homepage="https://truthmeter.example/about/")
    by_name = FactCheckerFactory(name="health checks", homepage="")
    run_import("single.json", "factcheck.json")
    assert Review.objects.get(url__contains="moon").reviewer_id == by_site.pk
    assert Review.objects.get(url__contains="sea-water").reviewer_id == by_name.pk


def modified(**changes) -> str:
    document = json.loads(load("single.json"))
    rating = changes.pop("reviewRating", {})
    document["reviewRating"].update(rating)
    document.update(changes)
    return json.dumps(document)


def test_a_newer_version_updates_the_review_and_keeps_the_old_one_in_history(importer):
    run_import("single.json", by=importer)
    review = Review.objects.get()
    newer = modified(dateModified="2023-05-01", reviewRating={"alternateName": "False"})
    report = run_import(newer, by=importer)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    review.refresh_from_db()
    assert (review.textual_rating, review.date_modified, review.version) == (
        "False",
        datetime.date(2023, 5, 1),
        2,
    )
    history = list(review.history.order_by("history_id"))
    assert [(h.textual_rating, h.history_change_reason, h.history_user) for h in history] == [
        ("Pants on Fire!", "Imported from ClaimReview.", importer),
        ("False", "Updated from a newer ClaimReview.", importer),
    ]
    # An older version than the one on file changes nothing.
    older = modified(dateModified="2023-04-15", reviewRating={"alternateName": "True"})
    assert run_import(older, by=importer).unchanged == 1
    review.refresh_from_db()
    assert review.textual_rating == "False"


def test_the_history_of_every_row_records_the_import_and_the_user(importer):
    run_import("graph.json", by=importer)
    for model in [Outlet, Speaker, Claim, Source, Appearance, Review]:
        for row in model.objects.all():
            (record,) = row.history.all()
            assert (record.history_user, record.history_change_reason) == (
                importer,
                "Imported from ClaimReview.",
            ), model


def test_imported_as_drafts_with_the_status_given(importer):
    run_import("single.json", by=importer, status="draft")
    assert list(Claim.objects.values_list("status", flat=True)) == ["draft"]
    assert list(Review.objects.values_list("status", flat=True)) == ["draft"]
    # Imported again as published, both are published (statuses rise, never fall).
    run_import("single.json", by=importer)
    assert list(Claim.objects.values_list("status", flat=True)) == ["published"]
    assert list(Review.objects.values_list("status", flat=True)) == ["published"]
    run_import("single.json", by=importer, status="draft")
    assert list(Review.objects.values_list("status", flat=True)) == ["published"]


def test_publishing_needs_the_publish_permissions():
    writer = user_with("writer", "add_claim", "add_review", "change_claim", "change_review")
    with pytest.raises(PermissionDenied):
        run_import("single.json", by=writer)
    assert counts() == dict.fromkeys(counts(), 0)
    report = run_import("single.json", by=writer, status="draft")
    assert report.created == 1


# --- refusals ------------------------------------------------------------------------------------


def claimreview(**changes):
    document = json.loads(load("single.json"))
    for key, value in changes.items():
        if value is None:
            document.pop(key, None)
        else:
            document[key] = value
    return document


MALFORMED = [
    (claimreview(claimReviewed=None), "claimReviewed is missing"),
    (claimreview(reviewRating=None, reviewBody=None), "reviewRating is missing"),
    (claimreview(claimReviewed={"text": "x"}), "claimReviewed must be text."),
    (claimreview(reviewRating="False"), "reviewRating must be an object, not str."),
    (
        claimreview(reviewRating={"alternateName": "False", "ratingValue": "five"}),
        'reviewRating.ratingValue: "five" is not a whole number.',
    ),
    (claimreview(url="ftp://truthmeter.example/x"), 'url: "ftp://truthmeter.example/x" is not an'),
    (
        claimreview(datePublished="28/01/2022"),
        'datePublished: "28/01/2022" is not a date in a known format (e.g. 2024-06-20).',
    ),
    (claimreview(datePublished="2022-02-30"), 'datePublished: "2022-02-30" is not a date'),
    (
        claimreview(datePublished="2999-01-01"),
        "datePublished: Enter a date that is not in the future",
    ),
    (claimreview(claimReviewed="x" * 10_001), "claimReviewed: Ensure this value has at most"),
    (claimreview(author=None), "author is missing"),
    ({"@type": "MediaReview", "url": "https://x.example/"}, "a MediaReview is not a ClaimReview"),
    ({"@type": "WebPage"}, "not a ClaimReview (@type WebPage)."),
    ("just text", "expected a JSON object, got a string."),
]


@pytest.mark.parametrize(("document", "reason"), MALFORMED)
def test_a_malformed_entry_is_refused_with_its_reason_and_nothing_is_written(document, reason):
    good = json.loads(load("list.json"))[0]
    report = run_import(json.dumps([good, document]))
    assert (report.imported, report.created, report.rejected) == (False, 0, 1)
    (rejection,) = report.rejections
    assert rejection["position"] == "[1]"
    assert rejection["reason"].startswith(reason), rejection["reason"]
    assert counts() == dict.fromkeys(counts(), 0)


def test_with_skip_invalid_the_valid_entries_are_imported_and_each_refusal_reported():
    good = json.loads(load("list.json"))
    bad = [claimreview(claimReviewed=None), claimreview(url="javascript:alert(1)")]
    report = run_import(json.dumps([good[0], bad[0], good[1], bad[1]]), skip_invalid=True)
    assert (report.imported, report.created, report.rejected) == (True, 2, 2)
    assert report.rejections == [
        {
            "document": "doc0",
            "position": "[1]",
            "reason": "claimReviewed is missing: a ClaimReview says which claim it reviews.",
        },
        {
            "document": "doc0",
            "position": "[3]",
            "reason": 'url: "javascript:alert(1)" is not an http(s) URL.',
        },
    ]
    assert Review.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"@type": "ClaimReview",', "not valid JSON: Expecting property name enclosed in"),
        (b"", "the document is empty."),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b"<html><body>no markup</body></html>", "no ClaimReview found."),
        (b"[" * 100_000, "not valid JSON: nested too deeply."),
    ],
)
def test_an_unreadable_document_is_a_clear_message(content, message):
    with pytest.raises(DocumentError) as error:
        read_document(content)
    assert str(error.value).startswith(message), str(error.value)


def test_a_review_without_rating_but_with_a_body_is_unproven_with_a_warning():
    report = run_import(json.dumps(claimreview(reviewRating=None)))
    assert report.created == 1
    assert [w["message"] for w in report.warnings] == [
        "no reviewRating: the verdict is read as unproven, reviewBody kept."
    ]
    assert Review.objects.values_list("rating", "textual_rating", "summary").get() == (
        "unproven",
        "",
        "Samples returned by six missions are rock.",
    )
    assert report.unknown_labels == {"(none)": 1}


def test_a_rating_value_outside_its_scale_is_dropped_with_a_warning():
    document = claimreview(
        reviewRating={"alternateName": "False", "ratingValue": 9, "bestRating": 5}
    )
    report = run_import(json.dumps(document))
    assert report.created == 1
    assert [w["message"] for w in report.warnings] == [
        "reviewRating: the numbers 9 of None…5 are not kept, as value, worst and best must "
        "satisfy worst ≤ value ≤ best."
    ]
    assert Review.objects.values_list("rating_value", "best_rating").get() == (None, None)

"""`POST /api/v1/imports/claimreview/` and `manage.py import_claimreview`."""

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim, Review
from tests.factories import UserFactory

from .conftest import FIXTURES, load, user_with

pytestmark = pytest.mark.django_db

URL = "/api/v1/imports/claimreview/"


def post(client, body, content_type="application/json", query=""):
    return client.generic("POST", f"{URL}{query}", body, content_type=content_type)


@pytest.fixture
def importer_client(importer):
    from tests.api.conftest import token_client

    return token_client(importer)


def test_the_api_imports_and_answers_the_report(importer_client, importer):
    response = post(importer_client, load("single.json"))
    assert response.status_code == 200
    body = response.json()
    assert (body["imported"], body["created"], body["rejected"]) == (True, 1, 0)
    assert body["rows_created"]["reviews"] == 1
    review = Review.objects.get()
    assert review.history.get().history_user == importer
    # The same again: nothing new.
    again = post(importer_client, load("single.json")).json()
    assert (again["created"], again["unchanged"]) == (0, 1)


def test_the_api_takes_html_pages_and_a_status(importer_client):
    response = post(
        importer_client, load("page.html"), content_type="text/html", query="?status=draft"
    )
    assert response.status_code == 200, response.content
    assert list(Review.objects.values_list("status", flat=True)) == ["draft"]
    assert list(Claim.objects.values_list("status", flat=True)) == ["draft"]


def test_refused_entries_are_a_422_with_the_report_and_nothing_written(importer_client):
    good = json.loads(load("list.json"))[0]
    body = json.dumps(
        [good, {"@type": "ClaimReview", "claimReviewed": "x", "author": {"name": "A"}}]
    )
    response = post(importer_client, body)
    assert response.status_code == 422
    assert response.json() == {
        "imported": False,
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "rows_created": {
            "outlets": 0,
            "speakers": 0,
            "claims": 0,
            "sources": 0,
            "appearances": 0,
            "reviews": 0,
            "rebuttals": 0,
        },
        "unknown_labels": {},
        "rejections": [
            {
                "document": "request",
                "position": "[1]",
                "reason": "reviewRating is missing: a ClaimReview gives its verdict there.",
            }
        ],
        "warnings": [],
    }
    assert Review.objects.count() == 0
    skipped = post(importer_client, body, query="?skip_invalid=true")
    assert (skipped.status_code, skipped.json()["created"]) == (200, 1)


@pytest.mark.parametrize(
    ("body", "query", "errors"),
    [
        (
            b'{"@type": ',
            "",
            {
                "detail": "The document cannot be imported: not valid JSON: Expecting value "
                "(line 1, column 11)."
            },
        ),
        (b"", "", {"detail": "Send the document as the request body."}),
        (b"<p>hi</p>", "", {"detail": "The document cannot be imported: no ClaimReview found."}),
        (b"{}", "?status=gone", {"status": ["Choose one of draft, in_review, published."]}),
        (b"{}", "?skip_invalid=yes", {"skip_invalid": ["Give true or false."]}),
        (b"{}", "?base_url=ftp://x", {"base_url": ['"ftp://x" is not an http(s) URL.']}),
        (
            b"{}",
            "?colour=red",
            {"colour": ["Unknown query parameter. Allowed here: base_url, skip_invalid, status."]},
        ),
    ],
)
def test_bad_requests_are_a_400_with_a_clear_message(importer_client, body, query, errors):
    response = post(importer_client, body, query=query)
    assert (response.status_code, response.json()) == (400, errors)


def test_who_may_import(anon, importer_client):
    assert post(anon, load("single.json")).status_code == 401
    from tests.api.conftest import token_client

    reader = token_client(UserFactory(username="someone"))
    assert post(reader, load("single.json")).status_code == 403
    # May add claims and reviews, but not publish: drafts only.
    writer = token_client(user_with("writer", "add_claim", "add_review", "change_claim"))
    refused = post(writer, load("single.json"))
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "Publishing or unpublishing a claim needs the publish permission."
    }
    assert post(writer, load("single.json"), query="?status=draft").status_code == 200
    assert Review.objects.count() == 1


# --- the command ----------------------------------------------------------------------------------


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_claimreview", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_the_command_imports_files_and_folders_and_prints_counts(importer):
    out = command(str(FIXTURES / "single.json"), "--user", "importer")
    assert "created: 1\nupdated: 0\nunchanged: 0\nrejected: 0\n" in out
    out = command(str(FIXTURES))
    assert "created: 8\nupdated: 0\nunchanged: 1\nrejected: 0\n" in out
    assert 'unknown labels (rated unproven or from their numbers): "Needs more salt" ×1' in out
    assert Review.objects.count() == 9


def test_the_command_reads_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(load("datafeed.json"))))
    assert "created: 2\n" in command("-", "--status", "draft")
    assert set(Review.objects.values_list("status", flat=True)) == {"draft"}


def test_the_command_reports_rejections_and_imports_nothing(tmp_path):
    (tmp_path / "bad.json").write_text('[{"@type": "ClaimReview"}]')
    (tmp_path / "broken.json").write_text("{")
    (tmp_path / "good.json").write_bytes(load("single.json"))
    (tmp_path / "README.md").write_text("not read")
    with pytest.raises(CommandError, match="Nothing was imported: 2 rejected"):
        command(str(tmp_path))
    assert Review.objects.count() == 0
    out = command(str(tmp_path), "--skip-invalid", "--per-file")
    assert f"rejected {Path(tmp_path / 'bad.json')}" not in out  # per file, not per line
    assert f"{tmp_path / 'bad.json'}: 1 rejected\n" in out
    assert "  rejected [0]: claimReviewed is missing" in out
    assert f"{tmp_path / 'broken.json'}: 1 rejected\n" in out
    assert "  rejected document: not valid JSON: Expecting property name" in out
    assert f"{tmp_path / 'good.json'}: 1 created — new: 1 outlets, 1 speakers, 1 claims" in out
    assert Review.objects.count() == 1


def test_the_command_refuses_an_unknown_user_or_path():
    with pytest.raises(CommandError, match='No user "nobody"'):
        command(str(FIXTURES / "single.json"), "--user", "nobody")
    with pytest.raises(CommandError, match="no such file or folder"):
        command("/nonexistent/file.json")

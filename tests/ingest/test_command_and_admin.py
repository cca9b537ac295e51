"""`manage.py ingest` (files, folders, standard input, progress lines, failures) and the admin's
"Add from article" page and article page (edit, accept, merge, reject)."""

import io
import sys

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim
from ingest.models import Article, Proposal
from sources.models import Source
from tests.api.conftest import etag, token_client
from tests.factories import ClaimFactory

REPORT = (
    '"The bridge is safe," said Mara Lind, the city engineer. "It was never safe," Tor Bake said.'
)
PAGE = (
    "<html><head><title>Bridge row</title></head><body><article><p>" + REPORT + "</p>"
    "</article></body></html>"
)


def run(*args, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()))
    try:
        call_command("ingest", *args, stdout=out, stderr=err)
    finally:
        sys.stdin = old
    return out.getvalue(), err.getvalue()


def test_command_ingests_files_folders_and_standard_input(tmp_path, editor):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "a.txt").write_text(REPORT)
    (tmp_path / "reports" / "b.html").write_text(PAGE.replace("safe", "sound"))
    (tmp_path / "reports" / "notes.csv").write_text("ignored")
    single = tmp_path / "c.txt"
    single.write_text("Nothing was said today.")
    out, err = run(str(tmp_path / "reports"), str(single), "-", "--user", "editor", stdin="x")
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    folder = tmp_path / "reports"
    assert out.splitlines() == [
        f"[1/4] {folder / 'a.txt'}: article #{ids[0]} created, 2 statement(s) proposed",
        f"[2/4] {folder / 'b.html'}: article #{ids[1]} created, 2 statement(s) proposed",
        f"[3/4] {single}: article #{ids[2]} created, 0 statement(s) proposed",
        f"[4/4] standard input: article #{ids[3]} created, 0 statement(s) proposed",
    ]
    assert err == ""
    assert Article.objects.get(pk=ids[1]).title == "Bridge row"
    assert set(Article.objects.values_list("created_by__username", flat=True)) == {"editor"}
    # Again: nothing new, and it says so.
    out, _ = run(str(single), "--user", "editor")
    assert out == f"[1/1] {single}: already ingested as article #{ids[2]}, skipped\n"


def test_command_reports_failures_and_goes_on(tmp_path, editor):
    empty = tmp_path / "empty.txt"
    empty.write_text("   ")
    good = tmp_path / "good.txt"
    good.write_text(REPORT)
    with pytest.raises(CommandError, match="1 of 2 report"):
        run(str(empty), str(good), "--user", "editor")
    assert Article.objects.count() == 1
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "missing.txt"), "--user", "editor")
    with pytest.raises(CommandError, match="No user is named 'nobody'"):
        run(str(good), "--user", "nobody")


def test_command_needs_a_user_who_may_add_claims(tmp_path, plain_user):
    good = tmp_path / "good.txt"
    good.write_text(REPORT)
    with pytest.raises(CommandError, match="permission to add claims"):
        run(str(good), "--user", "reader")
    assert Article.objects.count() == 0


# --- admin ------------------------------------------------------------------------------------


@pytest.fixture
def admin_editor(client, editor):
    client.force_login(editor)
    return client


def test_add_from_article_ingests_and_opens_the_article(admin_editor):
    page = admin_editor.get("/admin/ingest/article/add/")
    assert page.status_code == 200
    assert b"Add from article" in page.content
    response = admin_editor.post(
        "/admin/ingest/article/add/", {"text": REPORT, "title": "Bridge row", "outlet": "Ledger"}
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/ingest/article/{article.pk}/change/"
    page = admin_editor.get(response["Location"])
    assert page.status_code == 200
    assert "It was never safe" in page.content.decode()


def test_add_from_article_shows_refusals_on_the_form(admin_editor):
    response = admin_editor.post("/admin/ingest/article/add/", {"text": "   "})
    assert response.status_code == 200
    assert "No readable text was found in it." in response.content.decode()
    response = admin_editor.post("/admin/ingest/article/add/", {"html": "<p>a</p>", "text": "b"})
    assert "Send either html or text, not both." in response.content.decode()
    assert Article.objects.count() == 0


def inline_data(article, decisions):
    """The article page's form, with each proposal's fields as shown and `decisions`."""
    proposals = list(article.proposals.all())
    data = {
        "proposals-TOTAL_FORMS": len(proposals),
        "proposals-INITIAL_FORMS": len(proposals),
        "proposals-MIN_NUM_FORMS": 0,
        "proposals-MAX_NUM_FORMS": 0,
    }
    for index, proposal in enumerate(proposals):
        prefix = f"proposals-{index}-"
        data |= {
            prefix + "id": proposal.pk,
            prefix + "article": article.pk,
            prefix + "text": proposal.text,
            prefix + "quote": proposal.quote,
            prefix + "speaker": proposal.speaker_id or "",
            prefix + "speaker_name": proposal.speaker_name,
            prefix + "speaker_job_title": proposal.speaker_job_title,
            prefix + "speaker_kind": proposal.speaker_kind,
            prefix + "stated_on": proposal.stated_on or "",
            prefix + "answers": proposal.answers_id or "",
            prefix + "relation": proposal.relation,
            prefix + "seen_version": proposal.version,
        }
        data |= {prefix + key: value for key, value in decisions[index].items()}
    return data


def test_article_page_accepts_edits_merges_and_rejects(admin_editor, editor):
    admin_editor.post("/admin/ingest/article/add/", {"text": REPORT})
    article = Article.objects.get()
    url = f"/admin/ingest/article/{article.pk}/change/"
    response = admin_editor.post(
        url,
        inline_data(
            article,
            [{"decision": "accept", "text": "The bridge is safe."}, {"decision": "reject"}],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    claim = Claim.objects.get()
    assert (claim.text, claim.speaker.name, claim.status) == (
        "The bridge is safe.",
        "Mara Lind",
        "draft",
    )
    assert claim.history.get().history_user == editor
    assert [p.state for p in Proposal.objects.all()] == ["accepted", "rejected"]


def test_article_page_refuses_to_decide_on_a_proposal_changed_meanwhile(admin_editor, editor):
    admin_editor.post("/admin/ingest/article/add/", {"text": REPORT})
    article = Article.objects.get()
    url = f"/admin/ingest/article/{article.pk}/change/"
    shown = inline_data(article, [{"decision": "accept"}, {}])
    # Someone edits the first proposal over the API after the page was opened.
    first = article.proposals.first()
    api = token_client(editor)
    tag = etag(api, f"/api/v1/proposals/{first.pk}/")
    changed = api.patch(
        f"/api/v1/proposals/{first.pk}/",
        {"text": "Said by the engineer."},
        format="json",
        HTTP_IF_MATCH=tag,
    )
    assert changed.status_code == 200
    response = admin_editor.post(url, shown)
    assert response.status_code == 200
    assert "was changed by someone else since you opened it" in response.content.decode()
    first.refresh_from_db()
    assert (first.state, first.text, first.version) == ("pending", "Said by the engineer.", 2)
    assert Claim.objects.count() == 0


def test_article_page_merge_into_a_missing_claim_is_reported(admin_editor):
    admin_editor.post("/admin/ingest/article/add/", {"text": REPORT})
    article = Article.objects.get()
    existing = ClaimFactory()
    url = f"/admin/ingest/article/{article.pk}/change/"
    data = inline_data(
        article,
        [
            {"decision": "merge", "merge_into": existing.pk},
            {"decision": "merge", "merge_into": 999},
        ],
    )
    response = admin_editor.post(url, data, follow=True)
    assert "There is no claim #999." in response.content.decode()
    assert [p.state for p in Proposal.objects.all()] == ["merged", "pending"]
    assert existing.appearances.get().quote == "The bridge is safe,"[:-1]


def test_article_pages_need_the_permission_to_add_claims(client, plain_user):
    plain_user.is_staff = True
    plain_user.save()
    client.force_login(plain_user)
    assert client.get("/admin/ingest/article/").status_code == 403
    assert client.get("/admin/ingest/article/add/").status_code == 403


def test_command_bad_input_is_reported_and_writes_nothing(tmp_path, editor):
    """The issue's bad input as files: 5 MB of text, binary data, an empty page, and a page in
    an encoding other than UTF-8 that it declares (read as declared: an article, no
    statements in it)."""
    big = tmp_path / "big.txt"
    big.write_text("Words. " * 750_000)
    image = tmp_path / "photo.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2000))
    blank = tmp_path / "blank.html"
    blank.write_text("<html><body></body></html>")
    latin1 = tmp_path / "latin1.html"
    latin1.write_bytes(
        '<html><head><meta charset="iso-8859-1"></head><body><p>Le café est fermé.</p>'
        "</body></html>".encode("latin-1")
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="3 of 4 report"):
        call_command(
            "ingest", big, image, blank, latin1, "--user", "editor", stdout=out, stderr=err
        )
    assert err.getvalue().splitlines() == [
        f"[1/4] {big}: not ingested: The text is 5250000 characters long; a report may have "
        "at most 200000.",
        f"[2/4] {image}: not ingested: This is binary data, not the text of a report.",
        f"[3/4] {blank}: not ingested: No readable text was found in it.",
    ]
    article = Article.objects.get()
    assert (
        out.getvalue()
        == f"[4/4] {latin1}: article #{article.pk} created, 0 statement(s) proposed\n"
    )
    assert "Le café est fermé." in article.text
    assert Source.objects.count() == 1  # the refused reports left nothing behind

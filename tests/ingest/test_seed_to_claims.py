"""The seed article, end to end through the API: ingested as text, its proposals are the demo
data's statements with their speakers, and accepting them records the demo's claims as drafts,
with Stoltenberg's refutation as the rebuttal of Putin's claim."""

from pathlib import Path

import pytest
from django.conf import settings

from claims import demo
from claims.models import Claim, Rebuttal, Speaker
from tests.api.conftest import token_client

SEED = Path(settings.BASE_DIR).parent / "shared" / "seed" / "reuters-2015-01-26-nato-ukraine.txt"


@pytest.fixture
def seed_text():
    if not SEED.exists():
        pytest.skip(f"the seed article is not here ({SEED}): it lives in the shared folder")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def speakers_on_file(db):
    """The demo's speakers, except Ihor Dolhov, whom the article must propose as new."""
    for row in demo.SPEAKERS:
        if row["slug"] != "ihor-dolhov":
            Speaker.objects.create(**{k: v for k, v in row.items() if k != "affiliation"})


def overlaps(proposal, start, end):
    shared = min(proposal["end"], end) - max(proposal["start"], start)
    return shared > 0.5 * min(proposal["end"] - proposal["start"], end - start)


def test_seed_article_proposes_and_records_the_demo_statements(
    seed_text, speakers_on_file, editor, anon_reads
):
    client = token_client(editor)
    body = {
        "text": seed_text,
        "title": demo.SOURCE["title"],
        "outlet": "Reuters",
        "published_on": "2015-01-26",
    }
    response = client.post("/api/v1/ingest/", body, format="json")
    assert response.status_code == 201, response.content
    article = response.json()["article"]
    assert article["source"] == {
        "id": article["source"]["id"],
        "title": demo.SOURCE["title"],
        "url": "",
        "outlet": {"slug": "reuters", "name": "Reuters"},
        "authors": "Adrian Croft",
        "published_on": "2015-01-26",
        "dateline": "BRUSSELS",
    }
    proposals = article["proposals"]
    for proposal in proposals:
        assert seed_text[proposal["start"] : proposal["end"]] == proposal["quote"]

    # Each demo claim is proposed once, by its speaker: the one on file, or Dolhov as new.
    by_key = {}
    for claim in demo.CLAIMS:
        start = seed_text.index(claim["quote"])
        end = start + len(claim["quote"])
        slug = claim["speaker"]
        found = [
            p
            for p in proposals
            if overlaps(p, start, end)
            and (
                (p["speaker"] or {}).get("slug") == slug
                or (slug == "ihor-dolhov" and p["speaker"] is None)
            )
        ]
        assert len(found) == 1, (claim["key"], [(p["speaker_name"], p["quote"]) for p in proposals])
        by_key[claim["key"]] = found[0]
    dolhov = by_key["asked-for-assistance"]
    assert (dolhov["speaker_name"], dolhov["speaker_job_title"], dolhov["speaker_kind"]) == (
        "Ihor Dolhov",
        "Ukraine's Ambassador to NATO",
        "person",
    )
    refutation, putin = by_key["no-nato-legion"], by_key["nato-legion"]
    assert (refutation["answers"], refutation["relation"]) == (putin["id"], "refutes")

    # The editor accepts the demo's statements, in the article's order, and rejects the rest.
    wanted = {p["id"] for p in by_key.values()}
    for proposal in proposals:
        verb = "accept" if proposal["id"] in wanted else "reject"
        response = client.post(f"/api/v1/proposals/{proposal['id']}/{verb}/", {}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["state"] == ("accepted" if verb == "accept" else "rejected")

    claims = Claim.objects.select_related("speaker")
    assert sorted((c.speaker.slug, c.status) for c in claims) == sorted(
        (claim["speaker"], "draft") for claim in demo.CLAIMS
    )
    assert all(c.appearances.get().source_id == article["source"]["id"] for c in claims)
    assert Speaker.objects.get(slug="ihor-dolhov").job_title == "Ukraine's Ambassador to NATO"
    rebuttal = Rebuttal.objects.get(claim__speaker__slug="vladimir-putin")
    assert (rebuttal.speaker.slug, rebuttal.relation, rebuttal.rebutting_claim.text) == (
        "jens-stoltenberg",
        "refutes",
        "There is no NATO legion. The foreign forces in Ukraine are Russian",
    )
    # Who accepted is in the edit history of what accepting created.
    for record in (*claims, rebuttal, Speaker.objects.get(slug="ihor-dolhov")):
        assert record.history.earliest().history_user == editor
    # Nothing was published: anonymous clients see none of it.
    assert anon_reads("/api/v1/claims/")["results"] == []
    assert anon_reads("/api/v1/rebuttals/")["results"] == []

    # The same article again creates nothing, and says so.
    response = client.post("/api/v1/ingest/", body, format="json")
    assert response.status_code == 200
    assert response.json()["created"] is False
    assert response.json()["article"]["id"] == article["id"]
    assert Claim.objects.count() == len(demo.CLAIMS)

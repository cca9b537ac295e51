"""A report end to end through the API: ingested as text, its proposals are the statements on
record with their speakers and rebuttals, and accepting them records those claims as drafts,
each answer as the rebuttal of what it answers.

Two reports take the same path: the seed article against the demo data (claims/demo.py), when
the shared folder holds it, and an invented report written in the same shape
(fixtures/alliance-meeting.txt: a verdict quoted in one word, a pronoun and a trailing "he
said", a country's denial in its own words, an organisation's position, and a new speaker
named after his title), which always runs."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from claims import demo
from claims.enums import Relation, SpeakerKind
from claims.models import Claim, Rebuttal, Speaker
from tests.api.conftest import token_client

SEED = Path(settings.BASE_DIR).parent / "shared" / "seed" / "reuters-2015-01-26-nato-ukraine.txt"
INVENTED = Path(__file__).parent / "fixtures" / "alliance-meeting.txt"


@dataclass(frozen=True)
class Report:
    """A report and what it must give: `speakers` on file beforehand, except `new` (the one
    the report must propose, as (slug, name, job title)); `claims` as dicts with `key`,
    `speaker` (slug) and `quote` (a passage of the text); `rebuttals` with `claim`,
    `rebutting_claim` (keys), `speaker` and `relation`."""

    text: str
    body: dict
    source: dict
    speakers: list
    new: tuple
    claims: list
    rebuttals: list


def seed_report() -> Report:
    if not SEED.exists():
        pytest.skip(f"the seed article is not here ({SEED}): it lives in the shared folder")
    new = next(row for row in demo.SPEAKERS if row["slug"] == "ihor-dolhov")
    return Report(
        text=SEED.read_text(encoding="utf-8"),
        body={"title": demo.SOURCE["title"], "outlet": "Reuters", "published_on": "2015-01-26"},
        source={
            "title": demo.SOURCE["title"],
            "outlet": {"slug": "reuters", "name": "Reuters"},
            "authors": "Adrian Croft",
            "published_on": "2015-01-26",
            "dateline": "BRUSSELS",
        },
        speakers=[
            {k: v for k, v in row.items() if k != "affiliation"}
            for row in demo.SPEAKERS
            if row is not new
        ],
        new=(new["slug"], new["name"], new["job_title"]),
        claims=demo.CLAIMS,
        rebuttals=demo.REBUTTALS,
    )


def invented_report() -> Report:
    text = INVENTED.read_text(encoding="utf-8")
    title = "NORDAL criticises Karvia, backs Ostland at emergency meeting"

    def claim(key, speaker, start, end):
        """The claim whose quote runs from `start` to `end` (both passages of the text)."""
        at = text.index(start)
        return {"key": key, "speaker": speaker, "quote": text[at : text.index(end, at) + len(end)]}

    holt = "maren-holt"
    return Report(
        text=text,
        body={"title": title, "outlet": "Northline", "published_on": "2025-03-04"},
        source={
            "title": title,
            "outlet": {"slug": "northline", "name": "Northline"},
            "authors": "Lena Marsh",
            "published_on": "2025-03-04",
            "dateline": "TALVIN",
        },
        speakers=[
            {"slug": "karvia", "name": "Karvia", "kind": SpeakerKind.GOVERNMENT},
            {"slug": "ostland", "name": "Ostland", "kind": SpeakerKind.GOVERNMENT},
            {"slug": "nordal", "name": "NORDAL", "kind": SpeakerKind.ORGANIZATION},
            {
                "slug": "viktor-saran",
                "name": "Viktor Saran",
                "kind": SpeakerKind.PERSON,
                "job_title": "President of Karvia",
            },
            {
                "slug": holt,
                "name": "Maren Holt",
                "kind": SpeakerKind.PERSON,
                "job_title": "Secretary-General",
            },
        ],
        new=("pavel-dorn", "Pavel Dorn", "Ostland's Ambassador to NORDAL"),
        claims=[
            claim("brigade", "viktor-saran", "a NORDAL brigade was", "west of the country"),
            claim("no-brigade", holt, "There is no NORDAL brigade", "are Karvian"),
            claim("escalation", holt, "We condemn the sharp rise", "Karvia-backed rebels"),
            claim("support", holt, "Despite repeated promises", "and tanks"),
            claim("call", holt, "We call on Karvia", "international commitments"),
            claim("denial", "karvia", "denies being the force", "uprising"),
            claim("no-intervention", "nordal", "it has no plans", "training its army"),
            claim(
                "asked-for-help",
                "pavel-dorn",
                "Faced with the worsening",
                "additional military help",
            ),
        ],
        rebuttals=[
            {
                "claim": "brigade",
                "rebutting_claim": "no-brigade",
                "speaker": holt,
                "relation": Relation.REFUTES,
            },
            {
                "claim": "support",
                "rebutting_claim": "denial",
                "speaker": "karvia",
                "relation": Relation.DISPUTES,
            },
        ],
    )


@pytest.fixture(params=["seed", "invented"])
def report(request, db):
    made = seed_report() if request.param == "seed" else invented_report()
    for row in made.speakers:
        Speaker.objects.create(**row)
    return made


def overlaps(proposal, start, end):
    shared = min(proposal["end"], end) - max(proposal["start"], start)
    return shared > 0.5 * min(proposal["end"] - proposal["start"], end - start)


def test_a_report_proposes_and_records_its_statements_and_rebuttals(report, editor, anon_reads):
    client = token_client(editor)
    body = {"text": report.text, **report.body}
    response = client.post("/api/v1/ingest/", body, format="json")
    assert response.status_code == 201, response.content
    article = response.json()["article"]
    source_id = article["source"]["id"]
    assert article["source"] == {"id": source_id, "url": "", **report.source}
    proposals = article["proposals"]
    for proposal in proposals:
        assert report.text[proposal["start"] : proposal["end"]] == proposal["quote"]

    # Each claim on record is proposed once, by its speaker: the one on file, or the new one.
    new_slug, new_name, new_title = report.new
    by_key = {}
    for claim in report.claims:
        start = report.text.index(claim["quote"])
        end = start + len(claim["quote"])
        slug = claim["speaker"]
        found = [
            p
            for p in proposals
            if overlaps(p, start, end)
            and (
                (p["speaker"] or {}).get("slug") == slug
                or (slug == new_slug and p["speaker"] is None)
            )
        ]
        assert len(found) == 1, (claim["key"], [(p["speaker_name"], p["quote"]) for p in proposals])
        by_key[claim["key"]] = found[0]
    newcomer = next(by_key[c["key"]] for c in report.claims if c["speaker"] == new_slug)
    assert (
        newcomer["speaker_name"],
        newcomer["speaker_job_title"],
        newcomer["speaker_kind"],
    ) == (new_name, new_title, "person")
    # Each answer is proposed as the rebuttal of what it answers, with its relation.
    for rebuttal in report.rebuttals:
        answer, answered = by_key[rebuttal["rebutting_claim"]], by_key[rebuttal["claim"]]
        assert (answer["answers"], answer["relation"]) == (answered["id"], rebuttal["relation"])

    # The editor accepts the statements on record, in the article's order, and rejects the rest.
    wanted = {p["id"] for p in by_key.values()}
    for proposal in proposals:
        verb = "accept" if proposal["id"] in wanted else "reject"
        response = client.post(f"/api/v1/proposals/{proposal['id']}/{verb}/", {}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["state"] == ("accepted" if verb == "accept" else "rejected")

    claims = Claim.objects.select_related("speaker")
    assert sorted((c.speaker.slug, c.status) for c in claims) == sorted(
        (claim["speaker"], "draft") for claim in report.claims
    )
    assert all(c.appearances.get().source_id == source_id for c in claims)
    assert Speaker.objects.get(slug=new_slug).job_title == new_title
    text_of = {claim["key"]: by_key[claim["key"]]["text"] for claim in report.claims}
    assert sorted(
        (r.claim.text, r.rebutting_claim.text, r.speaker.slug, r.relation)
        for r in Rebuttal.objects.select_related("claim", "rebutting_claim", "speaker")
    ) == sorted(
        (text_of[r["claim"]], text_of[r["rebutting_claim"]], r["speaker"], r["relation"])
        for r in report.rebuttals
    )
    # Who accepted is in the edit history of what accepting created.
    for record in (*claims, *Rebuttal.objects.all(), Speaker.objects.get(slug=new_slug)):
        assert record.history.earliest().history_user == editor
    # Nothing was published: anonymous clients see none of it.
    assert anon_reads("/api/v1/claims/")["results"] == []
    assert anon_reads("/api/v1/rebuttals/")["results"] == []

    # The same article again creates nothing, and says so.
    response = client.post("/api/v1/ingest/", body, format="json")
    assert response.status_code == 200
    assert response.json()["created"] is False
    assert response.json()["article"]["id"] == article["id"]
    assert Claim.objects.count() == len(report.claims)

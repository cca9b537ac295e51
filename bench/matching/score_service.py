"""Score the matching service itself (matching.services.claim_match, as the API calls it) on
the labelled set, per backend, on SQLite or PostgreSQL.

    .venv/bin/python bench/matching/score_service.py [--database-url URL] [--backend NAME…]

Loads claims.jsonl into a scratch database (SQLite in a temporary folder by default; with
--database-url, a PostgreSQL database that is emptied and migrated: never a real one), computes
every claim's vector with each installed backend (manage.py matching_backfill's path), then asks
the service for each query of queries.jsonl and prints Markdown: recall@1 and @5 over the
queries that expect a claim (all, cross-language, by kind), and the precision and recall of
the top answer being the expected claim from each score threshold, `likely` (0.8) marked.
A negative query answered at or above a threshold is a false positive there; so is a wrong
claim. Nothing is downloaded.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(HERE))

parser = argparse.ArgumentParser(
    description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
)
parser.add_argument("--database-url", help="a scratch PostgreSQL database (emptied!)")
parser.add_argument("--backend", nargs="*", help="default: every installed backend")
parser.add_argument("--threads", type=int, default=1)
ARGS = parser.parse_args()

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)
scratch = tempfile.mkdtemp(prefix="matching-bench-")
os.environ["DATABASE_URL"] = ARGS.database_url or f"sqlite:///{scratch}/bench.sqlite3"
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
os.environ["MATCHING_THREADS"] = str(ARGS.threads)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django  # noqa: E402

django.setup()

from check_set import load  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from claims.enums import ClaimStatus  # noqa: E402
from claims.models import Claim, Speaker  # noqa: E402
from matching.backends import BACKENDS  # noqa: E402
from matching.services import LIKELY_SCORE, claim_match, vectors_update  # noqa: E402

GRID = [round(0.5 + 0.025 * i, 3) for i in range(21)]


def load_set():
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    claims, queries = load("claims.jsonl"), load("queries.jsonl")
    speakers = {}
    for row in claims:
        slug = row["speaker_slug"]
        if slug not in speakers:
            speakers[slug] = Speaker.objects.create(name=row["speaker"], slug=slug)
    ids = {}
    for row in claims:
        claim = Claim.objects.create(
            text=row["text"],
            speaker=speakers[row["speaker_slug"]],
            language=row["language"],
            stated_on=row["stated_on"],
            status=ClaimStatus.PUBLISHED,
        )
        ids[row["id"]] = claim.pk
    return claims, queries, ids, {s: sp.pk for s, sp in speakers.items()}


def fmt(x):
    return "–" if x is None else f"{x:.3f}"


def score(backend_name, claims, queries, ids, speakers, out):
    backend = BACKENDS[backend_name]()
    started = time.process_time()
    vectors_update(backend=backend)
    embed_cpu = time.process_time() - started
    language = {ids[c["id"]]: c["language"] for c in claims}
    answers, started = [], time.process_time()
    for q in queries:
        result = claim_match(
            text=q["text"],
            claims=Claim.objects.all(),
            speaker_id=speakers.get(q["speaker"]),
            limit=5,
            backend=backend,
        )
        answers.append(result.matches)
    match_cpu = (time.process_time() - started) * 1000 / len(queries)
    expected = [ids[q["expected"]] if q["expected"] else None for q in queries]
    pos = [i for i, e in enumerate(expected) if e is not None]
    cross = [i for i in pos if queries[i]["language"] != language[expected[i]]]

    def recall(rows, k):
        hits = sum(1 for i in rows if expected[i] in [m.claim_id for m in answers[i][:k]])
        return hits / len(rows) if rows else None

    out.append(f"\n### {backend.label} on {connection.vendor}\n")
    out.append(
        f"Vectors for {len(claims)} claims: {embed_cpu:.1f} s of CPU; a match: "
        f"{match_cpu:.1f} ms of CPU (embedding the query, cosine, guard, candidates' query).\n"
    )
    out.append("| queries | n | recall@1 | recall@5 |")
    out.append("| --- | ---: | ---: | ---: |")
    groups = [("all with an expected claim", pos), ("cross-language", cross)]
    for kind in ("paraphrase", "translation", "exact"):
        groups.append((kind, [i for i in pos if queries[i]["kind"] == kind]))
    for name, rows in groups:
        out.append(f"| {name} | {len(rows)} | {fmt(recall(rows, 1))} | {fmt(recall(rows, 5))} |")
    exact_ok = sum(
        1
        for i, q in enumerate(queries)
        if q["kind"] == "exact" and answers[i] and answers[i][0].match == "exact"
    )
    exact_wrong = sum(
        1
        for i, q in enumerate(queries)
        if q["kind"] != "exact" and any(m.match == "exact" for m in answers[i])
    )
    out.append(
        f"\nExact repeats answered `exact` first: {exact_ok} of "
        f"{sum(q['kind'] == 'exact' for q in queries)}; other queries with an `exact` "
        f"answer: {exact_wrong}.\n"
    )
    out.append("| top answer's score ≥ | precision | recall | hard negatives answered |")
    out.append("| ---: | ---: | ---: | ---: |")
    summary = {}
    for threshold in GRID:
        tp = fp = negatives = 0
        for i, matches in enumerate(answers):
            if not matches or matches[0].score < threshold:
                continue
            if matches[0].claim_id == expected[i]:
                tp += 1
            else:
                fp += 1
                negatives += expected[i] is None
        precision = tp / (tp + fp) if tp + fp else None
        mark = " (`likely`)" if threshold == LIKELY_SCORE else ""
        out.append(
            f"| {threshold:.3f}{mark} | {fmt(precision)} | {fmt(tp / len(pos))} | {negatives} |"
        )
        if threshold == LIKELY_SCORE:
            summary = {"precision": precision, "recall": tp / len(pos)}
    return {
        "backend": backend.label,
        "engine": connection.vendor,
        "r1": recall(pos, 1),
        "r5": recall(pos, 5),
        "x1": recall(cross, 1),
        "x5": recall(cross, 5),
        **summary,
    }


def main():
    call_command("migrate", verbosity=0)
    claims, queries, ids, speakers = load_set()
    names = ARGS.backend or [n for n, b in BACKENDS.items() if b.installed()]
    out, rows = [], []
    for name in names:
        rows.append(score(name, claims, queries, ids, speakers, out))
    print(f"## Matching service on {connection.vendor}\n")
    print(
        "| backend | recall@1 | recall@5 | cross-language @1 | @5 | `likely` precision | recall |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['backend']} | {fmt(r['r1'])} | {fmt(r['r5'])} | {fmt(r['x1'])} | "
            f"{fmt(r['x5'])} | {fmt(r.get('precision'))} | {fmt(r.get('recall'))} |"
        )
    print("\n".join(out))


if __name__ == "__main__":
    main()

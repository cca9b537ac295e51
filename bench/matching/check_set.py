"""Check the labelled matching set and print its counts.

    python bench/matching/check_set.py

Standard library only. Exits non-zero on the first broken rule, so a bad
edit to claims.jsonl or queries.jsonl is caught before any model runs.
"""

import collections
import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLAIM_KEYS = ["id", "speaker", "speaker_slug", "language", "stated_on", "text"]
QUERY_KEYS = ["id", "text", "language", "speaker", "expected", "kind", "note"]
KINDS = ("paraphrase", "translation", "exact", "negative")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def load(name):
    with open(HERE / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def fold(text):
    """The fingerprint the service is meant to store: case, punctuation,
    whitespace, quote styles and Unicode forms folded."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("P"))
    return " ".join(text.split())


def check(claims, queries):
    problems = []
    ids = [c["id"] for c in claims]
    if len(set(ids)) != len(ids):
        problems.append("duplicate claim ids")
    by_id = {c["id"]: c for c in claims}
    for c in claims:
        if list(c) != CLAIM_KEYS:
            problems.append(f"{c.get('id')}: keys {list(c)}")
        if not LANGUAGE.match(c["language"]):
            problems.append(f"{c['id']}: language {c['language']!r}")
        if c["stated_on"] is not None and not DATE.match(c["stated_on"]):
            problems.append(f"{c['id']}: stated_on {c['stated_on']!r}")
        if not SLUG.match(c["speaker_slug"]):
            problems.append(f"{c['id']}: speaker_slug {c['speaker_slug']!r}")
    prints = collections.Counter(fold(c["text"]) for c in claims)
    problems += [f"stored claims share a fingerprint: {p!r}" for p, n in prints.items() if n > 1]

    qids = [q["id"] for q in queries]
    if len(set(qids)) != len(qids):
        problems.append("duplicate query ids")
    for q in queries:
        keys = QUERY_KEYS + (["near"] if q.get("kind") == "negative" else [])
        if list(q) != keys:
            problems.append(f"{q.get('id')}: keys {list(q)}")
            continue
        if q["kind"] not in KINDS:
            problems.append(f"{q['id']}: kind {q['kind']!r}")
        if not LANGUAGE.match(q["language"]):
            problems.append(f"{q['id']}: language {q['language']!r}")
        if q["speaker"] is not None and not SLUG.match(q["speaker"]):
            problems.append(f"{q['id']}: speaker {q['speaker']!r}")
        if not q["note"].strip():
            problems.append(f"{q['id']}: empty note")
        target = q["near"] if q["kind"] == "negative" else q["expected"]
        if target not in by_id:
            problems.append(f"{q['id']}: unknown claim {target!r}")
            continue
        stored = by_id[target]
        if q["kind"] == "negative":
            if q["expected"] is not None:
                problems.append(f"{q['id']}: a negative expects nothing")
            if fold(q["text"]) in prints:
                problems.append(f"{q['id']}: negative is a stored claim's text")
        elif q["kind"] == "translation" and q["language"] == stored["language"]:
            problems.append(f"{q['id']}: translation in the stored claim's language")
        elif q["kind"] in ("paraphrase", "exact") and q["language"] != stored["language"]:
            problems.append(f"{q['id']}: {q['kind']} in another language than {target}")
        if q["kind"] == "exact" and fold(q["text"]) != fold(stored["text"]):
            problems.append(f"{q['id']}: exact repeat does not fold to {target}'s fingerprint")
        if q["kind"] != "exact" and fold(q["text"]) in prints:
            problems.append(f"{q['id']}: {q['kind']} folds to a stored claim's fingerprint")
    return problems


def counts(claims, queries):
    by_id = {c["id"]: c for c in claims}
    lines = [f"claims: {len(claims)}, speakers: {len({c['speaker_slug'] for c in claims})}"]
    langs = collections.Counter(c["language"] for c in claims)
    lines.append("claims by language: " + ", ".join(f"{k} {v}" for k, v in langs.most_common()))
    lines.append(f"queries: {len(queries)}")
    lines.append("")
    lines.append("| kind | queries | by query language |")
    lines.append("| --- | ---: | --- |")
    for kind in KINDS:
        rows = [q for q in queries if q["kind"] == kind]
        by_lang = collections.Counter(q["language"] for q in rows)
        lines.append(
            f"| {kind} | {len(rows)} | "
            + ", ".join(f"{k} {v}" for k, v in by_lang.most_common())
            + " |"
        )
    cross = [
        q for q in queries if q["expected"] and q["language"] != by_id[q["expected"]]["language"]
    ]
    pairs = collections.Counter(
        f"{q['language']}→{by_id[q['expected']]['language']}" for q in cross
    )
    lines.append("")
    lines.append(
        f"cross-language queries (query language → stored language): {len(cross)}: "
        + ", ".join(f"{k} {v}" for k, v in pairs.most_common())
    )
    negatives = [q for q in queries if q["kind"] == "negative"]
    cross_neg = sum(1 for q in negatives if q["language"] != by_id[q["near"]]["language"])
    lines.append(f"negatives imitating a claim in another language: {cross_neg}")
    return "\n".join(lines)


def main():
    claims, queries = load("claims.jsonl"), load("queries.jsonl")
    problems = check(claims, queries)
    for p in problems:
        print("PROBLEM:", p)
    print(counts(claims, queries))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""Deterministic synthetic claims data, loaded through the project's own models in bulk.

    bench/.venv/bin/python bench/generate.py --claims 100000    # bench/data/claims-100k.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_100k \\
        bench/.venv/bin/python bench/generate.py --claims 100000 # the same rows on PostgreSQL

The shape is skewed on purpose, like real claim databases:
- claims per speaker follow a 1/rank tail, with the busiest speaker holding 5% of all claims;
- 0 to 4 appearances and 0 to 3 reviews per claim (about 10% of reviews are drafts), rebuttals on
  about 20% of claims, some of them pointing at a rebutting claim that is still a draft;
- about 8% of claims are drafts or in review (invisible to anonymous clients);
- claim text draws words from a Zipf-distributed vocabulary, so a search term can hit a few
  hundred claims or a fifth of them.

Rows get explicit ids (no per-row RETURNING) and go in with `bulk_create`, batch by batch; a
manifest (`<db>.json`) records the speakers, terms and claims the benchmark runner asks for.
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import itertools
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

BUSIEST_SHARE = 0.05
CLAIMS_PER_SPEAKER = 25  # on average: 4,000 speakers for 100k claims
TYPICAL_SPEAKER_CLAIMS = 120  # the "typical" benchmarked speaker has about this many claims
RARE_SHARE, FREQUENT_SHARE = 0.002, 0.20  # claims containing the rare / frequent search term
VOCABULARY = 20_000
BATCH = 5_000

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
FIRST_NAMES = ["Ada", "Boris", "Chen", "Dana", "Emeka", "Farah", "Goran", "Hana", "Ivan", "Jana"]
LAST_NAMES = ["Abara", "Bergström", "Castillo", "Dubois", "Eriksen", "Fontaine", "Grünewald"]
TOPICS = ["economy", "health", "migration", "climate", "defence", "energy", "crime", "education"]
RATINGS = {
    "true": "True",
    "mostly_true": "Mostly true",
    "mixed": "Half true",
    "mostly_false": "Mostly false",
    "false": "Pants on fire",
    "unproven": "Unproven",
    "misleading": "Misleading",
}
DAY0 = datetime.date(2000, 1, 1)
DAYS = 9_000  # up to 2024


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    # Bulk loads, index builds and ANALYZE run far longer than a request's statement may.
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def cumulative(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def vocabulary(rng: random.Random, size: int) -> list[str]:
    """Distinct three-syllable words (`bakelo`), so terms rarely hide inside one another."""
    words: dict[str, None] = {}
    while len(words) < size:
        words["".join(rng.choice(SYLLABLES) for _ in range(3))] = None
    return list(words)


def speaker_weights(count: int) -> list[float]:
    """A long 1/rank tail, and the busiest speaker far ahead with BUSIEST_SHARE of all claims."""
    rest = [1 / (rank + 20) for rank in range(2, count + 1)]
    busiest = BUSIEST_SHARE / (1 - BUSIEST_SHARE) * sum(rest)
    return [busiest, *rest]


class Generator:
    def __init__(self, claims: int, seed: int = 5):
        self.claims = claims
        self.rng = random.Random(seed)
        self.speakers = max(50, claims // CLAIMS_PER_SPEAKER)
        self.sources = max(20, claims // 3)
        self.outlets = 300
        self.checkers = 20
        self.words = vocabulary(self.rng, VOCABULARY)
        self.word_cum = cumulative([1 / rank for rank in range(1, VOCABULARY + 1)])
        self.speaker_cum = cumulative(speaker_weights(self.speakers))
        self.document_frequency: Counter[str] = Counter()
        self.claims_per_speaker: Counter[int] = Counter()
        self.published_per_speaker: Counter[int] = Counter()
        self.rebutted: list[int] = []

    # --- small draws -----------------------------------------------------------------------

    def zipf_words(self, k: int) -> list[str]:
        total = self.word_cum[-1]
        return [
            self.words[bisect.bisect(self.word_cum, self.rng.random() * total)] for _ in range(k)
        ]

    def day(self) -> datetime.date:
        return DAY0 + datetime.timedelta(days=self.rng.randrange(DAYS))

    def sentence(self, low: int, high: int) -> str:
        words = self.zipf_words(self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    # --- tables ----------------------------------------------------------------------------

    def run(self, out=sys.stdout) -> dict:
        """Load everything; `out=None` keeps quiet (tests)."""
        from django.db import connection, transaction

        out = out or open(os.devnull, "w")  # noqa: SIM115

        started = time.monotonic()
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=OFF")
        with transaction.atomic():
            self.load_reference_rows()
        print(f"  reference rows in {time.monotonic() - started:.1f}s", file=out)
        for first in range(1, self.claims + 1, BATCH):
            with transaction.atomic():
                self.load_claims(first, min(first + BATCH, self.claims + 1))
            if (first // BATCH) % 20 == 0:
                print(
                    f"  {first + BATCH - 1:>9,} claims, {time.monotonic() - started:.0f}s", file=out
                )
        self.reset_sequences()
        if not connection.in_atomic_block:
            with connection.cursor() as cursor:
                # On PostgreSQL, FULL: the bulk load leaves each claim's row rewritten once
                # per appearance and rebuttal (the triggers keep its search_vector), a table
                # 3.5 times its size that a sequential scan reads whole (a frequent word's
                # count: 86 ms, 12 ms compacted); a live database's autovacuum reuses that
                # space as rows come one by one. Then a plain VACUUM: the visibility map that
                # index-only scans need, as autovacuum leaves it on a live database (VACUUM
                # FULL rewrites the table without it: a busiest speaker's scorecard read 3,675
                # heap pages instead of none).
                if connection.vendor == "postgresql":
                    cursor.execute("VACUUM FULL")
                    cursor.execute("VACUUM ANALYZE")
                else:
                    cursor.execute("ANALYZE")
        print(f"  done in {time.monotonic() - started:.0f}s", file=out)
        return self.manifest()

    def load_reference_rows(self) -> None:
        from claims.models import Speaker, Topic
        from sources.models import Outlet, Source

        rng = self.rng
        Outlet.objects.bulk_create(
            Outlet(
                id=i,
                name=f"Outlet {i}" if i > self.checkers else f"Fact Checker {i}",
                slug=f"outlet-{i}" if i > self.checkers else f"fact-checker-{i}",
                kind="newspaper" if i > self.checkers else "fact_checker",
                country="GB",
            )
            for i in range(1, self.outlets + 1)
        )
        Topic.objects.bulk_create(
            Topic(id=i, name=name.title(), slug=name) for i, name in enumerate(TOPICS, 1)
        )
        speakers = []
        for i in range(1, self.speakers + 1):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {i}"
            speakers.append(
                Speaker(
                    id=i,
                    name=name,
                    slug=f"speaker-{i}",
                    kind="person" if i % 10 else "organization",
                    job_title=rng.choice(["", "Minister", "Senator", "Spokesperson"]),
                )
            )
        Speaker.objects.bulk_create(speakers, batch_size=BATCH)
        for first in range(1, self.sources + 1, BATCH):
            Source.objects.bulk_create(
                Source(
                    id=i,
                    title=self.sentence(3, 8)[:-1],
                    url=f"https://news.example/{i}",
                    outlet_id=None if rng.random() < 0.1 else rng.randint(self.checkers + 1, 300),
                    published_on=self.day(),
                )
                for i in range(first, min(first + BATCH, self.sources + 1))
            )

    def load_claims(self, first: int, stop: int) -> None:
        from claims.models import Appearance, Claim, Rebuttal, Review

        rng = self.rng
        claims, appearances, rebuttals, reviews, topics = [], [], [], [], []
        total = self.speaker_cum[-1]
        for claim_id in range(first, stop):
            speaker_id = bisect.bisect(self.speaker_cum, rng.random() * total) + 1
            words = self.zipf_words(rng.randint(8, 20))
            self.document_frequency.update(set(words))
            roll = rng.random()
            status = "draft" if roll < 0.04 else "in_review" if roll < 0.08 else "published"
            stated_on = None if rng.random() < 0.03 else self.day()
            self.claims_per_speaker[speaker_id] += 1
            if status == "published":
                self.published_per_speaker[speaker_id] += 1
            claims.append(
                Claim(
                    id=claim_id,
                    text=" ".join(words).capitalize() + ".",
                    speaker_id=speaker_id,
                    speaker_title=rng.choice(["", "", "Minister of Finance", "Candidate"]),
                    stated_on=stated_on,
                    context=rng.choice(["", "", "Interview", "Campaign rally", "Press briefing"]),
                    language="en" if rng.random() < 0.9 else rng.choice(["fr", "de", "ru"]),
                    status=status,
                )
            )
            for topic_id in rng.sample(range(1, len(TOPICS) + 1), rng.choice([0, 1, 1, 2, 3])):
                topics.append(Claim.topics.through(claim_id=claim_id, topic_id=topic_id))
            count = rng.choices(range(5), weights=[10, 40, 30, 15, 5])[0]
            for n, source_id in enumerate(rng.sample(range(1, self.sources + 1), count)):
                start = rng.randrange(max(1, len(words) - 4))
                appearances.append(
                    Appearance(
                        claim_id=claim_id,
                        source_id=source_id,
                        quote=" ".join(words[start : start + 5]),
                        is_first=n == 0,
                    )
                )
            if rng.random() < 0.2:
                if status == "published":
                    self.rebutted.append(claim_id)
                for _ in range(rng.choice([1, 1, 1, 2])):
                    rebutter = rng.randint(1, self.speakers)
                    if rebutter == speaker_id:
                        rebutter = rebutter % self.speakers + 1
                    # An earlier claim (rows go in batch by batch), published or not.
                    rebutting = (
                        rng.randint(1, claim_id - 1)
                        if claim_id > 1 and rng.random() < 0.3
                        else None
                    )
                    rebuttals.append(
                        Rebuttal(
                            claim_id=claim_id,
                            speaker_id=rebutter,
                            text=self.sentence(6, 14),
                            source_id=rng.randint(1, self.sources) if rng.random() < 0.7 else None,
                            stated_on=stated_on and stated_on + datetime.timedelta(days=3),
                            relation=rng.choice(["refutes", "disputes", "contextualizes"]),
                            rebutting_claim_id=rebutting or None,
                        )
                    )
            for _ in range(rng.choices(range(4), weights=[50, 30, 15, 5])[0]):
                rating = rng.choice(list(RATINGS))
                reviews.append(
                    Review(
                        claim_id=claim_id,
                        reviewer_id=rng.randint(1, self.checkers),
                        rating=rating,
                        textual_rating=RATINGS[rating],
                        url=f"https://check.example/{claim_id}/{len(reviews)}",
                        published_on=None if rng.random() < 0.05 else self.day(),
                        status="draft" if rng.random() < 0.1 else "published",
                    )
                )
        Claim.objects.bulk_create(claims)
        Claim.topics.through.objects.bulk_create(topics)
        Appearance.objects.bulk_create(appearances)
        Rebuttal.objects.bulk_create(rebuttals)
        Review.objects.bulk_create(reviews)

    def reset_sequences(self) -> None:
        from django.core.management.color import no_style
        from django.db import connection

        from claims.models import Claim, Speaker, Topic
        from sources.models import Outlet, Source

        statements = connection.ops.sequence_reset_sql(
            no_style(), [Claim, Speaker, Topic, Outlet, Source]
        )
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    # --- what the runner asks for ----------------------------------------------------------

    def manifest(self) -> dict:
        def nearest(counter: Counter, target: float) -> str:
            return min(counter, key=lambda key: (abs(counter[key] - target), key))

        others = Counter({k: v for k, v in self.published_per_speaker.items() if k != 1})
        typical = nearest(others, TYPICAL_SPEAKER_CLAIMS)
        return {
            "claims": self.claims,
            "speakers": self.speakers,
            "busiest_speaker": "speaker-1",
            "busiest_speaker_claims": self.published_per_speaker[1],
            "typical_speaker": f"speaker-{typical}",
            "typical_speaker_claims": self.published_per_speaker[typical],
            "rare_term": nearest(self.document_frequency, RARE_SHARE * self.claims),
            "frequent_term": nearest(self.document_frequency, FREQUENT_SHARE * self.claims),
            "rebutted_claim": self.rebutted[len(self.rebutted) // 2],
        }


def database_label(claims: int) -> str:
    return f"claims-{claims // 1000}k" if claims % 1_000_000 else f"claims-{claims // 1_000_000}m"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    label = database_label(args.claims)
    DATA.mkdir(exist_ok=True)
    if not os.environ.get("DATABASE_URL"):
        path = DATA / f"{label}.sqlite3"
        for leftover in DATA.glob(f"{label}.sqlite3*"):
            leftover.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        manifest_path = DATA / f"{label}.json"
    else:
        manifest_path = DATA / f"{label}-postgresql.json"
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        flush_postgresql(connection)
    call_command("migrate", verbosity=0)
    print(f"Generating {args.claims:,} claims into {connection.settings_dict['NAME']}")
    manifest = Generator(args.claims, seed=args.seed).run()
    manifest["database"] = os.environ["DATABASE_URL"]
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest, indent=2))


def flush_postgresql(connection) -> None:
    """Start from an empty schema, so a rerun gives the same rows."""
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")


if __name__ == "__main__":
    main()

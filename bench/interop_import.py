"""Import 10,000 ClaimReviews from one DataFeed file and print the seconds it takes.

    .venv/bin/python bench/interop_import.py                    # SQLite, a scratch file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_interop \\
        .venv/bin/python bench/interop_import.py                # PostgreSQL

With DATABASE_URL the database must exist and be a scratch one: it is migrated and emptied
(`flush`) first. The feed is generated (deterministic, `--seed`): `--reviews` ClaimReviews by
200 fact-checkers about claims of 2,000 speakers, each with one or two appearances, labels
drawn from the rating table and a few unknown ones. The import runs as `import_claimreview`
does (one transaction, history rows and all); a second run of the same file (nothing new,
every entry unchanged) is timed too. Target: under a minute on either engine.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ["False", "Mostly False", "Half True", "Pants on Fire", "Misleading", "True", "Faux"]
UNKNOWN = ["Needs context?", "Not quite"]


def feed(reviews: int, seed: int) -> dict:
    rng = random.Random(seed)
    elements = []
    for n in range(reviews):
        site = f"checker{n % 200}.example"
        label = rng.choice(LABELS) if rng.random() > 0.05 else rng.choice(UNKNOWN)
        appearances = [
            {"@type": "CreativeWork", "url": f"https://social{n % 50}.example/posts/{n}-{k}"}
            for k in range(rng.randint(1, 2))
        ]
        elements.append(
            {
                "@type": "ClaimReview",
                "url": f"https://{site}/checks/{n}",
                "datePublished": f"2023-{1 + n % 12:02d}-{1 + n % 28:02d}",
                "claimReviewed": f"Claim number {n}: figure {rng.randint(1, 10**6)} is right.",
                "author": {
                    "@type": "Organization",
                    "name": f"Checker {n % 200}",
                    "url": f"https://{site}/",
                },
                "reviewRating": {
                    "@type": "Rating",
                    "alternateName": label,
                    "ratingValue": rng.randint(1, 5),
                    "bestRating": 5,
                    "worstRating": 1,
                },
                "itemReviewed": {
                    "@type": "Claim",
                    "datePublished": "2023-01-01",
                    "inLanguage": "en",
                    "author": {"@type": "Person", "name": f"Speaker {rng.randint(0, 1999)}"},
                    "appearance": appearances,
                },
            }
        )
    return {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": elements}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviews", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="interop-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    # Production settings: DEBUG would record every query.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "interop-benchmark-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from interop.parse import read_document
    from interop.services import CommandLine, claimreview_import

    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    path = Path(scratch) / "feed.json"
    path.write_text(json.dumps(feed(args.reviews, args.seed)), encoding="utf-8")
    engine = connection.vendor
    print(f"{engine}: {args.reviews} ClaimReviews in one DataFeed ({path.stat().st_size:,} bytes)")

    for run in ("first import", "same file again"):
        started = time.perf_counter()
        document = read_document(path.read_bytes(), name=path.name)
        report = claimreview_import(documents=[document], by=CommandLine())
        seconds = time.perf_counter() - started
        print(
            f"{run}: {seconds:.1f} s — created {report.created}, updated {report.updated}, "
            f"unchanged {report.unchanged}, rejected {report.rejected}"
        )


if __name__ == "__main__":
    main()

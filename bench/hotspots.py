"""Where our server's time goes, per request, in the production configuration.

    bench/.venv/bin/python bench/hotspots.py --claims 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_100k \\
        bench/.venv/bin/python bench/hotspots.py --claims 100000

Ours runs as bench/run.py runs it (`make serve`'s gunicorn config, one worker pinned to CPU 0),
except that the worker is not recycled while it is sampled (py-spy follows one process) and has
one thread (a thread waiting for the GIL looks busy to a sampler); what either costs is
measured by run.py's `--variant`. For each endpoint, wrk loads the server twice: once bare, for
the CPU per request (run.py's measure), once while py-spy samples the worker's Python stacks
without pausing it. A sample whose innermost line waits (WAITING_LINES) is dropped; one whose
innermost line calls into the database driver counts as the database's work (SQLite's C code
runs there); every other is put in one bucket (BUCKETS, first match from the innermost frame
outwards, except the CONTEXT buckets, which win wherever they are in the stack). A bucket's
ms/req is its share of the samples times the bare CPU per request.

A second pass, in-process through Django's test client with the same settings, counts per
request what the sampling cannot: how many times the ORM compiles a query (the outermost
`SQLCompiler.as_sql` calls) and the CPU time it takes, how many querysets are cloned, how many
FilterSets are built, and the garbage collections and their CPU time.
"""

from __future__ import annotations

import argparse
import collections
import gc
import json
import linecache
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench import run  # noqa: E402
from bench.generate import DATA, database_label, setup_django  # noqa: E402

MAIN = [
    "speaker typical p1",
    "speaker busiest p1",
    "speaker busiest p100",
    "claim detail",
    "speaker detail typical",
    "search rare",
    "search frequent",
]

# The worker thread's innermost Python line when it waits rather than runs (py-spy's own idle
# test misses these): for the next request, in the poller, for the GIL around a syscall, and
# for PostgreSQL: the backend woken by the query often runs at once on the worker's core.
WAITING_LINES = re.compile(
    r"work_queue\.get\(|os\.write\(self\._write_fd|_pgconn\.send_query\(|"
    r"\.select\(|\.poll\(|\.acquire\(|\.wait\("
)

# (bucket, pattern on a frame "function (path:line)", path shortened to the package) that win
# wherever they are in a stack.
CONTEXT = [
    (
        "database connect / close",
        r"(get_new_connection|init_connection_state|_close \(django/db/backends|"
        r"close \(django/db/backends/base|close_old_connections|close_if_unusable_or_obsolete)",
    ),
    ("worker start-up (imports)", r"\(<frozen importlib"),
]
# (bucket, pattern), tried on each frame from the innermost outwards: the first match wins.
BUCKETS = [
    ("SQL: psycopg and its pool (Python side)", r"\((psycopg|psycopg_pool)/"),
    ("SQL: Django's cursor wrappers", r"\(django/db/backends/"),
    (
        "ORM: rows to Python",
        r"(execute_sql|results_iter|apply_converters|__iter__|_fetch_all)\w* "
        r"\(django/db/models/",
    ),
    (
        "ORM: compile to SQL",
        r"\(django/db/models/sql/(compiler|where)\.py|"
        r"(as_sql|as_sqlite|as_postgresql|compile|process_rhs|process_lhs|"
        r"get_db_prep_lookup)\w* \(django/db/models/",
    ),
    ("ORM: build querysets (filter, clone)", r"\(django/db/models/"),
    (
        "JSON (json.loads/dumps, renderers)",
        r"\((json/|rest_framework/renderers|rest_framework/utils/encoders)",
    ),
    ("access log", r"\(gunicorn/glogging\.py|\(logging/"),
    (
        "filtering (FilterSet, forms)",
        r"\((django_filters/|claims/filters\.py|api/filtering\.py|django/forms/)",
    ),
    ("search plan (claims/search.py)", r"\(claims/search\.py"),
    ("pagination", r"\((api/pagination\.py|rest_framework/pagination\.py|django/core/paginator)"),
    ("read path glue (claims/documents, counts, views)", r"\(claims/(documents|counts|views)\.py"),
    ("ETag / conditional response", r"\((api/concurrency\.py|hashlib|django/utils/cache\.py)"),
    (
        "auth, permissions, throttles",
        r"\((rest_framework/(authentication|permissions|throttling)|"
        r"api/(permissions|throttling)|django/contrib/auth/)",
    ),
    (
        "middleware",
        r"\((django/middleware/|corsheaders/|whitenoise/|django/contrib/sessions/|"
        r"django/contrib/messages/|simple_history/middleware|api/(history|limits)\.py)",
    ),
    ("URL resolving", r"\(django/urls/"),
    ("DRF request, negotiation, view", r"\(rest_framework/"),
    ("Django request/response", r"\(django/"),
    ("gunicorn: HTTP parsing, socket I/O", r"\(gunicorn/"),
]
# The innermost Python line calls into the database driver (C): SQLite's own work on SQLite,
# waiting for PostgreSQL's answer plus libpq on PostgreSQL.
DATABASE_CALL = re.compile(r"\.(execute|executemany|fetchone|fetchall|fetchmany)\(")
DATABASE_ERRORS_WRAPPER = "DatabaseErrorWrapper.__call__.<locals>.inner (django/db/utils.py"
FRAME = re.compile(r"^(?P<function>.*) \((?P<path>.*?):(?P<line>\d+)\)$")
SHORTEN = re.compile(r"^.*/(site-packages|python3\.\d+)/|^" + re.escape(f"{BENCH.parent}/"))


def parse(frame: str) -> tuple[str, str]:
    """(the frame with its path shortened to the package, its source line)."""
    found = FRAME.match(frame)
    if not found:
        return frame, ""
    path, line = found["path"], int(found["line"])
    return f"{found['function']} ({SHORTEN.sub('', path)}:{line})", linecache.getline(path, line)


def classify(frames: list[str]) -> str | None:
    """The bucket of one sample (frames outermost first), or None when the thread waits."""
    parsed = [parse(frame) for frame in frames]
    _leaf, source = parsed[-1]
    if WAITING_LINES.search(source):
        return None
    texts = [text for text, _ in parsed]
    for bucket, pattern in CONTEXT:
        if any(re.search(pattern, text) for text in texts):
            return bucket
    # Django wraps the cursor's fetch methods, whose C code steps SQLite through the rows.
    if DATABASE_CALL.search(source) or texts[-1].startswith(DATABASE_ERRORS_WRAPPER):
        return "SQL: the database's own work (driver call)"
    for text in reversed(texts):
        for bucket, pattern in BUCKETS:
            if re.search(pattern, text):
                return bucket
    return "other (interpreter, stdlib)"


def read_raw(path: Path) -> collections.Counter:
    shares: collections.Counter = collections.Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        bucket = classify(stack.split(";"))
        if bucket:
            shares[bucket] += int(count)
    return shares


def sample(worker: int, seconds: int, rate: int, keep: Path) -> collections.Counter:
    """py-spy's samples of the worker's threads, bucketed; the raw stacks are kept in `keep`."""
    with tempfile.NamedTemporaryFile(suffix=".raw") as out:
        subprocess.run(
            [
                str(BENCH / ".venv" / "bin" / "py-spy"),
                "record",
                "--pid",
                str(worker),
                "--rate",
                str(rate),
                "--duration",
                str(seconds),
                "--nonblocking",
                "--full-filenames",
                "--format",
                "raw",
                "--output",
                out.name,
            ],
            check=True,
            capture_output=True,
        )
        keep.write_bytes(Path(out.name).read_bytes())
        return read_raw(keep)


def count_work(points) -> dict[str, dict[str, float]]:
    """Per request: outermost ORM compilations, queryset clones, FilterSets built, SQL
    statements, garbage collections and their time; over 200 requests through Django's test
    client (warm caches, as a busy server has them). Times are the thread's CPU time, which
    other processes on the machine do not inflate."""
    import django_filters
    from django.db import connection
    from django.db.models import QuerySet
    from django.db.models.sql.compiler import SQLCompiler
    from django.test.utils import CaptureQueriesContext

    tallies = collections.Counter()
    depth = [0]

    def counting(cls, name, key, outermost=False):
        original = getattr(cls, name)

        def wrapper(*args, **kwargs):
            counted = not outermost or depth[0] == 0
            if counted:
                tallies[key] += 1
            depth[0] += outermost
            started = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                depth[0] -= outermost
                if counted and outermost:
                    tallies[f"{key} ms"] += (time.thread_time() - started) * 1000

        setattr(cls, name, wrapper)
        return lambda: setattr(cls, name, original)

    restore = [
        counting(SQLCompiler, "as_sql", "ORM compilations", outermost=True),
        counting(QuerySet, "_chain", "queryset clones"),
        counting(django_filters.FilterSet, "__init__", "FilterSets built"),
    ]
    collecting = {}

    def timing(phase, info):
        if phase == "start":
            collecting["since"] = time.thread_time()
        else:
            tallies[f"GC runs (generation {info['generation']})"] += 1
            tallies["GC ms"] += (time.thread_time() - collecting["since"]) * 1000

    gc.callbacks.append(timing)
    restore.append(lambda: gc.callbacks.remove(timing))
    client, found, requests = run_client(), {}, 200
    try:
        for endpoint in points:
            client.get(endpoint.ours)
            tallies.clear()
            with CaptureQueriesContext(connection) as queries:
                for _ in range(requests):
                    client.get(endpoint.ours)
            found[endpoint.name] = {k: v / requests for k, v in tallies.items()}
            found[endpoint.name]["SQL statements"] = len(queries) / requests
    finally:
        for undo in restore:
            undo()
    return found


def run_client():
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")


def main() -> None:
    run.stop_servers_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10, help="of sampling per endpoint")
    parser.add_argument("--rate", type=int, default=250, help="samples per second")
    parser.add_argument("--only", help="comma-separated substrings of the endpoint names")
    parser.add_argument("--ours-port", type=int, default=8711)
    parser.add_argument("--ours-env", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--ours-option", action="append", default=[], metavar="OPTION")
    parser.add_argument("--tag", default="", help="suffix of the results files")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="bucket the samples kept by the last run again (after a change to BUCKETS)",
    )
    args = parser.parse_args()
    args.ours_env = dict(item.split("=", 1) for item in args.ours_env)
    # py-spy follows one process: no recycling while sampling (see the module docstring).
    # One thread: a thread waiting for the GIL looks busy to a sampler; what the production's
    # four threads cost is measured by run.py (`--ours-option=--threads=1` against the default).
    args.ours_option = ["--max-requests=0", "--threads=1", *args.ours_option]
    args.servers, args.variants = "ours", []

    label = database_label(args.claims)
    database_url = os.environ.get("DATABASE_URL")
    if database_url:
        manifest = json.loads((DATA / f"{label}-postgresql.json").read_text())
        engine = "postgresql"
    else:
        database_url = f"sqlite:///{DATA / f'{label}.sqlite3'}"
        os.environ["DATABASE_URL"] = database_url
        manifest = json.loads((DATA / f"{label}.json").read_text())
        engine = "sqlite"
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    stem = out / f"profile-{label}-{engine}{args.tag}"
    if args.report_only:
        saved = json.loads(stem.with_suffix(".json").read_text())
        for name, profile in saved["profiles"].items():
            profile["shares"] = dict(read_raw(raw_path(stem, name)))
        text = report(saved["profiles"], saved["work"], args, saved["title"])
        stem.with_suffix(".md").write_text(text)
        print(stem.with_suffix(".md").read_text())
        return
    os.environ.update({k: v for k, v in run.OURS_ENV.items() if k != "PGAPPNAME"})
    setup_django()
    points = run.endpoints(manifest, run.detail_claim_id(), 20)
    wanted = args.only.split(",") if args.only else MAIN
    points = [p for p in points if any(w in p.name for w in wanted)]
    work = count_work(points)

    os.sched_setaffinity(0, {int(run.LOAD_CPU)})
    servers, backends, profiles = {}, None, {}
    try:
        run.start_servers(servers, args, database_url, None)
        ours = servers["ours"]
        if engine == "postgresql":
            backends = run.Backends(database_url)
        for endpoint in points:
            bare = run.measure(ours, endpoint.ours, 4, backends)
            (worker,) = ours.workers()
            wrk = ["taskset", "-c", run.LOAD_CPU, "wrk", "-t1", "-c2", f"-d{args.seconds + 2}s"]
            load = subprocess.Popen(
                [*wrk, ours.url(endpoint.ours)],
                stdout=subprocess.DEVNULL,
            )
            time.sleep(1)
            shares = sample(worker, args.seconds, args.rate, raw_path(stem, endpoint.name))
            load.wait()
            profiles[endpoint.name] = {"bare": bare, "shares": dict(shares)}
            print(
                f"  {endpoint.name}: {bare['worker_ms']:.2f} ms/req, {sum(shares.values())} samples"
            )
    finally:
        if backends:
            backends.stop()
        for server in servers.values():
            server.stop()

    text = report(profiles, work, args, title=f"{label}, {engine}")
    stem.with_suffix(".md").write_text(text)
    stem.with_suffix(".json").write_text(json.dumps({"profiles": profiles, "work": work}, indent=1))
    print(text)


def raw_path(stem: Path, endpoint: str) -> Path:
    """Where py-spy's raw stacks of one endpoint are kept."""
    return stem.with_name(f"{stem.name}-{endpoint.replace(' ', '-')}.raw")


def report(profiles: dict, work: dict, args, title: str) -> str:
    names = list(profiles)
    lines = [
        f"### Where the time goes: {title}",
        "",
        "Worker CPU ms per request by bucket (share of py-spy's on-CPU samples × the bare "
        "CPU per request); production gunicorn config without recycling"
        + (f", {', '.join(args.ours_option[1:])}" if args.ours_option[1:] else "")
        + (f", {', '.join(f'{k}={v}' for k, v in args.ours_env.items())}" if args.ours_env else "")
        + ".",
        "",
        "| bucket | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    totals = {name: sum(p["shares"].values()) or 1 for name, p in profiles.items()}
    buckets = collections.Counter()
    for name, profile in profiles.items():
        for bucket, n in profile["shares"].items():
            buckets[bucket] += n / totals[name]
    for bucket, _ in buckets.most_common():
        cells = []
        for name in names:
            share = profiles[name]["shares"].get(bucket, 0) / totals[name]
            cells.append(f"{share * profiles[name]['bare']['worker_ms']:.2f} ({share:.0%})")
        lines.append(f"| {bucket} | " + " | ".join(cells) + " |")
    lines.append(
        "| **worker CPU ms/req** | "
        + " | ".join(f"**{profiles[n]['bare']['worker_ms']:.2f}**" for n in names)
        + " |"
    )
    if any(profiles[n]["bare"]["backend_ms"] for n in names):
        lines.append(
            "| PostgreSQL backends' CPU ms/req | "
            + " | ".join(f"{profiles[n]['bare']['backend_ms']:.2f}" for n in names)
            + " |"
        )
    lines.append(
        "| samples (load, others' CPU) | "
        + " | ".join(
            f"{totals[n]} ({profiles[n]['bare']['load']:.1f}, "
            f"{profiles[n]['bare']['others_cores']:.2f})"
            for n in names
        )
        + " |"
    )
    lines += ["", "Counted in-process per request (Django's test client, same settings):", ""]
    kinds = sorted({k for counts in work.values() for k in counts})
    lines.append("| per request | " + " | ".join(work) + " |")
    lines.append("|---|" + "---:|" * len(work))
    for kind in kinds:
        lines.append(f"| {kind} | " + " | ".join(f"{work[n].get(kind, 0):g}" for n in work) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()

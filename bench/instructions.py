"""Instructions per request, counted by valgrind's callgrind: a figure that does not move with
the machine's load, for comparing two versions of the code on a busy machine.

    bench/.venv/bin/python bench/instructions.py --claims 100000 /path/to/old/checkout .

Each checkout (a directory holding the project: a `git worktree add --detach DIR COMMIT` of the
version to compare) serves the benchmark's endpoints (bench/run.py's, the same data) in one
process through Django's WSGI handler, with bench/run.py's settings for ours (DEBUG off,
production middleware, no throttling). For each endpoint the process runs twice under
callgrind: 30 warm-up requests then none, and 30 warm-up requests then --requests more; the
difference divided by --requests is one request's instructions, start-up and warm-up excluded.
The table gives them in millions and as a ratio to the first checkout.

Instructions are not seconds (a cache miss costs more than an add), so this complements
bench/run.py's CPU per request; it does not replace it. SQLite only: a PostgreSQL backend's
work happens in another process.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DATA = BENCH / "data"
WARM_UP = 30


def child(root: str, path: str, requests: int) -> None:
    """Serve `path` WARM_UP + `requests` times from the checkout at `root`."""
    sys.path.insert(0, root)
    os.chdir(root)
    import django
    from django.core.handlers.wsgi import WSGIHandler

    django.setup()
    application = WSGIHandler()
    path_info, _, query = path.partition("?")
    for _ in range(WARM_UP + requests):
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_ACCEPT": "application/json",
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
        }
        statuses: list[str] = []
        body = b"".join(application(environ, lambda status, *_, seen=statuses: seen.append(status)))
        if not statuses[0].startswith("200"):
            raise SystemExit(f"{path}: {statuses[0]} {body[:200]!r}")


def counted(root: Path, path: str, requests: int, env: dict) -> int:
    """The instructions callgrind counts for a child process serving `path`."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--child",
        str(root),
        path,
        str(requests),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or not found:
        raise SystemExit(f"{root} {path}: failed\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="*", type=Path, help="project directories")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--only", help="comma-separated parts of endpoint names")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        root, path, requests = args.child
        child(root, path, int(requests))
        return
    if not args.checkouts:
        parser.error("give at least one checkout")

    sys.path.insert(0, str(BENCH.parent))
    from bench.run import OURS_ENV, database_label, endpoints

    label = database_label(args.claims)
    manifest = json.loads((DATA / f"{label}.json").read_text())
    env = {
        **os.environ,
        **{name: value for name, value in OURS_ENV.items() if name != "PGAPPNAME"},
        "DATABASE_URL": f"sqlite:///{DATA / label}.sqlite3",
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        # The same hash seed in every run: str hashes decide dict and set layouts, which moved
        # a claim's detail by a few percent from one run to the next.
        "PYTHONHASHSEED": "0",
    }
    detail = detail_claim(env)
    points = endpoints(manifest, detail, 20)
    if args.only:
        wanted = args.only.split(",")
        points = [point for point in points if any(part in point.name for part in wanted)]
    roots = [checkout.resolve() for checkout in args.checkouts]
    print("| endpoint | " + " | ".join(f"`{root.name}` (M, ratio)" for root in roots) + " |")
    print("|---|" + "---|" * len(roots))
    for point in points:
        figures = []
        for root in roots:
            base = counted(root, point.ours, 0, env)
            loaded = counted(root, point.ours, args.requests, env)
            figures.append((loaded - base) / args.requests / 1e6)
        cells = [f"{value:.3f} ({value / figures[0]:.3f})" for value in figures]
        print(f"| {point.name} | " + " | ".join(cells) + " |", flush=True)


def detail_claim(env: dict) -> int:
    """bench/run.py's claim for the detail endpoint, asked of the first checkout's database."""
    code = (
        "import django; django.setup(); "
        "from bench.run import detail_claim_id; print(detail_claim_id())"
    )
    found = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=BENCH.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(found.stdout.split()[-1])


if __name__ == "__main__":
    main()

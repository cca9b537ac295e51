"""Our worker's memory over many requests, without recycling: is it flat?

    bench/.venv/bin/python bench/soak.py --claims 100000 --requests 50000
    bench/.venv/bin/python bench/soak.py --claims 1000000 --requests 20000 --ours-option=--threads=1

Ours runs as bench/run.py runs it (`make serve`'s gunicorn config, one worker pinned to CPU 0),
with `--max-requests=0` so the one worker lives through the run. wrk (CPU 1, 2 connections)
cycles through every endpoint of run.py in turn; every few seconds the worker's RSS (VmRSS)
and peak (VmHWM) are printed against the requests served so far (counted in the access log).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench import run  # noqa: E402
from bench.generate import DATA, database_label, setup_django  # noqa: E402


def memory_kb(pid: int) -> tuple[int, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
    peak = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
    return rss, peak


def served(log: Path) -> int:
    """Access-log lines so far: one per request."""
    with log.open("rb") as lines:
        return sum(1 for line in lines if b'"GET ' in line)


def main() -> None:
    run.stop_servers_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--every", type=float, default=5.0, help="seconds between samples")
    parser.add_argument("--ours-port", type=int, default=8721)
    parser.add_argument("--ours-env", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--ours-option", action="append", default=[], metavar="OPTION")
    args = parser.parse_args()
    args.ours_env = dict(item.split("=", 1) for item in args.ours_env)
    args.ours_option = ["--max-requests=0", *args.ours_option]
    args.servers, args.variants = "ours", []

    label = database_label(args.claims)
    database_url = os.environ.get("DATABASE_URL")
    if database_url:
        manifest = json.loads((DATA / f"{label}-postgresql.json").read_text())
    else:
        database_url = f"sqlite:///{DATA / f'{label}.sqlite3'}"
        os.environ["DATABASE_URL"] = database_url
        manifest = json.loads((DATA / f"{label}.json").read_text())
    os.environ.update({k: v for k, v in run.OURS_ENV.items() if k != "PGAPPNAME"})
    setup_django()
    points = run.endpoints(manifest, run.detail_claim_id(), 20)
    script = DATA / "soak.lua"
    paths = ", ".join(json.dumps(point.ours) for point in points)
    script.write_text(
        f"paths = {{{paths}}}\n"
        "i = 0\n"
        "request = function()\n"
        "  i = i + 1\n"
        '  return wrk.format("GET", paths[(i % #paths) + 1])\n'
        "end\n"
    )

    os.sched_setaffinity(0, {int(run.LOAD_CPU)})
    servers = {}
    try:
        run.start_servers(servers, args, database_url, None)
        ours = servers["ours"]
        (worker,) = ours.workers()
        print(f"worker {worker}; options {' '.join(args.ours_option)} {args.ours_env or ''}")
        print(f"{'requests':>9} {'seconds':>8} {'RSS MB':>7} {'peak MB':>8}")
        started, base = time.monotonic(), served(ours.log)
        rss, peak = memory_kb(worker)
        print(f"{0:>9} {0:>8.0f} {rss / 1024:>7.1f} {peak / 1024:>8.1f}", flush=True)
        wrk = ["taskset", "-c", run.LOAD_CPU, "wrk", "-t1", "-c2", "-d3600s", "-s", str(script)]
        load = subprocess.Popen(
            [*wrk, ours.url("/")],
            stdout=subprocess.DEVNULL,
        )
        try:
            count = 0
            while count < args.requests:
                time.sleep(args.every)
                count = served(ours.log) - base
                rss, peak = memory_kb(worker)
                elapsed = time.monotonic() - started
                print(
                    f"{count:>9} {elapsed:>8.0f} {rss / 1024:>7.1f} {peak / 1024:>8.1f}",
                    flush=True,
                )
            if ours.workers() != [worker]:
                raise SystemExit("the worker was replaced during the run")
        finally:
            load.terminate()
            load.wait()
    finally:
        for server in servers.values():
            server.stop()


if __name__ == "__main__":
    main()

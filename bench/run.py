"""Serve the generated data from our API, Datasette and a bare WSGI ceiling; load each with wrk.

    bench/.venv/bin/python bench/run.py --claims 100000              # SQLite: all three servers
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_100k \\
        bench/.venv/bin/python bench/run.py --claims 100000          # PostgreSQL: ours only

Each server runs one worker pinned to CPU 0 (`taskset`); wrk runs pinned to CPU 1. The headline
figure is the server's CPU time per request, from utime+stime in /proc/<pid>/stat before and
after the run: unlike requests/s it hardly moves when something else runs on the machine.
Before loading anything, the runner checks that the servers answer each endpoint with the
same claims, in the same order.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from bench.generate import DATA, database_label, setup_django  # noqa: E402
from bench.sql import JSON_COLUMNS, QUERIES  # noqa: E402

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
SERVER_CPU, LOAD_CPU = "0", "1"
PORTS = {"ours": 8701, "datasette": 8702, "ceiling": 8703}
# gunicorn's worker for ours and the ceiling: one thread, but with keep-alive (the sync worker
# closes every connection), as Datasette's uvicorn keeps its connections too.
WORKER = ["--worker-class", "gthread", "--threads", "1", "--keep-alive", "5"]


@dataclass
class Endpoint:
    name: str
    ours: str
    datasette: str | None = None  # path and query of the canned query
    ceiling: str | None = None
    rows: dict[str, list] = field(default_factory=dict)


def canned(name: str, **params) -> str:
    json_params = [("_json", column) for column in JSON_COLUMNS]
    return f"{name}.json?" + urlencode([*params.items(), ("_shape", "array"), *json_params])


def endpoints(manifest: dict, detail_claim: int, page_size: int) -> list[Endpoint]:
    typical, busiest = manifest["typical_speaker"], manifest["busiest_speaker"]
    size = {"page_size": page_size}
    found = []

    def paged(name, ours, query, page=1, **params):
        window = {"limit": page_size, "offset": (page - 1) * page_size}
        ours_params = {**size, **({"page": page} if page > 1 else {})}
        found.append(
            Endpoint(
                name,
                f"{ours}{'&' if '?' in ours else '?'}{urlencode(ours_params)}",
                canned(query, **params, **window),
                f"{query}?{urlencode({**params, **window})}",
            )
        )

    paged(
        "speaker typical p1",
        f"/api/v1/speakers/{typical}/claims/",
        "claims_by_speaker",
        speaker=typical,
    )
    paged(
        "speaker busiest p1",
        f"/api/v1/speakers/{busiest}/claims/",
        "claims_by_speaker",
        speaker=busiest,
    )
    paged(
        "speaker busiest p100",
        f"/api/v1/speakers/{busiest}/claims/",
        "claims_by_speaker",
        page=100,
        speaker=busiest,
    )
    paged(
        "speaker filter p1",
        f"/api/v1/claims/?speaker={typical}",
        "claims_by_speaker",
        speaker=typical,
    )
    found.append(
        Endpoint(
            "claim detail",
            f"/api/v1/claims/{detail_claim}/",
            canned("claim_detail", id=detail_claim),
            f"claim_detail?id={detail_claim}",
        )
    )
    for label, query in (("rare", "claims_search_fts"), ("frequent", "claims_search")):
        term = manifest[f"{label}_term"]
        paged(f"search {label}", f"/api/v1/claims/?q={term}", query, q=term)
    for label, slug in (("typical", typical), ("busiest", busiest)):
        found.append(
            Endpoint(
                f"speaker detail {label}",
                f"/api/v1/speakers/{slug}/",
                canned("speaker_detail", speaker=slug),
                f"speaker_detail?speaker={slug}",
            )
        )
    paged("all claims p1", "/api/v1/claims/", "claims_all")
    paged("all claims p100", "/api/v1/claims/", "claims_all", page=100)
    return found


# --- servers -------------------------------------------------------------------------------


class Server:
    def __init__(self, name: str, command: list[str], env: dict):
        self.name, self.port = name, PORTS[name]
        with socket.socket() as probe:  # a server left over from a crashed run would answer
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise SystemExit(f"Port {self.port} ({name}) is in use: stop what listens there.")
        self.process = subprocess.Popen(
            ["taskset", "-c", SERVER_CPU, *command],
            env={**os.environ, **env},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=open(BENCH / "data" / f"{name}.log", "w"),  # noqa: SIM115
            start_new_session=True,
        )
        self.wait_ready()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def wait_ready(self) -> None:
        for _ in range(300):
            try:
                urllib.request.urlopen(self.url("/"), timeout=1)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not start; see bench/data/{self.name}.log")

    def worker_pid(self) -> int:
        """gunicorn's single worker, or the Datasette process itself."""
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        return int(children[0]) if children else self.process.pid

    def cpu_ms(self) -> float:
        fields = Path(f"/proc/{self.worker_pid()}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * TICK_MS  # utime, stime

    def peak_rss_mb(self) -> float:
        status = Path(f"/proc/{self.worker_pid()}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024

    def get(self, path: str) -> dict | list:
        with urllib.request.urlopen(self.url(path), timeout=60) as response:
            body = response.read()
        try:
            return json.loads(body)
        except ValueError:
            raise SystemExit(f"{self.name} {path}: not JSON: {body[:300]!r}") from None

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


# Our server's settings (and the in-process client's, which counts SQL per request).
OURS_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-not-a-secret",
    "ALLOWED_HOSTS": "127.0.0.1",
    # Persistent connections, as Datasette and the ceiling keep theirs.
    "DATABASE_CONN_MAX_AGE": "600",
    # Plain http on loopback, and no rate limits: Datasette and the ceiling have neither,
    # and wrk's one client would be throttled within a second.
    "HTTPS": "false",
    "THROTTLE_ANON": "off",
    "THROTTLE_USER": "off",
}


def start_servers(
    servers: dict, database_url: str, sqlite_path: Path | None, which: list[str]
) -> None:
    """Start each server into `servers` as it comes up, so the caller stops those that did
    when a later one fails."""
    python = str(Path(sys.executable).parent)
    env = {"DATABASE_URL": database_url, **OURS_ENV}
    options = ["--workers", "1", "--log-level", "warning", *WORKER]
    gunicorn = [f"{python}/gunicorn", *options]
    if "ours" in which:
        # Served from a venv with the project's requirements.txt only, as in production. In
        # the bench venv (or a development one) packages that production never installs are
        # imported by ours too, as django.test (which drf-spectacular imports) loads jinja2
        # and DRF's test module loads requests when present: 10 MB more, for nothing.
        ours = BENCH / ".venv-ours" / "bin" / "gunicorn"
        if not ours.exists():
            raise SystemExit(
                "Create the server's venv first: python3 -m venv bench/.venv-ours && "
                "bench/.venv-ours/bin/pip install -r requirements.txt"
            )
        servers["ours"] = Server(
            "ours", [str(ours), *options, "-b", f"127.0.0.1:{PORTS['ours']}", "factcheck.wsgi"], env
        )
    if sqlite_path and "ceiling" in which:
        servers["ceiling"] = Server(
            "ceiling",
            [*gunicorn, "-b", f"127.0.0.1:{PORTS['ceiling']}", "bench.ceiling:app"],
            {"BENCH_DB": str(sqlite_path)},
        )
    if sqlite_path and "datasette" in which:
        metadata = BENCH / "data" / "datasette-metadata.json"
        queries = {name: {"sql": sql} for name, sql in QUERIES.items()}
        metadata.write_text(json.dumps({"databases": {sqlite_path.stem: {"queries": queries}}}))
        servers["datasette"] = Server(
            "datasette",
            [
                f"{python}/datasette",
                "serve",
                "-i",
                str(sqlite_path),
                "--metadata",
                str(metadata),
                "-p",
                str(PORTS["datasette"]),
                "--setting",
                "sql_time_limit_ms",
                "20000",
            ],
            {},
        )


# --- measuring -----------------------------------------------------------------------------


def ids(payload) -> list:
    if isinstance(payload, dict) and "results" in payload:
        payload = payload["results"]
    if isinstance(payload, dict):
        payload = [payload]
    return [row.get("id") or row.get("slug") for row in payload]


def server_path(server: str, endpoint: Endpoint, database: str) -> str | None:
    if server == "ours":
        return endpoint.ours
    if server == "datasette":
        return endpoint.datasette and f"/{database}/{endpoint.datasette}"
    return endpoint.ceiling and f"/{endpoint.ceiling}"


def check_same_rows(servers: dict, points: list[Endpoint], database: str) -> None:
    for endpoint in points:
        answers = {}
        for name, server in servers.items():
            path = server_path(name, endpoint, database)
            if path:
                answers[name] = ids(server.get(path))
        reference = answers.get("ours")
        for name, rows in answers.items():
            if rows != reference:
                raise SystemExit(
                    f"{endpoint.name}: {name} answers {rows[:5]}… but ours {reference[:5]}…"
                )
        endpoint.rows = answers
        print(f"  same rows: {endpoint.name} ({len(reference)} rows, {', '.join(answers)})")


WRK_LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def wrk(url: str, seconds: int, connections: int = 2) -> dict:
    output = subprocess.run(
        [
            "taskset",
            "-c",
            LOAD_CPU,
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "30s",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{output}")
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    latency = {p: float(v) * scale[unit] for p, v, unit in WRK_LATENCY.findall(output)}
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return {"requests": requests, "rps": rate, "p50": latency["50"], "p99": latency["99"]}


def measure(server: Server, path: str, seconds: int) -> dict:
    wrk(server.url(path), 1)  # warm up: caches, connections, first-request imports
    before = server.cpu_ms()
    result = wrk(server.url(path), seconds)
    result["cpu_ms"] = (server.cpu_ms() - before) / max(result["requests"], 1)
    return result


def our_query_counts(points: list[Endpoint]) -> dict[str, int]:
    """SQL statements per request, counted in-process through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, counts = Client(HTTP_HOST="127.0.0.1"), {}
    for endpoint in points:
        client.get(endpoint.ours)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(endpoint.ours)
        assert response.status_code == 200, (endpoint.ours, response.content[:300])
        counts[endpoint.name] = len(queries)
    return counts


def detail_claim_id() -> int:
    from claims.models import Claim

    rebutted = Claim.objects.published().filter(rebuttals__isnull=False, reviews__isnull=False)
    return rebutted.order_by("id").values_list("id", flat=True)[1000]


# --- report --------------------------------------------------------------------------------


def report(results: dict, queries: dict, rss: dict, points, label: str, machine: str) -> str:
    lines = [f"### {label}", "", machine, ""]
    lines.append(
        "| endpoint | server | req/s | p50 ms | p99 ms | CPU ms/req | SQL/req | "
        "ours/datasette | ours/ceiling |"
    )
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for endpoint in points:
        mine = results.get(("ours", endpoint.name))
        for server in ("ours", "datasette", "ceiling"):
            figures = results.get((server, endpoint.name))
            if not figures:
                continue
            ratios = ["", ""]
            if server == "ours":
                for i, other in enumerate(("datasette", "ceiling")):
                    theirs = results.get((other, endpoint.name))
                    if theirs:
                        ratios[i] = f"{mine['cpu_ms'] / theirs['cpu_ms']:.2f}"
            sql = {"ours": queries.get(endpoint.name, ""), "datasette": 1}.get(server, 2)
            if server == "ceiling" and endpoint.name.startswith(("claim detail", "speaker detail")):
                sql = 1
            lines.append(
                f"| {endpoint.name} | {server} | {figures['rps']:,.0f} | {figures['p50']:.2f} | "
                f"{figures['p99']:.2f} | **{figures['cpu_ms']:.2f}** | {sql} | {ratios[0]} | "
                f"{ratios[1]} |"
            )
    lines.append("")
    lines.append(
        "Peak worker RSS: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in rss.items()) + "."
    )
    return "\n".join(lines) + "\n"


def machine_description() -> str:
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text()).group(1)
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    return (
        f"Machine: {cpu.strip()}, {os.cpu_count()} cores, {memory / 1024 / 1024:.0f} GB; "
        f"Python {sys.version.split()[0]}; commit {commit}; {time.strftime('%Y-%m-%d')}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=4, help="per round")
    parser.add_argument("--rounds", type=int, default=3, help="the best round is reported")
    parser.add_argument("--page-size", type=int, default=20)
    parser.add_argument("--servers", default="ours,datasette,ceiling")
    parser.add_argument("--only", help="substring of the endpoint names to run")
    args = parser.parse_args()

    label = database_label(args.claims)
    database_url = os.environ.get("DATABASE_URL")
    sqlite_path = None
    if database_url:
        manifest = json.loads((DATA / f"{label}-postgresql.json").read_text())
        engine = "PostgreSQL"
    else:
        sqlite_path = DATA / f"{label}.sqlite3"
        database_url = f"sqlite:///{sqlite_path}"
        os.environ["DATABASE_URL"] = database_url
        manifest = json.loads((DATA / f"{label}.json").read_text())
        engine = "SQLite"
    os.environ.update(OURS_ENV)
    setup_django()
    points = endpoints(manifest, detail_claim_id(), args.page_size)
    if args.only:
        points = [p for p in points if args.only in p.name]

    servers = {}
    try:
        start_servers(servers, database_url, sqlite_path, args.servers.split(","))
        print(f"Checking payloads ({label}, {engine})")
        check_same_rows(servers, points, label)
        queries = our_query_counts(points) if "ours" in servers else {}
        results = {}
        # Rounds alternate the servers on each endpoint; the round with the least CPU per
        # request is kept (interference from the rest of the machine only ever adds).
        for endpoint in points:
            for round_ in range(args.rounds):
                for name, server in servers.items():
                    path = server_path(name, endpoint, label)
                    if not path:
                        continue
                    figures = measure(server, path, args.seconds)
                    best = results.get((name, endpoint.name))
                    if best is None or figures["cpu_ms"] < best["cpu_ms"]:
                        results[(name, endpoint.name)] = figures
                    print(
                        f"  {endpoint.name:<24} {name:<10} round {round_ + 1}: "
                        f"{figures['cpu_ms']:6.2f} ms CPU/req {figures['rps']:8.0f} req/s"
                    )
        rss = {name: server.peak_rss_mb() for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
    title = f"{args.claims:,} claims, {engine}, page size {args.page_size}"
    text = report(results, queries, rss, points, title, machine_description())
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    (out / f"{label}-{engine.lower()}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()

"""Serve the generated data from our API, Datasette and a bare WSGI ceiling; load each with wrk.

    bench/.venv/bin/python bench/run.py --claims 100000              # SQLite: all three servers
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_100k \\
        bench/.venv/bin/python bench/run.py --claims 100000          # PostgreSQL: ours only

Ours runs as `make serve` runs it: gunicorn with factcheck/gunicorn_conf.py (its worker class,
threads, access log and worker recycling), DEBUG off, the production middleware, collected
static files; the only departures are one worker (WEB_CONCURRENCY=1, as Datasette is one
process), plain http (HTTPS=false) and no rate limits (THROTTLE_*=off), and the table says so.

Each server runs pinned to CPU 0 (`taskset`); wrk runs pinned to CPU 1. The headline figure is
the server's CPU time per request: utime+stime of the whole process tree from /proc (gunicorn's
arbiter, its live workers, and through the arbiter's cutime/cstime the workers it recycled
during the run), plus on PostgreSQL the CPU of the database backends serving our worker. Unlike
requests/s it hardly moves when something else runs on the machine; the machine's load and the
other processes' CPU are recorded for every row all the same. Before loading anything, the
runner checks that the servers answer each endpoint with the same claims, in the same order.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from bench.generate import DATA, database_label, setup_django  # noqa: E402
from bench.sql import JSON_COLUMNS, QUERIES  # noqa: E402

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
SERVER_CPU, LOAD_CPU = "0", "1"
DEFAULT_PORTS = {"ours": 8701, "datasette": 8702, "ceiling": 8703}
# The ceiling is a bare app, not a competitor: gunicorn's threaded worker with one thread and
# keep-alive (the sync worker closes every connection), no access log, no recycling.
CEILING_WORKER = ["--worker-class", "gthread", "--threads", "1", "--keep-alive", "5"]
# libpq names the connections of our server, so the runner finds their backends.
OURS_APPLICATION = "bench-ours"


@dataclass
class Endpoint:
    name: str
    ours: str
    datasette: str | None = None  # path and query of the canned query
    ceiling: str | None = None
    rows: dict[str, list] = field(default_factory=dict)
    # Ranked by each server's own relevance (ours adds the own-text and phrase bonuses to its
    # bm25 weights): the same number of best matches, not the same ones in the same order.
    ranked: bool = False


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
    # Ranked: ours best first with its score; Datasette's FTS5 search sorted by rank.
    for label in ("rare", "frequent"):
        term = manifest[f"{label}_term"]
        paged(f"search {label}", f"/api/v1/claims/?q={term}", "claims_search", q=term)
        found[-1].ranked = True
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


# --- /proc ---------------------------------------------------------------------------------


def stat_fields(pid: int) -> list[str]:
    """/proc/<pid>/stat after the command name (which may hold spaces): field 3 is [0]."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def own_cpu_ms(pid: int) -> float:
    fields = stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) * TICK_MS  # utime, stime


def children(pid: int) -> list[int]:
    try:
        listed = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:  # a kernel without CONFIG_PROC_CHILDREN
        listed = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(child) for child in listed.split()]


def tree_cpu_ms(pid: int) -> float:
    """CPU of a server process, its live children, and the children it has reaped (cutime,
    cstime): a worker that gunicorn recycled mid-run is counted whole, start-up included."""
    for _ in range(10):
        workers = children(pid)
        fields = stat_fields(pid)
        total = sum(int(fields[i]) for i in (11, 12, 13, 14)) * TICK_MS
        try:
            # A worker reaped after the arbiter was read would be lost: read again.
            return total + sum(own_cpu_ms(worker) for worker in workers)
        except FileNotFoundError:
            continue
    raise RuntimeError(f"the workers of {pid} kept changing")


def machine_busy_ms() -> float:
    """CPU time all processes spent on all cores, from /proc/stat (idle and iowait excluded)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) * TICK_MS


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


# --- servers -------------------------------------------------------------------------------


class Server:
    def __init__(self, name: str, port: int, command: list[str], env: dict):
        self.name, self.port = name, port
        with socket.socket() as probe:  # a server left over from a crashed run would answer
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise SystemExit(f"Port {self.port} ({name}) is in use: stop what listens there.")
        # stdout and stderr both go to the log: each server's access log is written, as its
        # defaults have it, and costs what it costs.
        self.log = DATA / f"{name}.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                ["taskset", "-c", SERVER_CPU, *command],
                env={**os.environ, **env},
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.peak_rss_kb = 0
        self.wait_ready()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def wait_ready(self) -> None:
        # Up to about two minutes: Datasette's first page counts the tables of an immutable
        # database, which takes longer than a second at 1M claims.
        for _ in range(300):
            try:
                urllib.request.urlopen(self.url("/"), timeout=60)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not start; see {self.log}")

    def workers(self) -> list[int]:
        """gunicorn's workers, or the Datasette process itself."""
        return children(self.process.pid) or [self.process.pid]

    def cpu_ms(self) -> float:
        return tree_cpu_ms(self.process.pid)

    def sample_rss(self) -> None:
        """Keep the highest VmHWM of any worker seen: a recycled worker takes its own along."""
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except FileNotFoundError:
                continue
            peak = re.search(r"VmHWM:\s+(\d+) kB", status)
            if peak:
                self.peak_rss_kb = max(self.peak_rss_kb, int(peak.group(1)))

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


class Backends:
    """The CPU of the PostgreSQL backends serving our server, whose connections come and go
    (the pool opens them as threads need them; a recycled worker closes its own). A thread
    polls their /proc entries; `cpu_ms()` is the total ever seen, so a backend that ended
    mid-run still counts up to its last poll (at most `interval` of its CPU is missed).

    Plus the parallel workers a query starts (a frequent word's search runs on three
    processes): each lives for one query, too briefly to poll, so their CPU is read from the
    postmaster's count of its ended children (`cutime` + `cstime`), which also holds any other
    child that ended meanwhile (an autovacuum worker; a pooled backend closed mid-round, then
    counted twice)."""

    def __init__(self, database_url: str, interval: float = 0.1):
        import psycopg

        parts = urlsplit(database_url)
        self.connection = psycopg.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password,
            dbname=parts.path.lstrip("/"),
            autocommit=True,
        )
        self.seen: dict[tuple[int, str], float] = {}  # (pid, start time): latest CPU ms
        (own,) = self.connection.execute("SELECT pg_backend_pid()").fetchone()
        self.postmaster = int(stat_fields(own)[1])  # a backend's parent
        self.lock = threading.Lock()
        self.interval, self.stopping = interval, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def pids(self) -> list[int]:
        rows = self.connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s",
            [OURS_APPLICATION],
        ).fetchall()
        return [pid for (pid,) in rows]

    def poll(self, pids: list[int]) -> None:
        for pid in pids:
            try:
                fields = stat_fields(pid)
            except FileNotFoundError:
                continue
            with self.lock:
                self.seen[(pid, fields[19])] = (int(fields[11]) + int(fields[12])) * TICK_MS

    def run(self) -> None:
        pids, listed = [], 0.0
        while not self.stopping.is_set():
            if time.monotonic() - listed > 0.5:
                pids, listed = self.pids(), time.monotonic()
            self.poll(pids)
            self.stopping.wait(self.interval)

    def cpu_ms(self) -> float:
        self.poll(self.pids())
        fields = stat_fields(self.postmaster)
        ended = (int(fields[13]) + int(fields[14])) * TICK_MS  # cutime, cstime
        with self.lock:
            return sum(self.seen.values()) + ended

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()
        self.connection.close()


# Our server's settings (and the in-process client's, which counts SQL per request): the
# production defaults but for these, each stated in the table.
OURS_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-not-a-secret",
    "ALLOWED_HOSTS": "127.0.0.1",
    # One worker on one CPU, as Datasette is one process; threads stay the production default.
    "WEB_CONCURRENCY": "1",
    # Plain http on loopback, and no rate limits: Datasette and the ceiling have neither,
    # and wrk's one client would be throttled within a second.
    "HTTPS": "false",
    "THROTTLE_ANON": "off",
    "THROTTLE_USER": "off",
    "STATIC_ROOT": str(DATA / "staticfiles"),
    "PGAPPNAME": OURS_APPLICATION,
}


def ours_python() -> Path:
    """Our server runs from a venv with the project's requirements.txt only, as in production.
    In the bench venv (or a development one) packages that production never installs are
    imported by ours too, as django.test (which drf-spectacular imports) loads jinja2 and DRF's
    test module loads requests when present: 10 MB more, for nothing."""
    python = BENCH / ".venv-ours" / "bin" / "python"
    if not python.exists():
        raise SystemExit(
            "Create the server's venv first: python3 -m venv bench/.venv-ours && "
            "bench/.venv-ours/bin/pip install -r requirements.txt"
        )
    return python


def start_servers(servers: dict, args, database_url: str, sqlite_path: Path | None) -> None:
    """Start each server into `servers` as it comes up, so the caller stops those that did
    when a later one fails."""
    python = str(Path(sys.executable).parent)
    which = args.servers.split(",")
    if "ours" in which:
        env = {"DATABASE_URL": database_url, **OURS_ENV, **args.ours_env}
        python_ours = ours_python()
        # As `make serve` does before starting gunicorn: WhiteNoise indexes these at start-up.
        subprocess.run(
            [python_ours, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
            env={**os.environ, **env},
            cwd=ROOT,
            check=True,
        )
        command = [str(python_ours.parent / "gunicorn"), "--config", "factcheck/gunicorn_conf.py"]
        command += [*args.ours_option, "--bind", f"127.0.0.1:{args.ours_port}", "factcheck.wsgi"]
        servers["ours"] = Server("ours", args.ours_port, command, env)
        for n, (name, options, extra) in enumerate(args.variants, 1):
            port = args.ours_port + 10 * n
            variant = [*command[:-3], *options, "--bind", f"127.0.0.1:{port}", "factcheck.wsgi"]
            servers[name] = Server(name, port, variant, {**env, **extra})
    if sqlite_path and "ceiling" in which:
        options = ["--workers", "1", "--log-level", "warning", *CEILING_WORKER]
        options += ["-b", f"127.0.0.1:{args.ceiling_port}"]
        servers["ceiling"] = Server(
            "ceiling",
            args.ceiling_port,
            [f"{python}/gunicorn", *options, "bench.ceiling:app"],
            {"BENCH_DB": str(sqlite_path)},
        )
    if sqlite_path and "datasette" in which:
        metadata = DATA / "datasette-metadata.json"
        queries = {name: {"sql": sql} for name, sql in QUERIES.items()}
        metadata.write_text(json.dumps({"databases": {sqlite_path.stem: {"queries": queries}}}))
        servers["datasette"] = Server(
            "datasette",
            args.datasette_port,
            [
                f"{python}/datasette",
                "serve",
                "-i",
                str(sqlite_path),
                "--metadata",
                str(metadata),
                "-p",
                str(args.datasette_port),
                # Only so that the ceiling-like slow queries at 1M claims finish; the limit
                # changes no plan.
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
    if server.startswith("ours"):
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
        reference = answers.get("ours", next(iter(answers.values())))
        for name, rows in answers.items():
            if endpoint.ranked and len(rows) == len(reference):
                continue
            if rows != reference:
                raise SystemExit(
                    f"{endpoint.name}: {name} answers {rows[:5]}… but ours {reference[:5]}…"
                )
        endpoint.rows = answers
        same = "as many rows, ranked each its own way" if endpoint.ranked else "same rows"
        print(f"  {same}: {endpoint.name} ({len(reference)} rows, {', '.join(answers)})")


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


def own_usage_ms() -> tuple[float, float]:
    """The runner's own CPU and that of its reaped children (wrk, taskset)."""
    mine = resource.getrusage(resource.RUSAGE_SELF)
    theirs = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (mine.ru_utime + mine.ru_stime) * 1000, (theirs.ru_utime + theirs.ru_stime) * 1000


def measure(server: Server, path: str, seconds: int, backends: Backends | None) -> dict:
    wrk(server.url(path), 1)  # warm up: caches, connections, first-request imports
    started = time.monotonic()
    before = server.cpu_ms(), backends.cpu_ms() if backends else 0.0
    machine_before, usage_before = machine_busy_ms(), own_usage_ms()
    result = wrk(server.url(path), seconds)
    after = server.cpu_ms(), backends.cpu_ms() if backends else 0.0
    machine_after, usage_after = machine_busy_ms(), own_usage_ms()
    elapsed = time.monotonic() - started
    requests = max(result["requests"], 1)
    worker, backend = after[0] - before[0], after[1] - before[1]
    runner, load_generator = (b - a for a, b in zip(usage_before, usage_after, strict=True))
    others = machine_after - machine_before - worker - backend - runner - load_generator
    server.sample_rss()
    return {
        **result,
        "worker_ms": worker / requests,
        "backend_ms": backend / requests,
        "cpu_ms": (worker + backend) / requests,
        # What the rest of the machine ran meanwhile, in cores (2.0 = both cores full).
        "others_cores": max(others, 0.0) / 1000 / elapsed,
        "load": load_average(),
    }


def sample_rss(servers: dict, stopping: threading.Event) -> None:
    """Workers recycled every thousand requests live for a second or two: look often."""
    while not stopping.wait(0.2):
        for server in list(servers.values()):
            server.sample_rss()


def our_query_counts(points: list[Endpoint], explain: int = 0) -> tuple[dict[str, int], list]:
    """SQL statements per request, counted in-process through Django's test client; with
    `explain`, the plans (EXPLAIN ANALYZE) of that many of the slowest statements."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, counts, fastest = Client(HTTP_HOST="127.0.0.1"), {}, {}
    for endpoint in points:
        client.get(endpoint.ours)
        for _ in range(5 if explain else 1):  # a statement's time: its fastest of five
            with CaptureQueriesContext(connection) as queries:
                response = client.get(endpoint.ours)
            assert response.status_code == 200, (endpoint.ours, response.content[:300])
            counts[endpoint.name] = len(queries)
            for query in queries.captured_queries:
                key = (endpoint.name, query["sql"])
                fastest[key] = min(fastest.get(key, float("inf")), float(query["time"]))
    plans, slowest = [], sorted(fastest.items(), key=lambda item: item[1], reverse=True)
    for (name, sql), _time in slowest[:explain]:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plans.append((name, sql, "\n".join(row[0] for row in cursor.fetchall())))
    connection.close()
    return counts, plans


def detail_claim_id() -> int:
    from claims.models import Claim

    rebutted = Claim.objects.published().filter(rebuttals__isnull=False, reviews__isnull=False)
    return rebutted.order_by("id").values_list("id", flat=True)[1000]


# --- report --------------------------------------------------------------------------------


def report(run: dict, points: list[str]) -> str:
    """The Markdown table of a run (rows re-run later replace their own; see --merge)."""
    results, postgresql = run["results"], run["engine"] == "PostgreSQL"
    lines = [f"### {run['title']}", "", *run["header"], ""]
    if postgresql:
        lines.append(
            "| endpoint | req/s | p50 ms | p99 ms | worker CPU ms/req | backend CPU ms/req | "
            "**CPU ms/req** | SQL/req | load | others' CPU |"
        )
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    else:
        lines.append(
            "| endpoint | server | req/s | p50 ms | p99 ms | **CPU ms/req** | SQL/req | "
            "ours/datasette | ours/ceiling | load | others' CPU |"
        )
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in points:
        for server in run.get("servers", ["ours", "datasette", "ceiling"]):
            figures = results.get(f"{server}/{name}")
            if not figures:
                continue
            common = f"{figures['rps']:,.0f} | {figures['p50']:.2f} | {figures['p99']:.2f}"
            sql = {"datasette": 1, "ceiling": 2}.get(server, run["queries"].get(name, ""))
            if server == "ceiling" and name.startswith(("claim detail", "speaker detail")):
                sql = 1
            machine = f"{figures['load']:.2f} | {figures['others_cores']:.2f}"
            if postgresql:
                label = name if server == "ours" else f"{name} ({server})"
                lines.append(
                    f"| {label} | {common} | {figures['worker_ms']:.2f} | "
                    f"{figures['backend_ms']:.2f} | **{figures['cpu_ms']:.2f}** | {sql} | "
                    f"{machine} |"
                )
                continue
            ratios = ["", ""]
            if server.startswith("ours"):
                for i, other in enumerate(("datasette", "ceiling")):
                    theirs = results.get(f"{other}/{name}")
                    if theirs:
                        ratios[i] = f"{figures['cpu_ms'] / theirs['cpu_ms']:.2f}"
            lines.append(
                f"| {name} | {server} | {common} | **{figures['cpu_ms']:.2f}** | {sql} | "
                f"{ratios[0]} | {ratios[1]} | {machine} |"
            )
    lines.append("")
    rss = run["rss_mb"]
    lines.append(
        "Peak worker RSS: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in rss.items()) + "."
    )
    for name, sql, plan in run.get("plans", []):
        lines += ["", f"Plan of a slow statement ({name}):", "", "```", sql, "", plan, "```"]
    return "\n".join(lines) + "\n"


def commit() -> str:
    def git(*args):
        return subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT).stdout

    # Changes to bench/ itself (the runner being edited) change no figure of the service.
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench").strip()
    return git("rev-parse", "--short", "HEAD").strip() + (" with local changes" if dirty else "")


def header(args, engine: str) -> list[str]:
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text()).group(1)
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    changed = [f"`{k}={v}`" for k, v in args.ours_env.items()] + [
        f"`{o}`" for o in args.ours_option
    ]
    ours = (
        "Ours: `gunicorn -c factcheck/gunicorn_conf.py` as `make serve` runs it (production "
        "defaults: gthread, its threads, access log, worker recycling; DEBUG off; production "
        "middleware; collected static files), except one worker (`WEB_CONCURRENCY=1`), plain "
        "http (`HTTPS=false`) and no rate limits (`THROTTLE_ANON=off`, `THROTTLE_USER=off`)"
        + (f"; for this run also {', '.join(changed)}" if changed else "")
        + "."
    )
    for name, options, extra in args.variants:
        settings = [f"`{o}`" for o in options] + [f"`{k}={v}`" for k, v in extra.items()]
        ours += f" *{name}*: the same with {', '.join(settings)}."
    lines = [
        f"Commit {commit()}, {time.strftime('%Y-%m-%d %H:%M')}; {cpu.strip()}, "
        f"{os.cpu_count()} cores, {memory / 1024 / 1024:.0f} GB; Python {sys.version.split()[0]}. "
        f"Each figure is the best of {args.rounds} alternating rounds of {args.seconds} s "
        "(server on CPU 0, wrk on CPU 1, 2 connections).",
        "",
        ours,
    ]
    if engine == "PostgreSQL":
        lines += [
            "",
            "CPU ms/req is our worker's CPU plus the PostgreSQL backends' serving its "
            "connections (their /proc entries) and the parallel workers their queries "
            "started (the postmaster's ended children).",
        ]
    lines += [
        "",
        "*load* is /proc/loadavg's one-minute figure after the round kept; *others' CPU* is "
        "what every other process on the machine used meanwhile, in cores (of 2).",
    ]
    return lines


def stop_servers_on_sigterm() -> None:
    """A runner ended by SIGTERM (timeout, kill) still stops its servers: they run in their
    own sessions and would hold their ports."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(f"{sys.argv[0]}: terminated"))


def main() -> None:
    stop_servers_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=4, help="per round")
    parser.add_argument("--rounds", type=int, default=5, help="the best round is reported")
    parser.add_argument("--page-size", type=int, default=20)
    parser.add_argument("--servers", default="ours,datasette,ceiling")
    parser.add_argument("--only", help="comma-separated substrings of the endpoint names to run")
    for name, port in DEFAULT_PORTS.items():
        parser.add_argument(f"--{name}-port", type=int, default=port)
    parser.add_argument(
        "--ours-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for our server (stated in the table)",
    )
    parser.add_argument(
        "--ours-option",
        action="append",
        default=[],
        metavar="OPTION",
        help="a gunicorn option for our server, e.g. --ours-option=--max-requests=0",
    )
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME:SETTINGS",
        help="another instance of ours, measured in turn with the rest, with space-separated "
        "gunicorn options and NAME=VALUE variables, e.g. 'no-recycling:--max-requests=0'",
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="replace only the rows measured now in the last results of this size and engine",
    )
    parser.add_argument("--tag", default="", help="suffix of the results files")
    args = parser.parse_args()
    args.ours_env = dict(item.split("=", 1) for item in args.ours_env)
    args.variants = []
    for spec in args.variant:
        name, _, settings = spec.partition(":")
        options = [item for item in settings.split() if item.startswith("--")]
        extra = dict(item.split("=", 1) for item in settings.split() if not item.startswith("--"))
        args.variants.append((f"ours {name}", options, extra))

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
    os.environ.update({k: v for k, v in OURS_ENV.items() if k != "PGAPPNAME"})
    setup_django()
    points = endpoints(manifest, detail_claim_id(), args.page_size)
    if args.only:
        wanted = args.only.split(",")
        points = [p for p in points if any(w in p.name for w in wanted)]

    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    stem = out / f"{label}-{engine.lower()}{args.tag}"
    run = {
        "title": f"{args.claims:,} claims, {engine}, page size {args.page_size}",
        "engine": engine,
        "header": header(args, engine),
        "results": {},
        "queries": {},
        "rss_mb": {},
        "order": [p.name for p in endpoints(manifest, 0, args.page_size)],
        "servers": [],
    }
    if args.merge and stem.with_suffix(".json").exists():
        run = json.loads(stem.with_suffix(".json").read_text())
        run["header"].append("")
        run["header"].append(f"Re-run ({', '.join(p.name for p in points)}): {commit()}.")

    # The runner's threads poll /proc beside wrk, away from the servers' CPU.
    os.sched_setaffinity(0, {int(LOAD_CPU)})
    servers, backends, sampling = {}, None, threading.Event()
    try:
        start_servers(servers, args, database_url, sqlite_path)
        threading.Thread(target=sample_rss, args=(servers, sampling), daemon=True).start()
        print(f"Checking payloads ({label}, {engine})")
        check_same_rows(servers, points, label)
        run["servers"] += [name for name in servers if name not in run["servers"]]
        if "ours" in servers:
            counts, plans = our_query_counts(points, explain=3 if sqlite_path is None else 0)
            run["queries"].update(counts)
            if plans:
                run["plans"] = plans
        if sqlite_path is None:
            backends = Backends(database_url)
        # Rounds alternate the servers on each endpoint; the round with the least CPU per
        # request is kept (interference from the rest of the machine only ever adds).
        for endpoint in points:
            for name in servers:
                run["results"].pop(f"{name}/{endpoint.name}", None)
            for round_ in range(args.rounds):
                for name, server in servers.items():
                    path = server_path(name, endpoint, label)
                    if not path:
                        continue
                    figures = measure(server, path, args.seconds, backends)
                    key = f"{name}/{endpoint.name}"
                    best = run["results"].get(key)
                    if best is None or figures["cpu_ms"] < best["cpu_ms"]:
                        run["results"][key] = figures
                    print(
                        f"  {endpoint.name:<24} {name:<10} round {round_ + 1}: "
                        f"{figures['cpu_ms']:6.2f} ms CPU/req ({figures['backend_ms']:.2f} "
                        f"backend) {figures['rps']:7.0f} req/s, load {figures['load']:.2f}, "
                        f"others {figures['others_cores']:.2f} cores",
                        flush=True,
                    )
        for name, server in servers.items():
            server.sample_rss()
            run["rss_mb"][name] = max(run["rss_mb"].get(name, 0), server.peak_rss_kb / 1024)
    finally:
        sampling.set()
        if backends:
            backends.stop()
        for server in servers.values():
            server.stop()
    stem.with_suffix(".json").write_text(json.dumps(run, indent=1))
    text = report(run, run["order"])
    stem.with_suffix(".md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()

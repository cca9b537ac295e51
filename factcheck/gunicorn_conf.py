"""gunicorn settings for `make serve`: gunicorn -c factcheck/gunicorn_conf.py factcheck.wsgi.

Workers are processes: WEB_CONCURRENCY, default 2 x CPU cores + 1 (gunicorn's advice; 5 on
two cores). Each runs GUNICORN_THREADS threads (default 1), so the defaults answer up to 5
requests at once on two cores, and keep idle keep-alive connections open besides (gthread
parks them in its poller, not in a thread). Nothing is shared between workers but the database
and Redis, which is why throttle counts live there (api.counters). On PostgreSQL each worker keeps
its own pool of up to DATABASE_POOL_MAX_SIZE connections (default 4): keep workers x pool size
under the server's max_connections. gunicorn reads this file before Django is loaded, so it
parses its two variables itself.
"""

import gc
import multiprocessing
import os
import sys


def count(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if not raw.strip().isdigit() or int(raw) < 1:
        raise ValueError(f"{name}={raw!r} is not a whole number of at least 1.")
    return int(raw)


bind = ["127.0.0.1:8000"]  # `make serve` passes --bind $(HOST):$(PORT)
workers = count("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
# One thread: under the GIL more threads add no CPU to a worker, only memory (each thread keeps
# its own database connection, on SQLite with its own page cache: 100 MB per worker at 1M
# claims with four threads, 75 MB with one) and GIL hand-offs. More help where requests wait on
# a remote database; raise GUNICORN_THREADS there (bench/README.md, "Production configuration").
threads = count("GUNICORN_THREADS", 1)
worker_class = "gthread"
# A worker whose main loop stops answering for this long is restarted. With threads this does
# not bound a request (README, "What bounds a request": the statement timeout, nginx).
timeout = 30
graceful_timeout = 20
keepalive = 5
# A worker's memory is flat (bench/soak.py, 100k claims, four threads: 92.2 MB after 5,000
# requests, 92.9 MB after 50,000), so recycling is only a safety net against a leak to come.
# A restart costs about half a second of CPU (imports, first requests, cold caches); every
# thousand requests that was 0.2-0.4 ms a request. Jittered, so the workers restart apart.
max_requests = 100_000
max_requests_jitter = 10_000
# No access log of gunicorn's own by default: `make serve`'s nginx logs every request (client,
# status, time taken, upstream time, request id), and a second line per request from gunicorn
# cost 0.1-0.4 ms of a worker's CPU (5-12% of a read; bench/README.md). GUNICORN_ACCESS_LOG=true
# turns it on, e.g. behind a proxy of your own that keeps no log (`make serve-gunicorn`).
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "").lower() == "true" else None
errorlog = "-"


def serves_sqlite() -> bool:
    """Whether the database is SQLite: DATABASE_URL unset (the default) or a sqlite:// URL."""
    return os.environ.get("DATABASE_URL", "sqlite:").strip().lower().startswith("sqlite:")


def on_starting(server):
    """In the arbiter, before any worker is forked: a server on SQLite never loads the
    PostgreSQL driver. DRF imports django.contrib.postgres whenever psycopg can be imported (to
    map its ArrayField and HStoreField), and psycopg's binary build loads libpq and OpenSSL
    with it: 10-13 MB of every worker's memory, for nothing on SQLite (bench/README.md). The
    tests, management commands and a server on PostgreSQL import psycopg as usual."""
    if serves_sqlite():
        sys.modules.setdefault("psycopg", None)


def post_worker_init(worker):
    """Once the worker has loaded the application: its objects (Django, the apps, the URL
    patterns, the compiled documents) live as long as it does, so the garbage collector stops
    scanning them (`gc.freeze`), and a young collection waits for 10,000 new objects instead
    of 700: together 3% of a claim's CPU instructions (bench/README.md, "Hot path"). The
    objects a request leaves in cycles wait a little longer to be freed."""
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)

"""gunicorn settings for `make serve`: gunicorn -c factcheck/gunicorn_conf.py factcheck.wsgi.

Workers are processes: WEB_CONCURRENCY, default 2 x CPU cores + 1 (gunicorn's advice; 5 on
two cores). Each runs GUNICORN_THREADS threads (default 4), so the defaults answer up to
5 x 4 = 20 requests at once on two cores. Nothing is shared between workers but the database
and Redis, which is why throttle counts live there (api.counters). On PostgreSQL each worker keeps
its own pool of up to DATABASE_POOL_MAX_SIZE connections (default 4, one per thread): keep
workers x pool size under the server's max_connections. gunicorn reads this file before
Django is loaded, so it parses its two variables itself.
"""

import multiprocessing
import os


def count(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if not raw.strip().isdigit() or int(raw) < 1:
        raise ValueError(f"{name}={raw!r} is not a whole number of at least 1.")
    return int(raw)


bind = ["127.0.0.1:8000"]  # `make serve` passes --bind $(HOST):$(PORT)
workers = count("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
threads = count("GUNICORN_THREADS", 4)
worker_class = "gthread"
# A request running longer than this gets its worker restarted.
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle each worker after about a thousand requests, to bound slow memory growth.
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
errorlog = "-"

"""The ceiling: a bare WSGI app, Python's sqlite3 and orjson, the SQL of bench/sql.py.

    BENCH_DB=bench/data/claims-100k.sqlite3 gunicorn -w 1 bench.ceiling:app

`/<query>?param=value…` runs the named query (and its count, for the paginated ones) and answers
`{"count", "results"}`, or the single row for a detail. No routing, validation, visibility rules
or pagination links: what is left is SQLite's work and JSON, the least a Python server can do.
"""

import os
import sqlite3
import threading
from urllib.parse import parse_qsl

import orjson

from bench.sql import COUNTS, JSON_COLUMNS, QUERIES

_local = threading.local()


def connection() -> sqlite3.Connection:
    if not hasattr(_local, "db"):
        _local.db = sqlite3.connect(f"file:{os.environ['BENCH_DB']}?mode=ro", uri=True)
    return _local.db


def run(name: str, params: dict) -> bytes:
    db = connection()
    cursor = db.execute(QUERIES[name], params)
    columns = [d[0] for d in cursor.description]
    json_at = [i for i, column in enumerate(columns) if column in JSON_COLUMNS]
    rows = []
    for values in cursor:
        row = dict(zip(columns, values, strict=True))
        for i in json_at:
            if values[i] is not None:
                row[columns[i]] = orjson.loads(values[i])
        rows.append(row)
    if name not in COUNTS:
        return orjson.dumps(rows[0]) if rows else b'{"detail":"Not found."}'
    count_params = {k: v for k, v in params.items() if k not in ("limit", "offset")}
    (count,) = db.execute(COUNTS[name], count_params).fetchone()
    return orjson.dumps({"count": count, "results": rows})


def app(environ, start_response):
    name = environ["PATH_INFO"].strip("/")
    if name not in QUERIES:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"detail":"Not found."}']
    body = run(name, dict(parse_qsl(environ.get("QUERY_STRING", ""))))
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]

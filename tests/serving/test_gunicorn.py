"""What `make serve` runs, end to end: gunicorn with two workers on a migrated database with
collected static files, default rates, the database cache."""

import json
import re

import pytest

# One deployment (conftest's `site`) per run: its tests share one xdist worker.
pytestmark = pytest.mark.xdist_group("site")


@pytest.fixture(scope="module")
def server(serve):
    return serve()


def test_whitenoise_serves_the_admins_static_files_hashed_compressed_and_cached(server):
    page = server.request("GET", "/admin/login/")
    assert page.status == 200
    stylesheet = re.search(rb'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', page.body)[1]
    answer = server.request("GET", stylesheet.decode(), headers={"Accept-Encoding": "gzip"})
    assert answer.status == 200
    assert answer.headers["content-type"] == 'text/css; charset="utf-8"'
    assert answer.headers["content-encoding"] == "gzip"
    assert answer.headers["cache-control"] == "max-age=315360000, public, immutable"


def test_an_oversized_body_is_a_json_413_through_gunicorn(server, site):
    body = json.dumps({"text": "x" * 1_048_576, "speaker": "nobody"}).encode()
    headers = {"Authorization": f"Token {site.tokens['writer']}"}
    answer = server.request(
        "POST", "/api/v1/claims/", body, {**headers, "Content-Type": "application/json"}
    )
    assert (answer.status, answer.json()) == (
        413,
        {
            "detail": "The request body is larger than the limit of 1048576 bytes.",
            "code": "too_large",
        },
    )


def test_concurrent_writers_on_both_workers_all_succeed(server, site):
    # On SQLite, writers queue for the lock (IMMEDIATE transactions, busy timeout) instead of
    # failing with "database is locked"; each request also counts in the cache table.
    token = site.tokens["writer"]
    answers = server.burst(
        "/api/v1/topics/",
        24,
        headers=lambda n: {"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
        body=lambda n: json.dumps({"name": f"Topic {n}"}).encode(),
    )
    assert {a.pid for a in answers} == server.workers
    assert sorted((a.status, a.json()["name"]) for a in answers) == sorted(
        (201, f"Topic {n}") for n in range(24)
    )
    listed = server.request("GET", "/api/v1/topics/?page_size=100").json()
    assert sorted(topic["name"] for topic in listed["results"]) == sorted(
        f"Topic {n}" for n in range(24)
    )

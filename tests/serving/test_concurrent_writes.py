"""Concurrent writes over HTTP against gunicorn (two workers), on the suite's engine: no 5xx,
and nothing refused that a lone writer would have had accepted.

- Reviews moved back and forth between two claims at once: each move changes both claims'
  verdicts, so both claim rows are locked; taken in any order, two moves in opposite
  directions deadlocked on PostgreSQL (500s).
- Speakers created at once under the same name: each gets its own slug (`jane-doe`,
  `jane-doe-2`, …) instead of a 409 from the check-then-insert race on the slug.
"""

import json
import os
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.serving.servers import Site

MOVERS, MOVES = 8, 6
CREATORS = 16


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A deployment of its own: these tests write outlets, speakers, claims and reviews, which
    the other server tests expect not to find."""
    site = Site(tmp_path_factory.mktemp("site"))
    yield site
    site.drop()


@pytest.fixture(scope="module")
def server(serve):
    return serve(THROTTLE_USER="off", THROTTLE_ANON="off")


@pytest.fixture
def desk(site):
    return {"Authorization": f"Token {site.tokens['desk']}", "Content-Type": "application/json"}


def post(server, path, data, headers):
    answer = server.request("POST", path, json.dumps(data).encode(), headers)
    assert answer.status == 201, answer.body
    return answer.json()


@pytest.fixture
def two_claims(server, desk):
    """Two published claims (ids in increasing order) and a fact-checker."""
    speaker = post(server, "/api/v1/speakers/", {"name": "Mover", "kind": "person"}, desk)
    slug = f"checker-{speaker['slug']}"
    post(server, "/api/v1/outlets/", {"name": slug, "slug": slug}, desk)
    claims = []
    for n in range(2):
        # Sent to review, then published, as the desk (an editor) may.
        body = {"text": f"Claim {n}", "speaker": speaker["slug"], "status": "in_review"}
        answer = server.request("POST", "/api/v1/claims/", json.dumps(body).encode(), desk)
        assert answer.status == 201, answer.body
        claim = answer.json()["id"]
        publish = json.dumps({"status": "published"}).encode()
        headers = {**desk, "If-Match": answer.headers["etag"]}
        published = server.request("PATCH", f"/api/v1/claims/{claim}/", publish, headers)
        assert published.status == 200, published.body
        claims.append(claim)
    return claims, slug


def add_review(server, desk, claim, reviewer, rating, day):
    data = {
        "claim": claim,
        "reviewer": reviewer,
        "rating": rating,
        "status": "published",
        "published_on": f"2020-01-{day:02d}",
    }
    return post(server, "/api/v1/reviews/", data, desk)["id"]


def move(server, desk, review, claim):
    url = f"/api/v1/reviews/{review}/"
    read = server.request("GET", url, None, desk)
    data = json.dumps({"claim": claim}).encode()
    return server.request("PATCH", url, data, {**desk, "If-Match": read.headers["etag"]})


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL: SQLite runs one writer at a time, so writers cannot deadlock",
)
def test_moves_in_opposite_directions_queue_instead_of_deadlocking(server, site, desk, two_claims):
    """A deterministic interleaving: another transaction holds the first claim's row while a
    move from it to the second is queued for it, then a move the other way is queued too.
    Locking the claims in a fixed order, the second move waits for the first; locking them
    as the verdict triggers reach them, each held one claim the other needed (deadlock)."""
    (first, second), reviewer = two_claims
    forward = add_review(server, desk, first, reviewer, "true", 1)
    backward = add_review(server, desk, second, reviewer, "false", 2)
    database = urlsplit(site.env["DATABASE_URL"]).path.lstrip("/")
    with psycopg.connect(site.env["DATABASE_URL"], autocommit=True) as watcher:

        def waiting(count):
            deadline = time.monotonic() + 20
            query = (
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = %s AND wait_event_type = 'Lock'"
            )
            while watcher.execute(query, [database]).fetchone()[0] < count:
                assert time.monotonic() < deadline, f"fewer than {count} writers waiting"
                time.sleep(0.05)

        with ThreadPoolExecutor(2) as pool, psycopg.connect(site.env["DATABASE_URL"]) as holder:
            holder.execute("SELECT 1 FROM claims_claim WHERE id = %s FOR NO KEY UPDATE", [first])
            moving_forward = pool.submit(move, server, desk, forward, second)
            waiting(1)
            moving_backward = pool.submit(move, server, desk, backward, first)
            waiting(2)
            holder.commit()
            answers = [moving_forward.result(), moving_backward.result()]
    assert [a.status for a in answers] == [200, 200], [a.body[-300:] for a in answers]
    assert [a.json()["claim"] for a in answers] == [second, first]
    verdicts = [
        server.request("GET", f"/api/v1/claims/{claim}/", None, desk).json()["verdict"]
        for claim in (first, second)
    ]
    assert verdicts == ["false", "true"]


def test_reviews_moved_between_two_claims_at_once_all_succeed(server, desk, two_claims):
    claims, reviewer = two_claims
    reviews = [
        add_review(server, desk, claims[n % 2], reviewer, ["true", "false"][n % 2], n + 1)
        for n in range(MOVERS)
    ]
    statuses, lock = Counter(), threading.Lock()
    start = threading.Barrier(MOVERS)

    def mover(review):
        seen = Counter()
        start.wait()
        for _ in range(MOVES):
            claim = server.request("GET", f"/api/v1/reviews/{review}/", None, desk).json()["claim"]
            seen[move(server, desk, review, claims[1 - claims.index(claim)]).status] += 1
        with lock:
            statuses.update(seen)

    with ThreadPoolExecutor(MOVERS) as pool:
        list(pool.map(mover, reviews))
    assert statuses == {200: MOVERS * MOVES}
    # Each claim's verdict is its newest published review's rating, whatever moved last.
    by_claim = {claim: [] for claim in claims}
    for review in reviews:
        body = server.request("GET", f"/api/v1/reviews/{review}/", None, desk).json()
        by_claim[body["claim"]].append((body["published_on"], body["rating"]))
    for claim, held in by_claim.items():
        verdict = server.request("GET", f"/api/v1/claims/{claim}/", None, desk).json()["verdict"]
        assert verdict == (max(held)[1] if held else None)


def test_speakers_created_at_once_under_one_name_each_get_a_slug(server, desk):
    start = threading.Barrier(CREATORS)
    body = json.dumps({"name": "Jane Doe", "kind": "person"}).encode()

    def create(_):
        connection = server.connect()
        try:
            start.wait()
            return server.send(connection, "POST", "/api/v1/speakers/", body, desk)
        finally:
            connection.close()

    with ThreadPoolExecutor(CREATORS) as pool:
        answers = list(pool.map(create, range(CREATORS)))
    assert Counter(a.status for a in answers) == {201: CREATORS}, [a.body for a in answers]
    assert sorted(a.json()["slug"] for a in answers) == sorted(
        ["jane-doe", *(f"jane-doe-{n}" for n in range(2, CREATORS + 1))]
    )

"""Throttle limits hold across gunicorn's worker processes, counted in the shared cache.

Each server runs two workers with two threads. A burst of concurrent requests, spread over
both workers: exactly the limit succeed, whichever worker answered them, and the rest are
JSON 429s with Retry-After. Run with the database cache (the
default) and with Redis (REDIS_URL).
"""

from collections import Counter

import pytest

from tests.serving.conftest import CACHES

# One deployment (conftest's `site`) per run: its tests share one xdist worker.
pytestmark = pytest.mark.xdist_group("site")

ANON_LIMIT = 5
USER_LIMIT = 7
# Nothing in these tests writes outlets (their users may add topics only): an empty page.
URL = "/api/v1/outlets/"
EMPTY_PAGE = {"count": 0, "next": None, "previous": None, "results": []}


@pytest.fixture(scope="module", params=list(CACHES))
def server(request, serve):
    return serve(
        THROTTLE_ANON=f"{ANON_LIMIT}/min",
        THROTTLE_USER=f"{USER_LIMIT}/min",
        **CACHES[request.param],
    )


def assert_throttled_exactly(answers, limit):
    assert Counter(a.status for a in answers) == {200: limit, 429: len(answers) - limit}
    for answer in answers:
        if answer.status == 200:
            assert answer.json() == EMPTY_PAGE
            continue
        retry_after = int(answer.headers["retry-after"])
        assert 1 <= retry_after <= 60
        assert answer.headers["content-type"] == "application/json"
        assert answer.json() == {
            "detail": f"Request was throttled. Expected available in {retry_after} seconds."
        }


def test_anonymous_limit_holds_across_workers(server):
    # Each request claims another address in X-Forwarded-For: with no trusted proxy
    # (NUM_PROXIES=0) the header is ignored, so all count against 127.0.0.1.
    answers = server.burst(
        URL,
        ANON_LIMIT + 11,
        headers=lambda n: {"X-Forwarded-For": f"203.0.113.{n % 250}"},
    )
    assert {a.pid for a in answers} == server.workers
    assert_throttled_exactly(answers, ANON_LIMIT)


def test_user_limit_holds_across_workers(server, site):
    token = site.tokens["throttled"]
    answers = server.burst(
        URL,
        USER_LIMIT + 9,
        headers=lambda n: {"Authorization": f"Token {token}"},
    )
    assert {a.pid for a in answers} == server.workers
    assert_throttled_exactly(answers, USER_LIMIT)

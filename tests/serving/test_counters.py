"""The shared caches' atomic counters (api.counters), which the throttles count with."""

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches

from api.counters import DatabaseCache, RedisCache
from tests.serving.servers import REDIS_URL


@pytest.fixture(params=["database", "redis"])
def cache(request, db):
    if request.param == "database":
        assert isinstance(caches["default"], DatabaseCache)
        return caches["default"]
    return RedisCache(REDIS_URL, {"KEY_PREFIX": uuid.uuid4().hex})


def test_hit_counts_within_a_window_that_opens_at_the_first_hit(cache):
    assert cache.peek("k") == (0, 0.0)
    counts = []
    for _ in range(3):
        count, remaining = cache.hit("k", 60)
        counts.append(count)
        assert 59 < remaining <= 60
    assert counts == [1, 2, 3]
    count, remaining = cache.peek("k")
    assert count == 3 and 59 < remaining <= 60
    assert cache.hit("other", 60)[0] == 1


def test_a_closed_window_starts_again_from_one(cache):
    assert [cache.hit("k", 1)[0] for _ in range(2)] == [1, 2]
    time.sleep(1.1)
    assert cache.peek("k") == (0, 0.0)
    assert cache.hit("k", 1)[0] == 1


def test_redis_counts_every_concurrent_hit_once():
    # Across processes on both caches: tests/serving/test_throttling_across_workers.py.
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": uuid.uuid4().hex})
    with ThreadPoolExecutor(8) as pool:
        counts = list(pool.map(lambda _: cache.hit("k", 60)[0], range(200)))
    assert sorted(counts) == list(range(1, 201))

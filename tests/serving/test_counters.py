"""The shared atomic counters (api.counters), which the throttles count with: in the
database's table, or in Redis."""

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from api.counters import DatabaseCounters, RedisCounters, counters, redis_client
from api.models import Counter
from tests.serving.servers import REDIS_URL


def in_redis():
    return RedisCounters(redis_client(REDIS_URL), prefix=uuid.uuid4().hex)


@pytest.fixture(params=["database", "redis"])
def cache(request, db):
    if request.param == "database":
        assert isinstance(counters(), DatabaseCounters)  # the suite's settings: no REDIS_URL
        return counters()
    return in_redis()


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


def test_a_new_window_drops_the_closed_ones(db):
    cache = DatabaseCounters()
    cache.hit("old", 1)
    time.sleep(1.1)
    assert cache.hit("new", 60)[0] == 1
    assert list(Counter.objects.values_list("key", flat=True)) == ["new"]


def test_the_prefix_keeps_deployments_apart(settings, db):
    settings.COUNTER_KEY_PREFIX = "one:"
    assert counters().hit("k", 60)[0] == 1
    settings.COUNTER_KEY_PREFIX = "two:"
    assert counters().hit("k", 60)[0] == 1
    assert sorted(Counter.objects.values_list("key", "count")) == [("one:k", 1), ("two:k", 1)]


def test_redis_counts_every_concurrent_hit_once():
    # Across processes on both stores: tests/serving/test_throttling_across_workers.py.
    cache = in_redis()
    with ThreadPoolExecutor(8) as pool:
        counts = list(pool.map(lambda _: cache.hit("k", 60)[0], range(200)))
    assert sorted(counts) == list(range(1, 201))


def test_the_time_left_is_never_more_than_the_window(db):
    """Another worker may open the window after this one read its clock: the window then ends
    a little more than its length after that reading, and Retry-After must not say 61."""
    from datetime import timedelta

    from django.utils import timezone

    cache = DatabaseCounters()
    Counter.objects.create(key="k", count=1, expires=timezone.now() + timedelta(seconds=60.5))
    count, remaining = cache.hit("k", 60)
    assert count == 2 and 59 < remaining <= 60

"""Counters that every worker process shares, counted atomically: what throttling counts with.

`hit(key, window)` counts one event under `key` in a fixed window of `window` seconds that
opens at the first event, and returns (events so far in the window, seconds until it closes);
`peek(key)` reads the same without counting. Counting with a read then a write (as DRF's
throttles do) loses events when two workers count at once; these count in one step:

- with `REDIS_URL`, in Redis, with its own commands (SET NX EX, INCR, PTTL in one MULTI/EXEC);
- otherwise in the database's `api_counter` table: one UPDATE … SET count = count + 1 while
  the window is open, which takes the row's lock, so concurrent events queue on it; a new
  window is an INSERT, and an insert that loses a race counts in the row that won.
"""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import Counter

if TYPE_CHECKING:
    import redis


class RedisCounters:
    def __init__(self, client: redis.Redis, prefix: str = ""):
        self.client, self.prefix = client, prefix

    def hit(self, key: str, window: int) -> tuple[int, float]:
        key = self.prefix + key
        with self.client.pipeline(transaction=True) as pipe:
            pipe.set(key, 0, ex=window, nx=True)
            pipe.incr(key)
            pipe.pttl(key)
            _, count, milliseconds = pipe.execute()
        return count, max(milliseconds, 0) / 1000

    def peek(self, key: str) -> tuple[int, float]:
        key = self.prefix + key
        with self.client.pipeline(transaction=True) as pipe:
            pipe.get(key)
            pipe.pttl(key)
            count, milliseconds = pipe.execute()
        if count is None or milliseconds <= 0:
            return 0, 0.0
        return int(count), milliseconds / 1000


class DatabaseCounters:
    def __init__(self, prefix: str = ""):
        self.prefix = prefix

    def hit(self, key: str, window: int) -> tuple[int, float]:
        key = self.prefix + key
        now = timezone.now()
        try:
            count, expires = self._hit(key, now, now + timedelta(seconds=window))
        except IntegrityError:
            # Another event opened the window between our UPDATE and INSERT: count in it.
            count, expires = self._hit(key, now, now + timedelta(seconds=window))
        if count == 1:
            self._drop_closed_windows(now)
        # At most the window: `now` is read before the row's lock is taken, so a window that
        # another worker opened meanwhile may end a little more than `window` after it.
        return count, min((expires - now).total_seconds(), window)

    def peek(self, key: str) -> tuple[int, float]:
        now = timezone.now()
        found = (
            Counter.objects.filter(key=self.prefix + key, expires__gt=now)
            .values_list("count", "expires")
            .first()
        )
        if found is None:
            return 0, 0.0
        count, expires = found
        return count, (expires - now).total_seconds()

    @staticmethod
    def _hit(key, now, expires):
        with transaction.atomic():
            open_window = Counter.objects.filter(key=key, expires__gt=now)
            if open_window.update(count=F("count") + 1):
                return open_window.values_list("count", "expires").get()
            # No open window: reopen a closed one (another event may be reopening it too:
            # its UPDATE then finds the window open, and matches nothing here), or insert.
            if not Counter.objects.filter(key=key, expires__lte=now).update(
                count=1, expires=expires
            ):
                Counter.objects.create(key=key, count=1, expires=expires)
            return 1, expires

    @staticmethod
    def _drop_closed_windows(now):
        """Once per new window: delete closed windows (`expires` is indexed), which nothing
        else would. In a transaction of its own; should it fail (another request deleting
        the same rows), the next new window does it."""
        try:
            with transaction.atomic():
                Counter.objects.filter(expires__lt=now).delete()
        except DatabaseError:
            pass


@functools.cache
def redis_client(url: str) -> redis.Redis:
    """One client (and its connection pool) per process, shared by its threads. The package
    is imported here, only where REDIS_URL is set: 61 modules and 6 MB of every worker's
    memory otherwise."""
    import redis

    return redis.Redis.from_url(url)


def counters() -> RedisCounters | DatabaseCounters:
    """The counters settings choose: Redis with REDIS_URL, else the database."""
    if settings.REDIS_URL:
        return RedisCounters(redis_client(settings.REDIS_URL), settings.COUNTER_KEY_PREFIX)
    return DatabaseCounters(settings.COUNTER_KEY_PREFIX)

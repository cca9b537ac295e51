"""How many rows a list holds: exact up to a limit, beyond it counted once in a while.

A result of up to EXACT_COUNT_LIMIT rows (settings) is read whole, as its ordered ids, on every
request: that gives the exact count and the page's ids at once, so the filters run once. A
larger one is counted once and the count kept in the per-process cache ("per_process") for
COUNT_CACHE_SECONDS, so a big result does not cost a full scan per request; its pages are read
with LIMIT/OFFSET along the ordered indexes. (The request that finds the count missing runs one
query more: the capped read of ids, then the count.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.db import connections

from .documents import compiled, ids_sql


def count_key(using: str, sql: str, params) -> str:
    """The per-process cache's key for the count of a query (a list's, or a ranked search's:
    claims.search)."""
    return "counts:" + hashlib.sha1(repr((using, sql, params)).encode()).hexdigest()


# The queries last found to hold at most EXACT_COUNT_LIMIT rows (per process, bounded): their
# count is never cached, so they skip making its key and asking the cache (a typical speaker's
# page does so on every request); one found larger leaves the set and is counted and cached.
_small: set[tuple] = set()
MAX_SMALL = 1024


class CountedList:
    """What Django's Paginator needs (`count()`, `ordered`, slicing) over `queryset`, with
    the count policy above. `read(start, stop, counted)` reads a page; after count(),
    `counted.ids` holds all ids in order when the count read them (else None), and
    `counted.sql` the queryset's ids query as compiled for the count, ordered
    (`documents.ids_sql`; or as given, compiled beforehand), for the page to reuse rather than
    compile again."""

    ordered = True

    def __init__(
        self,
        queryset,
        read: Callable[[int, int, CountedList], list],
        sql: tuple[str, tuple] | None = None,
        using: str | None = None,
    ):
        # `queryset`: a QuerySet, or a function that makes it (then `using` names its database)
        self._queryset, self.read = queryset, read
        self.ids, self.sql = None, sql
        self.using = queryset.db if using is None else using

    @property
    def queryset(self):
        if callable(self._queryset):
            self._queryset = self._queryset()
        return self._queryset

    def count(self) -> int:
        try:
            if self.sql is None:
                self.sql = ids_sql(self.queryset)
            sql, params = self.sql
        except EmptyResultSet:
            self.ids = []
            return 0
        limit = settings.EXACT_COUNT_LIMIT
        small = (self.using, sql, params, limit)
        try:
            known_small = small in _small
        except TypeError:  # a parameter that cannot be hashed: never remembered
            small, known_small = None, False
        if not known_small:
            cached = caches["per_process"].get(count_key(self.using, sql, params))
            if cached is not None:
                return cached
        with connections[self.using].cursor() as cursor:
            cursor.execute(f"{sql} LIMIT {int(limit) + 1}", params)
            ids = [row[0] for row in cursor.fetchall()]
            if len(ids) <= limit:
                if small is not None:
                    if len(_small) >= MAX_SMALL:
                        _small.clear()
                    _small.add(small)
                self.ids = ids
                return len(ids)
            _small.discard(small)  # (None is never in it)
            count_sql, count_params = compiled(self.queryset.order_by().values("pk"))
            cursor.execute(f"SELECT COUNT(*) FROM ({count_sql}) counted", count_params)
            (total,) = cursor.fetchone()
        key = count_key(self.using, sql, params)
        caches["per_process"].set(key, total, settings.COUNT_CACHE_SECONDS)
        return total

    def __getitem__(self, window: slice) -> list:
        return self.read(window.start, window.stop, self)

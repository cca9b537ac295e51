"""The shared cache backends: Django's Redis and database caches, plus an atomic `hit()`.

Throttling counts requests in the cache that every worker process shares. Counting with
`get()` then `set()` (as DRF's throttles do) loses increments when two workers answer at
once; `hit()` counts in one atomic step instead: a Redis MULTI/EXEC, or one database
transaction holding the row (SELECT … FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE
transaction mode takes the write lock at BEGIN).
"""

import base64
import pickle
from datetime import timedelta

from django.core.cache.backends import db, redis
from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone


class RedisCache(redis.RedisCache):
    def hit(self, key: str, window: int) -> tuple[int, float]:
        """Count one event under `key` in a fixed window of `window` seconds that opens at
        the first event. Returns (events so far in the window, seconds until it closes)."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        with client.pipeline(transaction=True) as pipe:
            pipe.set(key, 0, ex=window, nx=True)
            pipe.incr(key)
            pipe.pttl(key)
            _, count, milliseconds = pipe.execute()
        return count, max(milliseconds, 0) / 1000

    def peek(self, key: str) -> tuple[int, float]:
        """The count and seconds left of `key`'s window, without counting: (0, 0.0) if none."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key)
        with client.pipeline(transaction=True) as pipe:
            pipe.get(key)
            pipe.pttl(key)
            count, milliseconds = pipe.execute()
        if count is None or milliseconds <= 0:
            return 0, 0.0
        return int(count), milliseconds / 1000


class DatabaseCache(db.DatabaseCache):
    def hit(self, key: str, window: int) -> tuple[int, float]:
        """As RedisCache.hit(), in the cache table."""
        key = self.make_and_validate_key(key)
        alias = router.db_for_write(self.cache_model_class)
        try:
            return self._hit(alias, key, window)
        except IntegrityError:
            # Another worker inserted the row between our SELECT and INSERT (PostgreSQL,
            # first event of a window): the row exists now, so the retry locks and counts it.
            return self._hit(alias, key, window)

    def peek(self, key: str) -> tuple[int, float]:
        """As RedisCache.peek(), in the cache table."""
        key = self.make_and_validate_key(key)
        connection = connections[router.db_for_read(self.cache_model_class)]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('value')}, {quote('expires')} FROM {quote(self._table)} "
                f"WHERE {quote('cache_key')} = %s",
                [key],
            )
            row = cursor.fetchone()
        now = timezone.now()
        if row is None or (expires := self._read_datetime(connection, row[1])) <= now:
            return 0, 0.0
        return self._decode(connection, row[0]), (expires - now).total_seconds()

    def _hit(self, alias: str, key: str, window: int) -> tuple[int, float]:
        connection = connections[alias]
        quote = connection.ops.quote_name
        table, key_column = quote(self._table), quote("cache_key")
        value_column, expires_column = quote("value"), quote("expires")
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {value_column}, {expires_column} FROM {table} "
                f"WHERE {key_column} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            now = timezone.now()
            if row is not None:
                expires = self._read_datetime(connection, row[1])
            if row is not None and expires > now:
                count = self._decode(connection, row[0]) + 1
                cursor.execute(
                    f"UPDATE {table} SET {value_column} = %s WHERE {key_column} = %s",
                    [self._encode(count), key],
                )
            else:
                count, expires = 1, now + timedelta(seconds=window)
                stored = connection.ops.adapt_datetimefield_value(expires)
                if row is None:
                    # Once per new window: drop closed windows (`expires` is indexed), which
                    # nothing else would, as hit() and peek() never call Django's cull.
                    cursor.execute(
                        f"DELETE FROM {table} WHERE {expires_column} < %s",
                        [connection.ops.adapt_datetimefield_value(now)],
                    )
                    cursor.execute(
                        f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) "
                        "VALUES (%s, %s, %s)",
                        [key, self._encode(count), stored],
                    )
                else:
                    cursor.execute(
                        f"UPDATE {table} SET {value_column} = %s, {expires_column} = %s "
                        f"WHERE {key_column} = %s",
                        [self._encode(count), stored, key],
                    )
        return count, (expires - now).total_seconds()

    # The table's encoding, as Django's DatabaseCache reads and writes it.
    def _encode(self, value) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    @staticmethod
    def _decode(connection, value):
        return pickle.loads(base64.b64decode(connection.ops.process_clob(value).encode()))

    @staticmethod
    def _read_datetime(connection, value):
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression)
        converters += expression.get_db_converters(connection)
        for converter in converters:
            value = converter(value, expression, connection)
        return value

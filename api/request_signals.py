"""Django's receivers of its request signals, less the two that have nothing to do here.

Every request sends `request_started` and `request_finished`, and Django's receivers look up
each connection and each cache in asgiref's thread-local storage, a lock taken per lookup.
Two of them do nothing in this service as it is configured:

- `reset_queries` empties the list of queries a connection logged, and a connection logs them
  only under DEBUG (or while a test's CaptureQueriesContext records: it disconnects the
  receiver meanwhile and connects it when done);
- `close_caches` calls each cache's `close()`, which the database, local-memory and Redis
  backends leave as BaseCache's no-op (memcached's closes its client: a cache whose backend
  has a `close()` of its own keeps the receiver).

`close_old_connections`, which closes a connection that is broken or past CONN_MAX_AGE, stays.
"""

from django.conf import settings
from django.core import signals
from django.core.cache import close_caches
from django.core.cache.backends.base import BaseCache
from django.db import reset_queries
from django.utils.module_loading import import_string


def closing_caches() -> list[str]:
    """The aliases of the caches whose backend has a `close()` of its own."""
    return [
        alias
        for alias, config in settings.CACHES.items()
        if import_string(config["BACKEND"]).close is not BaseCache.close
    ]


def trim_request_receivers() -> None:
    """Disconnect Django's request receivers that have nothing to do (once, at start-up)."""
    if not settings.DEBUG:
        signals.request_started.disconnect(reset_queries)
    if not closing_caches():
        signals.request_finished.disconnect(close_caches)

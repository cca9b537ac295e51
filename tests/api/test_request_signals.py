"""Django's request receivers, less those with nothing to do (api.request_signals)."""

import weakref

import pytest
from django.core import signals
from django.core.cache import close_caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import close_old_connections, connection, reset_queries
from django.test.utils import CaptureQueriesContext

from api.request_signals import closing_caches, trim_request_receivers
from tests.factories import ClaimFactory


class ClosingCache(LocMemCache):
    """A backend with a close() of its own, as memcached's has."""

    def close(self, **kwargs):
        pass


LOCAL = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "a"}
CLOSING = {"BACKEND": f"{__name__}.ClosingCache", "LOCATION": "b"}
SIGNALS = (signals.request_started, signals.request_finished)


def receivers(signal) -> list:
    return [ref() if isinstance(ref, weakref.ref) else ref for _, ref, _ in signal.receivers]


@pytest.fixture
def django_receivers():
    """Django's receivers connected as before start-up; what was connected is put back after."""
    saved = {signal: list(signal.receivers) for signal in SIGNALS}
    signals.request_started.connect(reset_queries)
    signals.request_finished.connect(close_caches)
    yield
    for signal, connected in saved.items():
        signal.receivers = connected
        signal.sender_receivers_cache.clear()


def test_without_debug_no_query_log_is_reset_and_no_cache_without_a_close_is_closed(
    settings, django_receivers
):
    settings.DEBUG = False
    settings.CACHES = {"default": LOCAL}
    trim_request_receivers()
    started, finished = receivers(signals.request_started), receivers(signals.request_finished)
    assert (reset_queries in started, close_old_connections in started) == (False, True)
    assert (close_caches in finished, close_old_connections in finished) == (False, True)


def test_under_debug_the_query_log_is_reset_and_a_cache_with_a_close_is_closed(
    settings, django_receivers
):
    settings.DEBUG = True
    settings.CACHES = {"default": LOCAL, "closing": CLOSING}
    assert closing_caches() == ["closing"]
    trim_request_receivers()
    assert reset_queries in receivers(signals.request_started)
    assert close_caches in receivers(signals.request_finished)


def test_the_configured_caches_have_nothing_to_close():
    # The database cache, or Redis where REDIS_URL is set, and the per-process counts.
    assert closing_caches() == []


@pytest.mark.django_db
def test_queries_are_still_counted_across_requests(client, settings, django_receivers):
    settings.DEBUG = False
    trim_request_receivers()
    claim = ClaimFactory()
    url = f"/api/v1/claims/{claim.pk}/"
    with CaptureQueriesContext(connection) as first:
        answered = [client.get(url).json()]
    with CaptureQueriesContext(connection) as both:
        answered += [client.get(url).json(), client.get(url).json()]
    # A receiver that emptied the log when a request starts would leave only the last one's.
    assert len(both) == 2 * len(first) > 0
    assert [(body["id"], body["text"]) for body in answered] == [(claim.pk, claim.text)] * 3

"""Writes the database aborts because of other writes (a deadlock, a serialization failure)
are run again a bounded number of times; what still fails answers 503 with Retry-After."""

import psycopg
import pytest
from django.db import OperationalError

from api.concurrency import WRITE_TRIES, atomic_with_retries
from api.errors import exception_handler
from claims.models import Topic

pytestmark = pytest.mark.django_db


def aborted(cause):
    """Django's error, as it wraps psycopg's when PostgreSQL aborts a transaction."""
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


DEADLOCK = psycopg.errors.DeadlockDetected("deadlock detected")
SERIALIZATION = psycopg.errors.SerializationFailure("could not serialize access")


@pytest.mark.parametrize("cause", [DEADLOCK, SERIALIZATION])
def test_a_write_aborted_by_another_is_run_again_from_scratch(cause):
    calls = []

    def write():
        calls.append(Topic.objects.create(name=f"Try {len(calls)}", slug=f"try-{len(calls)}"))
        if len(calls) < WRITE_TRIES:
            raise aborted(cause)
        return "done"

    assert atomic_with_retries(write) == "done"
    assert len(calls) == WRITE_TRIES
    # Each failed attempt was rolled back whole: only the last one's row is there.
    assert list(Topic.objects.values_list("slug", flat=True)) == [f"try-{WRITE_TRIES - 1}"]


def test_retries_are_bounded_and_other_errors_are_not_retried():
    calls = []

    def deadlocking():
        calls.append(1)
        raise aborted(DEADLOCK)

    with pytest.raises(OperationalError):
        atomic_with_retries(deadlocking)
    assert len(calls) == WRITE_TRIES

    def broken():
        calls.append(2)
        raise OperationalError("server closed the connection unexpectedly")

    with pytest.raises(OperationalError):
        atomic_with_retries(broken)
    assert calls.count(2) == 1


@pytest.mark.parametrize(
    "error", [aborted(DEADLOCK), aborted(SERIALIZATION), OperationalError("database is locked")]
)
def test_what_still_fails_answers_503_with_retry_after(error):
    response = exception_handler(error, {})
    assert (response.status_code, response["Retry-After"], response.data) == (
        503,
        "1",
        {
            "detail": "The database is busy with conflicting writes; retry in a moment.",
            "code": "busy",
        },
    )

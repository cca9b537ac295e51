"""No SQL statement runs longer than DATABASE_STATEMENT_TIMEOUT seconds (0: no limit).

A request is bounded by its slowest statement: without a limit one expensive query (a search
of hundreds of words took 36 s to 317 s) holds a database connection and a worker thread for
as long as it runs. PostgreSQL enforces the limit itself, `statement_timeout`, which settings
set on every connection (waiting for a lock counts too). SQLite has no such setting: a progress
handler on each connection looks at the clock every PROGRESS_STEPS steps of SQLite's virtual
machine and stops a statement that has run past its deadline. Either way the statement fails
with an OperationalError that `timed_out()` recognises and api.errors answers 503.
"""

import math
import time

from django.conf import settings
from django.db import OperationalError

# SQLite steps between two looks at the clock: a few microseconds to a few milliseconds apart
# (a step may compare a whole text), so a statement overruns its deadline by little.
PROGRESS_STEPS = 1000

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement stopped by statement_timeout


class SQLiteDeadline:
    """One per SQLite connection: as an execute wrapper it starts each statement's clock (the
    limit is read then, so a test may change it); as the progress handler it stops a statement
    whose deadline has passed. The deadline holds until the next statement starts, so it also
    covers the rows a statement yields after `execute()` returns."""

    def __init__(self):
        self.deadline = math.inf

    def __call__(self, execute, sql, params, many, context):
        limit = settings.DATABASE_STATEMENT_TIMEOUT
        self.deadline = time.monotonic() + limit if limit else math.inf
        return execute(sql, params, many, context)

    def expired(self) -> bool:
        return time.monotonic() > self.deadline


def install_sqlite_deadline(sender, connection, **kwargs):
    """`connection_created` receiver: puts a fresh SQLiteDeadline on a new SQLite connection."""
    if connection.vendor != "sqlite":
        return
    deadline = SQLiteDeadline()
    connection.connection.set_progress_handler(deadline.expired, PROGRESS_STEPS)
    # The wrapper list belongs to Django's connection object, which outlives a reconnection.
    wrappers = connection.execute_wrappers
    wrappers[:] = [w for w in wrappers if not isinstance(w, SQLiteDeadline)]
    wrappers.insert(0, deadline)


def timed_out(error: Exception) -> bool:
    """Whether `error` is a statement stopped by the timeout, on either engine."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == QUERY_CANCELED:
        return True
    # sqlite3 reports a statement stopped by its progress handler as "interrupted".
    return type(cause).__module__ == "sqlite3" and str(cause) == "interrupted"

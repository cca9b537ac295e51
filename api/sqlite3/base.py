"""Django's SQLite backend, with a cheaper conversion of each statement's placeholders.

Django's SQLite cursor turns the ORM's `%s` placeholders into sqlite3's `?` with the regular
expression `(?<!%)%s`, which the regex engine tries at every character of a statement: for a
claim document's 4,000 characters of SQL (claims.documents) that was a tenth of the CPU
instructions of a page of claims. `%(?<!%%)s` finds the same places (a `%s` whose `%` does not
follow another `%`) but begins with a literal, so the engine skips from one `%` to the next.
Selected in settings for every SQLite database (`env_database`).
"""

import re

from django.db.backends.sqlite3 import base
from django.utils.asyncio import async_unsafe

PLACEHOLDER = re.compile(r"%(?<!%%)s")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is None:
            return PLACEHOLDER.sub("?", query).replace("%%", "%")
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    @async_unsafe
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)

"""Django's SQLite backend, converting each statement's placeholders once per process.

Django's SQLite cursor turns the ORM's `%s` placeholders into sqlite3's `?` with the regular
expression `(?<!%)%s`, which the regex engine tries at every character of every statement: for
a claim document's 4,000 characters of SQL (claims.documents) that was about a tenth of the CPU
instructions of a page of claims. The statements a process runs repeat (the same queries with
other values), so this cursor remembers each conversion by the statement's text, in a dict
emptied when it passes MAX_CONVERTED statements. A statement not yet seen is converted with
`%(?<!%%)s`, which finds the same places (a `%s` whose `%` does not follow another `%`) but
begins with a literal, so the engine skips from one `%` to the next.

Selected in settings for every SQLite database (`env_database`), which also names the test
database: pytest-django recognises SQLite by Django's ENGINE string only.
"""

import re

from django.db.backends.sqlite3 import base

PLACEHOLDER = re.compile(r"%(?<!%%)s")

# Far more than the statements a process repeats (a worker serving every benchmark endpoint
# keeps about 20, 50 KB), and at most about 4 MB were they all a page's 8,000 characters.
MAX_CONVERTED = 256

_converted: dict[str, str] = {}


def converted(query: str) -> str:
    """`query` with sqlite3's placeholders, as Django's backend converts it ("format" style)."""
    try:
        return _converted[query]
    except KeyError:
        pass
    result = PLACEHOLDER.sub("?", query).replace("%%", "%")
    if len(_converted) >= MAX_CONVERTED:
        _converted.clear()  # statements built from values (not parameters) never repeat
    _converted[query] = result
    return result


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def execute(self, query, params=None):
        if type(params) is tuple or type(params) is list:  # the ORM's parameters
            return base.Database.Cursor.execute(self, converted(query), params)
        return super().execute(query, params)  # none, a mapping ("pyformat"), an iterable

    def convert_query(self, query, *, param_names=None):
        if param_names is None:
            return converted(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)

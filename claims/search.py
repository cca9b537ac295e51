"""`q`: claims with a word in their text, in one of their quotes or in their speaker's name.

The meaning is Django's `icontains` (a case-insensitive substring), with an index per engine
so a search does not scan every claim and quote:

- SQLite: FTS5 tables with the trigram tokenizer (substring matching, case folded), kept in
  step with their tables by triggers (`install_sqlite_index`);
- PostgreSQL: pg_trgm GIN indexes on the very expressions `icontains` compares,
  `UPPER(col::text)` (`install_postgresql_index`).

A word shorter than three characters has no trigram: it falls back to plain `icontains`.

A frequent word (in SEARCH_FREQUENT_SHARE of claim texts or more, and at least
SEARCH_FREQUENT_CLAIMS: settings) is matched by plain `icontains` for a page instead: the claims
are read in the list's order and the page is full after a few dozen rows, while the index would
hand over tens of thousands of ids to sort. Whether a word is frequent is looked up once (a
capped count through the index) and kept in the per-process cache for
SEARCH_FREQUENT_CACHE_SECONDS. Counting all matches is the opposite case: there every word
goes through its index (`SearchPlan.for_counting`).

The choice is made once per request, explicitly (`SearchPlan.choose`), and the plan is passed
on as a value: the filter applies it, the count asks it for its counting variant.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

INDEXED_VENDORS = ("sqlite", "postgresql")

# The most different words `q` takes. Each word adds its own condition (three subqueries on
# the index path) to the claims' query: without a cap, 200 words held a PostgreSQL connection
# for 36 s and a thousand made SQLite refuse the query ("Expression tree is too large").
MAX_WORDS = 10

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def query_words(text: str) -> list[str]:
    """The words of `q`, each once, in their first order. Words that differ only in the case of
    ASCII letters match the same claims on every engine, so they count once; other letters are
    compared as given, since engines fold their case differently (SQLite's LIKE not at all)."""
    words: dict[str, str] = {}
    for word in text.split():
        words.setdefault(word.translate(_ASCII_LOWER), word)
    return list(words.values())


# (table, column): the columns `q` searches, each behind an index.
SEARCHED = [
    ("claims_claim", "text"),
    ("claims_appearance", "quote"),
    ("claims_speaker", "name"),
]


def indexed(word: str, vendor: str) -> bool:
    """Whether an index can find the word: it has a trigram, and the engine such an index."""
    return len(word) >= 3 and vendor in INDEXED_VENDORS


@dataclass(frozen=True)
class SearchPlan:
    """How the words of `q` are matched on a database: each through its index, except those
    in `scanned` (frequent words, and words no index finds), matched by `icontains` as the
    claims are read in the list's order."""

    words: tuple[str, ...]
    scanned: frozenset[str]
    using: str = "default"

    @classmethod
    def choose(cls, text: str, using: str = "default") -> SearchPlan:
        """The plan for reading a page of the claims matching `text`: a frequent word is
        scanned (one capped count through its index per word, cached: `frequent`)."""
        connection = connections[using]
        words = tuple(query_words(text))
        scanned = frozenset(
            word
            for word in words
            if not indexed(word, connection.vendor) or frequent(word, connection)
        )
        return cls(words, scanned, using)

    @property
    def scans(self) -> bool:
        """Whether some word that an index could find is scanned instead."""
        vendor = connections[self.using].vendor
        return any(indexed(word, vendor) for word in self.scanned)

    def for_counting(self) -> SearchPlan:
        """The same words, each through its index where there is one: the cheaper plan for
        reading every match (counting)."""
        vendor = connections[self.using].vendor
        return replace(self, scanned=frozenset(w for w in self.words if not indexed(w, vendor)))

    def condition(self) -> Q:
        """Claims matching every word."""
        condition = Q()
        for word in self.words:
            condition &= self.word_condition(word)
        return condition

    def word_condition(self, word: str) -> Q:
        if word in self.scanned:
            return icontains_condition(word)
        connection = connections[self.using]
        if connection.vendor == "postgresql":
            return postgresql_condition(word, connection)
        return sqlite_condition(word)


def icontains_condition(word: str) -> Q:
    from .models import Appearance

    quotes = Appearance.objects.filter(claim=OuterRef("pk"), quote__icontains=word)
    return Q(text__icontains=word) | Q(speaker__name__icontains=word) | Exists(quotes)


def fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'  # one FTS5 string: a substring, not a query


def frequent(word: str, connection) -> bool:
    """Whether the word is in SEARCH_FREQUENT_SHARE of claim texts (and SEARCH_FREQUENT_CLAIMS):
    a count through the index, capped, once per word, engine and thresholds every
    SEARCH_FREQUENT_CACHE_SECONDS."""
    share, least = settings.SEARCH_FREQUENT_SHARE, settings.SEARCH_FREQUENT_CLAIMS
    word_key = word.casefold().encode().hex()[:200]
    key = f"claims:search:frequent:{connection.vendor}:{share}:{least}:{word_key}"
    cache = caches["per_process"]
    answer = cache.get(key)
    if answer is None:
        if connection.vendor == "sqlite":
            matches = (
                "SELECT rowid FROM claims_claim_fts WHERE claims_claim_fts MATCH %s",
                fts_phrase(word),
            )
        else:
            matches = (
                "SELECT id FROM claims_claim WHERE UPPER(text::text) LIKE UPPER(%s)",
                f"%{connection.ops.prep_for_like_query(word)}%",
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH t(n) AS (SELECT CAST(greatest_n AS INTEGER) FROM (SELECT "
                "CASE WHEN %s * coalesce(max(id), 0) > %s THEN %s * coalesce(max(id), 0) "
                "ELSE %s END AS greatest_n FROM claims_claim) bound) "
                f"SELECT (SELECT count(*) FROM ({matches[0]} LIMIT (SELECT n FROM t)) found) "
                ">= (SELECT n FROM t)",
                [share, least, share, least, matches[1]],
            )
            answer = bool(cursor.fetchone()[0])
        cache.set(key, answer, settings.SEARCH_FREQUENT_CACHE_SECONDS)
    return answer


# UNION ALL: `IN` ignores duplicates anyway, and skipping the de-duplication is cheaper.


def sqlite_condition(word: str) -> Q:
    phrase = fts_phrase(word)
    sql = (
        "SELECT rowid FROM claims_claim_fts WHERE claims_claim_fts MATCH %s "
        "UNION ALL SELECT a.claim_id FROM claims_appearance a WHERE a.id IN "
        "(SELECT rowid FROM claims_appearance_fts WHERE claims_appearance_fts MATCH %s) "
        "UNION ALL SELECT c.id FROM claims_claim c WHERE c.speaker_id IN "
        "(SELECT rowid FROM claims_speaker_fts WHERE claims_speaker_fts MATCH %s)"
    )
    return Q(pk__in=RawSQL(sql, [phrase, phrase, phrase]))


def postgresql_condition(word: str, connection) -> Q:
    pattern = f"%{connection.ops.prep_for_like_query(word)}%"
    sql = (
        "SELECT id FROM claims_claim WHERE UPPER(text::text) LIKE UPPER(%s) "
        "UNION ALL SELECT claim_id FROM claims_appearance WHERE UPPER(quote::text) LIKE UPPER(%s) "
        "UNION ALL SELECT c.id FROM claims_claim c JOIN claims_speaker s ON s.id = c.speaker_id "
        "WHERE UPPER(s.name::text) LIKE UPPER(%s)"
    )
    return Q(pk__in=RawSQL(sql, [pattern, pattern, pattern]))


# --- the indexes (called from migrations; safe to run again) --------------------------------


def install_sqlite_index(cursor) -> None:
    """FTS5 trigram tables over the searched columns, triggers, and a rebuild from the rows.

    A migration that rebuilds one of these tables on SQLite (Django's "remake table") drops
    its triggers: such a migration must call this again (tests/api/test_search.py notices)."""
    for table, column in SEARCHED:
        fts = f"{table}_fts"
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({column}, "
            f"content='{table}', content_rowid='id', tokenize='trigram')"
        )
        delete = f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES('delete', old.id, old.{column})"
        insert = f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column})"
        triggers = {
            "ai": f"AFTER INSERT ON {table} BEGIN {insert}; END",
            "ad": f"AFTER DELETE ON {table} BEGIN {delete}; END",
            "au": f"AFTER UPDATE OF {column} ON {table} BEGIN {delete}; {insert}; END",
        }
        for suffix, body in triggers.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            cursor.execute(f"CREATE TRIGGER {fts}_{suffix} {body}")
        cursor.execute(f"INSERT INTO {fts}({fts}) VALUES('rebuild')")


def uninstall_sqlite_index(cursor) -> None:
    for table, _column in SEARCHED:
        for suffix in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
        cursor.execute(f"DROP TABLE IF EXISTS {table}_fts")


def install_postgresql_index(cursor) -> None:
    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column in SEARCHED:
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_{column}_trgm "
            f"ON {table} USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def uninstall_postgresql_index(cursor) -> None:
    for table, column in SEARCHED:
        cursor.execute(f"DROP INDEX IF EXISTS {table}_{column}_trgm")

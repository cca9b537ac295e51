"""`q`: ranked full-text search over claims, and full-text search over speakers.

The syntax is web search's (api/websearch.py). A claim is found through its text, the
verbatim quotes of its appearances, its speaker's name and aliases and its rebuttals' text,
all kept in step by the database (frozen in migration 0012_search_fts):

- SQLite: an FTS5 table `claims_claim_search` (columns text, speaker, quotes, rebuttals; one
  row per claim, rowid = the claim's id) filled by triggers on claims, appearances, rebuttals
  and speakers, with the porter stemmer over unicode61 (English inflections; case folded in
  every script); speakers: `claims_speaker_search` (name, aliases, job title, description).
- PostgreSQL: `claims_claim.search_vector`, a tsvector set by triggers (weight A the text, B the
  speaker, C the quotes, D the rebuttals; each both stemmed in the claim's language,
  `claims_search_config`, and as plain words) under a GIN index; a term is looked up in every
  configuration at once (`claims_search_term`: `websearch_to_tsquery` per configuration, OR-ed).
  Speakers: a generated `search_vector` column with its GIN index.

The score of a claim (higher is better): 2 when the claim's own text matches the whole query
(above a match through a quote, a rebuttal or the speaker only), plus 1 when the query's plain
words stand side by side as a phrase, plus the engine's relevance mapped into [0, 1)
(bm25 on SQLite, ts_rank on PostgreSQL).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import FloatField, Q
from django.db.models.expressions import RawSQL

from api import websearch
from api.websearch import Query, parse

from .counts import count_key
from .documents import compiled, document_sql, joined
from .models import Claim

__all__ = ["Query", "RankedClaims", "condition", "parse", "score", "speaker_condition"]

CLAIMS_FTS = "claims_claim_search"
# Column weights for bm25: text, speaker, quotes, rebuttals.
BM25 = f"bm25({CLAIMS_FTS}, 4.0, 2.0, 1.0, 1.0)"
CLAIM_TERM = "claims_search_term(%s)"
# Text-only weights: a row's bm25 below 0 tells that its own text holds a matching term.
TEXT_BM25 = f"bm25({CLAIMS_FTS}, 1.0, 0.0, 0.0, 0.0)"


def relevance_of(bm25: str) -> str:
    """bm25 (negative, lower is better) mapped into [0, 1), higher is better."""
    return f"(-{bm25} / (1 - {bm25}))"


def condition(query: Query, using: str = "default") -> Q:
    """Claims matching the query."""
    return websearch.condition(query, using, table="claims_claim", term_sql=CLAIM_TERM)


def score_sql(query: Query, vendor: str) -> tuple[str, list]:
    """The score of the outer query's claim (an unaliased claims_claim) for `query`."""
    if vendor == "postgresql":
        vector = "claims_claim.search_vector"
        full, params = query.tsquery_sql(CLAIM_TERM)
        positive, positive_params = query.tsquery_sql(CLAIM_TERM, positive_only=True)
        sql = (
            f"(2 * (ts_filter({vector}, '{{a}}') @@ {positive})::int "
            f"+ ts_rank({vector}, {full}, 32)"
        )
        params = [*positive_params, *params]
        if phrase := query.phrase:
            sql += f" + ({vector} @@ {CLAIM_TERM})::int"
            params.append(phrase.quoted())
        return sql + ")", params
    relevance, relevance_params = sqlite_relevance(query)
    tiers, tier_params = sqlite_tiers(query, "claims_claim.id", in_scan=False)
    sql = (
        f"(coalesce((WITH relevance AS MATERIALIZED ({relevance}) "
        f"SELECT {relevance_of('relevance.bm25')} FROM relevance WHERE id = claims_claim.id), 0) + "
        f"{tiers})"
    )
    return sql, [*relevance_params, *tier_params]


# On SQLite a sorted subquery that another table joins is read as a co-routine: first in FROM,
# joined by CROSS JOIN (which also keeps it the outer loop). Materialized instead (a
# MATERIALIZED CTE, or a subquery SQLite puts in a temporary table), it packs every row it
# sorts into a record before the sorter's LIMIT drops the row: for a frequent word, 22,656
# records for the 47 it keeps, 6% of the statement's instructions (bench/README.md).
SQLITE_CO_ROUTINE = "CROSS JOIN"
# A ranked page's rows (id, tier, bm25) on SQLite, read in `RankedClaims.read`: their score
# (tier + relevance) and their order (best first).
SQLITE_PAGE_SCORE_AND_ORDER = (
    f"page.tier + {relevance_of('page.bm25')}",
    "page.tier DESC, page.bm25, page.id DESC",
)

# On SQLite each MATCH runs once per query, never once per claim: FTS5 answers a MATCH with
# `rowid = ?` by reading the term's whole doclist again (a word in 20,000 of 100,000 claims
# took a minute that way). In an annotation (`score`) the relevance of every match is
# materialized (a CTE: SQLite must not push a claim's id into the FTS5 scan) and the tiers are
# sets of rowids, each built once; a ranked page (RankedClaims) reads them in the FTS5 scan.


def sqlite_relevance(query: Query) -> tuple[str, list]:
    """(id, bm25): every claim matching the query, with its bm25 (negative, lower is better;
    `relevance` maps it into [0, 1), once per row: bm25 is most of the query's cost)."""
    sql = f"SELECT rowid AS id, {BM25} AS bm25 FROM {CLAIMS_FTS} WHERE {CLAIMS_FTS} MATCH %s"
    return sql, [query.fts5()]


def sqlite_tiers(query: Query, claim_id: str, in_scan: bool) -> tuple[str, list]:
    """2 when the claim's own text matches, plus 1 when the plain words stand as a phrase.

    `in_scan`: the expression is read in the query's own FTS5 scan. There, a query of one
    group (`a`, `a or b`; with exclusions or not) needs no second MATCH: its own text matches
    when it holds one of the group's terms, which the text-only bm25 of the row tells."""
    matching = f"SELECT rowid FROM {CLAIMS_FTS} WHERE {CLAIMS_FTS} MATCH %s"
    if in_scan and len(query.groups) == 1:
        return f"2 * ({TEXT_BM25} < 0)", []  # one group: never a phrase either
    sql = f"2 * ({claim_id} IN ({matching}))"
    params = [own_text_match(query)]
    if phrase := query.phrase:
        sql += f" + ({claim_id} IN ({matching}))"
        params.append(phrase.quoted())
    return sql, params


def own_text_match(query: Query) -> str:
    """An FTS5 MATCH for the claims whose own text holds one of the query's terms."""
    return "{text} : (" + query.fts5_positive() + ")"


def score(query: Query, using: str = "default") -> RawSQL:
    """The score, as an annotation of claims."""
    sql, params = score_sql(query, connections[using].vendor)
    return RawSQL(sql, params, output_field=FloatField())


def speaker_condition(query: Query, using: str = "default") -> Q:
    """Speakers whose name, aliases, job title or description match the query."""
    return websearch.condition(query, using, table="claims_speaker")


class RankedClaims:
    """Claims matching a query among `queryset`'s (visibility and the other filters), for the
    paginator: `count()`, `ordered`, and slices of documents best first, each with its
    `score`: one query each (a page rarely two or three, below).

    PostgreSQL: the tsvector condition under its GIN index, scored by `score_sql`.

    SQLite: the FTS5 table drives, and each matching row's bm25 and tier are read in that
    one scan. The count tells how many claims match (`matches`) and how many of them the
    queryset keeps (`kept`, the count given); when it keeps them all, the page is the scan's
    best rows. When it keeps fewer, the scan's best rows are over-fetched in the proportion
    of matches to kept ones and the filters applied to those only (the claims' rows joined by
    id: a third of the cost of a frequent word otherwise), unless that is a good part of the
    matches; a page that comes up short of the count is read again with the filters in the
    scan. For a query of one group, whose own-text tier is the text's own bm25, the scan first
    sorts by bm25 alone and the tier is computed for the rows it keeps only
    (`sqlite_page_by_bm25`); when those hold too few of the top tier to be sure of the page,
    the page is read again tier first, as above. Counts above EXACT_COUNT_LIMIT are kept in
    the per-process cache like the list's (claims.counts)."""

    ordered = True
    # Over-fetch: this many times the rows the kept share needs, plus a few; only when that
    # is at most a WORTH-th of the matches (else the filters in the scan cost less: they spare
    # the bm25 of the rows they drop). A page sorted by bm25 first reads as many of the scan's
    # best rows (MARGIN times the page's end, plus SPARE, when nothing is over-fetched), under
    # the same WORTH.
    MARGIN, SPARE, WORTH = 1.25, 20, 4

    def __init__(self, queryset, query: Query, unpublished: bool):
        self.queryset, self.query, self.unpublished = queryset, query, unpublished
        self.connection = connections[queryset.db]
        self.sqlite = self.connection.vendor == "sqlite"
        self.matches = self.kept = self.own_text = None
        try:
            self.where, self.where_params = filters_sql(queryset) if self.sqlite else ("", [])
        except EmptyResultSet:  # the ORM knows the filters keep nothing
            self.matches = self.kept = 0

    def count(self) -> int:
        if self.kept == 0:
            return 0
        try:
            return self.counted()
        except EmptyResultSet:
            self.matches = self.kept = 0
            return 0

    def counted(self) -> int:
        if self.sqlite:
            scan = f"FROM {CLAIMS_FTS} m"
            if self.where:  # kept: the rows the LEFT JOIN finds
                scan += f" LEFT JOIN claims_claim ON claims_claim.id = m.rowid AND ({self.where})"
            kept = "count(claims_claim.id)" if self.where else "count(*)"
            columns, params = ["count(*)"], []
            if len(self.query.groups) == 1:
                # And, when the count is to be kept (a large one), how many claims' own text
                # holds a term, for `__getitem__`: a second MATCH, counted only then.
                columns.append(
                    f"CASE WHEN {kept} > {int(settings.EXACT_COUNT_LIMIT)} THEN (SELECT "
                    f"count(*) FROM {CLAIMS_FTS} WHERE {CLAIMS_FTS} MATCH %s) END"
                )
                params.append(own_text_match(self.query))
            sql = f"SELECT {', '.join([*columns, kept])} {scan} WHERE {CLAIMS_FTS} MATCH %s"
            params += [*self.where_params, self.query.fts5()]
        else:
            among = self.queryset.filter(condition(self.query, self.queryset.db))
            ids, ids_params = compiled(among.order_by().values("pk"))
            sql, params = f"SELECT count(*), count(*) FROM ({ids}) kept", list(ids_params)
        key = count_key(self.queryset.db, sql, params)
        cache = caches["per_process"]
        totals = cache.get(key)
        if totals is None:
            with self.connection.cursor() as cursor:
                cursor.execute(sql, params)
                totals = cursor.fetchone()
            if totals[-1] > settings.EXACT_COUNT_LIMIT:
                cache.set(key, totals, settings.COUNT_CACHE_SECONDS)
        self.matches, *own_text, self.kept = totals
        self.own_text = own_text[0] if own_text else None
        return self.kept

    def __getitem__(self, window: slice) -> list[str]:
        if self.kept is None:
            self.count()
        start, stop = window.start, window.stop
        if stop <= start or self.kept == 0:
            return []
        if not self.sqlite:
            return self.read(*self.postgresql_page(start, stop))
        over_fetch = None
        if self.where and self.kept < self.matches:
            wanted = int(stop * self.MARGIN * self.matches / max(self.kept, 1)) + self.SPARE
            over_fetch = wanted if wanted * self.WORTH <= self.matches else None
        # Sorted by bm25 first when most matches are in the own-text tier (a query matching
        # through the speaker's name mostly is not: its best rows by bm25 would hold too few).
        if self.own_text is not None and 2 * self.own_text >= self.matches:
            best = over_fetch or int(stop * self.MARGIN) + self.SPARE
            scanned = self.kept if self.where and over_fetch is None else self.matches
            if best * self.WORTH <= scanned:
                page = self.sqlite_page_by_bm25(start, stop, best, over_fetch is not None)
                rows = self.rows(*page, extra=("sure", "found"))
                sure, found = rows[0][2:] if rows else (0, 0)
                if sure >= min(stop, self.kept):
                    return [with_score(text, value) for text, value, *_ in rows]
                if found < min(stop, self.kept):  # as many over-fetched would be as short
                    over_fetch = None
        documents = self.read(*self.sqlite_page(start, stop, over_fetch))
        if over_fetch is not None and len(documents) < min(stop, self.kept) - start:
            documents = self.read(*self.sqlite_page(start, stop, None))
        return documents

    def sqlite_page(
        self, start: int, stop: int, over_fetch: int | None
    ) -> tuple[str, list, str, str]:
        """The page's ids, tiers and bm25 (sorted by both; the score, tier + relevance, is
        made for the page's rows only), with the filters applied to the scan's best
        `over_fetch` rows, or in the scan."""
        tier, params = sqlite_tiers(self.query, "m.rowid", in_scan=True)
        columns = f"m.rowid AS id, {tier} AS tier, {BM25} AS bm25"
        match = f"{CLAIMS_FTS} MATCH %s"
        params.append(self.query.fts5())
        order = "tier DESC, bm25, id DESC"
        window = self.connection.ops.limit_offset_sql(start, stop)
        if not self.where:
            page = f"SELECT {columns} FROM {CLAIMS_FTS} m WHERE {match} ORDER BY {order} {window}"
        elif over_fetch is None:
            page = (
                f"SELECT {columns} FROM {CLAIMS_FTS} m "
                f"JOIN claims_claim ON claims_claim.id = m.rowid WHERE {match} AND ({self.where}) "
                f"ORDER BY {order} {window}"
            )
            params += self.where_params
        else:
            page = (
                f"SELECT best.id, best.tier, best.bm25 FROM (SELECT {columns} FROM {CLAIMS_FTS} m "
                f"WHERE {match} ORDER BY {order} LIMIT {int(over_fetch)}) best "
                f"{SQLITE_CO_ROUTINE} claims_claim ON claims_claim.id = best.id WHERE {self.where} "
                f"ORDER BY best.tier DESC, best.bm25, best.id DESC {window}"
            )
            params += self.where_params
        return page, params, *SQLITE_PAGE_SCORE_AND_ORDER

    def sqlite_page_by_bm25(
        self, start: int, stop: int, best: int, over_fetched: bool
    ) -> tuple[str, list, str, str]:
        """The page among the scan's `best` rows by bm25 alone (the filters applied to those
        rows when `over_fetched`, else in the scan), with `found`, how many of them the
        filters keep, and `sure`, how many of those are in the own-text tier. Only for a query
        of one group, whose tier is the text's own bm25 (`sqlite_tiers`).

        SQLite computes a sort key for every match, but a column left out of the ORDER BY
        only for the rows its sorter keeps: the tier (a second bm25) then costs nothing, where
        as a key it is a tenth of a frequent word's statement (bench/README.md). The page is
        exact when `sure` reaches the page's end (or the kept rows' count): a kept row outside
        the best rows ranks below every one of them by bm25, so below that many rows of the
        highest tier."""
        tier, params = sqlite_tiers(self.query, "m.rowid", in_scan=True)
        scan, params = f"FROM {CLAIMS_FTS} m", [*params, self.query.fts5()]
        condition = f"{CLAIMS_FTS} MATCH %s"
        if self.where and not over_fetched:
            scan += " JOIN claims_claim ON claims_claim.id = m.rowid"
            condition += f" AND ({self.where})"
            params += self.where_params
        page = (
            "SELECT best.id, best.tier, best.bm25, sum(best.tier = 2) OVER () AS sure, "
            "count(*) OVER () AS found FROM ("
            f"SELECT m.rowid AS id, {BM25} AS bm25, {tier} AS tier {scan} WHERE {condition} "
            f"ORDER BY bm25, id DESC LIMIT {int(best)}) best"
        )
        if over_fetched:
            page += (
                f" {SQLITE_CO_ROUTINE} claims_claim ON claims_claim.id = best.id WHERE {self.where}"
            )
            params += self.where_params
        window = self.connection.ops.limit_offset_sql(start, stop)
        page += f" ORDER BY best.tier DESC, best.bm25, best.id DESC {window}"
        return page, params, *SQLITE_PAGE_SCORE_AND_ORDER

    def postgresql_page(self, start: int, stop: int) -> tuple[str, list, str, str, str]:
        """The page's ids and scores: the score is computed for the matching claims only
        (the filters and the match in the same WHERE, not `id IN (…)`, which lets the planner
        score and sort every claim first)."""
        among = self.queryset.filter(condition(self.query, self.queryset.db))
        scored = among.annotate(score=score(self.query, self.queryset.db))
        page, params = compiled(scored.order_by("-score", "-pk").values("pk", "score")[start:stop])
        return page, list(params), "page.score", "page.score DESC, page.pk DESC", "pk"

    def read(self, page: str, params: list, score: str, order: str, key="id") -> list[str]:
        """The documents of the page's rows (claim ids in its column `key`), in `order`, each
        with its score."""
        return [with_score(row[0], row[1]) for row in self.rows(page, params, score, order, key)]

    def rows(self, page: str, params: list, score: str, order: str, key="id", extra=()):
        """(document, score, *the page's `extra` columns) of the page's rows, in `order`."""
        document, document_params = document_sql(Claim, self.unpublished, self.connection)
        columns = ", ".join([document, score, *(f"page.{column}" for column in extra)])
        if self.sqlite:
            sql = (
                f"SELECT {columns} FROM ({page}) page "
                f"{SQLITE_CO_ROUTINE} claims_claim ON claims_claim.id = page.{key} ORDER BY {order}"
            )
            params = (*document_params, *params)
        else:
            sql = (
                f"WITH page AS MATERIALIZED ({page}) SELECT {columns} FROM page "
                f"JOIN claims_claim ON claims_claim.id = page.{key} ORDER BY {order}"
            )
            params = (*params, *document_params)
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def filters_sql(queryset) -> tuple[str, list]:
    """The WHERE clause of `queryset` (claims), over an unaliased claims_claim, or "" when it
    has none; a queryset that joins other tables is read as `claims_claim.id IN (…)`."""
    query = queryset.query
    if not query.has_filters():
        return "", []
    if joined(query):
        ids, params = compiled(queryset.order_by().values("pk"))
        return f"claims_claim.id IN ({ids})", list(params)
    sql, params = query.get_compiler(using=queryset.db).compile(query.where)
    return sql, list(params)


def with_score(document: str, value: float) -> str:
    """The document with its `score` (its last key, null as built) set to `value`."""
    head = document.rstrip()[:-1].rstrip()
    if not head.endswith("null"):
        raise ValueError("A claim's document ends with its score, null as built.")
    return head[: -len("null")] + json.dumps(float(value)) + "}"

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

from django.db import connections
from django.db.models import FloatField, Q
from django.db.models.expressions import RawSQL

from api import websearch
from api.websearch import Query, parse

from .documents import compiled, document_sql

__all__ = ["Query", "condition", "fetch_ranked", "parse", "score", "speaker_condition"]

CLAIMS_FTS = "claims_claim_search"
# Column weights for bm25: text, speaker, quotes, rebuttals.
BM25 = f"bm25({CLAIMS_FTS}, 4.0, 2.0, 1.0, 1.0)"
CLAIM_TERM = "claims_search_term(%s)"
RELEVANCE = "(-relevance.bm25 / (1 - relevance.bm25))"


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
    tiers, tier_params = sqlite_tiers(query, "claims_claim.id")
    sql = (
        f"(coalesce((WITH relevance AS MATERIALIZED ({relevance}) "
        f"SELECT {RELEVANCE} FROM relevance WHERE id = claims_claim.id), 0) + "
        f"{tiers})"
    )
    return sql, [*relevance_params, *tier_params]


# On SQLite each MATCH runs once per query, never once per claim: FTS5 answers a MATCH with
# `rowid = ?` by reading the term's whole doclist again (a word in 20,000 of 100,000 claims
# took a minute that way). The relevance of every match is materialized (a CTE: SQLite must not
# push a claim's id into the FTS5 scan), the tiers are sets of rowids, each built once.


def sqlite_relevance(query: Query) -> tuple[str, list]:
    """(id, bm25): every claim matching the query, with its bm25 (negative, lower is better;
    RELEVANCE maps it into [0, 1), once per row: bm25 is most of the query's cost)."""
    sql = f"SELECT rowid AS id, {BM25} AS bm25 FROM {CLAIMS_FTS} WHERE {CLAIMS_FTS} MATCH %s"
    return sql, [query.fts5()]


def sqlite_tiers(query: Query, claim_id: str) -> tuple[str, list]:
    """2 when the claim's own text matches, plus 1 when the plain words stand as a phrase."""
    matching = f"SELECT rowid FROM {CLAIMS_FTS} WHERE {CLAIMS_FTS} MATCH %s"
    sql = f"2 * ({claim_id} IN ({matching}))"
    params = ["{text} : (" + query.fts5_positive() + ")"]
    if phrase := query.phrase:
        sql += f" + ({claim_id} IN ({matching}))"
        params.append(phrase.quoted())
    return sql, params


def score(query: Query, using: str = "default") -> RawSQL:
    """The score, as an annotation of claims."""
    sql, params = score_sql(query, connections[using].vendor)
    return RawSQL(sql, params, output_field=FloatField())


def speaker_condition(query: Query, using: str = "default") -> Q:
    """Speakers whose name, aliases, job title or description match the query."""
    return websearch.condition(query, using, table="claims_speaker")


def fetch_ranked(
    queryset, query: Query, unpublished: bool, start: int, stop: int, ids: list | None
) -> list[str]:
    """The documents of a page of ranked claims, best first, each with its `score`, in one
    query: the page's ids are `ids` when the count has read them (in order), else the window
    of the queryset's claims by score."""
    connection = connections[queryset.db]
    document, document_params = document_sql(queryset.model, unpublished, connection)
    if ids is not None and not ids:
        return []
    if ids is not None:
        among, among_params = ", ".join(["%s"] * len(ids)), list(ids)
        window = ""
    else:
        among, among_params = compiled(queryset.order_by().values("pk"))
        window = connection.ops.limit_offset_sql(start, stop)
    if connection.vendor == "sqlite":
        relevance, relevance_params = sqlite_relevance(query)
        tiers, tier_params = sqlite_tiers(query, "relevance.id")
        sql = (
            f"WITH relevance AS MATERIALIZED ({relevance}), "
            f"page AS MATERIALIZED (SELECT relevance.id, {tiers} + {RELEVANCE} AS score "
            f"FROM relevance WHERE relevance.id IN ({among}) "
            f"ORDER BY score DESC, relevance.id DESC {window}) "
            f"SELECT {document}, page.score FROM page "
            "JOIN claims_claim ON claims_claim.id = page.id "
            "ORDER BY page.score DESC, claims_claim.id DESC"
        )
        params = (*relevance_params, *tier_params, *among_params, *document_params)
    else:
        scored, score_params = score_sql(query, connection.vendor)
        sql = (
            f"WITH page AS (SELECT claims_claim.id, {scored} AS score FROM claims_claim "
            f"WHERE claims_claim.id IN ({among}) "
            f"ORDER BY score DESC, claims_claim.id DESC {window}) "
            f"SELECT {document}, page.score FROM page "
            "JOIN claims_claim ON claims_claim.id = page.id "
            "ORDER BY page.score DESC, claims_claim.id DESC"
        )
        params = (*score_params, *among_params, *document_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [with_score(text, value) for text, value in cursor.fetchall()]


def with_score(document: str, value: float) -> str:
    """The document with its `score` (its last key, null as built) set to `value`."""
    head = document.rstrip()[:-1].rstrip()
    if not head.endswith("null"):
        raise ValueError("A claim's document ends with its score, null as built.")
    return head[: -len("null")] + json.dumps(float(value)) + "}"

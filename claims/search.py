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
            params.append(phrase.websearch())
        return sql + ")", params
    # Each MATCH runs once per query, not once per claim: the relevance of every match is
    # materialized and looked up by rowid, the other tiers are sets of rowids (a correlated
    # MATCH per claim took a minute for a word in 20,000 claims).
    matching = f"SELECT rowid FROM {CLAIMS_FTS} WHERE {CLAIMS_FTS} MATCH %s"
    sql = (
        f"(coalesce((WITH relevance AS MATERIALIZED (SELECT rowid AS id, "
        f"-{BM25} / (1 - {BM25}) AS value FROM {CLAIMS_FTS} WHERE {CLAIMS_FTS} MATCH %s) "
        "SELECT value FROM relevance WHERE id = claims_claim.id), 0) "
        f"+ 2 * (claims_claim.id IN ({matching}))"
    )
    params = [query.fts5(), "{text} : (" + query.fts5_positive() + ")"]
    if phrase := query.phrase:
        sql += f" + (claims_claim.id IN ({matching}))"
        params.append(phrase.fts5())
    return sql + ")", params


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
    query: the page's ids are `ids` when the count has read them, else the window of the
    queryset's ids (ordered by score already)."""
    connection = connections[queryset.db]
    if ids is not None:
        if not ids:
            return []
        page_sql, page_params = ", ".join(["%s"] * len(ids)), list(ids)
    else:
        ids_sql, ids_params = compiled(queryset.values("pk"))
        page_sql = (
            f"SELECT page.pk FROM ({ids_sql} {connection.ops.limit_offset_sql(start, stop)}) page"
        )
        page_params = list(ids_params)
    document, document_params = document_sql(queryset.model, unpublished, connection)
    scored, score_params = score_sql(query, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {document}, {scored} AS score FROM claims_claim "
            f"WHERE claims_claim.id IN ({page_sql}) ORDER BY score DESC, claims_claim.id DESC",
            (*document_params, *score_params, *page_params),
        )
        return [with_score(text, value) for text, value in cursor.fetchall()]


def with_score(document: str, value: float) -> str:
    """The document with its `score` (its last key, null as built) set to `value`."""
    head = document.rstrip()[:-1].rstrip()
    if not head.endswith("null"):
        raise ValueError("A claim's document ends with its score, null as built.")
    return head[: -len("null")] + json.dumps(float(value)) + "}"

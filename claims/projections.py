"""The fast read path for claims: the database builds each claim's JSON, Python only joins.

`ClaimSerializer` stays the one description of the shape (and of the OpenAPI schema); this
module renders the same shape in SQL, one JSON document per claim, so a page of claims costs
one query and no model instances. `claim_columns()` lists every key in the serializer's order
(`speaker_columns()` likewise for SpeakerDetailSerializer); tests/api/test_projections.py checks
that the keys are the serializers' fields, recursively, and that both paths give equal JSON for
the same rows, for anonymous and staff clients, on both engines.

Filtering, ordering and visibility are not repeated here: the page's ids come from the same
queryset and FilterSet as the DRF path (`ClaimQuerySet.visible_to`, `ClaimFilter`), compiled
by the ORM into a subquery.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.db import connections

from .enums import ClaimStatus, Rating, ReviewStatus

PUBLISHED = f"'{ClaimStatus.PUBLISHED.value}'"
REVIEW_PUBLISHED = f"'{ReviewStatus.PUBLISHED.value}'"

# A count up to this many rows is computed on every request; a larger one is computed once
# and cached for COUNT_CACHE_SECONDS, so a big result does not cost a full scan per request.
EXACT_COUNT_LIMIT = 1000
COUNT_CACHE_SECONDS = 60


# --- SQL per engine ------------------------------------------------------------------------


class SQLite:
    def obj(self, *pairs) -> str:
        return "json_object(" + ", ".join(f"'{k}', {sql_of(v)}" for k, v in pairs) + ")"

    def nullable_obj(self, present: str, *pairs) -> str:
        # json() keeps the value JSON (not a string) once it went through CASE.
        return f"json(CASE WHEN {present} IS NULL THEN NULL ELSE {self.obj(*pairs)} END)"

    def array(self, element: str, rest: str, order: str, *, scalar: bool = False) -> str:
        # SQLite aggregates in the order of the subquery's rows; json() keeps the elements
        # and the array JSON across the subquery boundaries.
        item = "x" if scalar else "json(x)"
        return (
            f"json((SELECT json_group_array({item}) FROM "
            f"(SELECT {element} AS x {rest} ORDER BY {order})))"
        )

    def boolean(self, column: str) -> str:
        return f"json(CASE WHEN {column} THEN 'true' ELSE 'false' END)"

    def scalar_json(self, select: str) -> str:
        return f"json(({select}))"

    def datetime(self, column: str) -> str:
        # Stored as 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC; DRF writes ISO 8601 with a Z.
        return f"replace({column}, ' ', 'T') || 'Z'"

    def text(self, document: str) -> str:
        return document


class PostgreSQL(SQLite):
    def obj(self, *pairs) -> str:
        return "json_build_object(" + ", ".join(f"'{k}', {sql_of(v)}" for k, v in pairs) + ")"

    def nullable_obj(self, present: str, *pairs) -> str:
        return f"CASE WHEN {present} IS NULL THEN NULL ELSE {self.obj(*pairs)} END"

    def array(self, element: str, rest: str, order: str, *, scalar: bool = False) -> str:
        return f"(SELECT coalesce(json_agg({element} ORDER BY {order}), '[]'::json) {rest})"

    def boolean(self, column: str) -> str:
        return column

    def scalar_json(self, select: str) -> str:
        return f"({select})"

    def datetime(self, column: str) -> str:
        # DRF: isoformat() in UTC, microseconds only when not zero, +00:00 written as Z.
        utc = f"({column} AT TIME ZONE 'UTC')"
        return (
            f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
            f"CASE WHEN mod(extract(microseconds FROM {utc})::int, 1000000) = 0 THEN '' "
            f"ELSE to_char({utc}, '.US') END || 'Z'"
        )

    def text(self, document: str) -> str:
        return f"({document})::text"


DIALECTS = {"sqlite": SQLite(), "postgresql": PostgreSQL()}


def sql_of(value) -> str:
    return value.sql if isinstance(value, Nested) else value


# --- the claim shape -----------------------------------------------------------------------


@dataclass(frozen=True)
class Nested:
    """A nested object or list: its keys, for the drift test, and its SQL."""

    keys: tuple
    sql: str


def claim_columns(sql: SQLite, staff: bool) -> list[tuple[str, str | Nested]]:
    """(key, SQL) for every key of ClaimSerializer, in its order; `c` is the claim, `s` its
    speaker. What an anonymous client may not see is left out here, as in `for_api()`."""
    reviews_visible = "" if staff else f" AND r.status = {REVIEW_PUBLISHED}"
    rebutting_visible = "rc.id IS NOT NULL" + ("" if staff else f" AND rc.status = {PUBLISHED}")
    outlet = (("slug", "o.slug"), ("name", "o.name"))
    source = (("id", "so.id"), ("title", "so.title"), ("url", "so.url"))

    def obj(*pairs, present=None) -> Nested:
        return Nested(
            keys(pairs), sql.nullable_obj(present, *pairs) if present else sql.obj(*pairs)
        )

    appearance = (
        (
            "source",
            obj(
                *source,
                ("outlet", obj(*outlet, present="o.id")),
                ("published_on", "so.published_on"),
            ),
        ),
        ("quote", "a.quote"),
        ("is_first", sql.boolean("a.is_first")),
    )
    rebuttal = (
        ("id", "rb.id"),
        ("speaker", obj(("slug", "rs.slug"), ("name", "rs.name"))),
        ("text", "rb.text"),
        ("relation", "rb.relation"),
        ("stated_on", "rb.stated_on"),
        ("source", obj(*source, present="so.id")),
        ("rebutting_claim", f"CASE WHEN {rebutting_visible} THEN rc.id END"),
    )
    review = (
        ("id", "r.id"),
        ("reviewer", obj(*outlet)),
        ("rating", "r.rating"),
        ("textual_rating", "r.textual_rating"),
        ("url", "r.url"),
        ("published_on", "r.published_on"),
    )
    speaker = (
        ("slug", "s.slug"),
        ("name", "s.name"),
        ("kind", "s.kind"),
        ("job_title", "s.job_title"),
    )
    return [
        ("id", "c.id"),
        ("text", "c.text"),
        ("speaker", obj(*speaker)),
        ("speaker_title", "c.speaker_title"),
        ("stated_on", "c.stated_on"),
        ("context", "c.context"),
        ("language", "c.language"),
        (
            "topics",
            sql.array(
                "t.slug",
                "FROM claims_claim_topics ct JOIN claims_topic t ON t.id = ct.topic_id "
                "WHERE ct.claim_id = c.id",
                "t.name, t.id",  # Topic.Meta.ordering
                scalar=True,
            ),
        ),
        ("status", "c.status"),
        ("verdict", "c.verdict"),
        (
            "appearances",
            Nested(
                keys(appearance),
                sql.array(
                    sql.obj(*appearance),
                    "FROM claims_appearance a JOIN sources_source so ON so.id = a.source_id "
                    "LEFT JOIN sources_outlet o ON o.id = so.outlet_id WHERE a.claim_id = c.id",
                    "a.is_first DESC, a.id",  # Appearance.Meta.ordering
                ),
            ),
        ),
        (
            "rebuttals",
            Nested(
                keys(rebuttal),
                sql.array(
                    sql.obj(*rebuttal),
                    "FROM claims_rebuttal rb JOIN claims_speaker rs ON rs.id = rb.speaker_id "
                    "LEFT JOIN sources_source so ON so.id = rb.source_id "
                    "LEFT JOIN claims_claim rc ON rc.id = rb.rebutting_claim_id "
                    "WHERE rb.claim_id = c.id",
                    "rb.stated_on ASC NULLS LAST, rb.id",  # Rebuttal.Meta.ordering
                ),
            ),
        ),
        (
            "reviews",
            Nested(
                keys(review),
                sql.array(
                    sql.obj(*review),
                    "FROM claims_review r JOIN sources_outlet o ON o.id = r.reviewer_id "
                    f"WHERE r.claim_id = c.id{reviews_visible}",
                    "r.published_on DESC NULLS LAST, r.id DESC",  # Review.Meta.ordering
                ),
            ),
        ),
        ("created_at", sql.datetime("c.created_at")),
        ("updated_at", sql.datetime("c.updated_at")),
    ]


def keys(pairs) -> tuple:
    return tuple((key, value.keys) if isinstance(value, Nested) else key for key, value in pairs)


def claim_shape(staff: bool = False) -> tuple:
    """The keys of the projected claim, nested: compared with the serializer's in the tests."""
    return keys(claim_columns(SQLite(), staff))


_documents: dict[tuple[str, bool], str] = {}


def claim_document(vendor: str, staff: bool) -> str:
    """The SQL expression of one claim's JSON text, for this engine and kind of client."""
    key = (vendor, staff)
    if key not in _documents:
        sql = DIALECTS[vendor]
        _documents[key] = sql.text(sql.obj(*claim_columns(sql, staff)))
    return _documents[key]


# --- the speaker detail shape ---------------------------------------------------------------


def speaker_columns(sql: SQLite, staff: bool) -> list[tuple[str, str | Nested]]:
    """(key, SQL) for every key of SpeakerDetailSerializer; `s` is the speaker. The claim
    count follows the client's visibility; the scorecard counts published claims only, by
    verdict (`scorecard()` in querysets.py)."""
    visible = "" if staff else f" AND c.status = {PUBLISHED}"
    ratings = [(value, f"count(*) FILTER (WHERE v = '{value}')") for value in Rating.values]
    scorecard = (*ratings, ("unrated", "count(*) FILTER (WHERE v IS NULL)"))
    affiliation = (("slug", "a.slug"), ("name", "a.name"))
    return [
        ("id", "s.id"),
        ("slug", "s.slug"),
        ("name", "s.name"),
        ("kind", "s.kind"),
        ("job_title", "s.job_title"),
        ("affiliation", Nested(keys(affiliation), sql.nullable_obj("a.id", *affiliation))),
        ("country", "s.country"),
        ("description", "s.description"),
        ("wikidata_id", "s.wikidata_id"),
        (
            "claim_count",
            f"(SELECT count(*) FROM claims_claim c WHERE c.speaker_id = s.id{visible})",
        ),
        (
            "scorecard",
            Nested(
                keys(scorecard),
                sql.scalar_json(
                    # Read from the index on (speaker_id, status, verdict) alone.
                    f"SELECT {sql.obj(*scorecard)} FROM (SELECT c.verdict AS v "
                    f"FROM claims_claim c WHERE c.speaker_id = s.id AND c.status = {PUBLISHED}) "
                    "verdicts"
                ),
            ),
        ),
    ]


def speaker_shape(staff: bool = False) -> tuple:
    return keys(speaker_columns(SQLite(), staff))


def fetch_speaker_document(using: str, staff: bool, slug: str) -> tuple[str, int] | None:
    """One speaker's detail JSON (with claim count and scorecard) and row version (for the
    ETag), in one query."""
    connection = connections[using]
    sql = DIALECTS[connection.vendor]
    document = sql.text(sql.obj(*speaker_columns(sql, staff)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {document}, s.version FROM claims_speaker s "
            "LEFT JOIN claims_speaker a ON a.id = s.affiliation_id WHERE s.slug = %s",
            [slug],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


# --- reading -------------------------------------------------------------------------------

ORDER_COLUMNS = {"stated_on", "created_at", "updated_at", "id"}


def order_sql(queryset) -> str:
    """The queryset's ORDER BY, for the outer query (alias c): fields from ClaimFilter's
    `ordering` or Claim.Meta, each with nulls last, as the DRF path orders them."""
    terms = []
    for term in queryset.query.order_by or queryset.model._meta.ordering:
        if isinstance(term, str):
            descending, name = term.startswith("-"), term.lstrip("-")
        else:  # OrderBy(F(name))
            descending, name = term.descending, term.expression.name
        name = "id" if name == "pk" else name
        if name not in ORDER_COLUMNS:
            raise ValueError(f"No fast ordering by {name!r}")
        terms.append(f"c.{name} {'DESC' if descending else 'ASC'} NULLS LAST")
    return ", ".join(terms)


def compile_sql(queryset) -> tuple[str, tuple]:
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    return sql, tuple(params)


def fetch_documents(queryset, staff: bool, start: int, stop: int, ids=None) -> list[str]:
    """The JSON of the claims in queryset[start:stop], in the queryset's order, in one query.

    The page's ids come from the ORM (a DISTINCT query also selects its ordering columns),
    or from `ids`, the whole result already read in order."""
    connection = connections[queryset.db]
    if ids is not None:
        page = ids[start:stop]
        if not page:
            return []
        ids_sql, params = ", ".join(["%s"] * len(page)), tuple(page)
    else:
        try:
            ids_sql, params = compile_sql(queryset.values("pk")[start:stop])
        except EmptyResultSet:  # the ORM knows without asking the database
            return []
        ids_sql = f"SELECT page.pk FROM ({ids_sql}) page"
    sql = (
        f"SELECT {claim_document(connection.vendor, staff)} FROM claims_claim c "
        f"JOIN claims_speaker s ON s.id = c.speaker_id "
        f"WHERE c.id IN ({ids_sql}) ORDER BY {order_sql(queryset)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def fetch_document(queryset, staff: bool, pk: int) -> tuple[str, int] | None:
    """One claim's JSON and row version (for the ETag), if `queryset` (visibility applied)
    holds it."""
    connection = connections[queryset.db]
    try:
        where_sql, params = compile_sql(queryset.filter(pk=pk).order_by().values("pk"))
    except EmptyResultSet:
        return None
    sql = (
        f"SELECT {claim_document(connection.vendor, staff)}, c.version FROM claims_claim c "
        f"JOIN claims_speaker s ON s.id = c.speaker_id WHERE c.id IN ({where_sql})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


class ClaimPage:
    """What Django's Paginator needs (count, ordered, slicing) over projected claims, so DRF's
    PageNumberPagination validates `page` and builds `next`/`previous` exactly as before.

    Counting: a result of up to EXACT_COUNT_LIMIT claims is read whole as ordered ids, once,
    which gives both the exact count and the page (the filters run once). A larger one is
    counted once and the count reused for COUNT_CACHE_SECONDS, so a big result does not cost
    a full scan per request; its pages are read with LIMIT/OFFSET on the ordered indexes.
    (The request that finds the count missing runs one query more: the capped read of ids.)
    """

    ordered = True

    def __init__(self, queryset, staff: bool, counting=None):
        """`counting()`, if given, makes the same queryset with a plan suited to reading every
        match (claims.search.index_only): used when the count is not cached."""
        self.queryset, self.staff, self.counting = queryset, staff, counting
        self.ids = None

    def count(self) -> int:
        try:
            sql, params = compile_sql(self.queryset.values("pk"))
        except EmptyResultSet:
            self.ids = []
            return 0
        digest = hashlib.sha1(repr((self.queryset.db, sql, params)).encode()).hexdigest()
        key = f"claims:count:{digest}"
        cached = caches["local"].get(key)
        if cached is not None:
            return cached
        counting = self.queryset
        if self.counting:  # the same matches, in the plan for reading all of them
            counting = self.counting()
            sql, params = compile_sql(counting.values("pk"))
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(f"{sql} LIMIT {EXACT_COUNT_LIMIT + 1}", params)
            ids = [row[0] for row in cursor.fetchall()]
            if len(ids) <= EXACT_COUNT_LIMIT:
                self.ids = ids
                return len(ids)
            count_sql, count_params = compile_sql(counting.order_by().values("pk"))
            cursor.execute(f"SELECT COUNT(*) FROM ({count_sql}) counted", count_params)
            (total,) = cursor.fetchone()
        caches["local"].set(key, total, COUNT_CACHE_SECONDS)
        return total

    def __getitem__(self, window: slice) -> list[str]:
        return fetch_documents(self.queryset, self.staff, window.start, window.stop, self.ids)


def page_body(count_: int, next_link: str | None, previous_link: str | None, documents) -> bytes:
    head = json.dumps({"count": count_, "next": next_link, "previous": previous_link})
    return (head[:-1] + ',"results":[' + ",".join(documents) + "]}").encode()

"""JSON built by the database, per engine: the few SQL functions documents need.

A JSON object with its keys in order (PostgreSQL's jsonb would sort them), an array of a
subquery's rows in the subquery's order, booleans and timestamps as DRF writes them, and the
small helpers that nest them. Each is an ORM expression, so the SQL around them (joins,
filters, orderings, visibility) stays the ORM's; only what SQLite and PostgreSQL spell
differently is spelt here, once per engine.
"""

from django.db import NotSupportedError
from django.db.models import Case, Func, Subquery, TextField, Value, When


class Object(Func):
    """A JSON object with these keys, in this order (PostgreSQL's jsonb would sort them)."""

    output_field = TextField()

    def __init__(self, **fields):
        if not all(key.isidentifier() for key in fields):
            raise ValueError("Document keys are identifiers: they are written into the SQL.")
        self.keys = tuple(fields)
        super().__init__(*fields.values())

    def as_sql(self, compiler, connection, **extra_context):
        function = {"sqlite": "json_object", "postgresql": "json_build_object"}.get(
            connection.vendor
        )
        if function is None:
            raise NotSupportedError(f"No documents on {connection.vendor}.")
        pairs, params = [], []
        for key, value in zip(self.keys, self.get_source_expressions(), strict=True):
            sql, value_params = compiler.compile(value)
            pairs.append(f"'{key}', {sql}")
            params.extend(value_params)
        return f"{function}({', '.join(pairs)})", params


class Embedded(Func):
    """A JSON value that crossed a subquery or a CASE: SQLite sees text there unless json()
    marks it JSON again; PostgreSQL keeps its type."""

    function = "json"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return compiler.compile(self.get_source_expressions()[0])


class Boolean(Func):
    """A boolean column as JSON true/false (SQLite stores 0 and 1)."""

    template = "json(CASE WHEN %(expressions)s THEN 'true' ELSE 'false' END)"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return compiler.compile(self.get_source_expressions()[0])


class Timestamp(Func):
    """A datetime as DRF writes it: ISO 8601 in UTC, microseconds only when not zero, `Z`."""

    # SQLite stores 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC.
    template = "replace(%(expressions)s, ' ', 'T') || 'Z'"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        utc = f"({sql} AT TIME ZONE 'UTC')"
        return (
            f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
            f"CASE WHEN mod(extract(microseconds FROM {utc})::int, 1000000) = 0 THEN '' "
            f"ELSE to_char({utc}, '.US') END || 'Z'"
        ), params * 3


class Array(Subquery):
    """A JSON array of the queryset's one selected value (`item`), in the queryset's order:
    its `Meta.ordering` unless it orders itself. An empty queryset gives []."""

    output_field = TextField()

    def __init__(self, queryset, *, scalar: bool = False):
        super().__init__(queryset)
        self.scalar = scalar

    def as_sql(self, compiler, connection, **extra_context):
        inner, params = self.query.as_sql(compiler, connection)
        if connection.vendor == "postgresql":
            # ARRAY(subquery) keeps the subquery's order.
            return f"array_to_json(ARRAY{inner})", params
        # SQLite aggregates in the order of the subquery's rows.
        item = '"item"' if self.scalar else 'json("item")'
        return f"json((SELECT json_group_array({item}) FROM {inner} items))", params


def one(queryset) -> Embedded:
    """The JSON object `item` of the queryset's one row, or null when it has none."""
    return Embedded(Subquery(queryset.order_by()))


def totals(queryset, aggregate) -> Subquery:
    """`aggregate` over all rows of `queryset`, as a subquery of one row even when there is
    none (counts are then 0): no GROUP BY, unlike the ORM's `values().annotate()`."""
    query = queryset.order_by().annotate(item=aggregate).values("item").query
    query.group_by = None
    return Subquery(query, output_field=aggregate.output_field)


def nullable(present, **fields) -> Embedded:
    """A JSON object, or null when the foreign key `present` is null."""
    return Embedded(
        Case(When(**{f"{present}__isnull": True}, then=Value(None)), default=Object(**fields))
    )

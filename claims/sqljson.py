"""JSON built by the database, per engine: the few SQL functions documents need.

A JSON object with its keys in order (PostgreSQL's jsonb would sort them), an array of a
subquery's rows in the subquery's order, booleans and timestamps as DRF writes them, and the
small helpers that nest them. Each is an ORM expression, so the SQL around them (joins,
filters, orderings, visibility) stays the ORM's; only what SQLite and PostgreSQL spell
differently is spelt here, once per engine.

SQLite (no jsonb before 3.45) tells JSON from text by a mark on the value, its subtype: a
JSON function's result carries it into the function that takes it as an argument, where it
is nested as JSON; text without it is nested as a string. Whether the mark survives a scalar
subquery or a CASE is not documented, so it is probed once per process (`keeps_subtype`):
where it does (3.40 does), nested values go as they are; elsewhere json() marks them again,
which parses every nested value once more (about a fifth of a page of claims' SQL).
"""

from django.db import NotSupportedError
from django.db.models import Case, Exists, Expression, Func, Subquery, TextField, Value, When


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


# The subquery and CASE shapes documents nest JSON through, with what they must give.
PROBE = """
WITH t(id, b) AS (VALUES (1, 1), (2, 0))
SELECT json_object(
  'array', (SELECT json_group_array(json(item)) FROM
    (SELECT json_object('id', u.id) AS item FROM t u WHERE u.id <= t.id ORDER BY u.id DESC) items),
  'one', (SELECT json_object('id', u.id) FROM t u WHERE u.id = t.id),
  'nullable', CASE WHEN t.b THEN NULL ELSE json_object('id', t.id) END,
  'boolean', CASE WHEN t.b THEN json('true') ELSE json('false') END,
  'guarded', CASE WHEN t.b THEN json_array()
    ELSE (SELECT json_group_array(u.id) FROM t u WHERE u.id = t.id) END)
FROM t ORDER BY t.id"""
PROBED = [
    '{"array":[{"id":1}],"one":{"id":1},"nullable":null,"boolean":true,"guarded":[]}',
    '{"array":[{"id":2},{"id":1}],"one":{"id":2},"nullable":{"id":2},"boolean":false,'
    '"guarded":[2]}',
]

_keeps_subtype: dict[str, bool] = {}


def keeps_subtype(connection) -> bool:
    """Whether this SQLite keeps a JSON value's subtype through a scalar subquery and a CASE
    (PROBE gives PROBED), asked once per process of an in-memory database of the same
    library."""
    library = connection.Database.sqlite_version
    if library not in _keeps_subtype:
        probe = connection.Database.connect(":memory:")
        try:
            found = [row[0] for row in probe.execute(PROBE)]
        finally:
            probe.close()
        _keeps_subtype[library] = found == PROBED
    return _keeps_subtype[library]


def marked(sql: str, connection) -> str:
    """SQLite: `sql` (built JSON that crossed a subquery or a CASE) marked as JSON again
    where its subtype does not survive that."""
    return sql if keeps_subtype(connection) else f"json({sql})"


class Embedded(Func):
    """A JSON value built in a subquery or a CASE: SQLite may see text there (`marked`);
    PostgreSQL keeps its type."""

    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return marked(sql, connection), params

    def as_postgresql(self, compiler, connection, **extra_context):
        return compiler.compile(self.get_source_expressions()[0])


class Stored(Func):
    """JSON text read from a column: SQLite parses it (and writes it compact) with json();
    PostgreSQL's json column is JSON already."""

    function = "json"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return compiler.compile(self.get_source_expressions()[0])


class Boolean(Func):
    """A boolean column as JSON true/false (SQLite stores 0 and 1)."""

    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        if keeps_subtype(connection):  # the two constants are parsed once per statement
            return f"CASE WHEN {sql} THEN json('true') ELSE json('false') END", params
        return f"json(CASE WHEN {sql} THEN 'true' ELSE 'false' END)", params

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
        if connection.vendor == "postgresql":
            inner, params = self.query.as_sql(compiler, connection)
            # ARRAY(subquery) keeps the subquery's order.
            return f"array_to_json(ARRAY{inner})", params
        sql, params = self.aggregated(compiler, connection)
        return marked(sql, connection), params

    def aggregated(self, compiler, connection) -> tuple[str, list]:
        """SQLite: the array as a scalar subquery (which aggregates in the order of its
        subquery's rows), not yet `marked`. An object is built where it is aggregated, from
        the columns of its parts (`split`): built in the ordered subquery, it would cross it
        as text and be parsed again (json("item"), a seventh of a page of claims)."""
        item = self.query.annotations["item"]
        if self.scalar or not builds_json(item) or has_subquery(item):
            inner, params = self.query.as_sql(compiler, connection)
            item_sql = '"item"' if self.scalar or not builds_json(item) else 'json("item")'
            return f"(SELECT json_group_array({item_sql}) FROM {inner} items)", params
        columns = {}
        built = split(item, columns)
        query = self.query.clone()
        query.annotations = columns
        query.set_annotation_mask(columns)
        inner, inner_params = query.as_sql(compiler, connection)
        item_sql, item_params = compiler.compile(built)
        sql = f"(SELECT json_group_array({item_sql}) FROM {inner} items)"
        return sql, [*item_params, *inner_params]


class Column(Expression):
    """A column of the rows an Array aggregates (`split`)."""

    def __init__(self, name: str, output_field):
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection):
        return f'"{self.name}"', []  # `items`, the innermost FROM: SQLite looks there first


def builds_json(expression) -> bool:
    """Whether the expression builds JSON (whose subtype a subquery's column would lose)."""
    return isinstance(expression, JSON_BUILDERS) or any(
        builds_json(part) for part in expression.get_source_expressions() if part is not None
    )


def has_subquery(expression) -> bool:
    return isinstance(expression, Subquery) or any(
        has_subquery(part) for part in expression.get_source_expressions() if part is not None
    )


def split(expression, columns: dict) -> Expression:
    """The expression with each of its largest parts that build no JSON (a column, a
    timestamp, a CASE of plain values, a condition) read from a `Column` instead, added to
    `columns`; constants stay."""
    if isinstance(expression, Value):  # a constant: as good where the item is built
        return expression
    if not builds_json(expression) and not isinstance(expression, When):
        name = f"p{len(columns)}"
        columns[name] = expression
        return Column(name, expression._output_field_or_none)
    copy = expression.copy()
    parts = expression.get_source_expressions()
    copy.set_source_expressions([part and split(part, columns) for part in parts])
    return copy


class Guarded(Func):
    """`array` (an Array), or [] without building it when `rows` (a queryset holding at least
    the array's rows, found through an index) has none: on SQLite an array that is mostly
    empty (a claim's rebuttals, corrections) otherwise costs a subquery with its joins and
    sort per row. PostgreSQL builds the array as it did."""

    output_field = TextField()

    def __init__(self, rows, array: Array):
        super().__init__(Exists(rows), array)

    def as_sqlite(self, compiler, connection, **extra_context):
        rows, array = self.get_source_expressions()
        rows_sql, rows_params = compiler.compile(rows)
        built, params = array.aggregated(compiler, connection)
        if keeps_subtype(connection):
            sql = f"CASE WHEN {rows_sql} THEN {built} ELSE json_array() END"
        else:
            sql = f"json(CASE WHEN {rows_sql} THEN {built} ELSE '[]' END)"
        return sql, [*rows_params, *params]

    def as_postgresql(self, compiler, connection, **extra_context):
        return compiler.compile(self.get_source_expressions()[1])


JSON_BUILDERS = (Object, Embedded, Stored, Boolean, Array, Guarded)


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

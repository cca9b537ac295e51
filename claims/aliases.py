"""Speakers found by one of their aliases (`Speaker.aliases`, a JSON list of other spellings and
scripts: "Владимир Путин" is Vladimir Putin), case folded in every script, on both engines. The
speaker filter's lookup (claims.filters) and article ingestion (ingest.services) read with it.

PostgreSQL compares `lower()` of each jsonb element; SQLite's own `lower()` folds ASCII only,
so each SQLite connection gets `casefold()`, Python's, as a deterministic SQL function."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections


def install_sqlite_casefold(sender, connection, **kwargs):
    """`connection_created` receiver: `casefold(text)` on a new SQLite connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("casefold", 1, _casefold, deterministic=True)


def _casefold(value):
    return value.casefold() if isinstance(value, str) else value


def speakers_by_alias(names, using: str = DEFAULT_DB_ALIAS) -> dict[str, list[tuple[int, str]]]:
    """{name: [(id, slug), …]}: the speakers that have each of `names` among their aliases, up
    to case, in one plain query; a name no alias matches is left out."""
    names = [name for name in dict.fromkeys(names) if name.strip()]
    if not names:
        return {}
    connection = connections[using]
    if connection.vendor == "postgresql":
        elements, fold = "jsonb_array_elements_text(s.aliases) AS j(value)", "lower"
    else:
        elements, fold = "json_each(s.aliases) AS j", "casefold"
    placeholders = ", ".join([f"{fold}(%s)"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT j.value, s.id, s.slug FROM claims_speaker s, {elements} "
            f"WHERE {fold}(j.value) IN ({placeholders})",
            names,
        )
        rows = cursor.fetchall()
    found: dict[str, list[tuple[int, str]]] = {}
    for name in names:
        speakers = {
            (pk, slug)
            for alias, pk, slug in rows
            if alias.casefold() == name.casefold() or alias.lower() == name.lower()
        }
        if speakers:
            found[name] = sorted(speakers)
    return found

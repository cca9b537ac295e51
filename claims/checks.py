"""A database system check: the triggers, search tables and indexes that migrations wrote in SQL
are all still there.

Claims rely on objects that Django's models do not describe, so nothing else notices when one
goes missing: the triggers that keep `Claim.verdict` (migration 0008), the search tables,
triggers and indexes behind `q` (claims 0012, sources 0006) and the read path's ordering
indexes (0007, installed again by 0012). On SQLite a later migration that rebuilds a table
(Django's "remake table", e.g. for most `AlterField`s) silently drops that table's triggers and
raw-SQL indexes; a restore or a hand-made `DROP` can lose them on either engine.

Registered with the `database` tag, so it runs in `migrate` (before migrating) and in
`manage.py check --database default`, never per request. It looks only once every migration is
applied: on a fresh or older database the objects may rightly be missing, and `migrate` must
run. A missing trigger or search object is an Error (claims.E001 for the verdict, claims.E002
for search: wrong verdicts, failing or wrong searches); a missing ordering index is a Warning
(claims.W001: lists still answer, by scanning).

The names are those the frozen SQL of migrations claims 0008 and 0012 and sources 0006
creates; a migration that replaces one of these objects updates this list with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.checks import Error, Tags, Warning, register
from django.db import connections, models
from django.db.migrations import operations
from django.db.migrations.executor import MigrationExecutor

SEARCH_MIGRATION = ("claims", "0012_search_fts")
SOURCES_SEARCH_MIGRATION = ("sources", "0006_search_fts")
VERDICT_MIGRATION = ("claims", "0008_claim_verdict_kept_by_the_database")

VERDICT = "Claim.verdict is kept by it: without it, verdicts and scorecards go stale"
SEARCH = "`q` searches through it: without it, searches fail or miss claims"
ORDERING = "Claim lists and verdict look-ups read this index: without it, they scan"


@dataclass(frozen=True)
class DatabaseObject:
    kind: str  # trigger, table, index, function or extension, as the engine's catalogue says
    name: str
    table: str  # the table it is on ("" for a function or an extension)
    migration: tuple[str, str]  # the migration that installs it
    id: str  # the check message's id
    job: str  # what relies on it

    def describe(self) -> str:
        on = f" on {self.table}" if self.table and self.table != self.name else ""
        return f"{self.kind} {self.name}{on}"


def _ordering_indexes() -> list[DatabaseObject]:
    return [
        DatabaseObject("index", name, table, SEARCH_MIGRATION, "claims.W001", ORDERING)
        for name, table in [
            ("claims_claim_speaker_status_stated", "claims_claim"),
            ("claims_claim_status_stated", "claims_claim"),
            ("claims_review_verdict", "claims_review"),
        ]
    ]


# SQLite's search triggers, per table (migration 0012_search_fts).
SQLITE_SEARCH_TRIGGERS = {
    "claims_claim": ["claims_claim_search_ai", "claims_claim_search_au", "claims_claim_search_ad"],
    "claims_appearance": [
        "claims_appearance_search_ai",
        "claims_appearance_search_au",
        "claims_appearance_search_ad",
    ],
    "claims_rebuttal": [
        "claims_rebuttal_search_ai",
        "claims_rebuttal_search_au",
        "claims_rebuttal_search_ad",
    ],
    "claims_speaker": [
        "claims_speaker_claims_search_au",
        "claims_speaker_search_ai",
        "claims_speaker_search_au",
        "claims_speaker_search_ad",
    ],
}
SOURCES_SEARCH = "Sources' `q` searches through it: without it, searches fail or miss sources"

REQUIRED: dict[str, list[DatabaseObject]] = {
    "sqlite": [
        *(
            DatabaseObject("trigger", name, table, VERDICT_MIGRATION, "claims.E001", VERDICT)
            for name, table in [
                ("claims_review_verdict_ai", "claims_review"),
                ("claims_review_verdict_ad", "claims_review"),
                ("claims_review_verdict_au", "claims_review"),
                ("claims_claim_verdict_ai", "claims_claim"),
                ("claims_claim_verdict_au", "claims_claim"),
            ]
        ),
        *(
            DatabaseObject("table", name, name, SEARCH_MIGRATION, "claims.E002", SEARCH)
            for name in ("claims_claim_search", "claims_speaker_search")
        ),
        *(
            DatabaseObject("trigger", name, table, SEARCH_MIGRATION, "claims.E002", SEARCH)
            for table, names in SQLITE_SEARCH_TRIGGERS.items()
            for name in names
        ),
        DatabaseObject(
            "table",
            "sources_source_search",
            "sources_source_search",
            SOURCES_SEARCH_MIGRATION,
            "claims.E002",
            SOURCES_SEARCH,
        ),
        *(
            DatabaseObject(
                "trigger",
                f"sources_source_search_{suffix}",
                "sources_source",
                SOURCES_SEARCH_MIGRATION,
                "claims.E002",
                SOURCES_SEARCH,
            )
            for suffix in ("ai", "au", "ad")
        ),
        *_ordering_indexes(),
    ],
    "postgresql": [
        *(
            DatabaseObject(kind, name, table, VERDICT_MIGRATION, "claims.E001", VERDICT)
            for kind, name, table in [
                ("function", "claims_claim_verdict", ""),
                ("function", "claims_review_verdict", ""),
                ("trigger", "claims_claim_verdict", "claims_claim"),
                ("trigger", "claims_review_verdict", "claims_review"),
            ]
        ),
        *(
            DatabaseObject(kind, name, table, SEARCH_MIGRATION, "claims.E002", SEARCH)
            for kind, name, table in [
                ("function", "claims_search_config", ""),
                ("function", "claims_search_term", ""),
                ("function", "claims_claim_search_vector", ""),
                ("function", "claims_claim_search", ""),
                ("function", "claims_claim_search_refresh", ""),
                ("function", "claims_speaker_claim_search", ""),
                ("trigger", "claims_claim_search", "claims_claim"),
                ("trigger", "claims_appearance_claim_search", "claims_appearance"),
                ("trigger", "claims_rebuttal_claim_search", "claims_rebuttal"),
                ("trigger", "claims_speaker_claim_search", "claims_speaker"),
                ("index", "claims_claim_search_vector", "claims_claim"),
                ("index", "claims_speaker_search_vector", "claims_speaker"),
            ]
        ),
        DatabaseObject(
            "index",
            "sources_source_search_vector",
            "sources_source",
            SOURCES_SEARCH_MIGRATION,
            "claims.E002",
            SOURCES_SEARCH,
        ),
        *_ordering_indexes(),
    ],
}

# (kind, name, table) -> usable: every object of those kinds in the current schema.
SQLITE_CATALOGUE = """
    SELECT type, name, tbl_name, 1 FROM sqlite_master WHERE type IN ('table', 'trigger', 'index')
"""
POSTGRESQL_CATALOGUE = """
    SELECT 'trigger', t.tgname, c.relname, t.tgenabled <> 'D'
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE NOT t.tgisinternal AND t.tgname = ANY(%(names)s) AND pg_table_is_visible(c.oid)
    UNION ALL
    SELECT 'index', i.relname, c.relname, x.indisvalid
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
     WHERE i.relname = ANY(%(names)s) AND pg_table_is_visible(i.oid)
    UNION ALL
    SELECT 'function', p.proname, '', true FROM pg_proc p
     WHERE p.proname = ANY(%(names)s) AND pg_function_is_visible(p.oid)
    UNION ALL
    SELECT 'extension', e.extname, '', true FROM pg_extension e WHERE e.extname = ANY(%(names)s)
"""
UNUSABLE = {"trigger": "disabled", "index": "invalid"}

# Operations after which SQLite's schema editor may rebuild the table.
REBUILDING = (
    operations.AddField,
    operations.AlterField,
    operations.RemoveField,
    operations.RenameField,
    operations.AddConstraint,
    operations.RemoveConstraint,
)


def may_rebuild(operation) -> bool:
    """Whether SQLite's schema editor may rebuild the table for `operation`: it adds a
    nullable column without a default, not unique, in place (ALTER TABLE ADD COLUMN)."""
    if isinstance(operation, operations.AddField):
        field = operation.field
        in_place = field.null and not (field.has_default() or field.unique or field.primary_key)
        return not in_place or field.db_default is not models.NOT_PROVIDED
    return isinstance(operation, REBUILDING)


@register(Tags.database)
def database_objects_check(app_configs=None, databases=None, **kwargs):
    messages = []
    for alias in databases or []:
        connection = connections[alias]
        required = REQUIRED.get(connection.vendor)
        if not required:
            continue
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            continue  # migrate has work to do: the objects are checked once it is done
        found = catalogue(connection, required)
        for needed in required:
            key = (needed.kind, needed.name, needed.table or "")
            if found.get(key):
                continue
            state = "missing" if key not in found else UNUSABLE[needed.kind]
            messages.append(message(needed, state, alias, connection.vendor, executor.loader))
    return messages


def catalogue(connection, required: list[DatabaseObject]) -> dict[tuple[str, str, str], bool]:
    """(kind, name, table) -> usable, for the database objects of the kinds we rely on."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(SQLITE_CATALOGUE)
        else:
            cursor.execute(POSTGRESQL_CATALOGUE, {"names": sorted({o.name for o in required})})
        return {(kind, name, table): bool(usable) for kind, name, table, usable in cursor}


def message(needed: DatabaseObject, state: str, alias: str, vendor: str, loader):
    app, name = needed.migration
    cause = ""
    if vendor == "sqlite" and needed.table and needed.kind != "table":
        changed = tables_changed_after(loader, needed.migration, needed.table)
        cause = (
            f' On SQLite, a migration that rebuilds {needed.table} (Django\'s "remake table") '
            f"drops its triggers and indexes, and must run {name}'s SQL for them again"
            + (
                f"; later migrations that changed {needed.table}: {', '.join(changed)}"
                if changed
                else ""
            )
            + "."
        )
    database = "" if alias == "default" else f" --database {alias}"
    klass = Error if needed.id.startswith("claims.E") else Warning
    return klass(
        f"The {needed.describe()} is {state}.",
        hint=(
            f"{needed.job}. Migration {app}.{name} installs it.{cause} "
            f"To install it again: `manage.py reinstall_database_objects{database}`."
        ),
        obj=f"database '{alias}'",
        id=needed.id,
    )


def tables_changed_after(loader, installer: tuple[str, str], table: str) -> list[str]:
    """The migrations applied after `installer` that altered `table` in a way that may rebuild
    it on SQLite (fields or constraints), oldest first."""
    later = [key for key in reversed(loader.graph.backwards_plan(installer)) if key != installer]
    return [
        f"{app}.{name}"
        for app, name in later
        if any(
            may_rebuild(op) and f"{app}_{op.model_name_lower}" == table
            for op in loader.graph.nodes[(app, name)].operations
        )
    ]

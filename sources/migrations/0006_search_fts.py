"""Full-text search for sources' `q` (title and excerpt), in web-search syntax.

- SQLite: the FTS5 table `sources_source_search` (rowid = the source's id; unicode61, case
  folded in every script, diacritics kept), written by the triggers `sources_source_search_ai`,
  `_au` and `_ad`;
- PostgreSQL: `sources_source.search_vector`, generated from title and excerpt ('simple'
  configuration), under the GIN index `sources_source_search_vector`.

The SQL is frozen here. A later migration that rebuilds sources_source on SQLite (Django's
"remake table") drops its triggers and must run SQLITE_SEARCH again; claims/checks.py reports
them missing.
"""

from django.db import NotSupportedError, migrations

ROW = (
    "INSERT INTO sources_source_search(rowid, title, excerpt) "
    "VALUES (NEW.id, NEW.title, NEW.excerpt)"
)
SQLITE_SEARCH = [
    "DROP TRIGGER IF EXISTS sources_source_search_ai",
    "DROP TRIGGER IF EXISTS sources_source_search_au",
    "DROP TRIGGER IF EXISTS sources_source_search_ad",
    "DROP TABLE IF EXISTS sources_source_search",
    "CREATE VIRTUAL TABLE sources_source_search USING fts5(title, excerpt, "
    "tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER sources_source_search_ai AFTER INSERT ON sources_source BEGIN {ROW}; END",
    "CREATE TRIGGER sources_source_search_au AFTER UPDATE OF title, excerpt ON sources_source "
    "BEGIN DELETE FROM sources_source_search WHERE rowid = OLD.id; " + ROW + "; END",
    "CREATE TRIGGER sources_source_search_ad AFTER DELETE ON sources_source BEGIN "
    "DELETE FROM sources_source_search WHERE rowid = OLD.id; END",
    "INSERT INTO sources_source_search(rowid, title, excerpt) "
    "SELECT id, title, excerpt FROM sources_source",
]
SQLITE_SEARCH_DROP = [
    "DROP TRIGGER IF EXISTS sources_source_search_ai",
    "DROP TRIGGER IF EXISTS sources_source_search_au",
    "DROP TRIGGER IF EXISTS sources_source_search_ad",
    "DROP TABLE IF EXISTS sources_source_search",
]
POSTGRESQL_SEARCH = [
    "ALTER TABLE sources_source ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title || ' ' || excerpt)) STORED",
    "CREATE INDEX IF NOT EXISTS sources_source_search_vector ON sources_source "
    "USING gin (search_vector)",
]
POSTGRESQL_SEARCH_DROP = [
    "DROP INDEX IF EXISTS sources_source_search_vector",
    "ALTER TABLE sources_source DROP COLUMN IF EXISTS search_vector",
]
INSTALL = {"sqlite": SQLITE_SEARCH, "postgresql": POSTGRESQL_SEARCH}
UNINSTALL = {"sqlite": SQLITE_SEARCH_DROP, "postgresql": POSTGRESQL_SEARCH_DROP}


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in INSTALL:
        raise NotSupportedError(f"Full-text search exists for SQLite and PostgreSQL, not {vendor}.")
    with schema_editor.connection.cursor() as cursor:
        for sql in INSTALL[vendor]:
            cursor.execute(sql)


def backward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for sql in UNINSTALL[schema_editor.connection.vendor]:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("sources", "0005_published_on_not_in_future")]

    operations = [migrations.RunPython(forward, backward)]

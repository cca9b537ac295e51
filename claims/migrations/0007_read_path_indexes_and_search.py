"""Indexes for the fast read path and for `q`, per engine, outside the models' Meta.

Ordering indexes: the API orders claims by `stated_on` DESC NULLS LAST, then `id` DESC, and
picks the verdict by `published_on` DESC NULLS LAST, then `id` DESC. SQLite sorts NULLs first,
so its plain DESC index already puts them last, but it cannot declare NULLS LAST in an index;
PostgreSQL needs it declared. Django's Index cannot say both, hence SQL per engine. `status`
sits right after the equality columns, so visibility filters stay index-only.

Search indexes, so that `q` (a case-insensitive substring of a claim's text, of one of its
quotes or of its speaker's name) does not scan every row:

- SQLite: an FTS5 table with the trigram tokenizer per searched column (`<table>_fts`, external
  content), kept in step with its table by three triggers (`<table>_fts_ai`, `_ad`, `_au`), then
  rebuilt from the rows;
- PostgreSQL: pg_trgm GIN indexes on the very expressions `icontains` compares,
  `UPPER(col::text)` (`<table>_<column>_trgm`).

The SQL is frozen here, as it ran when this migration landed: later changes to the search code
do not change what this migration did. A migration that rebuilds one of the searched tables on
SQLite (Django's "remake table") drops its triggers and must run their SQL again; the system
check in claims/checks.py reports any of these objects that is missing.
"""

from django.db import NotSupportedError, migrations

SQLITE_INDEXES = [
    "CREATE INDEX IF NOT EXISTS claims_claim_speaker_status_stated "
    "ON claims_claim (speaker_id, status, stated_on DESC, id DESC)",
    "CREATE INDEX IF NOT EXISTS claims_claim_status_stated "
    "ON claims_claim (status, stated_on DESC, id DESC)",
    # With the rating: a claim's verdict is read from the index alone.
    "CREATE INDEX IF NOT EXISTS claims_review_verdict "
    "ON claims_review (claim_id, status, published_on DESC, id DESC, rating)",
]
POSTGRESQL_INDEXES = [
    "CREATE INDEX IF NOT EXISTS claims_claim_speaker_status_stated "
    "ON claims_claim (speaker_id, status, stated_on DESC NULLS LAST, id DESC)",
    "CREATE INDEX IF NOT EXISTS claims_claim_status_stated "
    "ON claims_claim (status, stated_on DESC NULLS LAST, id DESC)",
    "CREATE INDEX IF NOT EXISTS claims_review_verdict "
    "ON claims_review (claim_id, status, published_on DESC NULLS LAST, id DESC, rating)",
]
DROP_INDEXES = [
    "DROP INDEX IF EXISTS claims_claim_speaker_status_stated",
    "DROP INDEX IF EXISTS claims_claim_status_stated",
    "DROP INDEX IF EXISTS claims_review_verdict",
]

SQLITE_SEARCH = [
    # claims_claim.text
    "CREATE VIRTUAL TABLE IF NOT EXISTS claims_claim_fts USING fts5(text, "
    "content='claims_claim', content_rowid='id', tokenize='trigram')",
    "DROP TRIGGER IF EXISTS claims_claim_fts_ai",
    "CREATE TRIGGER claims_claim_fts_ai AFTER INSERT ON claims_claim BEGIN "
    "INSERT INTO claims_claim_fts(rowid, text) VALUES (new.id, new.text); END",
    "DROP TRIGGER IF EXISTS claims_claim_fts_ad",
    "CREATE TRIGGER claims_claim_fts_ad AFTER DELETE ON claims_claim BEGIN "
    "INSERT INTO claims_claim_fts(claims_claim_fts, rowid, text) "
    "VALUES('delete', old.id, old.text); END",
    "DROP TRIGGER IF EXISTS claims_claim_fts_au",
    "CREATE TRIGGER claims_claim_fts_au AFTER UPDATE OF text ON claims_claim BEGIN "
    "INSERT INTO claims_claim_fts(claims_claim_fts, rowid, text) "
    "VALUES('delete', old.id, old.text); "
    "INSERT INTO claims_claim_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO claims_claim_fts(claims_claim_fts) VALUES('rebuild')",
    # claims_appearance.quote
    "CREATE VIRTUAL TABLE IF NOT EXISTS claims_appearance_fts USING fts5(quote, "
    "content='claims_appearance', content_rowid='id', tokenize='trigram')",
    "DROP TRIGGER IF EXISTS claims_appearance_fts_ai",
    "CREATE TRIGGER claims_appearance_fts_ai AFTER INSERT ON claims_appearance BEGIN "
    "INSERT INTO claims_appearance_fts(rowid, quote) VALUES (new.id, new.quote); END",
    "DROP TRIGGER IF EXISTS claims_appearance_fts_ad",
    "CREATE TRIGGER claims_appearance_fts_ad AFTER DELETE ON claims_appearance BEGIN "
    "INSERT INTO claims_appearance_fts(claims_appearance_fts, rowid, quote) "
    "VALUES('delete', old.id, old.quote); END",
    "DROP TRIGGER IF EXISTS claims_appearance_fts_au",
    "CREATE TRIGGER claims_appearance_fts_au AFTER UPDATE OF quote ON claims_appearance BEGIN "
    "INSERT INTO claims_appearance_fts(claims_appearance_fts, rowid, quote) "
    "VALUES('delete', old.id, old.quote); "
    "INSERT INTO claims_appearance_fts(rowid, quote) VALUES (new.id, new.quote); END",
    "INSERT INTO claims_appearance_fts(claims_appearance_fts) VALUES('rebuild')",
    # claims_speaker.name
    "CREATE VIRTUAL TABLE IF NOT EXISTS claims_speaker_fts USING fts5(name, "
    "content='claims_speaker', content_rowid='id', tokenize='trigram')",
    "DROP TRIGGER IF EXISTS claims_speaker_fts_ai",
    "CREATE TRIGGER claims_speaker_fts_ai AFTER INSERT ON claims_speaker BEGIN "
    "INSERT INTO claims_speaker_fts(rowid, name) VALUES (new.id, new.name); END",
    "DROP TRIGGER IF EXISTS claims_speaker_fts_ad",
    "CREATE TRIGGER claims_speaker_fts_ad AFTER DELETE ON claims_speaker BEGIN "
    "INSERT INTO claims_speaker_fts(claims_speaker_fts, rowid, name) "
    "VALUES('delete', old.id, old.name); END",
    "DROP TRIGGER IF EXISTS claims_speaker_fts_au",
    "CREATE TRIGGER claims_speaker_fts_au AFTER UPDATE OF name ON claims_speaker BEGIN "
    "INSERT INTO claims_speaker_fts(claims_speaker_fts, rowid, name) "
    "VALUES('delete', old.id, old.name); "
    "INSERT INTO claims_speaker_fts(rowid, name) VALUES (new.id, new.name); END",
    "INSERT INTO claims_speaker_fts(claims_speaker_fts) VALUES('rebuild')",
]
SQLITE_SEARCH_DROP = [
    "DROP TRIGGER IF EXISTS claims_claim_fts_ai",
    "DROP TRIGGER IF EXISTS claims_claim_fts_ad",
    "DROP TRIGGER IF EXISTS claims_claim_fts_au",
    "DROP TABLE IF EXISTS claims_claim_fts",
    "DROP TRIGGER IF EXISTS claims_appearance_fts_ai",
    "DROP TRIGGER IF EXISTS claims_appearance_fts_ad",
    "DROP TRIGGER IF EXISTS claims_appearance_fts_au",
    "DROP TABLE IF EXISTS claims_appearance_fts",
    "DROP TRIGGER IF EXISTS claims_speaker_fts_ai",
    "DROP TRIGGER IF EXISTS claims_speaker_fts_ad",
    "DROP TRIGGER IF EXISTS claims_speaker_fts_au",
    "DROP TABLE IF EXISTS claims_speaker_fts",
]

POSTGRESQL_SEARCH = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS claims_claim_text_trgm "
    "ON claims_claim USING gin ((UPPER(text::text)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS claims_appearance_quote_trgm "
    "ON claims_appearance USING gin ((UPPER(quote::text)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS claims_speaker_name_trgm "
    "ON claims_speaker USING gin ((UPPER(name::text)) gin_trgm_ops)",
]
POSTGRESQL_SEARCH_DROP = [
    "DROP INDEX IF EXISTS claims_claim_text_trgm",
    "DROP INDEX IF EXISTS claims_appearance_quote_trgm",
    "DROP INDEX IF EXISTS claims_speaker_name_trgm",
]

# Statements per engine, in order.
INSTALL = {
    "sqlite": [*SQLITE_INDEXES, *SQLITE_SEARCH, "ANALYZE"],
    "postgresql": [*POSTGRESQL_INDEXES, *POSTGRESQL_SEARCH],
}
UNINSTALL = {
    "sqlite": [*DROP_INDEXES, *SQLITE_SEARCH_DROP],
    "postgresql": [*DROP_INDEXES, *POSTGRESQL_SEARCH_DROP],
}


def run(statements, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in INSTALL:
        raise NotSupportedError(f"The read path's indexes exist for SQLite and PostgreSQL, not {vendor}.")
    run(INSTALL[vendor], schema_editor)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    run(UNINSTALL[vendor], schema_editor)


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_text_length_limits")]

    operations = [migrations.RunPython(forward, backward)]

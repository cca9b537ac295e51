"""Indexes for the fast read path (issue 5), per engine, outside the models' Meta.

Ordering indexes: the API orders claims by `stated_on` DESC NULLS LAST, then `id` DESC, and
picks the verdict by `published_on` DESC NULLS LAST, then `id` DESC. SQLite sorts NULLs first,
so its plain DESC index already puts them last, but it cannot declare NULLS LAST in an index;
PostgreSQL needs it declared. Django's Index cannot say both, hence SQL per engine. `status`
sits right after the equality columns, so visibility filters stay index-only.

Search indexes: see claims/search.py.
"""

from django.db import migrations

from claims import search

INDEXES = {
    "claims_claim_speaker_status_stated": "claims_claim (speaker_id, status, stated_on {desc}, id DESC)",
    "claims_claim_status_stated": "claims_claim (status, stated_on {desc}, id DESC)",
    # With the rating: a claim's verdict is read from the index alone.
    "claims_review_verdict": "claims_review (claim_id, status, published_on {desc}, id DESC, rating)",
}
DESC = {"sqlite": "DESC", "postgresql": "DESC NULLS LAST"}


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        for name, definition in INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {definition.format(desc=DESC[vendor])}"
            )
        if vendor == "sqlite":
            search.install_sqlite_index(cursor)
        elif vendor == "postgresql":
            search.install_postgresql_index(cursor)
        if vendor == "sqlite":
            cursor.execute("ANALYZE")


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        if vendor == "sqlite":
            search.uninstall_sqlite_index(cursor)
        elif vendor == "postgresql":
            search.uninstall_postgresql_index(cursor)


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_text_length_limits")]

    operations = [migrations.RunPython(forward, backward)]

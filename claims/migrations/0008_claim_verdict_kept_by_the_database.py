"""`Claim.verdict`: stored in the row and kept by triggers (claims/verdicts.py), so that a
scorecard counts an index instead of looking up every claim's newest review."""

from django.conf import settings
from django.db import NotSupportedError, migrations, models

from claims import verdicts


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    install = {
        "sqlite": verdicts.install_sqlite_triggers,
        "postgresql": verdicts.install_postgresql_triggers,
    }
    if vendor not in install:
        raise NotSupportedError(
            f"Claim verdicts are kept by triggers on SQLite and PostgreSQL, not {vendor}."
        )
    with schema_editor.connection.cursor() as cursor:
        install[vendor](cursor)
        if vendor == "sqlite":
            cursor.execute("ANALYZE claims_claim")  # statistics for the new index


def backward(apps, schema_editor):
    uninstall = {
        "sqlite": verdicts.uninstall_sqlite_triggers,
        "postgresql": verdicts.uninstall_postgresql_triggers,
    }[schema_editor.connection.vendor]
    with schema_editor.connection.cursor() as cursor:
        uninstall(cursor)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_read_path_indexes_and_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="verdict",
            field=models.CharField(
                blank=True,
                choices=[
                    ("true", "True"),
                    ("mostly_true", "Mostly true"),
                    ("mixed", "Mixed"),
                    ("mostly_false", "Mostly false"),
                    ("false", "False"),
                    ("unproven", "Unproven"),
                    ("misleading", "Misleading"),
                ],
                editable=False,
                help_text="Rating of the newest published review; the database keeps it (verdicts.py).",
                max_length=20,
                null=True,
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["speaker", "status", "verdict"], name="claim_scorecard_idx"),
        ),
        migrations.RunPython(forward, backward),
    ]

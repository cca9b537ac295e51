"""Claim.fingerprint for claim matching's exact repeats: a nullable column (SQLite adds it in
place, keeping the verdict triggers), filled for the rows already there, then indexed.

The folding is frozen here as it was when this migration landed; claims.fingerprint is the
live rule, which the field applies on every later write."""

import hashlib
import unicodedata

from django.db import migrations, models

BATCH = 2000


def fingerprint(text):
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("P"))
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def fill(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    rows = Claim.objects.using(schema_editor.connection.alias)
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last).order_by("pk").only("pk", "text")[:BATCH])
        if not batch:
            return
        for claim in batch:
            claim.fingerprint = fingerprint(claim.text)
        # bulk_update, not save(): the row's version and updated_at stay as they were.
        rows.bulk_update(batch, ["fingerprint"])
        last = batch[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ("claims", "0012_workflow_rebuttal_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="fingerprint",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="SHA-256 of the text with case, punctuation and forms folded.",
                max_length=64,
                null=True,
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["fingerprint"], name="claim_fingerprint_idx"),
        ),
    ]

"""`Claim.verdict`: stored in the row and kept by triggers, so that a scorecard counts an index
instead of looking up every claim's newest review.

A claim's verdict is the rating of its newest published review (newest `published_on` first,
undated last, then the highest id), or NULL. The triggers keep it whatever writes:

- a review inserted, deleted, or updated in its claim, status, rating or date recomputes the
  verdict of the claims concerned;
- a claim written with any other verdict than the computed one is corrected.

On PostgreSQL a review's trigger touches the claim's row (locking it) and the claim's own
BEFORE trigger computes the verdict in a fresh snapshot (a VOLATILE function), so two
transactions adding reviews to one claim at once leave the newest review's rating.

The SQL is frozen here, as it ran when this migration landed. A migration that rebuilds
`claims_claim` or `claims_review` on SQLite (Django's "remake table") drops their triggers and
must run SQLITE_TRIGGERS again; the system check in claims/checks.py reports a missing trigger.
"""

from django.conf import settings
from django.db import NotSupportedError, migrations, models

# The newest published review's rating, for the claim whose id is NEW.claim_id / OLD.claim_id /
# NEW.id / claims_claim.id: written out in full in every statement below.
SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS claims_review_verdict_ai",
    "CREATE TRIGGER claims_review_verdict_ai AFTER INSERT ON claims_review BEGIN "
    "UPDATE claims_claim SET verdict = (SELECT r.rating FROM claims_review r "
    "WHERE r.claim_id = NEW.claim_id AND r.status = 'published' "
    "ORDER BY r.published_on DESC NULLS LAST, r.id DESC LIMIT 1) WHERE id = NEW.claim_id; END",
    "DROP TRIGGER IF EXISTS claims_review_verdict_ad",
    "CREATE TRIGGER claims_review_verdict_ad AFTER DELETE ON claims_review BEGIN "
    "UPDATE claims_claim SET verdict = (SELECT r.rating FROM claims_review r "
    "WHERE r.claim_id = OLD.claim_id AND r.status = 'published' "
    "ORDER BY r.published_on DESC NULLS LAST, r.id DESC LIMIT 1) WHERE id = OLD.claim_id; END",
    "DROP TRIGGER IF EXISTS claims_review_verdict_au",
    "CREATE TRIGGER claims_review_verdict_au "
    "AFTER UPDATE OF claim_id, status, rating, published_on ON claims_review BEGIN "
    "UPDATE claims_claim SET verdict = (SELECT r.rating FROM claims_review r "
    "WHERE r.claim_id = OLD.claim_id AND r.status = 'published' "
    "ORDER BY r.published_on DESC NULLS LAST, r.id DESC LIMIT 1) WHERE id = OLD.claim_id; "
    "UPDATE claims_claim SET verdict = (SELECT r.rating FROM claims_review r "
    "WHERE r.claim_id = NEW.claim_id AND r.status = 'published' "
    "ORDER BY r.published_on DESC NULLS LAST, r.id DESC LIMIT 1) WHERE id = NEW.claim_id; END",
    # SQLite's recursive_triggers is off: the correcting UPDATE does not fire these again.
    "DROP TRIGGER IF EXISTS claims_claim_verdict_ai",
    "CREATE TRIGGER claims_claim_verdict_ai AFTER INSERT ON claims_claim "
    "WHEN NEW.verdict IS NOT (SELECT r.rating FROM claims_review r "
    "WHERE r.claim_id = NEW.id AND r.status = 'published' "
    "ORDER BY r.published_on DESC NULLS LAST, r.id DESC LIMIT 1) BEGIN "
    "UPDATE claims_claim SET verdict = (SELECT r.rating FROM claims_review r "
    "WHERE r.claim_id = NEW.id AND r.status = 'published' "
    "ORDER BY r.published_on DESC NULLS LAST, r.id DESC LIMIT 1) WHERE id = NEW.id; END",
    "DROP TRIGGER IF EXISTS claims_claim_verdict_au",
    "CREATE TRIGGER claims_claim_verdict_au AFTER UPDATE OF verdict ON claims_claim "
    "WHEN NEW.verdict IS NOT (SELECT r.rating FROM claims_review r "
    "WHERE r.claim_id = NEW.id AND r.status = 'published' "
    "ORDER BY r.published_on DESC NULLS LAST, r.id DESC LIMIT 1) BEGIN "
    "UPDATE claims_claim SET verdict = (SELECT r.rating FROM claims_review r "
    "WHERE r.claim_id = NEW.id AND r.status = 'published' "
    "ORDER BY r.published_on DESC NULLS LAST, r.id DESC LIMIT 1) WHERE id = NEW.id; END",
]
SQLITE_INSTALL = [
    *SQLITE_TRIGGERS,
    # Every claim's verdict, computed once.
    "UPDATE claims_claim SET verdict = (SELECT r.rating FROM claims_review r "
    "WHERE r.claim_id = claims_claim.id AND r.status = 'published' "
    "ORDER BY r.published_on DESC NULLS LAST, r.id DESC LIMIT 1)",
    "ANALYZE claims_claim",  # statistics for the new index
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS claims_review_verdict_ai",
    "DROP TRIGGER IF EXISTS claims_review_verdict_ad",
    "DROP TRIGGER IF EXISTS claims_review_verdict_au",
    "DROP TRIGGER IF EXISTS claims_claim_verdict_ai",
    "DROP TRIGGER IF EXISTS claims_claim_verdict_au",
]

POSTGRESQL_INSTALL = [
    # BEFORE INSERT OR UPDATE of a claim: whatever was written, the computed verdict is stored.
    # A VOLATILE function's query takes a fresh snapshot: it sees reviews committed by a
    # transaction that held the row's lock a moment ago.
    "CREATE OR REPLACE FUNCTION claims_claim_verdict() RETURNS trigger LANGUAGE plpgsql "
    "VOLATILE AS $$ \n"
    "        BEGIN\n"
    "            NEW.verdict := (SELECT r.rating FROM claims_review r WHERE r.claim_id = NEW.id "
    "AND r.status = 'published' ORDER BY r.published_on DESC NULLS LAST, r.id DESC LIMIT 1);\n"
    "            RETURN NEW;\n"
    "        END $$",
    # AFTER a review's change: touch the claims concerned, whose trigger recomputes them.
    "CREATE OR REPLACE FUNCTION claims_review_verdict() RETURNS trigger LANGUAGE plpgsql "
    "VOLATILE AS $$ \n"
    "        BEGIN\n"
    "            IF TG_OP <> 'INSERT' THEN\n"
    "                UPDATE claims_claim SET verdict = NULL WHERE id = OLD.claim_id;\n"
    "            END IF;\n"
    "            IF TG_OP <> 'DELETE' THEN\n"
    "                UPDATE claims_claim SET verdict = NULL WHERE id = NEW.claim_id;\n"
    "            END IF;\n"
    "            RETURN NULL;\n"
    "        END $$",
    "DROP TRIGGER IF EXISTS claims_claim_verdict ON claims_claim",
    "CREATE TRIGGER claims_claim_verdict BEFORE INSERT OR UPDATE ON claims_claim "
    "FOR EACH ROW EXECUTE FUNCTION claims_claim_verdict()",
    "DROP TRIGGER IF EXISTS claims_review_verdict ON claims_review",
    "CREATE TRIGGER claims_review_verdict "
    "AFTER INSERT OR DELETE OR UPDATE OF claim_id, status, rating, published_on ON claims_review "
    "FOR EACH ROW EXECUTE FUNCTION claims_review_verdict()",
    "UPDATE claims_claim SET verdict = NULL",  # the trigger computes each
]
POSTGRESQL_UNINSTALL = [
    "DROP TRIGGER IF EXISTS claims_claim_verdict ON claims_claim",
    "DROP TRIGGER IF EXISTS claims_review_verdict ON claims_review",
    "DROP FUNCTION IF EXISTS claims_claim_verdict()",
    "DROP FUNCTION IF EXISTS claims_review_verdict()",
]

INSTALL = {"sqlite": SQLITE_INSTALL, "postgresql": POSTGRESQL_INSTALL}
UNINSTALL = {"sqlite": SQLITE_UNINSTALL, "postgresql": POSTGRESQL_UNINSTALL}


def run(statements, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in INSTALL:
        raise NotSupportedError(
            f"Claim verdicts are kept by triggers on SQLite and PostgreSQL, not {vendor}."
        )
    run(INSTALL[vendor], schema_editor)


def backward(apps, schema_editor):
    run(UNINSTALL[schema_editor.connection.vendor], schema_editor)


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

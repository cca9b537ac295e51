"""`Claim.verdict`, kept in the claim's row by the database.

A claim's verdict is the rating of its newest published review (newest `published_on` first,
undated last, then the highest id), or NULL. Stored in the row, a speaker's scorecard is a
count over an index and `?verdict=` a plain filter, instead of one review lookup per claim.

Triggers keep it, so no write path can forget it (the admin, the API, history reverts,
`bulk_create`, raw SQL):

- a review inserted, deleted, or updated in its claim, status, rating or date recomputes the
  verdict of the claims concerned;
- a claim written with any other verdict than the computed one is corrected, so saving a stale
  model instance cannot store a stale verdict.

On PostgreSQL a review's trigger locks the claim's row before the claim's own trigger computes
the verdict in a fresh snapshot, so two transactions adding reviews to one claim at once leave
the newest review's rating (READ COMMITTED, the default). SQLite runs one writer at a time.

A migration that rebuilds `claims_claim` or `claims_review` on SQLite (Django's "remake table")
drops their triggers: such a migration must call `install_sqlite_triggers` again
(tests/claims/test_verdicts.py notices).
"""

from .enums import ReviewStatus

PUBLISHED = ReviewStatus.PUBLISHED.value


def newest_rating(claim_id: str) -> str:
    """SQL: the verdict of the claim whose id is the SQL expression `claim_id`."""
    return (
        f"(SELECT r.rating FROM claims_review r WHERE r.claim_id = {claim_id} "
        f"AND r.status = '{PUBLISHED}' ORDER BY r.published_on DESC NULLS LAST, r.id DESC LIMIT 1)"
    )


def recompute(claim_id: str) -> str:
    return f"UPDATE claims_claim SET verdict = {newest_rating(claim_id)} WHERE id = {claim_id}"


# Review columns the verdict depends on.
REVIEW_COLUMNS = "claim_id, status, rating, published_on"

SQLITE_TRIGGERS = {
    "claims_review_verdict_ai": (
        f"AFTER INSERT ON claims_review BEGIN {recompute('NEW.claim_id')}; END"
    ),
    "claims_review_verdict_ad": (
        f"AFTER DELETE ON claims_review BEGIN {recompute('OLD.claim_id')}; END"
    ),
    "claims_review_verdict_au": (
        f"AFTER UPDATE OF {REVIEW_COLUMNS} ON claims_review "
        f"BEGIN {recompute('OLD.claim_id')}; {recompute('NEW.claim_id')}; END"
    ),
    # SQLite's recursive_triggers is off: the correcting UPDATE does not fire these again.
    "claims_claim_verdict_ai": (
        f"AFTER INSERT ON claims_claim WHEN NEW.verdict IS NOT {newest_rating('NEW.id')} "
        f"BEGIN {recompute('NEW.id')}; END"
    ),
    "claims_claim_verdict_au": (
        f"AFTER UPDATE OF verdict ON claims_claim WHEN NEW.verdict IS NOT "
        f"{newest_rating('NEW.id')} BEGIN {recompute('NEW.id')}; END"
    ),
}


def install_sqlite_triggers(cursor) -> None:
    """Create (or re-create) the triggers and compute every claim's verdict."""
    for name, body in SQLITE_TRIGGERS.items():
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"CREATE TRIGGER {name} {body}")
    cursor.execute(f"UPDATE claims_claim SET verdict = {newest_rating('claims_claim.id')}")


def uninstall_sqlite_triggers(cursor) -> None:
    for name in SQLITE_TRIGGERS:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


POSTGRESQL_FUNCTIONS = {
    # BEFORE INSERT OR UPDATE of a claim: whatever was written, the computed verdict is stored.
    # A VOLATILE function's query takes a fresh snapshot: it sees reviews committed by a
    # transaction that held the row's lock a moment ago.
    "claims_claim_verdict": f"""
        BEGIN
            NEW.verdict := {newest_rating("NEW.id")};
            RETURN NEW;
        END""",
    # AFTER a review's change: touch the claims concerned, whose trigger recomputes them.
    "claims_review_verdict": """
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                UPDATE claims_claim SET verdict = NULL WHERE id = OLD.claim_id;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                UPDATE claims_claim SET verdict = NULL WHERE id = NEW.claim_id;
            END IF;
            RETURN NULL;
        END""",
}
POSTGRESQL_TRIGGERS = {
    "claims_claim_verdict": "BEFORE INSERT OR UPDATE ON claims_claim",
    "claims_review_verdict": (
        f"AFTER INSERT OR DELETE OR UPDATE OF {REVIEW_COLUMNS} ON claims_review"
    ),
}


def install_postgresql_triggers(cursor) -> None:
    for name, body in POSTGRESQL_FUNCTIONS.items():
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
            f"VOLATILE AS $$ {body} $$"
        )
    for name, when in POSTGRESQL_TRIGGERS.items():
        table = when.rsplit(" ON ", 1)[1]
        cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        cursor.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW EXECUTE FUNCTION {name}()")
    cursor.execute("UPDATE claims_claim SET verdict = NULL")  # the trigger computes each


def uninstall_postgresql_triggers(cursor) -> None:
    for name, when in POSTGRESQL_TRIGGERS.items():
        cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {when.rsplit(' ON ', 1)[1]}")
    for name in POSTGRESQL_FUNCTIONS:
        cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")

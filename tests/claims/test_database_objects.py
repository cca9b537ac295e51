"""The database check (claims/checks.py) notices a missing trigger, search table or index, and
`reinstall_database_objects` puts it back; before migrations are applied it stays silent."""

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from claims.checks import database_objects_check

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]
VERDICT = "claims.0008_claim_verdict_kept_by_the_database"
SEARCH = "claims.0012_search_fts"
SOURCES_SEARCH = "sources.0006_search_fts"

# (SQL that loses objects, the messages the check then gives: (id, text)), per engine.
CASES = {
    "sqlite": [
        (
            "DROP TRIGGER claims_review_verdict_au",
            [("claims.E001", "The trigger claims_review_verdict_au on claims_review is missing.")],
        ),
        (
            "DROP TRIGGER claims_claim_verdict_ai",
            [("claims.E001", "The trigger claims_claim_verdict_ai on claims_claim is missing.")],
        ),
        (
            "DROP TRIGGER claims_appearance_search_ai",
            [
                (
                    "claims.E002",
                    "The trigger claims_appearance_search_ai on claims_appearance is missing.",
                )
            ],
        ),
        (
            "DROP TABLE claims_claim_search",
            [("claims.E002", "The table claims_claim_search is missing.")],
        ),
        (
            "DROP INDEX claims_claim_status_stated",
            [("claims.W001", "The index claims_claim_status_stated on claims_claim is missing.")],
        ),
    ],
    "postgresql": [
        (
            "DROP TRIGGER claims_review_verdict ON claims_review",
            [("claims.E001", "The trigger claims_review_verdict on claims_review is missing.")],
        ),
        (
            "ALTER TABLE claims_claim DISABLE TRIGGER claims_claim_verdict",
            [("claims.E001", "The trigger claims_claim_verdict on claims_claim is disabled.")],
        ),
        (
            "DROP FUNCTION claims_claim_verdict() CASCADE",  # and the trigger that calls it
            [
                ("claims.E001", "The function claims_claim_verdict is missing."),
                ("claims.E001", "The trigger claims_claim_verdict on claims_claim is missing."),
            ],
        ),
        (
            "DROP TRIGGER claims_appearance_claim_search ON claims_appearance",
            [
                (
                    "claims.E002",
                    "The trigger claims_appearance_claim_search on claims_appearance is missing.",
                )
            ],
        ),
        (
            "DROP FUNCTION claims_search_term(text)",
            [("claims.E002", "The function claims_search_term is missing.")],
        ),
        (
            "DROP INDEX claims_claim_search_vector",
            [("claims.E002", "The index claims_claim_search_vector on claims_claim is missing.")],
        ),
        (
            "DROP INDEX claims_review_verdict",
            [("claims.W001", "The index claims_review_verdict on claims_review is missing.")],
        ),
    ],
}


def run_check():
    return database_objects_check(databases=["default"])


def execute(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)


def test_the_check_passes_on_a_migrated_database():
    assert run_check() == []
    call_command("check", "--database", "default")  # raises SystemCheckError on any error


@pytest.mark.parametrize(("drop", "expected"), CASES[connection.vendor])
def test_the_check_names_each_lost_object(drop, expected):
    execute(drop)  # rolled back with the test's transaction
    messages = run_check()
    assert [(m.id, m.msg) for m in messages] == expected
    assert {m.obj for m in messages} == {"database 'default'"}
    for message in messages:
        installer = VERDICT if message.id == "claims.E001" else SEARCH
        assert f"Migration {installer} installs it." in message.hint
        assert message.hint.endswith("To install it again: `manage.py reinstall_database_objects`.")
        assert message.is_serious() == message.id.startswith("claims.E")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite rebuilds tables")
def test_on_sqlite_the_hint_names_the_migrations_that_may_have_rebuilt_the_table():
    execute("DROP TRIGGER claims_claim_verdict_au")
    [message] = run_check()
    assert (
        'On SQLite, a migration that rebuilds claims_claim (Django\'s "remake table") drops its '
        "triggers and indexes, and must run 0008_claim_verdict_kept_by_the_database's SQL for "
        "them again; later migrations that changed claims_claim: claims.0009_dates_not_in_future"
    ) in message.hint  # then any later one (claims.0012_matching_fingerprint adds a column)


def test_the_check_waits_while_migrations_are_pending():
    """With a migration not yet applied, `migrate` must run: the objects may rightly be missing
    (a fresh database) or be installed by the pending migration."""
    execute(CASES[connection.vendor][0][0])
    [leaf] = MigrationLoader(connection).graph.leaf_nodes("claims")
    MigrationRecorder(connection).record_unapplied(*leaf)
    assert run_check() == []


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's schema editor cannot run inside the test's transaction: "
    "test_a_fresh_sqlite_database_migrates_then_reports_and_repairs runs the command",
)
def test_reinstall_puts_back_what_was_lost():
    for drop, _ in CASES["postgresql"]:
        execute(drop)
    assert run_check() != []
    call_command("reinstall_database_objects", stdout=io.StringIO())
    assert run_check() == []


def manage(database: Path, *args: str) -> subprocess.CompletedProcess:
    environment = os.environ | {
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "true",
        "SECRET_KEY": "tests-only-not-a-secret",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_fresh_sqlite_database_migrates_then_reports_and_repairs(tmp_path):
    database = tmp_path / "fresh.sqlite3"
    checked = manage(database, "check", "--database", "default")
    assert (checked.returncode, checked.stderr) == (0, "")  # no tables yet: nothing to report
    migrated = manage(database, "migrate", "--no-input", "-v0")  # runs the check first
    assert (migrated.returncode, migrated.stderr) == (0, "")
    with sqlite3.connect(database) as raw:
        raw.execute("DROP TRIGGER claims_review_verdict_ai")
    reported = manage(database, "check", "--database", "default")
    assert reported.returncode == 1
    assert (
        "database 'default': (claims.E001) The trigger claims_review_verdict_ai on claims_review "
        "is missing."
    ) in reported.stderr
    refused = manage(database, "migrate", "--no-input")
    assert refused.returncode == 1
    assert "claims_review_verdict_ai" in refused.stderr
    repaired = manage(database, "reinstall_database_objects")
    assert (repaired.returncode, repaired.stdout) == (
        0,
        f"Ran the SQL of migration {VERDICT} again.\nRan the SQL of migration {SEARCH} again.\n"
        f"Ran the SQL of migration {SOURCES_SEARCH} again.\n",
    )
    checked = manage(database, "check", "--database", "default")
    assert (checked.returncode, checked.stdout) == (
        0,
        "System check identified no issues (0 silenced).\n",
    )

"""Start-up configuration: each malformed environment value stops Django with a clear message."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection

CHECK = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DATABASES['default']['ENGINE'])"
)


def start(**env):
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    environ.update(DJANGO_SETTINGS_MODULE="factcheck.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DATABASE_URL": "nosuchdb://x/y"}, "DATABASE_URL is not a usable database URL"),
        ({"ALLOWED_HOSTS": "example.org,,"}, "ALLOWED_HOSTS='example.org,,' has an empty item"),
        ({"DEBUG": "false", "SECRET_KEY": ""}, "SECRET_KEY must be set when DEBUG is false."),
        ({"DATABASE_CONN_MAX_AGE": "ten"}, "DATABASE_CONN_MAX_AGE='ten' is not a whole number"),
        ({"SQLITE_CACHE_MB": "0"}, "SQLITE_CACHE_MB='0' is not a whole number of at least 1"),
        ({"SQLITE_CACHE_MB": "²"}, "SQLITE_CACHE_MB='²' is not a whole number of at least 1"),
        (
            {"DATABASE_STATEMENT_TIMEOUT": "5s"},
            "DATABASE_STATEMENT_TIMEOUT='5s' is not a number of seconds such as 5 or 0.5.",
        ),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL='LOUD' is not one of DEBUG, INFO, WARNING, ERROR"),
    ],
)
def test_malformed_setting_stops_start_up_with_a_clear_message(env, message):
    result = start(**{"SECRET_KEY": "s3cret", **env})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_sqlite_is_the_default_and_debug_needs_no_secret_key():
    result = start(DEBUG="true", SECRET_KEY="")
    assert (result.returncode, result.stdout.strip()) == (0, "django.db.backends.sqlite3")


def test_database_url_selects_postgresql():
    result = start(SECRET_KEY="s3cret", DATABASE_URL="postgres://postgres@127.0.0.1:5432/test")
    assert (result.returncode, result.stdout.strip()) == (0, "django.db.backends.postgresql")


def test_sqlite_page_cache_size_comes_from_the_environment(tmp_path):
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_CACHE_MB"}}
    environ.update(
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    read = (
        "import django; django.setup(); from django.db import connection; "
        "cursor = connection.cursor(); cursor.execute('PRAGMA cache_size'); "
        "print(cursor.fetchone()[0])"
    )
    for mb, expected in ((None, "-4096"), ("16", "-16384")):
        env = {**environ, **({"SQLITE_CACHE_MB": mb} if mb else {})}
        result = subprocess.run(
            [sys.executable, "-c", read], env=env, capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == expected


def test_manage_py_names_the_setting_instead_of_failing_later():
    environ = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    manage = Path(settings.BASE_DIR) / "manage.py"
    result = subprocess.run(
        [sys.executable, str(manage), "check"], env=environ, capture_output=True, text=True
    )
    assert (result.returncode, result.stderr.strip()) == (
        1,
        "Settings: SECRET_KEY must be set when DEBUG is false.",
    )


# A statement that runs for many seconds on either engine unless stopped.
ENDLESS = {
    "sqlite": (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
        "SELECT count(*) FROM (SELECT i FROM n LIMIT 1000000000)"
    ),
    "postgresql": "SELECT pg_sleep(30)",
}
RUN_ENDLESS = (
    "import django, sys, time; django.setup(); from django.db import connection; "
    "cursor = connection.cursor(); start = time.monotonic()\n"
    "try:\n"
    "    cursor.execute(sys.argv[1])\n"
    "except Exception as error:\n"
    "    print(type(error).__name__, str(error).splitlines()[0], sep=': ')\n"
    "print(round(time.monotonic() - start, 1))"
)


@pytest.mark.parametrize("seconds", ["0.3", "1"])
def test_a_statement_running_past_database_statement_timeout_is_stopped(db, tmp_path, seconds):
    """On the suite's engine, as `make serve` configures it: PostgreSQL's statement_timeout
    from the connection's options, SQLite's progress-handler guard (api.statement_timeout)."""
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_STATEMENT_TIMEOUT"}
    environ.update(DJANGO_SETTINGS_MODULE="factcheck.settings", DEBUG="true")
    environ["DATABASE_STATEMENT_TIMEOUT"] = seconds
    vendor = connection.vendor
    if vendor == "postgresql":  # the suite's test database, which exists
        url = urlsplit(environ["DATABASE_URL"])
        environ["DATABASE_URL"] = url._replace(path=f"/{connection.settings_dict['NAME']}").geturl()
    else:
        environ["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-c", RUN_ENDLESS, ENDLESS[vendor]],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    error, elapsed = result.stdout.splitlines() or [result.stderr, "-1"]
    message = {
        "sqlite": "OperationalError: interrupted",
        "postgresql": "OperationalError: canceling statement due to statement timeout",
    }
    assert error == message[vendor]
    # Stopped at the limit, give or take the machine's load.
    assert float(seconds) <= float(elapsed) < float(seconds) + 5

"""Start-up configuration: each malformed environment value stops Django with a clear message."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection

from factcheck import localenv
from factcheck.settings import env_database

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
        ({"EXACT_COUNT_LIMIT": "1e3"}, "EXACT_COUNT_LIMIT='1e3' is not a whole number"),
    ],
)
def test_malformed_setting_stops_start_up_with_a_clear_message(env, message):
    result = start(**{"SECRET_KEY": "s3cret", **env})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_sqlite_is_the_default_and_debug_needs_no_secret_key():
    result = start(DEBUG="true", SECRET_KEY="")
    # Django's SQLite backend, converting placeholders once per statement (api/sqlite3).
    assert (result.returncode, result.stdout.strip()) == (0, "api.sqlite3")


def test_sqlite_tests_run_in_memory_on_every_xdist_worker(monkeypatch):
    """pytest-django gives each xdist worker its own test database by suffixing the configured
    test name, and for a SQLite it does not recognise (our ENGINE) it would name one after the
    database's file; the settings name SQLite's test database `:memory:`, which it leaves."""
    from pytest_django.fixtures import _set_suffix_to_test_databases

    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env_database("DATABASE_URL", "sqlite:///db.sqlite3", statement_timeout=0)
    monkeypatch.setattr(settings, "DATABASES", {"default": config})
    _set_suffix_to_test_databases(suffix="gw1")
    assert (config["ENGINE"], config["TEST"]) == ("api.sqlite3", {"NAME": ":memory:"})


def test_database_url_selects_postgresql():
    result = start(SECRET_KEY="s3cret", DATABASE_URL="postgres://postgres@127.0.0.1:5432/test")
    assert (result.returncode, result.stdout.strip()) == (0, "django.db.backends.postgresql")


@pytest.mark.parametrize(("mb", "expected"), [(None, "-4096"), ("16", "-16384")])
def test_sqlite_page_cache_size_comes_from_the_environment(tmp_path, mb, expected):
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
    env = {**environ, **({"SQLITE_CACHE_MB": mb} if mb else {})}
    result = subprocess.run(
        [sys.executable, "-c", read], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == expected


def manage_py(tmp_path, environ, *args):
    """Run this checkout's manage.py as if it stood in `tmp_path`, where it looks for
    local.env: a copy of it there, the project on PYTHONPATH."""
    manage = tmp_path / "manage.py"
    manage.write_text((Path(settings.BASE_DIR) / "manage.py").read_text())
    environ = {**environ, "PYTHONPATH": str(settings.BASE_DIR)}
    return subprocess.run(
        [sys.executable, str(manage), *args],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


PRINT_SETTINGS = "from django.conf import settings as s; print(s.DEBUG, s.SECRET_KEY)"


def test_manage_py_names_the_setting_instead_of_failing_later(tmp_path):
    environ = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = manage_py(tmp_path, environ, "check")
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


def test_make_runs_local_env_gives_manage_py_debug_and_a_kept_secret_key(tmp_path):
    path = tmp_path / "local.env"
    assert localenv.write(path) is True
    first = path.read_text()
    assert localenv.write(path) is False  # kept: sessions signed with the key stay valid
    assert path.read_text() == first
    assert path.stat().st_mode & 0o777 == 0o600
    values = localenv.read(path)
    assert values["DEBUG"] == "true" and len(values["SECRET_KEY"]) >= 50

    environ = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = manage_py(tmp_path, environ, "shell", "-v", "0", "-c", PRINT_SETTINGS)
    assert (result.returncode, result.stdout.strip()) == (0, f"True {values['SECRET_KEY']}")


def test_production_ignores_local_env(tmp_path):
    localenv.write(tmp_path / "local.env")
    environ = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = manage_py(tmp_path, {**environ, "DEBUG": "false"}, "check")
    assert (result.returncode, result.stderr.strip()) == (
        1,
        "Settings: SECRET_KEY must be set when DEBUG is false.",
    )
    production = {**environ, "DEBUG": "false", "SECRET_KEY": "from-the-environment"}
    result = manage_py(tmp_path, production, "shell", "-v", "0", "-c", PRINT_SETTINGS)
    assert (result.returncode, result.stdout.strip()) == (0, "False from-the-environment")


def test_the_environment_wins_over_local_env(tmp_path):
    (tmp_path / "local.env").write_text("# a comment\n\nDEBUG=true\nSECRET_KEY=from-the-file\n")
    environ = {"SECRET_KEY": "from-the-environment"}
    assert localenv.apply(environ, tmp_path / "local.env") is True
    assert environ == {"SECRET_KEY": "from-the-environment", "DEBUG": "true"}
    assert localenv.apply({}, tmp_path / "absent.env") is False


def test_a_malformed_local_env_line_is_named(tmp_path):
    (tmp_path / "local.env").write_text("DEBUG=true\nexport SECRET_KEY=x\n")
    environ = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = manage_py(tmp_path, environ, "check")
    assert (result.returncode, result.stderr.strip()) == (
        1,
        f"Settings: {tmp_path / 'local.env'}, line 2: expected NAME=value, "
        "got 'export SECRET_KEY=x'.",
    )

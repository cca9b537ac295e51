"""Start-up configuration: each malformed environment value stops Django with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

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

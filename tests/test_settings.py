"""Start-up configuration: each malformed environment value stops Django with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from factcheck import localenv

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

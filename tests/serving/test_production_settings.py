"""Production settings from the environment: defaults, `check --deploy`, database connection
options, and a clear ImproperlyConfigured for each malformed value."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.serving.servers import PRODUCTION_ENV, SCRUBBED

HTTPS_ENV = {**PRODUCTION_ENV, "HTTPS": "true", "ALLOWED_HOSTS": "factcheck.example.org"}
SCRUBBED_TOO = SCRUBBED | {"CORS_ALLOWED_ORIGINS", "DATA_UPLOAD_MAX_MEMORY_SIZE", "SECRET_KEY"}
SCRUBBED_TOO |= {"SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "DATABASE_POOL_MAX_SIZE"}


def run(args, **env):
    environ = {k: v for k, v in os.environ.items() if k not in SCRUBBED_TOO}
    environ.update(DJANGO_SETTINGS_MODULE="factcheck.settings", **env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def python(code, **env):
    result = run(["-c", "import django; django.setup()\n" + code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


SHOW = """
import json
from django.conf import settings as s
print(json.dumps({
    "rates": s.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    "login": s.THROTTLE_LOGIN,
    "num_proxies": s.REST_FRAMEWORK["NUM_PROXIES"],
    "cache": s.CACHES["default"]["BACKEND"],
    "counters": s.REDIS_URL,
    "body": s.DATA_UPLOAD_MAX_MEMORY_SIZE,
    "cors": s.CORS_ALLOWED_ORIGINS,
    "https": [s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
              s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE],
    "proxy": s.SECURE_PROXY_SSL_HEADER,
}))
"""


def test_production_defaults():
    assert python(SHOW, **HTTPS_ENV) == {
        "rates": {"anon": "120/min", "user": "1200/min", "ingest": "60/hour"},
        "login": "5/15min",
        "num_proxies": 0,
        "cache": "django.core.cache.backends.db.DatabaseCache",
        "counters": None,
        "body": 1_048_576,
        "cors": [],
        "https": [True, 31_536_000, True, True, True, True],
        "proxy": None,
    }


def test_settings_read_from_the_environment():
    env = {
        **HTTPS_ENV,
        "THROTTLE_ANON": "30/min",
        "THROTTLE_USER": "off",
        "THROTTLE_LOGIN": "3/10min",
        "NUM_PROXIES": "1",
        "REDIS_URL": "redis://127.0.0.1:6379/2",
        "DATA_UPLOAD_MAX_MEMORY_SIZE": "2048",
        "CORS_ALLOWED_ORIGINS": "https://app.example.org,http://localhost:3000",
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "3600",
    }
    assert python(SHOW, **env) == {
        "rates": {"anon": "30/min", "user": None, "ingest": "60/hour"},
        "login": "3/10min",
        "num_proxies": 1,
        "cache": "django.core.cache.backends.redis.RedisCache",
        "counters": "redis://127.0.0.1:6379/2",
        "body": 2048,
        "cors": ["https://app.example.org", "http://localhost:3000"],
        "https": [False, 3600, True, True, True, True],
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_https_false_turns_redirects_hsts_and_secure_cookies_off():
    assert python(SHOW, **PRODUCTION_ENV)["https"] == [False, 0, False, False, False, False]


def test_check_deploy_passes_with_zero_issues():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **HTTPS_ENV)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_check_deploy_fails_over_plain_http():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV)
    assert result.returncode != 0
    expected = ["security.W004", "security.W008", "security.W012", "security.W016"]
    assert [warning for warning in expected if warning not in result.stderr] == []


def test_sqlite_queues_writers_in_wal_mode(tmp_path):
    code = """
import json
from django.db import connection
with connection.cursor() as cursor:
    pragmas = {p: cursor.execute(f"PRAGMA {p}").fetchone()[0]
               for p in ["journal_mode", "synchronous", "busy_timeout"]}
print(json.dumps({"pragmas": pragmas, "mode": connection.transaction_mode}))
"""
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    # synchronous 1 is NORMAL; busy_timeout is in milliseconds.
    assert python(code, **PRODUCTION_ENV, DATABASE_URL=url) == {
        "pragmas": {"journal_mode": "wal", "synchronous": 1, "busy_timeout": 20_000},
        "mode": "IMMEDIATE",
    }


def test_postgresql_connections_come_from_a_pool():
    code = """
import json
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
pool = connection.pool
print(json.dumps({"pool": type(pool).__name__, "min": pool.min_size, "max": pool.max_size}))
"""
    url = "postgres://postgres@127.0.0.1:5432/test"
    assert python(code, **PRODUCTION_ENV, DATABASE_URL=url, DATABASE_POOL_MAX_SIZE="6") == {
        "pool": "ConnectionPool",
        "min": 1,
        "max": 6,
    }


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"THROTTLE_ANON": "lots"}, "THROTTLE_ANON: 'lots' is not a rate such as 120/min"),
        ({"THROTTLE_USER": "10/0min"}, "THROTTLE_USER: '10/0min' has a window of zero seconds"),
        ({"THROTTLE_LOGIN": "5/fortnight"}, "THROTTLE_LOGIN: '5/fortnight' is not a rate"),
        ({"REDIS_URL": "http://cache:6379"}, "REDIS_URL='http://cache:6379' is not a redis://"),
        (
            {"CORS_ALLOWED_ORIGINS": "https://app.example.org/"},
            "CORS_ALLOWED_ORIGINS has 'https://app.example.org/', which is not an origin",
        ),
        ({"CORS_ALLOWED_ORIGINS": "app.example.org"}, "which is not an origin"),
        ({"SECURE_PROXY_SSL_HEADER": "X Forwarded"}, "'X Forwarded' is not an HTTP header name"),
        ({"DATA_UPLOAD_MAX_MEMORY_SIZE": "1MB"}, "'1MB' is not a whole number of at least 1"),
        ({"NUM_PROXIES": "-1"}, "NUM_PROXIES='-1' is not a whole number of at least 0"),
        (
            {
                "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
                "DATABASE_POOL_MAX_SIZE": "0",
            },
            "DATABASE_POOL_MAX_SIZE='0' is not a whole number of at least 1",
        ),
        ({"SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS='a year' is not a whole number"),
        ({"HTTPS": "maybe"}, "HTTPS='maybe' is not a boolean"),
    ],
)
def test_malformed_setting_stops_start_up_with_a_clear_message(env, message):
    result = run(["-c", "import django; django.setup()"], **{**PRODUCTION_ENV, **env})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr

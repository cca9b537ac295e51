"""gunicorn settings of `make serve` (factcheck/gunicorn_conf.py), read as gunicorn reads them."""

import gc
import runpy
import sys
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "factcheck" / "gunicorn_conf.py"


@pytest.mark.parametrize(
    ("value", "accesslog"), [(None, None), ("true", "-"), ("TRUE", "-"), ("false", None)]
)
def test_gunicorn_keeps_an_access_log_only_when_asked_since_nginx_keeps_one(
    monkeypatch, value, accesslog
):
    if value is None:
        monkeypatch.delenv("GUNICORN_ACCESS_LOG", raising=False)
    else:
        monkeypatch.setenv("GUNICORN_ACCESS_LOG", value)
    conf = runpy.run_path(str(CONF))
    assert (conf["accesslog"], conf["errorlog"]) == (accesslog, "-")


def test_a_worker_freezes_what_it_loaded_and_collects_young_objects_less_often():
    conf = runpy.run_path(str(CONF))
    threshold = gc.get_threshold()
    try:
        conf["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (10_000, 10, 10)
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


@pytest.mark.parametrize(
    ("url", "loads_psycopg"),
    [
        (None, False),
        ("sqlite:////srv/claims.sqlite3", False),
        ("SQLITE:///claims.sqlite3", False),
        ("postgres://app@db:5432/claims", True),
        ("postgresql://app@db/claims", True),
    ],
)
def test_a_server_on_sqlite_never_loads_the_postgresql_driver(monkeypatch, url, loads_psycopg):
    if url is None:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("DATABASE_URL", url)
    loaded = sys.modules.pop("psycopg", None)
    try:
        runpy.run_path(str(CONF))["on_starting"](server=None)
        if loads_psycopg:
            assert "psycopg" not in sys.modules
        else:
            assert sys.modules["psycopg"] is None
            with pytest.raises(ImportError):
                import psycopg  # noqa: F401
    finally:  # as it was, for the tests that follow in this process
        sys.modules.pop("psycopg", None)
        if loaded is not None:
            sys.modules["psycopg"] = loaded

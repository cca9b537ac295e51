"""The service as a newcomer starts it: `make run`, on a free port, with a scratch database.

The database matches the suite's: a SQLite file, or (when DATABASE_URL is PostgreSQL) a
database of its own on the same server, dropped afterwards. `make run` writes local.env in
the checkout if there is none (as it would for the newcomer), and the README's manage.py
commands read it.
"""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlsplit

import dj_database_url
import psycopg
import pytest
from django.conf import settings

from tests.serving.servers import SCRUBBED

BASE_DIR = Path(settings.BASE_DIR)
# tests.environment's test-only key and plain-http setting must not stand in for local.env.
NOT_INHERITED = SCRUBBED | {"SECRET_KEY"}


@dataclass
class LocalServer:
    url: str
    password: str  # the admin's, as `make run` printed it
    env: dict  # the environment it runs with: its scratch database


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ScratchDatabase:
    def __init__(self, tmp: Path):
        self.postgres = None
        suite_url = os.environ.get("DATABASE_URL", "")
        if suite_url.startswith(("postgres://", "postgresql://")):
            self.postgres = dj_database_url.parse(suite_url)
            self.name = f"tour_{uuid.uuid4().hex[:12]}"
            with self.maintenance() as connection:
                connection.execute(f'CREATE DATABASE "{self.name}"')
            self.url = urlsplit(suite_url)._replace(path=f"/{self.name}").geturl()
        else:
            self.url = f"sqlite:///{tmp / 'db.sqlite3'}"

    def maintenance(self):
        p = self.postgres
        return psycopg.connect(
            host=p["HOST"] or None,
            port=p["PORT"] or None,
            user=p["USER"] or None,
            password=p["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )

    def drop(self):
        if self.postgres:
            with self.maintenance() as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def stop(process: subprocess.Popen) -> None:
    """Stop make and the development server it started (their own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def local_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("local")
    database = ScratchDatabase(tmp)
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env["DATABASE_URL"] = database.url
    port = free_port()
    command = ["make", "run", f"PORT={port}"]
    if sys.prefix != sys.base_prefix:  # the virtualenv running the suite, wherever it is
        command.append(f"VENV={sys.prefix}")
    log = tmp / "make-run.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            try:
                with urllib.request.urlopen(f"{url}/", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except (URLError, ConnectionError, OSError):
                time.sleep(0.5)
        printed = re.search(r"Created superuser 'admin' with password: (\S+)", log.read_text())
        assert printed, log.read_text()
        yield LocalServer(url, printed[1], env)
    finally:
        stop(process)
        database.drop()

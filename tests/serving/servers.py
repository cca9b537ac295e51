"""Real deployments for the server tests: a migrated database, collected static files, and
gunicorn started with the project's configuration on a free port of 127.0.0.1.

The database matches the suite's: a SQLite file, or (when DATABASE_URL is PostgreSQL) a
database of its own on the same server, dropped afterwards.
"""

import contextlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import psycopg
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
# A production configuration, but over plain http, as a local trial would run it.
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "server-tests-" + "k7Qx9" * 10,
    "ALLOWED_HOSTS": "127.0.0.1",
    "HTTPS": "false",
}
# Variables of the calling shell that must not leak into a deployment under test.
SCRUBBED = {"DATABASE_URL", "REDIS_URL", "CACHE_KEY_PREFIX", "STATIC_ROOT", "DEBUG", "HTTPS"}
SCRUBBED |= {"THROTTLE_ANON", "THROTTLE_USER", "THROTTLE_LOGIN", "NUM_PROXIES", "WEB_CONCURRENCY"}
SCRUBBED |= {"SECURE_PROXY_SSL_HEADER", "DATABASE_STATEMENT_TIMEOUT", "GUNICORN_THREADS"}
SCRUBBED |= {"TLS_CERTIFICATE", "TLS_CERTIFICATE_KEY", "LOG_LEVEL"}
REDIS_URL = "redis://127.0.0.1:6379/0"


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


class Site:
    """A deployment's database and static files, and the environment that reaches them."""

    CREATE_USERS = (
        "from django.contrib.auth import get_user_model\n"
        "from rest_framework.authtoken.models import Token\n"
        "from django.contrib.auth.models import Group, Permission\n"
        "keys = {}\n"
        "for name, perms in [('throttled', ['add_topic']), ('writer', ['add_topic']),\n"
        "                    ('editor', ['add_topic', 'change_topic']), ('desk', [])]:\n"
        "    user = get_user_model().objects.create_user(name, password='not-used-here-9')\n"
        "    user.user_permissions.set(Permission.objects.filter(codename__in=perms))\n"
        "    keys[name] = Token.objects.create(user=user).key\n"
        "# The Editors group's permissions, without the staff flag.\n"
        "get_user_model().objects.get(username='desk').groups.add(Group.objects.get(name='Editors'))\n"
        "import json; print(json.dumps(keys))\n"
    )

    def __init__(self, tmp: Path):
        self.env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
        self.env.update(PRODUCTION_ENV, STATIC_ROOT=str(tmp / "static"))
        self.postgres = None
        suite_url = os.environ.get("DATABASE_URL", "")
        if suite_url.startswith(("postgres://", "postgresql://")):
            self.postgres = dj_database_url.parse(suite_url)
            self.name = f"serving_{uuid.uuid4().hex[:12]}"
            with self.maintenance() as connection:
                connection.execute(f'CREATE DATABASE "{self.name}"')
            self.env["DATABASE_URL"] = urlsplit(suite_url)._replace(path=f"/{self.name}").geturl()
        else:
            self.env["DATABASE_URL"] = f"sqlite:///{tmp / 'site.sqlite3'}"
        manage(self.env, "migrate", "--no-input")
        manage(self.env, "createcachetable")
        manage(self.env, "collectstatic", "--no-input")
        created = manage(self.env, "shell", "--verbosity", "0", "-c", self.CREATE_USERS)
        self.tokens = json.loads(created)

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


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes
    pid: int

    def json(self):
        return json.loads(self.body)


@dataclass
class Server:
    """gunicorn with the project's configuration; `workers` are its worker processes' ids."""

    process: subprocess.Popen
    port: int
    workers: set[int] = field(default_factory=set)

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)

    @staticmethod
    def send(connection, method, path, body=None, headers=None) -> Answer:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, headers, response.read(), int(headers["x-worker-pid"]))

    def request(self, method, path, body=None, headers=None) -> Answer:
        connection = self.connect()
        try:
            return self.send(connection, method, path, body, headers)
        finally:
            connection.close()

    def burst(self, path, count, headers=None, method="GET", body=None) -> list[Answer]:
        """`count` requests at once, spread evenly over both workers; `headers` and `body`
        are functions of the request's number.

        Which worker accepts a new connection is up to the kernel, but a kept-alive connection
        stays with the worker that accepted it. So first open connections (on an unthrottled
        page) until each worker holds four, then send request n on connection n % 8, each
        connection's share in order from its own thread.
        """
        held = {pid: [] for pid in self.workers}
        opened = []
        try:
            while any(len(connections) < 4 for connections in held.values()):
                assert len(opened) < 400, "the kernel gave every connection to one worker"
                opened.append(connection := self.connect())
                pid = self.send(connection, "GET", "/admin/login/").pid
                if len(held[pid]) < 4:
                    held[pid].append(connection)
            lanes = [connection for connections in held.values() for connection in connections]

            def run(lane):
                return [
                    self.send(
                        lanes[lane],
                        method,
                        path,
                        body(n) if body else None,
                        headers(n) if headers else None,
                    )
                    for n in range(lane, count, len(lanes))
                ]

            with ThreadPoolExecutor(len(lanes)) as pool:
                return [answer for share in pool.map(run, range(len(lanes))) for answer in share]
        finally:
            for connection in opened:
                connection.close()


def free_port_server(env: dict, log: Path, workers: int = 2, threads: int = 2) -> Server:
    """Start gunicorn on a port the kernel picks, and wait until every worker answers."""
    command = [sys.executable, "-m", "gunicorn", "--config", "factcheck/gunicorn_conf.py"]
    command += ["--bind", "127.0.0.1:0", "tests.serving.pid_wsgi:application"]
    env = {**env, "WEB_CONCURRENCY": str(workers), "GUNICORN_THREADS": str(threads)}
    with log.open("w") as out:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            text = log.read_text()
            booted = {int(pid) for pid in re.findall(r"Booting worker with pid: (\d+)", text)}
            port = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", text)
            if port and len(booted) == workers:
                break
            assert process.poll() is None and time.monotonic() < deadline, text
            time.sleep(0.1)
        server = Server(process, int(port[1]), booted)
        for pid in booted:
            # The workers are children of the gunicorn that was started.
            status = Path(f"/proc/{pid}/status").read_text()
            assert re.search(rf"^PPid:\s+{process.pid}$", status, re.MULTILINE)
        while True:
            try:
                if server.request("GET", "/admin/login/").status == 200:
                    return server
            except (ConnectionError, OSError):
                pass
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
    except BaseException:
        stop(process)
        raise


def stop(process: subprocess.Popen) -> None:
    """Stop gunicorn gracefully; failing that, kill its process group (it and its workers)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

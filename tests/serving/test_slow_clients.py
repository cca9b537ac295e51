"""The documented production setup, `make serve`: nginx (deploy/nginx.conf) in front of
gunicorn, started by deploy/serve.py as the make target starts them.

Slow clients: ten connections a second that each send a request head with a Content-Length and
a few bytes of body to /admin/login/, then stall. Against bare gunicorn each of them holds a
worker thread, and ordinary GETs wait behind them; through nginx, which reads bodies whole
before gunicorn sees them, ordinary GETs keep answering at once.
"""

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid

import pytest

from tests.serving.servers import BASE_DIR, free_port_server, stop

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
pytestmark = pytest.mark.skipif(
    NGINX is None,
    reason="nginx is not installed (Debian: apt-get install nginx-light); CI installs it",
)

# One worker of two threads, with nginx and without: two requests at once. (With several
# workers, which one accepts a connection is the kernel's choice, and one may stay free a while.)
SMALL = {"WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2"}
# A request head that promises a body it never sends (nor the rest of the form).
STALLING = (
    b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000\r\n\r\n"
    b"username="
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def make_serve(env: dict, log_dir, arguments=()):
    """deploy/serve.py with `env`, as `make serve` runs it after its preparations; yields the
    port nginx listens on once a page answers through it."""
    port, app_port = free_port(), free_port()
    command = [sys.executable, "deploy/serve.py", "--port", str(port), "--app-port", str(app_port)]
    command += arguments
    log = log_dir / "serve.log"
    with log.open("ab") as out:  # appended to by three processes
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=out, stderr=out, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while not answers(port):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def answers(port: int) -> bool:
    """Whether nginx answers on `port` with gunicorn behind it (any status but a 502)."""
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 2) as sock:
        sock.sendall(b"GET /admin/login/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        status_line = sock.makefile("rb").readline()
        return bool(status_line) and b" 502 " not in status_line
    return False


def get(port: int, path: str, timeout: float, headers=None) -> int | None:
    """The status of a GET, or None if it did not answer within `timeout` seconds."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:  # refused, reset, or timed out
        return None
    finally:
        connection.close()


@contextlib.contextmanager
def slow_clients(port: int, per_second: int = 10):
    """Within: `per_second` new stalling connections a second, all held open until the end."""
    held, stopped = [], threading.Event()

    def attack():
        while not stopped.is_set():
            with contextlib.suppress(OSError):
                sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                held.append(sock)
                sock.sendall(STALLING)
            stopped.wait(1 / per_second)

    thread = threading.Thread(target=attack, daemon=True)
    thread.start()
    try:
        yield held
    finally:
        stopped.set()
        thread.join()
        for sock in held:
            sock.close()


def gets_under_attack(port: int, count: int, timeout: float = 2.0) -> list[float | None]:
    """Seconds each of `count` ordinary GETs took while slow clients keep arriving (None: no
    answer within `timeout`), the first once fifteen of them are stalling."""
    took = []
    with slow_clients(port) as held:
        deadline = time.monotonic() + 30
        while len(held) < 15:  # a second and a half, on an idle machine
            assert time.monotonic() < deadline, len(held)
            time.sleep(0.1)
        for _ in range(count):
            start = time.monotonic()
            status = get(port, "/admin/login/", timeout)
            took.append(time.monotonic() - start if status == 200 else None)
            time.sleep(0.3)
        assert len(held) >= 15  # the attack kept arriving throughout
    return took


@pytest.fixture(scope="module")
def proxied(site, tmp_path_factory):
    env = {**site.env, **SMALL, "CACHE_KEY_PREFIX": uuid.uuid4().hex, "THROTTLE_ANON": "5/min"}
    with make_serve(env, tmp_path_factory.mktemp("serve")) as port:
        yield port


def test_through_nginx_ordinary_gets_keep_answering_while_slow_clients_stall(proxied):
    took = gets_under_attack(proxied, count=8)
    assert None not in took, took
    assert max(took) < 1.0, took
    assert get(proxied, "/admin/login/", timeout=2) == 200


def test_bare_gunicorn_is_tied_up_by_the_same_slow_clients(site, tmp_path_factory):
    """The attack above is real: without nginx, GETs wait behind the stalled bodies."""
    env = {**site.env, "CACHE_KEY_PREFIX": uuid.uuid4().hex}
    server = free_port_server(env, tmp_path_factory.mktemp("bare") / "log", workers=1, threads=2)
    try:
        took = gets_under_attack(server.port, count=3)
        assert took == [None, None, None], took
        # Once the stalled connections close, the same server answers again.
        assert get(server.port, "/admin/login/", timeout=5) == 200
    finally:
        stop(server.process)


def request(port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_nginx_refuses_a_body_over_the_limit_with_djangos_413(proxied, site):
    body = json.dumps({"text": "x" * 1_048_576, "speaker": "nobody"}).encode()
    token = {"Authorization": f"Token {site.tokens['writer']}"}
    status, headers, content = request(
        proxied, "POST", "/api/v1/claims/", body, {**token, "Content-Type": "application/json"}
    )
    assert (status, headers["Content-Type"], json.loads(content)) == (
        413,
        "application/json",
        {
            "detail": "The request body is larger than the limit of 1048576 bytes.",
            "code": "too_large",
        },
    )
    status, headers, content = request(proxied, "POST", "/admin/login/", b"x" * 1_048_577)
    assert (status, headers["Content-Type"], content) == (
        413,
        "text/plain",
        b"The request body is larger than the limit of 1048576 bytes.",
    )


def test_clients_cannot_choose_their_address_or_scheme_through_nginx(proxied, site):
    """nginx replaces X-Forwarded-For and X-Forwarded-Proto, which gunicorn's Django trusts
    (NUM_PROXIES=1, SECURE_PROXY_SSL_HEADER): a client spoofing them is still counted at its
    own address, and still spoken to over http; its Host, port included, reaches Django."""
    token = {"Authorization": f"Token {site.tokens['writer']}", "Content-Type": "application/json"}
    for n in range(2):
        name = f"Proxied topic {uuid.uuid4().hex[:8]} {n}"
        status, _, _ = request(
            proxied, "POST", "/api/v1/topics/", json.dumps({"name": name}), token
        )
        assert status == 201
    answers = []
    for n in range(6):  # THROTTLE_ANON is 5/min on this server
        spoofed = {"X-Forwarded-For": f"198.51.100.{n}", "X-Forwarded-Proto": "https"}
        answers.append(request(proxied, "GET", "/api/v1/topics/?page_size=1", headers=spoofed))
    assert [status for status, _, _ in answers] == [200] * 5 + [429]
    next_link = json.loads(answers[0][2])["next"]
    assert next_link.startswith(f"http://127.0.0.1:{proxied}/api/v1/topics/?page=2")


def test_the_request_id_passes_through_nginx(proxied):
    status, headers, _ = request(proxied, "GET", "/admin/login/", headers={"X-Request-ID": "r-1"})
    assert (status, headers["X-Request-ID"]) == (200, "r-1")


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1: (certificate, key) paths."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed: no certificate to serve https with")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    command = [openssl, "req", "-x509", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
    command += ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
    command += ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)]
    subprocess.run(command, check=True, capture_output=True)
    return cert, key


def test_with_a_certificate_nginx_speaks_https_and_django_knows_it(
    site, tmp_path_factory, certificate
):
    """TLS_CERTIFICATE and TLS_CERTIFICATE_KEY: https on PORT; X-Forwarded-Proto tells Django,
    whose links are https and which redirects plain http (HTTPS=true, production's default)."""
    cert, key = certificate
    env = {**site.env, **SMALL, "CACHE_KEY_PREFIX": uuid.uuid4().hex, "HTTPS": "true"}
    env.update(TLS_CERTIFICATE=str(cert), TLS_CERTIFICATE_KEY=str(key))
    http_port = free_port()
    with make_serve(env, tmp_path_factory.mktemp("tls"), ["--http-port", str(http_port)]) as port:
        context = ssl.create_default_context(cafile=str(cert))
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=20)
        connection.request("GET", "/api/v1/")
        response = connection.getresponse()
        root = json.loads(response.read())
        connection.close()
        assert response.status == 200
        assert response.getheader("Strict-Transport-Security").startswith("max-age=31536000")
        assert root["claims"] == f"https://127.0.0.1:{port}/api/v1/claims/"
        status, headers, _ = request(http_port, "GET", "/api/v1/")
        assert (status, headers["Location"]) == (301, f"https://127.0.0.1:{http_port}/api/v1/")

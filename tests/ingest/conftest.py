"""A local HTTP server on loopback for the fetch tests, one thread per request."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ARTICLE = (
    "<html><head><title>Port deal signed</title></head><body><p>Café owners welcome "
    "the port deal.</p></body></html>"
)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list  # (path, Host header) of every request, set per server

    def log_message(self, *args):  # keep the test output clean
        pass

    def _send(self, status, body=b"", content_type="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        try:
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up first (the timeout tests): nothing to report

    def do_GET(self):
        self.seen.append((self.path, self.headers.get("Host")))
        path = self.path
        if path == "/article":
            self._send(200, ARTICLE.encode())
        elif path == "/plain":
            self._send(200, "Plain café text".encode(), "text/plain; charset=utf-8")
        elif path == "/latin1":
            body = "<html><body><p>Le café est fermé.</p></body></html>".encode("latin-1")
            self._send(200, body, "text/html; charset=ISO-8859-1")
        elif path == "/meta-cp1251":
            body = (
                '<html><head><meta charset="windows-1251"></head>'
                "<body><p>Министр заявил, что всё готово.</p></body></html>"
            ).encode("cp1251")
            self._send(200, body, "text/html")
        elif path == "/shift-jis-plain":
            self._send(200, "東京の港".encode("shift_jis"), "text/plain; charset=Shift_JIS")
        elif path.startswith("/redirect/"):
            left = int(path.rsplit("/", 1)[1])
            target = "/article" if left == 0 else f"/redirect/{left - 1}"
            self._send(302, headers=[("Location", target)])
        elif path == "/redirect-absolute":
            port = self.server.server_address[1]
            self._send(301, headers=[("Location", f"http://127.0.0.1:{port}/plain")])
        elif path == "/redirect-metadata":
            self._send(302, headers=[("Location", "http://169.254.169.254/latest/meta-data/")])
        elif path == "/redirect-ftp":
            self._send(302, headers=[("Location", "ftp://127.0.0.1/file")])
        elif path == "/loop":
            self._send(302, headers=[("Location", "/loop")])
        elif path == "/missing":
            self._send(404, b"<p>Not here</p>")
        elif path == "/binary-as-html":
            self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(2000), "text/html")
        elif path == "/image":
            self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png")
        elif path == "/no-type":
            self._send(200, b"<p>what am I</p>", content_type=None)
        elif path == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(10_000_000))
            self.end_headers()
            self.wfile.write(b"<p>" + b"x" * 10_000)
        elif path == "/big-undeclared":
            # No length: the client only learns the size by reading, and must stop early.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"y" * 10_000)
            except OSError:
                pass  # the client hung up once it had read enough: what the test wants
            self.close_connection = True
        elif path == "/slow-headers":
            time.sleep(6)
            self._send(200, b"<p>late</p>")
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"z")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        else:
            self._send(404, b"")


@pytest.fixture
def web():
    """A server on 127.0.0.1; yields (base URL, list of (path, Host) it received)."""
    seen = []
    handler = type("RecordingHandler", (Handler,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def anon_reads(db):
    """GET a URL anonymously and return its JSON (asserting a 200)."""
    from rest_framework.test import APIClient

    def read(url):
        response = APIClient().get(url)
        assert response.status_code == 200, response.content
        return response.json()

    return read

"""Serve in production: nginx on HOST:PORT in front of gunicorn on 127.0.0.1:APP_PORT.

With TLS_CERTIFICATE and TLS_CERTIFICATE_KEY (paths) in the environment, nginx speaks https on
PORT, and plain http on --http-port when given (Django redirects it to https).

`make serve` runs this after its checks, migrations and collectstatic; so do the serving tests
(tests/serving/test_slow_clients.py). It fills in deploy/nginx.conf, starts gunicorn with
factcheck/gunicorn_conf.py, waits for it to listen, starts nginx, and stops both (gracefully)
when it is told to stop (SIGTERM, SIGINT) or when either of them exits.

gunicorn is only reached through nginx, the one proxy in front of it, which sets
X-Forwarded-For and X-Forwarded-Proto itself: so NUM_PROXIES defaults to 1 and
SECURE_PROXY_SSL_HEADER to X-Forwarded-Proto here (either may still be set in the environment).
Run with the project's Python (the one that has gunicorn): `.venv/bin/python deploy/serve.py`.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TEMPLATE = BASE_DIR / "deploy" / "nginx.conf"
# Debian puts nginx in /usr/sbin, which is not on every user's PATH.
NGINX_PLACES = ["/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin"]


def find_nginx(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=os.pathsep.join(NGINX_PLACES))
    if not found:
        raise SystemExit(
            f"serve: {name} not found. Install it (Debian: apt-get install nginx-light) or "
            "give its path in NGINX."
        )
    return found


def listen_lines(host: str, port: int, http_port: int | None, tls: tuple[str, str] | None) -> str:
    """nginx's `listen` lines: https on `port` when `tls` (certificate, key) is given, plus
    plain http on `http_port`; plain http on `port` otherwise."""
    host = f"[{host}]" if ":" in host else host
    if tls is None:
        return f"listen {host}:{port};"
    certificate, key = tls
    lines = [
        f"listen {host}:{port} ssl;",
        f"ssl_certificate {certificate};",
        f"ssl_certificate_key {key};",
        "ssl_protocols TLSv1.2 TLSv1.3;",
        "ssl_session_cache shared:tls:10m;",
    ]
    if http_port:
        lines.append(f"listen {host}:{http_port};")
    return "\n        ".join(lines)


def render(run_dir: Path, listen: str, upstream: str, max_body_size: int) -> Path:
    """deploy/nginx.conf with its @NAME@ values filled in, written to the run directory."""
    values = {
        "@RUN_DIR@": str(run_dir),
        "@LISTEN@": listen,
        "@UPSTREAM@": upstream,
        "@MAX_BODY_SIZE@": str(max_body_size),
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(name, value)
    config = run_dir / "nginx.conf"
    config.write_text(text)
    return config


def wait_for_port(port: int, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None:
                message = f"serve: gunicorn exited with status {process.returncode}."
                raise SystemExit(message) from None
            if time.monotonic() > deadline:
                raise SystemExit(f"serve: gunicorn did not listen on port {port}.") from None
            time.sleep(0.1)


def relay(source: int) -> None:
    """Copy what comes out of file descriptor `source` to standard output, until its end."""
    while chunk := os.read(source, 65536):
        view = memoryview(chunk)
        while view:
            view = view[os.write(sys.stdout.fileno(), view) :]


def stop(process: subprocess.Popen, sig: int) -> None:
    if process.poll() is None:
        process.send_signal(sig)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address nginx listens on")
    parser.add_argument("--port", type=int, default=8000, help="port nginx listens on")
    parser.add_argument("--app-port", type=int, default=8001, help="gunicorn's port (loopback)")
    parser.add_argument(
        "--http-port", type=int, help="with TLS: also plain http on this port (redirected)"
    )
    parser.add_argument(
        "--run-dir",
        type=Path,
        help="nginx's configuration, pid and temporary files (default: a new temporary folder)",
    )
    args = parser.parse_args()

    nginx = find_nginx(os.environ.get("NGINX", "nginx"))
    max_body_size = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE") or 1_048_576)
    env = {"NUM_PROXIES": "1", "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto", **os.environ}

    temporary = args.run_dir is None
    run_dir = Path(tempfile.mkdtemp(prefix="factcheck-nginx-")) if temporary else args.run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    # nginx's workers (`nobody` when started as root) reach their temporary folders through it.
    run_dir.chmod(0o711)
    tls = None
    if os.environ.get("TLS_CERTIFICATE") or os.environ.get("TLS_CERTIFICATE_KEY"):
        tls = (os.environ.get("TLS_CERTIFICATE"), os.environ.get("TLS_CERTIFICATE_KEY"))
        if not all(tls):
            raise SystemExit("serve: set both TLS_CERTIFICATE and TLS_CERTIFICATE_KEY, or neither.")
    listen = listen_lines(args.host, args.port, args.http_port, tls)
    config = render(run_dir, listen, f"127.0.0.1:{args.app_port}", max_body_size)
    nginx_command = [nginx, "-p", str(run_dir), "-e", "stderr", "-c", str(config)]
    checked = subprocess.run([*nginx_command, "-t", "-q"])
    if checked.returncode:
        return checked.returncode

    stopping = []

    def on_signal(signum, frame):
        stopping.append(signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "factcheck/gunicorn_conf.py",
            "--bind",
            f"127.0.0.1:{args.app_port}",
            "factcheck.wsgi",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    proxy = None
    try:
        wait_for_port(args.app_port, gunicorn, seconds=60)
        # nginx writes its access log to /dev/stdout, which it opens anew: that works for a
        # pipe of its own user's, not for every standard output (not journald's socket, nor a
        # file of another user's). So it gets a pipe, relayed here to this standard output.
        proxy = subprocess.Popen(nginx_command, cwd=BASE_DIR, stdout=subprocess.PIPE)
        threading.Thread(target=relay, args=(proxy.stdout.fileno(),), daemon=True).start()
        scheme = "https" if tls else "http"
        print(f"serve: nginx ({scheme}) on port {args.port}, gunicorn on 127.0.0.1:{args.app_port}")
        sys.stdout.flush()
        while not stopping and gunicorn.poll() is None and proxy.poll() is None:
            time.sleep(0.2)
    finally:
        # Graceful: nginx finishes the requests it has (SIGQUIT), gunicorn too (SIGTERM).
        if proxy is not None:
            stop(proxy, signal.SIGQUIT)
        stop(gunicorn, signal.SIGTERM)
        for process in (proxy, gunicorn):
            if process is None:
                continue
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if temporary:
            shutil.rmtree(run_dir, ignore_errors=True)
    return 0 if stopping else 1


if __name__ == "__main__":
    sys.exit(main())

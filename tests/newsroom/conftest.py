"""A real webhook receiver (an HTTP server on 127.0.0.1) and a way to run the task queue."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsroom.enums import DeliveryStatus
from newsroom.models import Delivery


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers every POST with `status` (after waiting for `hang` to be set, if `hang` is an
    unset Event: a receiver that never answers) and records what it received."""

    server: ThreadingHTTPServer
    status: int = 200
    received: list = field(default_factory=list)
    hang: threading.Event | None = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_port}/hooks"


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.received.append(Received(self.path, dict(self.headers), body))
            if state.hang is not None:
                state.hang.wait(30)
            try:
                self.send_response(state.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:
                pass  # the sender gave up waiting (a timeout, a killed worker)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state = Receiver(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    if state.hang is not None:
        state.hang.set()
    server.shutdown()
    server.server_close()


def run_tasks(rounds: int = 50) -> int:
    """Run the queue as `db_worker --batch` does (its Worker claims and runs each ready task),
    in this process and the test's transaction, fast-forwarding the clock between rounds:
    tasks and deliveries waiting for a later time are made due at once. Returns how many
    tasks ran. (Worker.run itself would close the test's connection between tasks.)"""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.utils import exclusive_transaction

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    for _ in range(rounds):
        past = timezone.now() - timezone.timedelta(seconds=1)
        waiting = DBTaskResult.objects.filter(status="READY")
        if not waiting.exists():
            return ran
        waiting.update(run_after=past)
        Delivery.objects.exclude(
            status__in=[DeliveryStatus.DELIVERED, DeliveryStatus.FAILED]
        ).update(next_attempt_at=past)
        while True:
            with exclusive_transaction():
                task = DBTaskResult.objects.ready().get_locked()
                if task is not None:
                    task.claim(worker.worker_id)
            if task is None:
                break
            worker.run_task(task)
            ran += 1
    raise AssertionError("the queue did not drain")

"""At least once: an event survives a worker killed in the middle of delivering it.

A deployment of its own (tests.serving.servers.Site: a migrated database the worker processes
share), a real `manage.py db_worker` process, a real receiver that holds the first request
open while the worker is killed (SIGKILL: no chance to record anything)."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from tests.serving.servers import BASE_DIR, Site, manage

SETUP = """
from claims.enums import ClaimStatus
from claims.models import Claim, Speaker
from claims.services import claim_set_status
from django.contrib.auth import get_user_model
from newsroom.models import Subscription
admin = get_user_model().objects.create_superuser('boss', password='not-used-here-9')
Subscription.objects.create(owner=admin, target_url='{url}', events=['claim.published'])
speaker = Speaker.objects.create(name='Ada Example', slug='ada-example')
claim = Claim.objects.create(text='Taxes fell.', speaker=speaker, status=ClaimStatus.IN_REVIEW)
claim_set_status(claim=claim, status=ClaimStatus.PUBLISHED, by=admin)
"""

STATE = """
from newsroom.models import Delivery
d = Delivery.objects.get()
print(d.status, d.attempts, d.response_code, d.event_id)
"""


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("webhook-site"))
    yield site
    site.drop()


def state(env) -> list[str]:
    """The delivery's status, attempts, response code and event id, read by a fresh process."""
    return manage(env, "shell", "--verbosity", "0", "-c", STATE).strip().splitlines()[-1].split()


def start_worker(env):
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.1"]
    command += ["--no-startup-delay", "--verbosity", "0"]
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)


def test_an_event_survives_a_worker_killed_mid_delivery(site, receiver):
    env = {**site.env, "WEBHOOKS_ALLOW_PRIVATE": "true", "WEBHOOK_TIMEOUT": "1"}
    receiver.hang = threading.Event()
    manage(env, "shell", "--verbosity", "0", "-c", SETUP.format(url=receiver.url))
    worker = start_worker(env)
    try:
        wait_for(lambda: len(receiver.received) == 1)  # the worker is sending, and waits
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    receiver.hang.set()  # the receiver answers a request nobody reads any more
    receiver.hang = None
    status, attempts, _, event_id = state(env)
    assert (status, attempts) == ("sending", "1")  # the killed worker recorded nothing

    worker = start_worker(env)  # a new worker takes over once the attempt's time is up
    try:
        wait_for(lambda: len(receiver.received) == 2)
        wait_for(lambda: state(env)[0] == "delivered")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(10)
    first, second = receiver.received
    assert first.body == second.body  # the same event, signed the same, for deduplication
    assert [r.headers["X-Factcheck-Event-Id"] for r in receiver.received] == [event_id] * 2
    assert state(env)[:3] == ["delivered", "2", "200"]

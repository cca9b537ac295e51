"""No lost updates: 16 concurrent writers x 25 read-modify-write increments of one record,
over HTTP against gunicorn (two workers) on the suite's engine, each writer retrying on 412.
If any write overwrote a version it had not read, the count would end below 400."""

import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

# One deployment (conftest's `site`) per run: its tests share one xdist worker.
pytestmark = pytest.mark.xdist_group("site")

WRITERS, INCREMENTS = 16, 25


@pytest.fixture(scope="module")
def server(serve):
    # Thousands of requests from one account: lift its rate limit for this server only.
    return serve(THROTTLE_USER="off", THROTTLE_ANON="off")


def test_concurrent_read_modify_write_increments_lose_nothing(server, site):
    headers = {
        "Authorization": f"Token {site.tokens['editor']}",
        "Content-Type": "application/json",
    }
    body = json.dumps({"name": "0", "slug": "counter"}).encode()
    assert server.request("POST", "/api/v1/topics/", body, headers).status == 201
    url = "/api/v1/topics/counter/"
    statuses, lock = Counter(), threading.Lock()

    def writer(_):
        connection = server.connect()
        seen, done = Counter(), 0
        try:
            while done < INCREMENTS:
                assert sum(seen.values()) < 5000, seen  # bounded, whatever happens
                read = server.send(connection, "GET", url, None, headers)
                seen[read.status] += 1
                value = int(read.json()["name"])
                write = server.send(
                    connection,
                    "PATCH",
                    url,
                    json.dumps({"name": str(value + 1)}).encode(),
                    {**headers, "If-Match": read.headers["etag"]},
                )
                seen[write.status] += 1
                done += write.status == 200
        finally:
            connection.close()
            with lock:
                statuses.update(seen)

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(writer, range(WRITERS)))
    final = server.request("GET", url, None, headers)
    assert final.json()["name"] == str(WRITERS * INCREMENTS)
    assert final.headers["etag"].startswith(f'"{WRITERS * INCREMENTS + 1}-')  # one save each
    assert set(statuses) <= {200, 412}, statuses
    assert statuses[200] >= 2 * WRITERS * INCREMENTS

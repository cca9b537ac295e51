"""The signed POST of a webhook, under the same outbound safety as article fetching.

The URL and every address its host resolves to go through ingest.fetch's checks (no loopback,
private, link-local, reserved or metadata address unless WEBHOOKS_ALLOW_PRIVATE), and the
connection is made to the checked address, never the name. Redirects are not followed: a
receiver answers where it was registered, and a 3xx counts as a failure.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

import urllib3
from urllib3.exceptions import HTTPError, ProtocolError, ReadTimeoutError, SSLError

from ingest.fetch import (
    ConnectionFailed,
    FetchError,
    FetchPolicy,
    FetchTimeout,
    _addresses,
    _check_url,
    _remaining,
    host_header,
    pinned_pool,
)

SIGNATURE_HEADER = "X-Factcheck-Signature-256"
EVENT_HEADER = "X-Factcheck-Event"
EVENT_ID_HEADER = "X-Factcheck-Event-Id"
USER_AGENT = "factcheck-webhooks/1.0"
MAX_ANSWER = 64 * 1024  # what is read of a receiver's answer (it is not kept)


def signature(secret: str, body: bytes) -> str:
    """`sha256=` and the hex HMAC-SHA256 of the body under the subscription's secret, as a
    receiver recomputes it (compare with hmac.compare_digest)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Answer:
    status: int


def post(url: str, body: bytes, headers: dict, *, timeout: float, allow_private: bool) -> Answer:
    """POST `body` to `url` within `timeout` seconds in all (connect, send, read).

    Raises a FetchError subclass for a refused URL or address, a timeout or a broken
    connection; any HTTP status is returned, the caller decides what counts as success."""
    policy = FetchPolicy(
        connect_timeout=timeout, total_timeout=timeout, allow_private=allow_private
    )
    deadline = time.monotonic() + timeout
    scheme, host, port, path = _check_url(url)
    errors: list[Exception] = []
    for address in _addresses(host, port, policy):
        left = _remaining(deadline)
        pool = pinned_pool(scheme, address, host, port, urllib3.Timeout(connect=left, read=left))
        all_headers = {
            "Host": host_header(scheme, host, port),
            "User-Agent": USER_AGENT,
            "Content-Type": "application/json",
            **headers,
        }
        try:
            response = pool.urlopen(
                "POST",
                path,
                body=body,
                headers=all_headers,
                redirect=False,
                preload_content=False,
                assert_same_host=False,
            )
        except ReadTimeoutError as error:
            raise FetchTimeout("The receiver took too long to answer.") from error
        except SSLError as error:
            raise ConnectionFailed(f"The TLS connection to {host!r} failed.") from error
        except (ProtocolError, HTTPError, OSError) as error:
            errors.append(error)
            continue
        try:
            read = 0
            while read < MAX_ANSWER:
                _remaining(deadline)
                chunk = response.read1(8192)
                if not chunk:
                    break
                read += len(chunk)
        except ReadTimeoutError as error:
            raise FetchTimeout("The receiver took too long to answer.") from error
        except (ProtocolError, HTTPError, OSError):
            pass  # the status came; a body cut short does not change it
        finally:
            response.release_conn()
            response.close()
            pool.close()
        return Answer(status=response.status)
    raise ConnectionFailed(f"Could not connect to {host!r}.") from (errors[-1] if errors else None)


__all__ = ["EVENT_HEADER", "EVENT_ID_HEADER", "SIGNATURE_HEADER", "FetchError", "post", "signature"]

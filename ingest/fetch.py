"""The outbound HTTP client that faces the open web (articles today, webhooks later).

Every hop is checked before anything is sent: the URL (http/https, no credentials), then every
address its host resolves to (no loopback, private, link-local, multicast, reserved or cloud
metadata address), and the connection is made to the address that passed the check, never to the
name, so a DNS answer that changes between the check and the connect (rebinding) cannot swap it.
Redirects are followed here, a bounded number of times, each through the same checks. The body is
streamed and reading stops once it passes the size limit or the total deadline.

Each refusal raises a subclass of `FetchError` whose message can be shown to the client as is.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

Resolver = Callable[[str, int], list[str]]

TEXT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024

# Cloud metadata services. Refused even when private targets are allowed: no test or development
# set-up needs them, and one public address (Azure's wire server) would otherwise pass the checks.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
        "169.254.170.2",  # AWS ECS task metadata
        "169.254.169.123",  # AWS time sync
        "fd00:ec2::254",  # AWS IMDS over IPv6
        "fd00:ec2::23",
        "100.100.100.200",  # Alibaba Cloud
        "168.63.129.16",  # Azure wire server
        "192.0.0.192",  # Oracle Cloud
    )
)


class FetchError(Exception):
    """A fetch that was refused or failed; `str(error)` is a message fit for an API client."""

    code = "fetch_failed"


class InvalidURL(FetchError):
    code = "invalid_url"


class ForbiddenAddress(FetchError):
    code = "forbidden_address"


class ResolutionFailed(FetchError):
    code = "resolution_failed"


class ConnectionFailed(FetchError):
    code = "connection_failed"


class FetchTimeout(FetchError):
    code = "timeout"


class TooManyRedirects(FetchError):
    code = "too_many_redirects"


class ResponseTooLarge(FetchError):
    code = "too_large"


class UnsupportedContentType(FetchError):
    code = "unsupported_content_type"


class HTTPStatusError(FetchError):
    code = "http_status"

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class FetchPolicy:
    """Limits of one fetch. `allow_private` lets tests and local development reach loopback and
    private addresses; metadata addresses stay refused."""

    connect_timeout: float = 5.0
    total_timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False
    user_agent: str = "factcheck-ingest/1.0"
    resolver: Resolver | None = None


@dataclass(frozen=True)
class Fetched:
    """What a fetch brought back: the final URL, its body decoded with the declared encoding."""

    url: str
    status: int
    content_type: str
    encoding: str
    text: str
    content: bytes = field(repr=False)
    redirects: tuple[str, ...] = ()

    @property
    def is_html(self) -> bool:
        return self.content_type in {"text/html", "application/xhtml+xml"}


def default_policy() -> FetchPolicy:
    """The policy from Django's settings when they are configured, else the defaults."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        allow = bool(getattr(settings, "INGEST_FETCH_ALLOW_PRIVATE", False))
    except ImproperlyConfigured:  # a plain library call, outside Django
        allow = False
    return FetchPolicy(allow_private=allow)


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ResolutionFailed(f"Could not resolve the host {host!r}.") from error
    return list(dict.fromkeys(info[4][0] for info in infos))


def address_refusal(address: str, *, allow_private: bool) -> str | None:
    """Why the address may not be contacted, or None when it may."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # ::ffff:127.0.0.1 and 64:ff9b::/96 and 2002::/16 forms reach the IPv4 address inside.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in ipaddress.ip_network("64:ff9b::/96"):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return address_refusal(str(embedded), allow_private=allow_private)
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if allow_private:
        return None
    for test, label in (
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "not a public address"),
    ):
        if test:
            return label
    return None


def _check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an acceptable URL."""
    if not isinstance(url, str) or not url.strip():
        raise InvalidURL("The URL is empty.")
    if any(ord(char) < 33 for char in url.strip()):
        raise InvalidURL("The URL contains spaces or control characters.")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise InvalidURL(f"The URL is malformed: {error}.") from error
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise InvalidURL("Only http and https URLs can be fetched.")
    if parts.username is not None or parts.password is not None:
        raise InvalidURL("URLs with credentials are not fetched.")
    host = parts.hostname
    if not host:
        raise InvalidURL("The URL has no host.")
    try:
        host = host.encode("idna").decode("ascii") if not _is_ip(host) else host
    except UnicodeError as error:
        raise InvalidURL("The URL's host name is not valid.") from error
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, host, port or (443 if scheme == "https" else 80), path


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _addresses(host: str, port: int, policy: FetchPolicy) -> list[str]:
    resolver = policy.resolver or system_resolver
    addresses = [host] if _is_ip(host) else resolver(host, port)
    if not addresses:
        raise ResolutionFailed(f"The host {host!r} has no address.")
    for address in addresses:
        reason = address_refusal(address, allow_private=policy.allow_private)
        if reason:
            raise ForbiddenAddress(
                f"Refused to fetch from {host!r}: it resolves to {address}, {reason}."
            )
    return addresses


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchTimeout("The page took too long to answer.")
    return left


def pinned_pool(
    scheme: str, address: str, host: str, port: int, timeout
) -> urllib3.HTTPConnectionPool:
    """A one-connection pool to `address`, a checked address of `host`: the socket goes to the
    address, while TLS still names and verifies the host."""
    kwargs = {"timeout": timeout, "retries": False, "maxsize": 1}
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            port,
            cert_reqs="CERT_REQUIRED",
            server_hostname=host,
            assert_hostname=host,
            **kwargs,
        )
    return urllib3.HTTPConnectionPool(address, port, **kwargs)


def host_header(scheme: str, host: str, port: int) -> str:
    """The Host header for `host` (an IPv6 address in brackets), with the port unless it is
    the scheme's default."""
    shown = f"[{host}]" if ":" in host else host
    return shown if port == (443 if scheme == "https" else 80) else f"{shown}:{port}"


def _open(scheme: str, host: str, port: int, path: str, policy: FetchPolicy, deadline: float):
    """Send the request to one of the checked addresses; the response body is not read yet."""
    errors = []
    for address in _addresses(host, port, policy):
        left = _remaining(deadline)
        timeout = urllib3.Timeout(connect=min(policy.connect_timeout, left), read=left)
        pool = pinned_pool(scheme, address, host, port, timeout)
        headers = {
            "Host": host_header(scheme, host, port),
            "User-Agent": policy.user_agent,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
            "Accept-Encoding": "identity",
        }
        try:
            return pool.urlopen(
                "GET",
                path,
                headers=headers,
                redirect=False,
                preload_content=False,
                decode_content=False,
                assert_same_host=False,
            )
        except NewConnectionError as error:  # refused or unreachable; a subclass of the next
            errors.append(error)
            continue
        except ConnectTimeoutError as error:
            errors.append(error)
            continue
        except ReadTimeoutError as error:
            raise FetchTimeout("The page took too long to answer.") from error
        except SSLError as error:
            raise ConnectionFailed(f"The TLS connection to {host!r} failed.") from error
        except (ProtocolError, HTTPError, OSError) as error:
            errors.append(error)
            continue
    timeouts = [e for e in errors if type(e) is ConnectTimeoutError]
    if errors and len(timeouts) == len(errors):
        raise FetchTimeout(f"Connecting to {host!r} timed out.")
    raise ConnectionFailed(f"Could not connect to {host!r}.")


def _read(response, policy: FetchPolicy, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
        raise ResponseTooLarge(f"The page is larger than {policy.max_bytes} bytes.")
    body = bytearray()
    try:
        while True:
            _remaining(deadline)
            # read1 returns what has arrived, so a server that drips bytes still meets the deadline.
            chunk = response.read1(CHUNK)
            if not chunk:
                break
            body += chunk
            if len(body) > policy.max_bytes:
                raise ResponseTooLarge(f"The page is larger than {policy.max_bytes} bytes.")
    except ReadTimeoutError as error:
        raise FetchTimeout("The page took too long to answer.") from error
    except (ProtocolError, HTTPError, OSError) as error:
        raise ConnectionFailed("The connection broke while reading the page.") from error
    return bytes(body)


def _content_type(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "", None
    kind, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return kind.strip().lower(), charset


META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(body: bytes, charset: str | None, *, html: bool) -> tuple[str, str]:
    """(text, encoding): the declared charset first (header, then an HTML meta declaration, as
    browsers do), then UTF-8, then a detector's guess."""
    encoding = _codec(charset)
    if encoding is None and body.startswith(codecs.BOM_UTF8):
        encoding = "utf-8"
    if encoding is None and html:
        found = META_CHARSET.search(body[:4096])
        encoding = _codec(found.group(1).decode("ascii")) if found else None
    if encoding is None:
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(body).best()
            encoding = best.encoding if best else "utf-8"
    text = body.decode(encoding, errors="replace")
    return text.removeprefix("\ufeff"), encoding


def fetch(url: str, *, policy: FetchPolicy | None = None) -> Fetched:
    """GET an HTML or plain-text page from the open web under `policy` (the settings' by default).

    Raises a `FetchError` subclass for every refusal or failure: a bad URL, a forbidden address
    (before any connection), a timeout, too many redirects, a body over the size limit, a content
    type other than HTML or text, or a status other than 2xx after redirects.
    """
    policy = policy or default_policy()
    deadline = time.monotonic() + policy.total_timeout
    redirects: list[str] = []
    current = url.strip() if isinstance(url, str) else url
    while True:
        scheme, host, port, path = _check_url(current)
        response = _open(scheme, host, port, path, policy, deadline)
        try:
            if response.status in REDIRECTS:
                location = response.headers.get("Location")
                if not location:
                    raise HTTPStatusError(
                        f"The page answered {response.status} without a Location.",
                        response.status,
                    )
                if len(redirects) >= policy.max_redirects:
                    raise TooManyRedirects(
                        f"The page redirected more than {policy.max_redirects} times."
                    )
                current = urljoin(current, location.strip())
                redirects.append(current)
                continue
            if not 200 <= response.status < 300:
                reason = response.reason or ""
                raise HTTPStatusError(
                    f"The page answered {response.status} {reason}".rstrip() + ".",
                    response.status,
                )
            kind, charset = _content_type(response.headers.get("Content-Type"))
            if kind not in TEXT_TYPES:
                shown = kind or "no content type"
                raise UnsupportedContentType(
                    f"Only HTML and plain text pages can be read, not {shown}."
                )
            body = _read(response, policy, deadline)
        finally:
            response.release_conn()
            response.close()
        html = kind != "text/plain"
        text, encoding = decode(body, charset, html=html)
        return Fetched(
            url=current,
            status=response.status,
            content_type=kind,
            encoding=encoding,
            text=text,
            content=body,
            redirects=tuple(redirects),
        )

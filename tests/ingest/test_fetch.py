"""The outbound client: what it fetches, what it refuses, and that refusals happen before any
connection. Loopback is allowed through the setting (or a policy) only where a test says so; the
refusal tests use literal addresses or a stub resolver, since there is no DNS here."""

import time

import pytest

from ingest.fetch import (
    ConnectionFailed,
    FetchPolicy,
    FetchTimeout,
    ForbiddenAddress,
    HTTPStatusError,
    InvalidURL,
    ResolutionFailed,
    ResponseTooLarge,
    TooManyRedirects,
    UnsupportedContentType,
    address_refusal,
    fetch,
)

LOCAL = FetchPolicy(allow_private=True)


def test_fetch_html_page(web):
    base, seen = web
    page = fetch(f"{base}/article", policy=LOCAL)
    assert (page.url, page.status, page.content_type, page.encoding, page.redirects) == (
        f"{base}/article",
        200,
        "text/html",
        "utf-8",
        (),
    )
    assert "Café owners welcome the port deal." in page.text
    assert page.is_html
    assert seen == [("/article", base.removeprefix("http://"))]


def test_fetch_plain_text(web):
    base, _ = web
    page = fetch(f"{base}/plain", policy=LOCAL)
    assert (page.content_type, page.text, page.is_html) == ("text/plain", "Plain café text", False)


def test_fetch_allowed_by_the_setting(web, settings):
    base, _ = web
    settings.INGEST_FETCH_ALLOW_PRIVATE = True
    assert fetch(f"{base}/plain").text == "Plain café text"


def test_fetch_refuses_loopback_by_default(web, settings):
    base, seen = web
    settings.INGEST_FETCH_ALLOW_PRIVATE = False
    with pytest.raises(ForbiddenAddress) as error:
        fetch(f"{base}/article")
    assert (
        str(error.value)
        == "Refused to fetch from '127.0.0.1': it resolves to 127.0.0.1, a loopback address."
    )
    assert seen == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "a loopback address"),
        ("http://127.8.9.10:8080/x", "a loopback address"),
        ("http://[::1]/", "a loopback address"),
        ("http://10.1.2.3/", "a private address"),
        ("http://172.16.0.1/", "a private address"),
        ("http://192.168.1.1/", "a private address"),
        ("http://[fd12:3456::1]/", "a private address"),
        ("http://169.254.1.1/", "a link-local address"),
        ("http://[fe80::1]/", "a link-local address"),
        ("http://224.0.0.1/", "a multicast address"),
        ("http://0.0.0.0/", "an unspecified address"),
        ("http://240.0.0.1/", "a private address"),
        ("http://100.64.0.1/", "not a public address"),
        ("http://[::ffff:127.0.0.1]/", "a loopback address"),
        ("http://[2002:7f00:1::]/", "a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "a cloud metadata address"),
        ("http://[fd00:ec2::254]/", "a cloud metadata address"),
        ("http://168.63.129.16/", "a cloud metadata address"),
    ],
)
def test_fetch_refuses_non_public_addresses(url, reason):
    with pytest.raises(ForbiddenAddress) as error:
        fetch(url, policy=FetchPolicy(allow_private=False))
    assert str(error.value).endswith(f", {reason}.")


@pytest.mark.parametrize("address", ["169.254.169.254", "fd00:ec2::254", "100.100.100.200"])
def test_metadata_refused_even_when_private_allowed(address):
    assert address_refusal(address, allow_private=True) == "a cloud metadata address"


def test_public_address_accepted():
    assert address_refusal("93.184.216.34", allow_private=False) is None
    assert address_refusal("2606:2800:220:1::1", allow_private=False) is None


def test_fetch_checks_names_after_resolution():
    calls = []

    def resolver(host, port):
        calls.append((host, port))
        return ["93.184.216.34", "10.0.0.8"]

    with pytest.raises(ForbiddenAddress) as error:
        fetch("https://news.example.test/a", policy=FetchPolicy(resolver=resolver))
    assert str(error.value) == (
        "Refused to fetch from 'news.example.test': it resolves to 10.0.0.8, a private address."
    )
    assert calls == [("news.example.test", 443)]


def test_fetch_connects_to_the_checked_address(web):
    """The name never reaches the system resolver (it would fail here): the socket goes to the
    address the stub resolver gave and passed the check, and the Host header keeps the name."""
    base, seen = web
    port = int(base.rsplit(":", 1)[1])
    calls = []

    def resolver(host, resolved_port):
        calls.append(host)
        return ["127.0.0.1"]

    policy = FetchPolicy(allow_private=True, resolver=resolver)
    page = fetch(f"http://reports.example.test:{port}/redirect/1", policy=policy)
    assert page.url == f"http://reports.example.test:{port}/article"
    assert seen == [
        ("/redirect/1", f"reports.example.test:{port}"),
        ("/redirect/0", f"reports.example.test:{port}"),
        ("/article", f"reports.example.test:{port}"),
    ]
    # Resolved once per hop, and that one answer is what was checked and connected to.
    assert calls == ["reports.example.test"] * 3


def test_fetch_unresolvable_name():
    def resolver(host, port):
        raise ResolutionFailed(f"Could not resolve the host {host!r}.")

    with pytest.raises(ResolutionFailed):
        fetch("http://nowhere.invalid/", policy=FetchPolicy(resolver=resolver))


def test_fetch_follows_redirects(web):
    base, seen = web
    page = fetch(f"{base}/redirect/3", policy=LOCAL)
    assert page.url == f"{base}/article"
    assert page.redirects == (
        f"{base}/redirect/2",
        f"{base}/redirect/1",
        f"{base}/redirect/0",
        f"{base}/article",
    )
    assert [path for path, _ in seen] == [
        "/redirect/3",
        "/redirect/2",
        "/redirect/1",
        "/redirect/0",
        "/article",
    ]


def test_fetch_absolute_redirect(web):
    base, _ = web
    assert fetch(f"{base}/redirect-absolute", policy=LOCAL).text == "Plain café text"


def test_fetch_bounds_redirects(web):
    base, seen = web
    with pytest.raises(TooManyRedirects) as error:
        fetch(f"{base}/loop", policy=FetchPolicy(allow_private=True, max_redirects=3))
    assert str(error.value) == "The page redirected more than 3 times."
    assert len(seen) == 4


def test_fetch_checks_every_redirect(web):
    base, seen = web
    with pytest.raises(ForbiddenAddress) as error:
        fetch(f"{base}/redirect-metadata", policy=LOCAL)
    assert "169.254.169.254, a cloud metadata address" in str(error.value)
    assert [path for path, _ in seen] == ["/redirect-metadata"]


def test_fetch_refuses_redirect_to_other_schemes(web):
    base, _ = web
    with pytest.raises(InvalidURL) as error:
        fetch(f"{base}/redirect-ftp", policy=LOCAL)
    assert str(error.value) == "Only http and https URLs can be fetched."


def test_fetch_404(web):
    base, _ = web
    with pytest.raises(HTTPStatusError) as error:
        fetch(f"{base}/missing", policy=LOCAL)
    assert (str(error.value), error.value.status) == ("The page answered 404 Not Found.", 404)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/image", "Only HTML and plain text pages can be read, not image/png."),
        ("/no-type", "Only HTML and plain text pages can be read, not no content type."),
    ],
)
def test_fetch_refuses_other_content_types(web, path, message):
    base, _ = web
    with pytest.raises(UnsupportedContentType) as error:
        fetch(f"{base}{path}", policy=LOCAL)
    assert str(error.value) == message


@pytest.mark.parametrize("path", ["/big-declared", "/big-undeclared"])
def test_fetch_size_limit(web, path):
    base, _ = web
    started = time.monotonic()
    with pytest.raises(ResponseTooLarge) as error:
        fetch(f"{base}{path}", policy=FetchPolicy(allow_private=True, max_bytes=50_000))
    assert str(error.value) == "The page is larger than 50000 bytes."
    assert time.monotonic() - started < 10  # stopped early, not after 2 MB: a loose bound


def test_fetch_timeout_waiting_for_headers(web):
    """The server answers after 6 s; the 0.4 s deadline gives up long before (the bound is
    loose: the machine is shared, and this proves the give-up, not a speed)."""
    base, _ = web
    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetch(f"{base}/slow-headers", policy=FetchPolicy(allow_private=True, total_timeout=0.4))
    assert time.monotonic() - started < 4


def test_fetch_total_deadline_while_reading(web):
    """Each byte arrives well within a read timeout, the whole body takes 10 s; only the total
    deadline stops it (a loose bound, as above)."""
    base, _ = web
    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetch(f"{base}/drip", policy=FetchPolicy(allow_private=True, total_timeout=0.5))
    assert time.monotonic() - started < 5


def test_fetch_connection_refused():
    with pytest.raises(ConnectionFailed) as error:
        fetch("http://127.0.0.1:9/", policy=LOCAL)
    assert str(error.value) == "Could not connect to '127.0.0.1'."


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/latin1", "Le café est fermé."),
        ("/meta-cp1251", "Министр заявил, что всё готово."),
        ("/shift-jis-plain", "東京の港"),
    ],
)
def test_fetch_honours_declared_encodings(web, path, text):
    base, _ = web
    assert text in fetch(f"{base}{path}", policy=LOCAL).text


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "The URL is empty."),
        ("file:///etc/passwd", "Only http and https URLs can be fetched."),
        ("gopher://example.org/", "Only http and https URLs can be fetched."),
        ("http://user:pw@example.org/", "URLs with credentials are not fetched."),
        ("http:///nohost", "The URL has no host."),
        ("http://exa mple.org/", "The URL contains spaces or control characters."),
        ("http://example.org:99999/", "The URL is malformed: Port out of range 0-65535."),
    ],
)
def test_fetch_invalid_urls(url, message):
    with pytest.raises(InvalidURL) as error:
        fetch(url, policy=FetchPolicy())
    assert str(error.value) == message

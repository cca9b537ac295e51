"""CORS: only origins in CORS_ALLOWED_ORIGINS (none by default, see
tests/serving/test_production_settings.py) may read the API; only the API answers CORS."""

import pytest

pytestmark = pytest.mark.django_db

ALLOWED = "https://app.example.org"
EMPTY_PAGE = {"count": 0, "next": None, "previous": None, "results": []}


@pytest.fixture
def allowlist(settings):
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]


def cors_headers(response):
    return {k: v for k, v in response.headers.items() if k.lower().startswith("access-control")}


def test_an_allowed_origin_may_read_answers(anon, allowlist):
    response = anon.get("/api/v1/topics/", HTTP_ORIGIN=ALLOWED)
    assert (response.status_code, response.json()) == (200, EMPTY_PAGE)
    assert cors_headers(response) == {
        "access-control-allow-origin": ALLOWED,
        "access-control-expose-headers": "ETag, Retry-After",
    }


def test_an_allowed_origin_may_send_a_token_and_if_match(anon, allowlist):
    response = anon.options(
        "/api/v1/claims/1/",
        HTTP_ORIGIN=ALLOWED,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, if-match",
    )
    assert response.status_code == 200
    headers = cors_headers(response)
    assert headers["access-control-allow-origin"] == ALLOWED
    assert {"authorization", "content-type", "if-match"} <= set(
        headers["access-control-allow-headers"].split(", ")
    )
    assert "PATCH" in headers["access-control-allow-methods"].split(", ")


def test_another_origin_gets_no_cors_headers(anon, allowlist):
    response = anon.get("/api/v1/topics/", HTTP_ORIGIN="https://evil.example")
    assert (response.status_code, response.json()) == (200, EMPTY_PAGE)
    assert cors_headers(response) == {}
    preflight = anon.options(
        "/api/v1/claims/",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert cors_headers(preflight) == {}


def test_pages_outside_the_api_send_no_cors_headers(client, allowlist):
    response = client.get("/admin/login/", HTTP_ORIGIN=ALLOWED)
    assert response.status_code == 200
    assert cors_headers(response) == {}

"""An unexpected failure under /api/ answers a JSON 500 whose `error_id` is the request's id,
and is logged, as a JSON line on standard error, with that id, the user's id and the
traceback, and nothing of the request's credentials, cookies or body. Every answer carries the
request id in X-Request-ID: the client's own when it sent a sane one."""

import io
import json
import logging
import re

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.logs import JsonFormatter

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.failing_urls")]

SERVER_ERROR = {
    "detail": "A server error occurred. It has been logged; quote error_id if you report it.",
    "code": "server_error",
}
GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def log():
    """Reads what the configured handler (the one `LOGGING` puts on standard error) writes
    during the test: its text, and its lines as parsed JSON."""
    (handler,) = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    stream = io.StringIO()
    previous = handler.setStream(stream)

    class Log:
        @staticmethod
        def text() -> str:
            return stream.getvalue()

        @staticmethod
        def lines() -> list[dict]:
            return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield Log
    handler.setStream(previous)


@pytest.fixture
def client():
    return APIClient(raise_request_exception=False)


def test_an_unexpected_failure_under_the_api_is_a_json_500_with_the_request_id(client):
    response = client.get("/api/v1/failing/", HTTP_X_REQUEST_ID="client-chosen-id-42")
    assert (response.status_code, response["Content-Type"]) == (500, "application/json")
    assert response.json() == {**SERVER_ERROR, "error_id": "client-chosen-id-42"}
    assert response["X-Request-ID"] == "client-chosen-id-42"


def test_the_500_is_logged_once_with_its_id_user_and_traceback_and_no_secret(client, editor, log):
    token = Token.objects.create(user=editor).key
    client.cookies["sessionid"] = "session-cookie-value"
    response = client.post(
        "/api/v1/failing/?q=query-string-value",
        {"password": "body-secret"},
        format="json",
        HTTP_AUTHORIZATION=f"Token {token}",
        HTTP_X_REQUEST_ID="client-chosen-id-42",
    )
    assert response.status_code == 500
    [line] = log.lines()
    exception = line.pop("exception")
    assert line.pop("time")
    assert line == {
        "level": "ERROR",
        "logger": "django.request",
        "message": "Internal Server Error: /api/v1/failing/",
        "request_id": "client-chosen-id-42",
        "user_id": editor.pk,
    }
    assert exception.startswith("Traceback (most recent call last):")
    assert exception.endswith("RuntimeError: an unexpected failure")
    secrets = [token, "session-cookie-value", "body-secret", "query-string-value"]
    assert [secret for secret in secrets if secret in log.text()] == []


@pytest.mark.parametrize(
    "sent",
    [None, "", "two words", "x" * 129, "new\nline", "ü-umlaut", "-leading-dash"],
    ids=["absent", "empty", "space", "too-long", "newline", "non-ascii", "leading-dash"],
)
def test_without_a_sane_request_id_one_is_generated(client, log, sent):
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}
    response = client.get("/api/v1/failing/", **headers)
    error_id = response.json()["error_id"]
    assert GENERATED_ID.fullmatch(error_id)
    assert response["X-Request-ID"] == error_id
    assert log.lines()[-1]["request_id"] == error_id
    assert log.lines()[-1]["user_id"] is None


def test_outside_the_api_an_unexpected_failure_is_djangos_500_page(client, log):
    response = client.get("/failing/")
    assert (response.status_code, response["Content-Type"]) == (500, "text/html; charset=utf-8")
    assert "<h1>Server Error (500)</h1>" in response.content.decode()
    [line] = log.lines()
    assert (line["message"], line["request_id"]) == (
        "Internal Server Error: /failing/",
        response["X-Request-ID"],
    )


@pytest.mark.parametrize(
    "url", ["/api/v1/claims/", "/api/v1/claims/999/", "/admin/login/", "/no-such-page/"]
)
def test_every_answer_carries_its_request_id(client, url):
    response = client.get(url, HTTP_X_REQUEST_ID="abc.123:x_y-z")
    assert response["X-Request-ID"] == "abc.123:x_y-z"
    assert GENERATED_ID.fullmatch(client.get(url)["X-Request-ID"])

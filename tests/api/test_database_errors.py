"""A database error that escapes a view is answered for what it is, never as a 500: a statement
stopped by the statement timeout is a 503 with Retry-After (JSON under /api/, text elsewhere),
a statement too large for the database a 400.

To make a statement overrun its limit on purpose: on SQLite the limit is set to a microsecond
(the guard looks at the clock every 1,000 steps, and listing claims takes many more); on
PostgreSQL the connection is opened with a 100 ms statement_timeout, as settings open every
connection, and another connection holds a lock the claims' query must wait for.
"""

import contextlib
import json

import psycopg
import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from rest_framework.test import APIClient

from api.errors import database_error
from claims.models import Claim
from tests.factories import SpeakerFactory

# Transactional: on PostgreSQL a cancelled statement aborts the transaction it runs in, so the
# requests run outside the usual per-test transaction.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TIMEOUT_BODY = {
    "detail": "The database took too long to answer this request. Try again later, or ask for "
    "less (fewer words or filter values).",
    "code": "timeout",
}


@pytest.fixture
def claims():
    speaker = SpeakerFactory()
    Claim.objects.bulk_create(
        Claim(text=f"Claim number {n} about the economy.", speaker=speaker, status="published")
        for n in range(50)
    )


@contextlib.contextmanager
def postgresql_timeout(milliseconds: int):
    """Reopen the suite's connection with `statement_timeout` set as settings set it."""
    options = connection.settings_dict["OPTIONS"]
    saved = options.get("options")
    connection.close()
    connection.close_pool()
    options["options"] = f"-c statement_timeout={milliseconds}"
    try:
        yield
    finally:
        connection.close()
        connection.close_pool()
        if saved is None:
            options.pop("options")
        else:
            options["options"] = saved


@pytest.fixture
def slow_database(settings, claims):
    """Within: the next statement reading claims runs past the statement timeout."""

    @contextlib.contextmanager
    def overrun():
        if connection.vendor == "sqlite":
            settings.DATABASE_STATEMENT_TIMEOUT = 0.000_001
            yield
            settings.DATABASE_STATEMENT_TIMEOUT = 5
            return
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        with postgresql_timeout(100), psycopg.connect(**params) as locker:
            locker.execute("LOCK TABLE claims_claim IN ACCESS EXCLUSIVE MODE")
            yield
            locker.rollback()

    return overrun


def test_the_statement_timeout_is_five_seconds_by_default(settings):
    assert settings.DATABASE_STATEMENT_TIMEOUT == 5
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone() == ("5s",)


def test_a_list_whose_query_overruns_the_timeout_is_a_503_with_retry_after(slow_database):
    client = APIClient()
    with slow_database():
        response = client.get("/api/v1/claims/", {"q": "economy"})
    assert (response.status_code, response.json()) == (503, TIMEOUT_BODY)
    assert response["Retry-After"] == "5"
    # The connection is fine afterwards.
    answer = client.get("/api/v1/claims/", {"q": "economy"})
    assert (answer.status_code, answer.json()["count"]) == (200, 50)


def test_an_admin_page_whose_query_overruns_the_timeout_is_a_503_page(slow_database, admin_user):
    client = APIClient(raise_request_exception=False)
    client.force_login(admin_user)
    url = reverse("admin:claims_claim_changelist")
    with slow_database():
        response = client.get(url, {"q": "economy"})
    assert (response.status_code, response["Content-Type"]) == (503, "text/plain")
    assert response["Retry-After"] == "5"
    assert response.content.decode() == TIMEOUT_BODY["detail"]
    assert client.get(url, {"q": "economy"}).status_code == 200


def test_a_statement_too_large_for_the_database_is_a_400():
    # Unreachable through the API's bounded parameters; the statement is written here.
    sql = "SELECT " + "+".join(["1"] * 5000)
    with pytest.raises(OperationalError) as raised, connection.cursor() as cursor:
        cursor.execute(sql)
    assert database_error(raised.value) == (
        400,
        {
            "detail": "The request is too large for the database to answer: ask for fewer values.",
            "code": "too_complex",
        },
        {},
    )


def test_more_query_parameters_than_django_reads_is_a_json_400_under_the_api(claims):
    values = [f"s{n}" for n in range(1_001)]
    response = APIClient().get("/api/v1/claims/", {"speaker": values})
    assert (response.status_code, response.json()) == (
        400,
        {
            "detail": "The request has more than 1000 query or form parameters.",
            "code": "bad_request",
        },
    )


def test_the_503_is_documented_in_the_answer_not_only_the_status(slow_database):
    with slow_database():
        response = APIClient().get("/api/v1/claims/")
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["code"] == "timeout"

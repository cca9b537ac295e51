"""Failed admin sign-ins are throttled per (IP address, username) in the shared cache."""

import time

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"  # the factories' password
INVALID = (
    "Please enter the correct username and password for a staff account. "
    "Note that both fields may be case-sensitive."
)


@pytest.fixture(autouse=True)
def staff():
    UserFactory(username="editor", is_staff=True)
    UserFactory(username="other", is_staff=True)


def sign_in(username, password, address="192.0.2.10"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": username, "password": password})
    signed_in = "_auth_user_id" in client.session
    errors = response.context["form"].non_field_errors() if response.status_code != 302 else []
    return response, signed_in, list(errors)


def fail(n, username="editor", address="192.0.2.10"):
    for _ in range(n):
        response, signed_in, errors = sign_in(username, "wrong", address)
        assert (response.status_code, signed_in, errors) == (200, False, [INVALID])


def test_after_five_failures_even_the_right_password_is_refused_with_429():
    fail(5)
    response, signed_in, errors = sign_in("editor", PASSWORD)
    assert (response.status_code, signed_in) == (429, False)
    assert errors == [
        "Too many failed sign-in attempts for this username. Try again in 15 minute(s)."
    ]
    assert 895 <= int(response["Retry-After"]) <= 900
    assert errors[0] in response.content.decode()  # shown on the re-rendered form


def test_fewer_failures_still_let_the_right_password_in():
    fail(4)
    response, signed_in, errors = sign_in("editor", PASSWORD)
    assert (response.status_code, signed_in, errors) == (302, True, [])


def test_the_count_is_per_username_and_per_address():
    fail(5)
    assert sign_in("other", PASSWORD)[1]
    assert sign_in("editor", PASSWORD, address="192.0.2.99")[1]
    # Usernames are counted as typed, ignoring case and surrounding spaces.
    response, signed_in, _ = sign_in(" EDITOR ", PASSWORD)
    assert (response.status_code, signed_in) == (429, False)


def test_refusals_end_when_the_window_closes(settings):
    settings.THROTTLE_LOGIN = "2/1s"
    fail(2)
    assert sign_in("editor", PASSWORD)[0].status_code == 429
    time.sleep(1.1)
    response, signed_in, errors = sign_in("editor", PASSWORD)
    assert (response.status_code, signed_in, errors) == (302, True, [])

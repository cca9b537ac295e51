"""API throttling in-process, on the database cache: the 429's shape, whom each limit counts,
and the window. tests/serving/ proves the limits across worker processes."""

import time

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import token_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EMPTY_PAGE = {"count": 0, "next": None, "previous": None, "results": []}
URL = "/api/v1/topics/"


@pytest.fixture
def rates(settings):
    def set_rates(anon=None, user=None, num_proxies=0):
        settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
            "NUM_PROXIES": num_proxies,
        }

    return set_rates


def statuses(client, n, **extra):
    return [client.get(URL, **extra).status_code for _ in range(n)]


def test_over_the_limit_is_a_json_429_with_retry_after(anon, rates):
    rates(anon="2/min")
    for _ in range(2):
        response = anon.get(URL)
        assert (response.status_code, response.json()) == (200, EMPTY_PAGE)
    response = anon.get(URL)
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 55 <= retry_after <= 60  # the window opened with the first request
    assert response.json() == {
        "detail": f"Request was throttled. Expected available in {retry_after} seconds."
    }


def test_anonymous_clients_are_counted_per_address(rates):
    rates(anon="2/min")
    first, second = APIClient(REMOTE_ADDR="198.51.100.1"), APIClient(REMOTE_ADDR="198.51.100.2")
    assert statuses(first, 3) == [200, 200, 429]
    assert statuses(second, 3) == [200, 200, 429]


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(anon, rates):
    rates(anon="2/min")
    answers = [anon.get(URL, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(3)]
    assert answers == [200, 200, 429]


def test_behind_one_trusted_proxy_each_forwarded_address_is_counted_apart(rates):
    rates(anon="2/min", num_proxies=1)
    proxy = APIClient(REMOTE_ADDR="10.0.0.1")
    # The proxy appends the address it saw; anything before it was sent by the client.
    first = statuses(proxy, 3, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    second = statuses(proxy, 3, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.8")
    assert (first, second) == ([200, 200, 429], [200, 200, 429])


def test_signed_in_users_are_counted_per_user_not_as_anonymous(anon, rates):
    rates(anon="1/min", user="3/min")
    alice, bob = token_client(UserFactory()), token_client(UserFactory())
    assert statuses(alice, 4) == [200, 200, 200, 429]
    assert statuses(bob, 4) == [200, 200, 200, 429]
    assert statuses(anon, 2) == [200, 429]


def test_the_window_reopens_when_it_closes(anon, rates):
    rates(anon="1/1s")
    assert statuses(anon, 2) == [200, 429]
    time.sleep(1.1)
    assert statuses(anon, 2) == [200, 429]


def test_refused_requests_count_like_the_rest(rates):
    rates(anon="2/min", user="2/min")
    write = {"path": URL, "data": {"name": "Refused"}, "format": "json"}
    anonymous = APIClient(REMOTE_ADDR="198.51.100.7")
    assert [anonymous.post(**write).status_code for _ in range(3)] == [401, 401, 429]
    # A bad token is refused before any user is known: counted against the address.
    bad = APIClient(REMOTE_ADDR="198.51.100.8", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert [bad.get(URL).status_code for _ in range(3)] == [401, 401, 429]
    reader = token_client(UserFactory())
    assert [reader.post(**write).status_code for _ in range(3)] == [403, 403, 429]
    assert reader.post(**write).json()["detail"].startswith("Request was throttled.")

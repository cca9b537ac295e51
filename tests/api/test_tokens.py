"""Tokens without a shell: sign in for a token over the API, revoke it with itself; failed
sign-ins are throttled like the admin's."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"
PASSWORD = "correct horse battery staple"  # the factories' password
INVALID = {"non_field_errors": ["Unable to sign in with this username and password."]}


def sign_in(username, password=PASSWORD, address="192.0.2.10", **body):
    client = APIClient(REMOTE_ADDR=address)
    return client.post(URL, {"username": username, "password": password, **body}, format="json")


def test_sign_in_makes_the_token_once_and_returns_it_again():
    user = UserFactory(username="alice")
    first = sign_in("alice")
    assert (first.status_code, first.json()) == (200, {"token": Token.objects.get(user=user).key})
    again = sign_in("alice")
    assert again.json() == first.json()
    assert Token.objects.filter(user=user).count() == 1


def test_the_token_authenticates_writes_and_reads():
    UserFactory(username="alice", is_staff=True)
    token = sign_in("alice").json()["token"]
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    # No permission to add topics: 403, not 401, so the token was taken.
    response = client.post("/api/v1/topics/", {"name": "Economy"}, format="json")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "You do not have permission to perform this action."},
    )


@pytest.mark.parametrize(
    ("username", "password"),
    [("alice", "wrong"), ("nobody", PASSWORD), ("inactive", PASSWORD)],
)
def test_wrong_credentials_are_a_400_and_make_no_token(username, password):
    UserFactory(username="alice")
    UserFactory(username="inactive", is_active=False)
    response = sign_in(username, password)
    assert (response.status_code, response.json()) == (400, INVALID)
    assert not Token.objects.exists()


def test_missing_and_unknown_fields_are_named():
    response = APIClient().post(URL, {"user": "alice"}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {
            "username": ["This field is required."],
            "password": ["This field is required."],
            "user": ["Unknown field. Allowed here: username, password."],
        },
    )


def test_a_stale_token_sent_along_does_not_stand_in_the_way_of_signing_in():
    UserFactory(username="alice")
    client = APIClient(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    response = client.post(URL, {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user__username="alice").key}


def test_failed_sign_ins_are_throttled_like_the_admins(settings):
    settings.THROTTLE_LOGIN = "2/15min"
    UserFactory(username="alice")
    assert [sign_in("alice", "wrong").status_code for _ in range(2)] == [400, 400]
    refused = sign_in("alice")  # the right password, and still refused until the window closes
    assert refused.status_code == 429
    assert 890 < int(refused["Retry-After"]) <= 900
    assert refused.json() == {
        "detail": f"Request was throttled. Expected available in {refused['Retry-After']} seconds."
    }
    assert not Token.objects.exists()
    # Counted per address and username, ignoring case and surrounding spaces, as the admin's.
    assert sign_in(" ALICE ").status_code == 429
    assert sign_in("alice", address="192.0.2.99").status_code == 200


def test_admin_and_api_sign_ins_share_one_count(settings, client):
    settings.THROTTLE_LOGIN = "2/15min"
    UserFactory(username="alice", is_staff=True)
    client.post(
        "/admin/login/", {"username": "alice", "password": "wrong"}, REMOTE_ADDR="192.0.2.10"
    )
    assert sign_in("alice", "wrong").status_code == 400
    assert sign_in("alice").status_code == 429


def test_delete_revokes_the_token_it_is_sent_with_and_no_other():
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    alice_token, bob_token = Token.objects.create(user=alice), Token.objects.create(user=bob)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {alice_token.key}")
    assert client.delete(URL).status_code == 204
    assert list(Token.objects.values_list("key", flat=True)) == [bob_token.key]
    again = client.delete(URL)
    assert (again.status_code, again.json()) == (401, {"detail": "Invalid token."})


def test_delete_needs_the_token_not_a_session(client):
    user = UserFactory(username="alice")
    Token.objects.create(user=user)
    client.force_login(user)
    response = client.delete(URL)
    assert (response.status_code, response.json()) == (
        401,
        {"detail": "Authentication credentials were not provided."},
    )
    assert Token.objects.filter(user=user).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bearer_header_is_answered_with_the_token_scheme(method):
    response = getattr(APIClient(HTTP_AUTHORIZATION="Bearer abc123"), method)("/api/v1/topics/")
    assert (response.status_code, response.json()) == (
        401,
        {"detail": 'The Bearer scheme is not supported: send "Authorization: Token <key>".'},
    )
    assert response["WWW-Authenticate"] == "Token"


def test_a_basic_header_is_left_to_a_proxy_in_front():
    TopicFactory(slug="economy")
    response = APIClient(HTTP_AUTHORIZATION="Basic Zm9vOmJhcg==").get("/api/v1/topics/")
    assert response.status_code == 200
    assert [topic["slug"] for topic in response.json()["results"]] == ["economy"]

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def anon():
    return APIClient()


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def editor_client(editor):
    return token_client(editor)


@pytest.fixture
def reader_client(plain_user):
    """Signed in with a valid token, but without any permission and not staff."""
    return token_client(plain_user)


def etag(client, url):
    """The ETag a GET of `url` answers with, for a write's If-Match."""
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response["ETag"]

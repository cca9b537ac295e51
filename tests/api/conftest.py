import pytest
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

EDITOR_MODELS = [
    "speaker",
    "topic",
    "claim",
    "appearance",
    "rebuttal",
    "review",
    "outlet",
    "source",
]


@pytest.fixture
def anon():
    return APIClient()


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def editor(db):
    """A staff user holding add/change/delete/view on every claims and sources model."""
    user = UserFactory(username="editor", is_staff=True)
    codenames = [
        f"{action}_{model}"
        for model in EDITOR_MODELS
        for action in ("add", "change", "delete", "view")
    ]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


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

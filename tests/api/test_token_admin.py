"""API tokens in the admin: every staff user sees, makes and revokes their own; holders of the
token permissions (superusers) reach everyone's, as before."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:authtoken_tokenproxy_changelist")
ADD = reverse("admin:authtoken_tokenproxy_add")


def change_url(user):
    return reverse("admin:authtoken_tokenproxy_change", args=[user.pk])


def delete_url(user):
    return reverse("admin:authtoken_tokenproxy_delete", args=[user.pk])


@pytest.fixture
def intern(client):
    """Staff without any permission, signed in to the admin."""
    user = UserFactory(username="intern", is_staff=True)
    client.force_login(user)
    return user


def test_a_user_makes_their_own_token_without_choosing_whose(client, intern):
    form = client.get(ADD)
    assert form.status_code == 200
    assert "user" not in form.context["adminform"].form.fields
    response = client.post(ADD, {})
    assert response.status_code == 302
    assert list(Token.objects.values_list("user__username", flat=True)) == ["intern"]
    assert client.get(ADD).status_code == 403  # one token each: revoke it to make another


def test_a_user_sees_only_their_own_token_and_its_key(client, intern):
    own = Token.objects.create(user=intern)
    other = Token.objects.create(user=UserFactory(username="someone"))
    page = client.get(LIST)
    assert [token.key for token in page.context["cl"].result_list] == [own.key]
    assert other.key not in page.text
    detail = client.get(change_url(intern))
    assert detail.status_code == 200 and own.key in detail.text
    assert client.get(change_url(other.user)).status_code == 302  # "does not exist", to the list
    assert Token.objects.filter(key=other.key).exists()


def test_a_user_revokes_their_own_token_and_no_other(client, intern):
    Token.objects.create(user=intern)
    other = Token.objects.create(user=UserFactory(username="someone"))
    assert client.post(delete_url(other.user), {"post": "yes"}).status_code == 302
    assert Token.objects.filter(key=other.key).exists()
    assert client.post(delete_url(intern), {"post": "yes"}).status_code == 302
    assert list(Token.objects.values_list("key", flat=True)) == [other.key]


def test_a_user_cannot_change_a_token(client, intern):
    token = Token.objects.create(user=intern)
    someone = UserFactory(username="someone")
    client.post(change_url(intern), {"user": someone.pk})
    token.refresh_from_db()
    assert token.user == intern


def test_a_superuser_still_reaches_and_makes_everyones_tokens(admin_client):
    alice = UserFactory(username="alice")
    bob_token = Token.objects.create(user=UserFactory(username="bob"))
    assert admin_client.post(ADD, {"user": alice.pk}).status_code == 302
    page = admin_client.get(LIST)
    assert {token.user.username for token in page.context["cl"].result_list} == {"alice", "bob"}
    assert admin_client.post(delete_url(bob_token.user), {"post": "yes"}).status_code == 302
    assert list(Token.objects.values_list("user__username", flat=True)) == ["alice"]

"""The API's default permission: DRF's model permissions, anonymous reads allowed, and no
queryset built for a read."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from rest_framework.test import APIRequestFactory

from api.permissions import ModelPermissionsOrAnonReadOnly
from claims.models import Claim
from claims.querysets import may_view, sees_unpublished
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class View:
    """A view whose queryset only a write may ask for."""

    def __init__(self):
        self.asked = 0

    def get_queryset(self):
        self.asked += 1
        return Claim.objects.all()


def allowed(method: str, user) -> tuple[bool, int]:
    request = getattr(APIRequestFactory(), method.lower())("/api/v1/claims/")
    request.user = user
    view = View()
    return ModelPermissionsOrAnonReadOnly().has_permission(request, view), view.asked


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_reads_are_allowed_to_anyone_without_building_a_queryset(method, plain_user):
    assert allowed(method, AnonymousUser()) == (True, 0)
    assert allowed(method, plain_user) == (True, 0)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_writes_need_the_models_permission(method):
    assert allowed(method, AnonymousUser()) == (False, 1)
    user = UserFactory()
    assert allowed(method, user) == (False, 1)
    action = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}[method]
    user.user_permissions.add(Permission.objects.get(codename=f"{action}_claim"))
    user = type(user).objects.get(pk=user.pk)  # a fresh permission cache
    assert allowed(method, user) == (True, 1)


def test_who_sees_unpublished_rows(plain_user):
    """Anonymous clients are answered without asking the backends (claims.querysets.may_view):
    the same answer the backends give, which the first assertion keeps true."""
    anonymous = AnonymousUser()
    assert not anonymous.has_perm("claims.view_claim")
    assert (sees_unpublished(anonymous), may_view(anonymous, Claim)) == (False, False)
    assert sees_unpublished(plain_user) is False
    viewer = UserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_claim"))
    assert sees_unpublished(viewer) is True
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="change_claim"))
    assert sees_unpublished(editor) is True

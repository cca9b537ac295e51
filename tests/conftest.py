"""Shared fixtures; pytest-django's `admin_user` and `admin_client` give a superuser."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory


@pytest.fixture
def plain_user(db):
    """A signed-in account with no staff flag and no permissions."""
    return UserFactory(username="reader")


@pytest.fixture
def editor(db):
    """A staff account in the "Editors" group that migration claims 0005 creates."""
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user

"""Shared fixtures; pytest-django's `admin_user` and `admin_client` give a superuser."""

import pytest

from tests.factories import UserFactory


@pytest.fixture
def plain_user(db):
    """A signed-in account with no staff flag and no permissions."""
    return UserFactory(username="reader")

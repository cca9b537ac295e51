"""Shared fixtures; pytest-django's `admin_user` and `admin_client` give a superuser."""

import pytest
from django.core.cache import cache

from tests.factories import UserFactory


@pytest.fixture
def plain_user(db):
    """A signed-in account with no staff flag and no permissions."""
    return UserFactory(username="reader")


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached counts and search plans (claims.projections, claims.search) never cross tests."""
    cache.clear()
    yield
    cache.clear()

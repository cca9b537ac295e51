"""Shared fixtures; pytest-django's `admin_user` and `admin_client` give a superuser."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings

from tests.factories import UserFactory


def pytest_collection_modifyitems(config, items):
    """On a pytest-xdist worker, give every test a unique id carrying its `xdist_group`.

    `--dist loadgroup` sends each group to one worker by reading the group from the test's id,
    which xdist 3.8 writes into an attribute that pytest 9.2 no longer reads (ids now live in
    `Node._id`), so without this every group would be scattered. And schemathesis names its
    items per operation but leaves their ids equal, which xdist's scheduler would collapse into
    one test per function. Runs before xdist's own hook of the same name (which then changes
    nothing pytest reads).
    """
    if not hasattr(config, "workerinput"):
        return
    for item in items:
        nodeid = item.nodeid
        if "[" in item.name and "[" not in nodeid:  # schemathesis: one item per operation
            nodeid = f"{item.parent.nodeid}::{item.name}"
        groups = sorted({str(mark.args[0]) for mark in item.iter_markers("xdist_group")})
        if groups:
            nodeid = f"{nodeid}@{'_'.join(groups)}"
        if nodeid != item.nodeid:
            item._id = type(item._id).parse(nodeid)


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


def passwordless(username):
    """A user who signs in by token or force_login only: no password to hash (the fuzz tests
    build one per operation)."""
    return get_user_model().objects.create(username=username)


@pytest.fixture
def desk_editor(db):
    """The Editors group's permissions without the staff flag: may use the API, not the admin."""
    user = passwordless("desk")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def writer(db):
    """May add, change and view claims, reviews and rebuttals, and publish nothing."""
    user = passwordless("writer")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="claims",
            codename__in=[
                f"{action}_{model}"
                for action in ("add", "change", "view")
                for model in ("claim", "review", "rebuttal")
            ],
        )
    )
    return user


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, plus the database cache's table (not a migration: `createcachetable`
    makes it, as `make run` and `make serve` do)."""
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def uncollected_static_files(tmp_path_factory):
    """`make serve` collects hashed static files for WhiteNoise; the suite collects none, so
    pages link the plain names and WhiteNoise scans an empty folder. tests/serving/ starts
    servers on collected files."""
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    static_root = tmp_path_factory.mktemp("static")
    with override_settings(
        STATIC_ROOT=static_root,
        STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
        | {"staticfiles": plain},
    ):
        yield


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher():
    """MD5 instead of PBKDF2's million rounds: the suite creates and checks many passwords, none
    of them real. Servers started by tests/serving/ hash with the production hashers."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def unthrottled_api(settings):
    """No API rate limits in-process: the suite's requests would otherwise each add the
    throttle's cache queries, which the query-count tests do not count. The throttling tests
    (tests/serving/) set their own rates."""
    rest = settings.REST_FRAMEWORK
    settings.REST_FRAMEWORK = rest | {"DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached counts (claims.counts) never cross tests."""
    caches["per_process"].clear()
    yield
    caches["per_process"].clear()

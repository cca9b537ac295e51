from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from interop.parse import read_document
from interop.services import CommandLine, claimreview_import
from tests.api.conftest import token_client
from tests.conftest import passwordless

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# How run_import writes: "bulk" (the fast path) or "each" (entry by entry, the fallback).
WRITING = {"path": "bulk"}


@pytest.fixture(params=["bulk", "each"])
def both_writing_paths(request):
    """The test runs once on each way of writing an import (bulk, row by row): the same rows,
    reports and events. A module opts in with `pytest.mark.usefixtures`."""
    WRITING["path"] = request.param
    yield request.param
    WRITING["path"] = "bulk"


def run_import(*contents, by=None, names=None, **options):
    """Import documents given as bytes, str or fixture names ("single.json"), by the path
    WRITING names."""
    documents = []
    for index, content in enumerate(contents):
        name = names[index] if names else f"doc{index}"
        if isinstance(content, str) and content.endswith((".json", ".html")):
            name, content = content, load(content)
        documents.append(read_document(content, name=name))
    options.setdefault("entry_by_entry", WRITING["path"] == "each")
    return claimreview_import(documents=documents, by=by or CommandLine(), **options)


def user_with(username: str, *codenames: str):
    user = passwordless(username)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
    )
    return user


@pytest.fixture
def importer(db):
    """May add claims and reviews and publish both, claims without review too (an import
    publishes what a fact-checker already published)."""
    return user_with(
        "importer",
        "add_claim",
        "add_review",
        "change_claim",
        "change_review",
        "view_claim",
        "publish_claim",
        "publish_unreviewed_claim",
        "publish_review",
    )


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def editor_client(editor):
    return token_client(editor)

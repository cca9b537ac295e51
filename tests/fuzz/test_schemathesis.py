"""Fuzz every operation of the OpenAPI document with schemathesis, in-process over WSGI.

Each operation runs as an anonymous client and as an editor (a token with every
claims/sources permission). Every response must be a non-5xx whose status, headers,
content type and body conform to the schema. Checks left out, and why:

- positive_data_acceptance: bodies that are valid by the schema still name rows that
  do not exist (a random speaker slug or claim id); a 400/404 for those is right.
- ignored_auth: read operations are public by design (anonymous clients read published
  records); the schema says so with an empty security requirement.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi import checks

from factcheck.wsgi import application

# One worker runs the whole module: the last test counts the requests the others sent.
pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.xdist_group("fuzz")]

EXAMPLES_PER_OPERATION = 12
sent = {"requests": 0}


def load_schema():
    """The OpenAPI document as served at /api/schema/, bound to the WSGI app."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    config = SchemathesisConfig.from_dict(
        # A missing If-Match is answered 428 Precondition Required (RFC 6585).
        {"checks": {"missing_required_header": {"expected-statuses": [400, 401, 403, 428]}}}
    )
    loaded = schemathesis.openapi.from_dict(
        json.loads(OpenApiJsonRenderer().render(document)), config=config
    )
    loaded.app = application
    return loaded


schema = load_schema()


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests reach Django through WSGI here, not the test client: stop Django closing the
    connection that holds the test's transaction at each request's end (as the client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def demo_data(db, settings):
    settings.ALLOWED_HOSTS = ["localhost"]  # schemathesis' WSGI client calls it that
    call_command("load_demo", verbosity=0)


@pytest.fixture
def editor_headers(editor):
    from rest_framework.authtoken.models import Token

    return {"Authorization": f"Token {Token.objects.create(user=editor).key}"}


fuzz_settings = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
EXCLUDED_CHECKS = [checks.positive_data_acceptance, checks.ignored_auth]


def call(case, headers):
    sent["requests"] += 1
    case.call_and_validate(headers=headers, excluded_checks=EXCLUDED_CHECKS)


@schema.parametrize()
@fuzz_settings
def test_every_operation_as_anonymous(case):
    call(case, {})


@schema.parametrize()
@fuzz_settings
def test_every_operation_as_editor(case, editor_headers):
    call(case, editor_headers)


def test_fuzzing_sent_at_least_a_thousand_requests():
    # Runs after the parametrised fuzz tests above (pytest keeps a module's order).
    assert sent["requests"] >= 1000, sent

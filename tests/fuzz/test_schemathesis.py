"""Fuzz every operation of the OpenAPI document with schemathesis, in-process over WSGI.

Each operation runs in four roles: anonymous; an editor (staff, in the Editors group); a desk
editor (the Editors group without the staff flag); a writer who may add, change and view
claims, reviews and rebuttals but publish nothing. Then schemathesis' stateful phase chains
operations (a record created or listed is read, changed with its current ETag, deleted; the
links are inferred from the document) as the desk editor and as the writer. Every response
must be a non-5xx whose status, headers, content type and body conform to the schema. Checks
left out, and why:

- positive_data_acceptance: bodies that are valid by the schema still name rows that
  do not exist (a random speaker slug or claim id); a 400/404 for those is right.
- ignored_auth: read operations are public by design (anonymous clients read published
  records); the schema says so with an empty security requirement.
"""

import json
from urllib.parse import unquote

import pytest
import schemathesis
from django.core import signals
from django.core.cache import caches
from django.core.management import call_command
from django.db import close_old_connections, transaction
from django.urls import Resolver404, resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.test import APIRequestFactory
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi import checks

from factcheck.wsgi import application

# One worker runs the whole module: the last test counts the requests the others sent.
pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.xdist_group("fuzz")]

EXAMPLES_PER_OPERATION = 12
STATEFUL_SCENARIOS, STATEFUL_STEPS = 25, 6
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


def token_headers(user):
    from rest_framework.authtoken.models import Token

    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


@pytest.fixture
def editor_headers(editor):
    return token_headers(editor)


@pytest.fixture
def desk_headers(desk_editor):
    return token_headers(desk_editor)


@pytest.fixture
def writer_headers(writer):
    return token_headers(writer)


fuzz_settings = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
# The other roles need fewer examples: they differ from the editor in permissions only.
role_settings = settings(fuzz_settings, max_examples=EXAMPLES_PER_OPERATION // 3)
stateful_settings = settings(
    fuzz_settings, max_examples=STATEFUL_SCENARIOS, stateful_step_count=STATEFUL_STEPS
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


@schema.parametrize()
@role_settings
def test_every_operation_as_a_desk_editor_and_as_a_writer(case, desk_headers, writer_headers):
    # One test for both: each operation's test loads the demo data, which costs more than
    # the requests.
    call(case, desk_headers)
    call(case, writer_headers)


def current_etag(path: str, headers: dict) -> str:
    """The ETag a GET of `path` answers `headers`' user, read by calling the view itself: the
    test client would reconnect the signal that closes the test's connection (see
    keep_the_test_connection)."""
    try:
        match = resolve(unquote(path))
    except Resolver404:
        return '"0-0"'
    request = APIRequestFactory().get(path, HTTP_AUTHORIZATION=headers["Authorization"])
    return match.func(request, *match.args, **match.kwargs).get("ETag", '"0-0"')


def run_stateful(headers):
    """Schemathesis' stateful phase: scenarios of linked operations, as one user."""

    class Scenarios(schema.as_state_machine()):
        # Each scenario starts from the same data (the demo's), so that Hypothesis, which
        # replays scenarios, sees the same answers to the same requests.
        def setup(self):
            caches["per_process"].clear()
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def get_call_kwargs(self, case):
            sent["requests"] += 1
            positive = case.meta is None or not case.meta.generation.mode.is_negative
            if not (positive and "If-Match" in (case.headers or {})):
                return {"headers": headers}
            # Valid writes carry the current ETag, so that they reach the code behind the
            # If-Match check (the other tests fuzz the header itself).
            return {"headers": {**headers, "If-Match": current_etag(case.formatted_path, headers)}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, excluded_checks=EXCLUDED_CHECKS, headers=headers)

    Scenarios.run(settings=stateful_settings)


def test_linked_operations_as_an_editor_without_the_staff_flag(desk_headers):
    run_stateful(desk_headers)


def test_linked_operations_as_a_writer_who_may_not_publish(writer_headers):
    run_stateful(writer_headers)


def test_fuzzing_sent_at_least_a_thousand_requests():
    # Runs after the parametrised fuzz tests above (pytest keeps a module's order).
    assert sent["requests"] >= 1000, sent

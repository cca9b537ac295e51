"""The "Editors" group (migration claims 0005) and what its members may do in the admin."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import ClaimFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

EDITED = {
    "claims": ["speaker", "topic", "claim", "appearance", "rebuttal", "review"],
    "sources": ["outlet", "source"],
}


def test_editors_group_holds_exactly_the_editor_permissions():
    # The test database is built by running the migrations on an empty database, before any
    # post_migrate signal: the group having its permissions shows the migration creates them.
    group = Group.objects.get(name="Editors")
    held = {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }
    expected = {
        f"{app_label}.{action}_{model}"
        for app_label, models in EDITED.items()
        for model in models
        for action in ["add", "change", "delete", "view"]
    } | {"claims.publish_claim", "claims.publish_review", "claims.publish_rebuttal"}
    # Not claims.publish_unreviewed_claim: an editor publishes what was in review.
    assert held == expected
    assert len(held) == 35


def test_editor_sees_only_the_claims_and_sources_apps_on_the_admin_index(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    apps = {
        app["app_label"]: sorted(model["object_name"] for model in app["models"])
        for app in response.context["app_list"]
    }
    assert apps == {
        "claims": ["Appearance", "Claim", "Rebuttal", "Review", "Speaker", "Topic"],
        "sources": ["Outlet", "Source"],
        "authtoken": ["TokenProxy"],  # their own API token only (tests/api/test_token_admin.py)
    }
    assert "Authentication and Authorization" not in response.text


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:auth_user_changelist",
        "admin:auth_user_add",
        "admin:auth_group_changelist",
        "admin:auth_group_add",
    ],
)
def test_editor_is_refused_user_and_group_administration(client, editor, url_name):
    client.force_login(editor)
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    assert "403 Forbidden" in response.text


EDITED_PAGES = [
    f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
    for model in admin.site._registry
    if model._meta.app_label in EDITED
    for view in ["changelist", "add"]
]


def test_the_editors_pages_are_those_of_claims_and_sources():
    assert {page.split(":")[1].split("_")[0] for page in EDITED_PAGES} == set(EDITED)


@pytest.mark.parametrize("page", EDITED_PAGES)
def test_editor_opens_every_claims_and_sources_admin_page(client, editor, page):
    ClaimFactory()
    SourceFactory()
    client.force_login(editor)
    response = client.get(reverse(page))
    assert response.status_code == 200


def test_editor_can_publish_claims(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:claims_claim_changelist"))
    actions = [name for name, _ in response.context["action_form"].fields["action"].choices]
    assert actions == ["", "delete_selected", "send_to_review", "publish", "unpublish"]


def test_staff_account_without_permissions_is_refused_the_claim_admin(client):
    user = UserFactory(username="intern", is_staff=True)
    client.force_login(user)
    index = client.get(reverse("admin:index"))
    # Nothing but their own API token (tests/api/test_token_admin.py).
    assert [app["app_label"] for app in index.context["app_list"]] == ["authtoken"]
    response = client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 403

"""The admin shows no draft claim to an account that may not see drafts, also where a record it
may see points to one (a rebuttal's rebutting claim)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from claims.enums import ClaimStatus
from tests.factories import ClaimFactory, RebuttalFactory, UserFactory

pytestmark = pytest.mark.django_db

DRAFT_TEXT = "A draft answer nobody outside the desk has seen"


def staff_with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def rebuttal_by_a_draft():
    answer = ClaimFactory(status=ClaimStatus.DRAFT, text=DRAFT_TEXT)
    return RebuttalFactory(claim=ClaimFactory(), rebutting_claim=answer)


@pytest.mark.parametrize("codenames", [["view_rebuttal"], ["view_rebuttal", "change_rebuttal"]])
def test_a_rebuttal_page_hides_a_draft_rebutting_claim_from_who_may_not_see_drafts(
    client, rebuttal_by_a_draft, codenames
):
    client.force_login(staff_with(*codenames))
    url = reverse("admin:claims_rebuttal_change", args=[rebuttal_by_a_draft.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert rebuttal_by_a_draft.text in page.content.decode()
    assert DRAFT_TEXT not in page.content.decode()


def test_a_rebuttal_page_shows_a_draft_rebutting_claim_to_who_may_see_drafts(
    client, rebuttal_by_a_draft
):
    client.force_login(staff_with("view_rebuttal", "view_claim"))
    page = client.get(reverse("admin:claims_rebuttal_change", args=[rebuttal_by_a_draft.pk]))
    assert DRAFT_TEXT in page.content.decode()


def test_a_rebuttal_edit_without_the_draft_field_keeps_the_rebutting_claim(
    client, rebuttal_by_a_draft
):
    client.force_login(staff_with("view_rebuttal", "change_rebuttal"))
    url = reverse("admin:claims_rebuttal_change", args=[rebuttal_by_a_draft.pk])
    form = client.get(url).context["adminform"].form
    assert "rebutting_claim" not in form.fields
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    answer = client.post(url, {**data, "text": "Edited text"})
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    rebuttal_by_a_draft.refresh_from_db()
    assert rebuttal_by_a_draft.text == "Edited text"
    assert rebuttal_by_a_draft.rebutting_claim.text == DRAFT_TEXT


def test_a_rebuttals_claim_choices_hold_no_draft_for_who_may_not_see_drafts(
    client, rebuttal_by_a_draft
):
    client.force_login(staff_with("view_rebuttal", "add_rebuttal"))
    form = client.get(reverse("admin:claims_rebuttal_add")).context["adminform"].form
    for name in ("claim", "rebutting_claim"):
        choices = form.fields[name].queryset
        assert set(choices.values_list("status", flat=True)) == {ClaimStatus.PUBLISHED}


def test_a_rebuttals_history_pages_hide_a_draft_rebutting_claim(client, rebuttal_by_a_draft):
    client.force_login(staff_with("view_rebuttal"))
    pk = rebuttal_by_a_draft.pk
    history = client.get(reverse("admin:claims_rebuttal_history", args=[pk]))
    version = rebuttal_by_a_draft.history.latest().history_id
    url = reverse("admin:claims_rebuttal_simple_history", args=[pk, version])
    version_page = client.get(url)
    for page in (history, version_page):
        assert page.status_code == 200
        assert DRAFT_TEXT not in page.content.decode()

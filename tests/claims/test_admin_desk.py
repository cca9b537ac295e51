"""The desk in the admin: "My claims", the assignee on the claim form, "My assignments" on
the home page, and internal notes on the claim page."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.enums import ClaimStatus
from claims.models import ClaimNote
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:claims_claim_changelist"


def staff_editor(username):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_in(client, editor):
    client.force_login(editor)
    return client


def listed(client, query=""):
    response = client.get(reverse(CHANGELIST) + query)
    assert response.status_code == 200
    return {claim.pk for claim in response.context["cl"].result_list}


def test_my_claims_filter(editor_in, editor):
    mine = ClaimFactory(assignee=editor, text="Mine to check")
    theirs = ClaimFactory(assignee=staff_editor("colleague"))
    nobodys = ClaimFactory()
    assert listed(editor_in, "?assignee=me") == {mine.pk}
    assert listed(editor_in, "?assignee=none") == {nobodys.pk}
    assert listed(editor_in) == {mine.pk, theirs.pk, nobodys.pk}
    page = editor_in.get(reverse(CHANGELIST)).content.decode()
    assert 'href="?assignee=me"' in page and "My claims" in page


def test_the_claim_form_offers_only_assignable_editors(editor_in, editor, admin_user):
    staff_editor("colleague")
    UserFactory(username="reader")  # not staff
    UserFactory(username="bare-staff", is_staff=True)  # may not change claims
    inactive = staff_editor("gone")
    inactive.is_active = False
    inactive.save()
    claim = ClaimFactory()
    response = editor_in.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    form = response.context["adminform"].form
    choices = [user.username for user in form.fields["assignee"].queryset]
    assert choices == sorted(["admin", "colleague", "editor"])


def test_home_lists_my_assignments_workflow_first(editor_in, editor):
    ClaimFactory(assignee=editor, text="Published one", status=ClaimStatus.PUBLISHED)
    ClaimFactory(assignee=editor, text="Draft one", status=ClaimStatus.DRAFT)
    ClaimFactory(assignee=staff_editor("colleague"), text="Someone else's")
    page = editor_in.get(reverse("admin:index")).content.decode()
    section = page.split('id="my-assignments"')[1].split("</table>")[0]
    assert "Draft one" in section and "Published one" in section
    assert section.index("Draft one") < section.index("Published one")
    assert "Someone else" not in section
    assert f'href="{reverse(CHANGELIST)}?assignee=me"' in section


def test_home_with_nothing_assigned(editor_in):
    page = editor_in.get(reverse("admin:index")).content.decode()
    assert "No claim is assigned to you." in page


def test_my_assignments_keep_the_home_pages_query_count(editor_in, editor):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            editor_in.get(reverse("admin:index"))
        return len(captured)

    ClaimFactory(assignee=editor)
    few = queries()
    for _ in range(10):
        ClaimFactory(assignee=editor)
    assert queries() == few


def notes_form(claim, **notes):
    return {
        "text": claim.text,
        "speaker": claim.speaker_id,
        "language": "en",
        "status": claim.status,
        "seen_version": claim.version,
        **{
            f"{p}-{k}": 0
            for p in ("appearances", "rebuttals", "reviews")
            for k in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
        "notes-INITIAL_FORMS": 0,
        **notes,
    }


def test_an_editor_adds_an_internal_note_on_the_claim_page(editor_in, editor):
    claim = ClaimFactory()
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    response = editor_in.post(
        url, notes_form(claim, **{"notes-TOTAL_FORMS": 1, "notes-0-text": "Call the ministry."})
    )
    assert response.status_code == 302, response.context["errors"]
    (note,) = ClaimNote.objects.all()
    assert (note.claim, note.author, note.text) == (claim, editor, "Call the ministry.")
    page = editor_in.get(url).content.decode()
    assert "internal notes (staff only, never published)" in page.lower()
    assert "Call the ministry." in page
    # shown, not editable: no text box holds it
    assert 'name="notes-0-text"' not in page


def test_the_add_page_has_no_notes(editor_in):
    response = editor_in.get(reverse("admin:claims_claim_add"))
    prefixes = {f.formset.prefix for f in response.context["inline_admin_formsets"]}
    assert "notes" not in prefixes

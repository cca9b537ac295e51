"""The admin refuses to save over a newer version, and shows each object's edit history."""

import pytest
from django.urls import reverse

from api.concurrency import CHANGED_ELSEWHERE
from claims.models import Speaker
from tests.factories import ClaimFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def speaker_form(speaker, **changes):
    return {
        "name": speaker.name,
        "slug": speaker.slug,
        "kind": speaker.kind,
        "job_title": speaker.job_title,
        "country": speaker.country,
        "wikidata_id": speaker.wikidata_id,
        "description": speaker.description,
        "seen_version": speaker.version,
        **changes,
    }


def test_admin_refuses_to_save_a_form_over_a_newer_version(admin_client):
    speaker = SpeakerFactory(name="Jens Stoltenberg", job_title="Secretary-General")
    url = reverse("admin:claims_speaker_change", args=[speaker.pk])
    opened = speaker_form(speaker)  # editor A opens the form at version 1
    saved = admin_client.post(url, speaker_form(speaker, job_title="NATO Secretary-General"))
    assert saved.status_code == 302  # editor B saves first: version 2
    response = admin_client.post(url, {**opened, "description": "Norwegian politician"})
    assert response.status_code == 200
    assert CHANGED_ELSEWHERE in response.text
    speaker.refresh_from_db()
    assert (speaker.job_title, speaker.description, speaker.version) == (
        "NATO Secretary-General",
        "",
        2,
    )


def test_admin_form_carries_the_version_it_opened(admin_client):
    speaker = SpeakerFactory()
    response = admin_client.get(reverse("admin:claims_speaker_change", args=[speaker.pk]))
    assert '<input type="hidden" name="seen_version" value="1"' in response.text


def test_admin_history_page_shows_who_changed_what(admin_client, admin_user):
    speaker = SpeakerFactory(job_title="Prime Minister")
    url = reverse("admin:claims_speaker_change", args=[speaker.pk])
    admin_client.post(url, speaker_form(speaker, job_title="Secretary-General"))
    history = admin_client.get(reverse("admin:claims_speaker_history", args=[speaker.pk]))
    assert history.status_code == 200
    assert "Prime Minister" in history.text and "Secretary-General" in history.text
    latest = Speaker.history.filter(id=speaker.pk).latest("history_date")
    assert (latest.history_user, latest.version, latest.job_title) == (
        admin_user,
        2,
        "Secretary-General",
    )


def test_publish_action_bumps_versions_and_records_history(admin_client):
    claim = ClaimFactory(status="draft")
    admin_client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "publish", "_selected_action": [claim.pk]},
    )
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("published", 2)
    assert list(claim.history.order_by("history_date").values_list("status", flat=True)) == [
        "draft",
        "published",
    ]


def test_admin_reverts_to_an_old_version_as_a_new_version(admin_client):
    speaker = SpeakerFactory(job_title="Prime Minister of Norway")
    url = reverse("admin:claims_speaker_change", args=[speaker.pk])
    admin_client.post(url, speaker_form(speaker, job_title="Secretary-General"))
    first = Speaker.history.filter(id=speaker.pk).earliest("history_date")
    revert = reverse("admin:claims_speaker_simple_history", args=[speaker.pk, first.history_id])
    page = admin_client.get(revert)
    assert '<input type="hidden" name="seen_version" value="2"' in page.text
    reverted = admin_client.post(revert, speaker_form(first, seen_version=2))
    assert reverted.status_code == 302
    speaker.refresh_from_db()
    assert (speaker.job_title, speaker.version) == ("Prime Minister of Norway", 3)

"""The claim's admin page lists its likely matches, with scores and links."""

import pytest
from django.urls import reverse

from claims.enums import ClaimStatus
from matching.backends import get_backend
from matching.services import vectors_update
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def test_the_claim_page_shows_likely_matches_with_scores_and_links(admin_client, use_backend):
    use_backend("use")
    claim = ClaimFactory(text="There is no NATO legion. The foreign forces in Ukraine are Russian.")
    repeat = ClaimFactory(
        text="There is no NATO legion; the foreign forces in Ukraine are Russian!",
        status=ClaimStatus.DRAFT,
    )
    unrelated = ClaimFactory(text="The harvest was the best in ten years.")
    vectors_update()
    page = admin_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    link = reverse("admin:claims_claim_change", args=[repeat.pk])
    assert (
        f'<li>exact 1.00: <a href="{link}">{repeat}</a>, by {repeat.speaker} (Draft)</li>' in html
    )
    assert reverse("admin:claims_claim_change", args=[unrelated.pk]) not in html
    assert f"Scored by {get_backend().label}." in html


def test_a_claim_without_likely_matches_says_so(admin_client, use_backend):
    use_backend("lexical")
    claim = ClaimFactory(text="The harvest was the best in ten years.")
    vectors_update()
    html = admin_client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content
    assert "No stored claim is a likely match (lexical 1)." in html.decode()


def test_a_new_claim_form_has_no_matches_section(admin_client):
    html = admin_client.get(reverse("admin:claims_claim_add")).content.decode()
    assert "likely matches" not in html.lower()

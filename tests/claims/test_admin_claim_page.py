"""The claim's admin page: inline captions that name who and where, its verdict, and the
claims it answers."""

import pytest
from django.urls import reverse

from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    FactCheckerFactory,
    RebuttalFactory,
    ReviewFactory,
    SourceFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def putin_claim():
    claim = ClaimFactory(speaker=SpeakerFactory(name="Vladimir Putin"), text="A NATO legion.")
    source = SourceFactory(title="Russia blames NATO")
    AppearanceFactory(claim=claim, source=source, is_first=True)
    RebuttalFactory(
        claim=claim,
        speaker=SpeakerFactory(name="Jens Stoltenberg"),
        source=source,
        text="There is no NATO legion.",
        rebutting_claim=ClaimFactory(text="There is no NATO legion (own record)."),
    )
    ReviewFactory(claim=claim, reviewer=FactCheckerFactory(name="Checkers"))
    return claim


def page_of(client, claim):
    return client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()


def test_inline_captions_name_the_speaker_source_and_reviewer(admin_client, putin_claim):
    page = page_of(admin_client, putin_claim)
    assert "Vladimir Putin in “Russia blames NATO”" in page
    assert "Refutes, by Jens Stoltenberg in “Russia blames NATO”" in page
    assert "False, by Checkers" in page
    assert "in source #" not in page and "on claim #" not in page


def test_the_claim_page_shows_its_verdict(admin_client, putin_claim):
    putin_claim.refresh_from_db()
    assert putin_claim.verdict == "false"
    assert 'class="verdict-badge verdict-false" title="Verdict: False"' in page_of(
        admin_client, putin_claim
    )


def test_a_claim_that_answers_another_links_to_it(admin_client, putin_claim):
    answer = putin_claim.rebuttals.get().rebutting_claim
    page = page_of(admin_client, answer)
    link = reverse("admin:claims_claim_change", args=[putin_claim.pk])
    assert f'<li>Refutes <a href="{link}">{putin_claim}</a>, by Vladimir Putin</li>' in page
    assert "This claim answers no other claim." in page_of(admin_client, putin_claim)

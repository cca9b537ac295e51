"""The editor's home page in the admin (the admin index)."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.enums import ClaimStatus, Rating, ReviewStatus
from tests.factories import ClaimFactory, ReviewFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db


def home(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_home_counts_claims_by_status_and_lists_what_waits_for_review(admin_client):
    ClaimFactory.create_batch(2, status=ClaimStatus.DRAFT)
    ClaimFactory(status=ClaimStatus.IN_REVIEW, text="Waiting since long ago")
    page, _ = home(admin_client)
    assert '?status__exact=draft">Draft</a></th><td>2</td>' in page
    assert '?status__exact=in_review">In review</a></th><td>1</td>' in page
    assert '?status__exact=published">Published</a></th><td>0</td>' in page
    assert "Waiting since long ago" in page


def test_home_draws_each_busy_speakers_scorecard_as_an_svg_bar(admin_client):
    speaker = SpeakerFactory(name="Vladimir Putin")
    for rating in (Rating.FALSE, Rating.FALSE, Rating.MISLEADING):
        ReviewFactory(claim=ClaimFactory(speaker=speaker), rating=rating)
    ClaimFactory(speaker=speaker)
    page, _ = home(admin_client)
    assert 'aria-label="Vladimir Putin: False 2, Misleading 1, Unrated 1"' in page
    assert '<rect x="0.0" y="0" width="120.0" height="14" fill="#b3261e">' in page
    assert "<title>Unrated: 1</title>" in page
    assert "<script" not in page.split('id="editor-home"')[1].split("</div>")[0]


def test_home_query_count_does_not_grow_with_data(admin_client):
    ReviewFactory()
    _, few = home(admin_client)
    for _ in range(12):
        review = ReviewFactory(status=ReviewStatus.DRAFT, claim=ClaimFactory())
        ClaimFactory(speaker=review.claim.speaker, status=ClaimStatus.IN_REVIEW)
    _, many = home(admin_client)
    assert many == few


def test_home_shows_nothing_of_claims_to_staff_who_may_not_see_them(client):
    ClaimFactory(status=ClaimStatus.IN_REVIEW, text="An unpublished statement")
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_outlet"))
    client.force_login(user)
    page, _ = home(client)
    assert 'id="editor-home"' not in page
    assert "An unpublished statement" not in page

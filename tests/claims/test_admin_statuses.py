"""The admin moves claims and reviews through the same status services as the API: the publish
permission is checked, the version bumped, the reason recorded; and what the admin lists
follows the same visibility rule as the API."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from claims.enums import ClaimStatus, ReviewStatus
from claims.models import Claim, Review
from tests.factories import ClaimFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def staff_with(*codenames):
    user = UserFactory(username="-".join(codenames) or "nobody", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def reviewer_without_publish(client):
    """Staff who may change claims and reviews, and publish neither."""
    user = staff_with("view_claim", "change_claim", "view_review", "change_review")
    client.force_login(user)
    return user


def review_form(review, **changes):
    return {
        "claim": review.claim_id,
        "reviewer": review.reviewer_id,
        "rating": review.rating,
        "textual_rating": review.textual_rating,
        "summary": review.summary,
        "url": review.url,
        "published_on": review.published_on.isoformat() if review.published_on else "",
        "status": review.status,
        "seen_version": review.version,
        **changes,
    }


def test_review_status_is_read_only_without_the_publish_permission(
    client, reviewer_without_publish
):
    review = ReviewFactory(status=ReviewStatus.DRAFT)
    page = client.get(reverse("admin:claims_review_change", args=[review.pk]))
    assert "status" not in page.context["adminform"].form.fields
    claim_page = client.get(reverse("admin:claims_claim_change", args=[review.claim_id]))
    (reviews,) = [f for f in claim_page.context["inline_admin_formsets"] if f.opts.model is Review]
    assert "status" not in reviews.formset.forms[0].fields
    saved = client.post(
        reverse("admin:claims_review_change", args=[review.pk]),
        review_form(review, status="published", summary="Checked."),
    )
    assert saved.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.summary, review.version) == ("draft", "Checked.", 2)


def test_review_publish_actions_need_the_publish_permission(client, reviewer_without_publish):
    review = ReviewFactory(status=ReviewStatus.DRAFT)
    changelist = reverse("admin:claims_review_changelist")
    assert client.get(changelist).context["action_form"] is None  # no action to offer
    client.post(changelist, {"action": "publish", "_selected_action": [review.pk]})
    assert Review.objects.get().status == ReviewStatus.DRAFT


def test_publishing_a_review_from_its_list_goes_through_the_service(admin_client, admin_user):
    review = ReviewFactory(status=ReviewStatus.DRAFT)
    response = admin_client.post(
        reverse("admin:claims_review_changelist"),
        {"action": "publish", "_selected_action": [review.pk]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["1 review(s) moved to “Published”."]
    latest = review.history.latest("history_date")
    assert (latest.status, latest.version, latest.history_user, latest.history_change_reason) == (
        "published",
        2,
        admin_user,
        "Moved from Draft to Published.",
    )
    assert Claim.objects.get(pk=review.claim_id).verdict == "false"


def test_publishing_a_review_in_the_claims_inline_goes_through_the_service(admin_client):
    review = ReviewFactory(status=ReviewStatus.DRAFT)
    claim = review.claim
    form = {
        "text": claim.text,
        "speaker": claim.speaker_id,
        "language": "en",
        "status": claim.status,
        "seen_version": claim.version,
        "appearances-TOTAL_FORMS": 0,
        "appearances-INITIAL_FORMS": 0,
        "rebuttals-TOTAL_FORMS": 0,
        "rebuttals-INITIAL_FORMS": 0,
        "reviews-TOTAL_FORMS": 1,
        "reviews-INITIAL_FORMS": 1,
        "notes-TOTAL_FORMS": 0,
        "notes-INITIAL_FORMS": 0,
        **{f"reviews-0-{k}": v for k, v in review_form(review, status="published").items()},
        "reviews-0-id": review.pk,
        "reviews-0-claim": claim.pk,
    }
    response = admin_client.post(reverse("admin:claims_claim_change", args=[claim.pk]), form)
    assert response.status_code == 302, response.context["errors"]
    latest = review.history.latest("history_date")
    assert (latest.status, latest.version, latest.history_change_reason) == (
        "published",
        2,
        "Moved from Draft to Published.",
    )


def test_the_claim_forms_status_goes_through_the_service(admin_client):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    form = {
        "text": claim.text,
        "speaker": claim.speaker_id,
        "language": "en",
        "status": "published",
        "seen_version": claim.version,
        **{
            f"{p}-{k}": 0
            for p in ("appearances", "rebuttals", "reviews", "notes")
            for k in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    response = admin_client.post(reverse("admin:claims_claim_change", args=[claim.pk]), form)
    assert response.status_code == 302, response.context["errors"]
    latest = claim.history.latest("history_date")
    assert (latest.status, latest.version, latest.history_change_reason) == (
        "published",
        2,
        "Moved from In review to Published.",
    )


def test_the_admin_lists_unpublished_reviews_only_to_those_who_see_drafts(client):
    ReviewFactory(claim=ClaimFactory(status=ClaimStatus.DRAFT), textual_rating="Of a draft")
    ReviewFactory(status=ReviewStatus.DRAFT, textual_rating="Unpublished")
    ReviewFactory(textual_rating="Public")
    changelist = reverse("admin:claims_review_changelist")

    def listed(user):
        client.force_login(user)
        rows = client.get(changelist).context["cl"].result_list
        return sorted(review.textual_rating for review in rows)

    assert listed(staff_with("view_review")) == ["Public"]
    assert listed(staff_with("view_review", "view_claim")) == [
        "Of a draft",
        "Public",
        "Unpublished",
    ]

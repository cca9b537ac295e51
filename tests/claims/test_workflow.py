"""The workflow's one table (claims/workflow.py), enforced by the status services for the API
and the admin alike: every move with exactly its permissions, every refusal with its reason."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.enums import ClaimStatus, RebuttalStatus, ReviewStatus
from claims.models import Claim, Rebuttal, Review
from claims.workflow import TRANSITIONS, check_move, refusal, required_permissions
from tests.api.conftest import etag, token_client
from tests.conftest import passwordless
from tests.factories import ClaimFactory, RebuttalFactory, ReviewFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

MODELS = {"claim": Claim, "rebuttal": Rebuttal, "review": Review}
FACTORIES = {"claim": ClaimFactory, "rebuttal": RebuttalFactory, "review": ReviewFactory}
MOVES = [(name, move) for name, moves in TRANSITIONS.items() for move in moves]


@pytest.fixture
def editor_client(editor):
    return token_client(editor)


def user_with(username, *permissions):
    """A user holding these permissions ("claims.publish_claim"), and the view permissions
    that let them read what they move."""
    user = passwordless(username)
    codenames = {p.split(".")[1] for p in permissions} | {"view_claim", "view_review"}
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
    )
    return user


def patch_status(client, url, status):
    return client.patch(url, {"status": status}, format="json", HTTP_IF_MATCH=etag(client, url))


def test_the_table_names_every_move_and_its_permissions():
    assert {
        name: {move: required_permissions(MODELS[name], *move) for move in moves}
        for name, moves in TRANSITIONS.items()
    } == {
        "claim": {
            ("draft", "in_review"): ["claims.change_claim"],
            ("in_review", "draft"): ["claims.change_claim"],
            ("in_review", "published"): ["claims.change_claim", "claims.publish_claim"],
            ("published", "in_review"): ["claims.change_claim", "claims.publish_claim"],
            ("published", "draft"): ["claims.change_claim", "claims.publish_claim"],
            ("draft", "published"): [
                "claims.change_claim",
                "claims.publish_claim",
                "claims.publish_unreviewed_claim",
            ],
        },
        "rebuttal": {
            ("draft", "in_review"): ["claims.change_rebuttal"],
            ("in_review", "draft"): ["claims.change_rebuttal"],
            ("in_review", "published"): ["claims.change_rebuttal", "claims.publish_rebuttal"],
            ("published", "in_review"): ["claims.change_rebuttal", "claims.publish_rebuttal"],
            ("published", "draft"): ["claims.change_rebuttal", "claims.publish_rebuttal"],
            ("draft", "published"): ["claims.change_rebuttal", "claims.publish_rebuttal"],
        },
        "review": {
            ("draft", "published"): ["claims.change_review", "claims.publish_review"],
            ("published", "draft"): ["claims.change_review", "claims.publish_review"],
        },
    }


@pytest.mark.parametrize(
    ("name", "move"), MOVES, ids=lambda v: v if isinstance(v, str) else "-".join(v)
)
def test_each_move_over_the_api_needs_exactly_its_permissions(name, move):
    current, status = move
    model = MODELS[name]
    record = FACTORIES[name](status=current)
    url = f"/api/v1/{name}s/{record.pk}/"
    needed = required_permissions(model, current, status)
    for index, missing in enumerate(needed):
        client = token_client(user_with(f"without-{index}", *(p for p in needed if p != missing)))
        response = patch_status(client, url, status)
        assert response.status_code == 403, (missing, response.content)
        if missing != needed[0]:  # without the change permission, the view refuses first
            assert response.json() == {"detail": refusal(model, current, status, missing)}
        record.refresh_from_db()
        assert record.status == current
    client = token_client(user_with("allowed", *needed))
    response = patch_status(client, url, status)
    assert (response.status_code, response.json()["status"]) == (200, status)
    record.refresh_from_db()
    labels = dict(model._meta.get_field("status").choices)
    assert (record.status, record.history.latest().history_change_reason) == (
        status,
        f"Moved from {labels[current]} to {labels[status]}.",
    )


def test_a_move_the_table_lacks_is_bad_input():
    with pytest.raises(ValidationError) as refused:
        check_move(model=Review, current="draft", status="in_review", by=None)
    assert refused.value.message_dict == {
        "status": ["A review cannot move from “Draft” to “in_review”."]
    }


def test_a_review_in_review_is_a_400_over_the_api(editor_client):
    review = ReviewFactory(status=ReviewStatus.DRAFT)
    response = patch_status(editor_client, f"/api/v1/reviews/{review.pk}/", "in_review")
    assert (response.status_code, response.json()) == (
        400,
        {"status": ['"in_review" is not a valid choice. Valid choices: draft, published.']},
    )


def test_an_editor_publishes_a_new_claim_only_after_review(editor, editor_client):
    SpeakerFactory(slug="jane-doe")
    body = {"text": "Prices fell.", "speaker": "jane-doe", "status": "published"}
    refused = editor_client.post("/api/v1/claims/", body, format="json")
    assert (refused.status_code, refused.json()) == (
        403,
        {
            "detail": "Publishing a claim that was never in review needs the permission "
            "claims.publish_unreviewed_claim: send it to review first."
        },
    )
    assert not Claim.objects.exists()
    created = editor_client.post("/api/v1/claims/", {**body, "status": "in_review"}, format="json")
    assert (created.status_code, created.json()["status"]) == (201, "in_review")
    url = f"/api/v1/claims/{created.json()['id']}/"
    assert patch_status(editor_client, url, "published").json()["status"] == "published"
    # A draft published at once is the same move as a new claim published at once.
    draft = ClaimFactory(status=ClaimStatus.DRAFT)
    url = f"/api/v1/claims/{draft.pk}/"
    assert patch_status(editor_client, url, "published").status_code == 403
    editor.user_permissions.add(Permission.objects.get(codename="publish_unreviewed_claim"))
    assert patch_status(editor_client, url, "published").json()["status"] == "published"
    assert editor_client.post("/api/v1/claims/", body, format="json").status_code == 201


def test_a_rebuttal_created_published_needs_the_publish_permission(writer, editor_client):
    claim = ClaimFactory()
    speaker = SpeakerFactory(slug="john-roe")
    body = {"claim": claim.pk, "speaker": speaker.slug, "text": "No.", "status": "published"}
    refused = token_client(writer).post("/api/v1/rebuttals/", body, format="json")
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "Publishing or unpublishing a rebuttal needs the publish permission."},
    )
    assert not Rebuttal.objects.exists()
    created = editor_client.post("/api/v1/rebuttals/", body, format="json")
    assert (created.status_code, created.json()["status"]) == (201, "published")


# --- the admin --------------------------------------------------------------------------------


def test_the_admins_publish_action_skips_a_claim_never_in_review(client, editor):
    draft = ClaimFactory(status=ClaimStatus.DRAFT, text="Never reviewed")
    reviewed = ClaimFactory(status=ClaimStatus.IN_REVIEW, text="Reviewed")
    client.force_login(editor)
    response = client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "publish", "_selected_action": [draft.pk, reviewed.pk]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "1 claim(s) moved to “Published”.",
        f"Not moved: “{draft}”: Publishing a claim that was never in review needs the "
        "permission claims.publish_unreviewed_claim: send it to review first.",
    ]
    draft.refresh_from_db(), reviewed.refresh_from_db()
    assert (draft.status, reviewed.status) == ("draft", "published")


def test_the_admin_refuses_a_new_claim_published_at_once(client, editor):
    speaker = SpeakerFactory()
    client.force_login(editor)
    response = client.post(
        reverse("admin:claims_claim_add"),
        {
            "text": "Published at once",
            "speaker": speaker.pk,
            "language": "en",
            "status": "published",
            **{f"{prefix}-TOTAL_FORMS": 0 for prefix in ("appearances", "rebuttals", "reviews")},
            **{f"{prefix}-INITIAL_FORMS": 0 for prefix in ("appearances", "rebuttals", "reviews")},
        },
    )
    assert response.status_code == 403
    assert not Claim.objects.exists()


def test_the_admins_rebuttal_actions_move_through_the_service(client, editor):
    rebuttal = RebuttalFactory(status=RebuttalStatus.DRAFT)
    client.force_login(editor)
    url = reverse("admin:claims_rebuttal_changelist")
    for action, status in [("send_to_review", "in_review"), ("publish", "published")]:
        response = client.post(
            url, {"action": action, "_selected_action": [rebuttal.pk]}, follow=True
        )
        assert response.status_code == 200
        rebuttal.refresh_from_db()
        assert rebuttal.status == status
    assert [h.history_change_reason for h in rebuttal.history.order_by("history_id")] == [
        None,
        "Moved from Draft to In review.",
        "Moved from In review to Published.",
    ]

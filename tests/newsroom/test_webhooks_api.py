"""`/api/v1/webhooks/`: subscriptions for users with the permissions; the secret shown once."""

import pytest
from django.contrib.auth.models import Permission

from newsroom.models import Subscription
from tests.factories import SubscriptionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(client):
    user = UserFactory(username="partner")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="newsroom", codename__endswith="subscription"
        )
    )
    client.force_login(user)
    return user


def test_create_answers_the_secret_once(client, partner):
    response = client.post(
        "/api/v1/webhooks/",
        {
            "target_url": "https://partner.example/in",
            "events": ["claim.published", "claim.published"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    subscription = Subscription.objects.get()
    assert response.json() == {
        "id": subscription.pk,
        "owner": "partner",
        "target_url": "https://partner.example/in",
        "events": ["claim.published"],
        "description": "",
        "active": True,
        "failure_count": 0,
        "disabled_at": None,
        "created_at": response.json()["created_at"],
        "updated_at": response.json()["updated_at"],
        "secret": subscription.secret,
    }
    read = client.get(f"/api/v1/webhooks/{subscription.pk}/").json()
    assert "secret" not in read
    assert "secret" not in str(client.get("/api/v1/webhooks/").json())


def test_rotate_secret(client, partner):
    subscription = SubscriptionFactory(owner=partner)
    old = subscription.secret
    response = client.post(f"/api/v1/webhooks/{subscription.pk}/rotate-secret/")
    subscription.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["secret"] == subscription.secret != old


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"target_url": "ftp://partner.example/", "events": ["claim.published"]}, "target_url"),
        ({"target_url": "http://127.0.0.1:9/", "events": ["claim.published"]}, "target_url"),
        ({"target_url": "http://10.0.0.5/", "events": ["claim.published"]}, "target_url"),
        ({"target_url": "https://partner.example/", "events": []}, "events"),
        ({"target_url": "https://partner.example/", "events": ["claim.deleted"]}, "events"),
        ({"target_url": "https://partner.example/", "events": "claim.published"}, "events"),
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(client, partner, body, field):
    response = client.post("/api/v1/webhooks/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Subscription.objects.exists()


def test_users_see_their_own_subscriptions_only(client, partner):
    mine = SubscriptionFactory(owner=partner)
    theirs = SubscriptionFactory()
    assert [s["id"] for s in client.get("/api/v1/webhooks/").json()["results"]] == [mine.pk]
    assert client.get(f"/api/v1/webhooks/{theirs.pk}/").status_code == 404


def test_switching_back_on_resets_the_failure_count(client, partner):
    subscription = SubscriptionFactory(owner=partner, active=False, failure_count=20)
    response = client.patch(
        f"/api/v1/webhooks/{subscription.pk}/", {"active": True}, content_type="application/json"
    )
    assert (response.json()["active"], response.json()["failure_count"]) == (True, 0)


def test_anonymous_and_unprivileged_clients_are_refused(client, editor):
    subscription = SubscriptionFactory()
    assert client.get("/api/v1/webhooks/").status_code == 401
    client.force_login(editor)  # an editor holds no newsroom permission
    assert client.get("/api/v1/webhooks/").status_code == 403
    assert client.get(f"/api/v1/webhooks/{subscription.pk}/deliveries/").status_code == 403
    response = client.post(
        "/api/v1/webhooks/",
        {"target_url": "https://x.example/", "events": ["claim.published"]},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_the_delivery_log(client, partner, admin_user):
    from claims.enums import ClaimStatus
    from claims.services import claim_set_status
    from tests.factories import ClaimFactory

    subscription = SubscriptionFactory(owner=partner)
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    claim_set_status(claim=claim, status=ClaimStatus.PUBLISHED, by=admin_user)
    log = client.get(f"/api/v1/webhooks/{subscription.pk}/deliveries/").json()
    assert [(d["event"], d["status"], d["attempts"]) for d in log["results"]] == [
        ("claim.published", "pending", 0)
    ]


def test_admin_pages_show_subscriptions_and_the_delivery_log(admin_client, admin_user):
    subscription = SubscriptionFactory()
    assert admin_client.get("/admin/newsroom/subscription/").status_code == 200
    page = admin_client.get(f"/admin/newsroom/subscription/{subscription.pk}/change/")
    assert page.status_code == 200
    assert subscription.secret not in page.content.decode()
    assert admin_client.get("/admin/newsroom/delivery/").status_code == 200

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from claims.enums import ClaimStatus
from claims.models import Claim
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    RebuttalFactory,
    ReviewFactory,
    SourceFactory,
    SpeakerFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_everything():
    Group.objects.create(name="Reviewers")
    Token.objects.create(user=UserFactory())
    claim = ClaimFactory()
    claim.topics.add(TopicFactory())
    AppearanceFactory(claim=claim, is_first=True)
    RebuttalFactory(claim=claim)
    ReviewFactory(claim=claim)
    return claim


def admin_urls():
    for model in admin.site._registry:
        opts = model._meta
        yield model, f"admin:{opts.app_label}_{opts.model_name}"


@pytest.mark.parametrize(("model", "name"), list(admin_urls()), ids=lambda v: str(v))
def test_every_admin_page_answers_200_for_a_superuser(admin_client, one_of_everything, model, name):
    obj = model._default_manager.first()
    for url in [
        reverse(f"{name}_changelist"),
        reverse(f"{name}_add"),
        reverse(f"{name}_change", args=[obj.pk]),
        reverse(f"{name}_history", args=[obj.pk]),
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize(("model", "name"), list(admin_urls()), ids=lambda v: str(v))
def test_admin_sends_a_non_staff_user_to_the_login_page(client, plain_user, model, name):
    client.force_login(plain_user)
    url = reverse(f"{name}_changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def test_claim_changelist_filtered_by_speaker_shows_only_that_speakers_claims(admin_client):
    putin = SpeakerFactory(name="Vladimir Putin", slug="vladimir-putin")
    mine = ClaimFactory.create_batch(2, speaker=putin)
    ClaimFactory.create_batch(3)
    url = reverse("admin:claims_claim_changelist")
    response = admin_client.get(url, {"speaker__id__exact": putin.pk})
    assert response.status_code == 200
    shown = {claim.pk for claim in response.context["cl"].result_list}
    assert shown == {claim.pk for claim in mine}
    assert 'id="speaker-filter"' in response.text
    assert "Vladimir Putin" in response.text


def test_claim_changelist_shows_verdict_rebuttals_and_first_appearance(admin_client):
    claim = ClaimFactory(text="Unemployment has halved.", status=ClaimStatus.PUBLISHED)
    appearance = AppearanceFactory(claim=claim, is_first=True)
    RebuttalFactory.create_batch(2, claim=claim)
    ReviewFactory(claim=claim, rating="mostly_false")
    response = admin_client.get(reverse("admin:claims_claim_changelist"))
    row = response.context["cl"].result_list[0]
    assert (row.verdict, row.rebuttal_total, row.first_outlet, row.first_published_on) == (
        "mostly_false",
        2,
        appearance.source.outlet.name,
        appearance.source.published_on,
    )
    assert '<span class="verdict-badge verdict-mostly_false"' in response.text


def test_speaker_change_page_links_to_the_speakers_claims(admin_client):
    speaker = SpeakerFactory()
    ClaimFactory.create_batch(2, speaker=speaker)
    response = admin_client.get(reverse("admin:claims_speaker_change", args=[speaker.pk]))
    link = f"{reverse('admin:claims_claim_changelist')}?speaker__id__exact={speaker.pk}"
    assert f'<a href="{link}">This speaker\'s claims (2)</a>' in response.text


def test_publish_action_publishes_the_selected_claims(admin_client):
    drafts = ClaimFactory.create_batch(2, status=ClaimStatus.DRAFT)
    other = ClaimFactory(status=ClaimStatus.DRAFT)
    response = admin_client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "publish", "_selected_action": [c.pk for c in drafts]},
        follow=True,
    )
    assert response.status_code == 200
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses == {drafts[0].pk: "published", drafts[1].pk: "published", other.pk: "draft"}


def changelist_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


ROW_BUILDERS = {
    # One call adds one row of the model, with the related rows its changelist shows.
    "Group": lambda: Group.objects.create(name=f"Group {Group.objects.count()}"),
    "User": UserFactory,
    "TokenProxy": lambda: Token.objects.create(user=UserFactory()),
    "Outlet": lambda: SourceFactory().outlet,
    "Source": SourceFactory,
    "Speaker": lambda: ClaimFactory(speaker=SpeakerFactory(affiliation=SpeakerFactory())),
    "Topic": lambda: ClaimFactory().topics.add(TopicFactory()),
    "Claim": lambda: AppearanceFactory(is_first=True, claim=RebuttalFactory().claim),
    "Appearance": AppearanceFactory,
    "Rebuttal": lambda: RebuttalFactory(source=SourceFactory()),
    "Review": ReviewFactory,
}


@pytest.mark.parametrize(("model", "name"), list(admin_urls()), ids=lambda v: str(v))
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model, name):
    url = reverse(f"{name}_changelist")
    build = ROW_BUILDERS[model.__name__]
    build()
    few = changelist_queries(admin_client, url)
    for _ in range(4):
        build()
    assert model._default_manager.count() >= 5
    assert changelist_queries(admin_client, url) == few

"""The admin keeps a published claim's evidence as the API does: its last appearance cannot
be deleted, from the appearance's own page or from the claim's."""

import pytest
from django.urls import reverse

from claims.enums import ClaimStatus
from claims.models import Appearance
from tests.factories import AppearanceFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def page_data(response) -> dict:
    """The POST data of a change page as its browser would send it back unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, list):
                value = [str(v) for v in value]
            elif value is True:
                value = "on"
            data[form.add_prefix(name)] = value
    return data


def test_the_appearance_page_shows_the_claim_protecting_its_last_appearance(admin_client):
    appearance = AppearanceFactory()
    url = reverse("admin:claims_appearance_delete", args=[appearance.pk])
    page = admin_client.get(url)
    assert page.context["protected"] == [str(appearance.claim)]
    admin_client.post(url, {"post": "yes"})
    assert Appearance.objects.filter(pk=appearance.pk).exists()
    draft = AppearanceFactory(claim=ClaimFactory(status=ClaimStatus.DRAFT))
    url = reverse("admin:claims_appearance_delete", args=[draft.pk])
    assert admin_client.get(url).context["protected"] == []
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Appearance.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("status", [ClaimStatus.PUBLISHED, ClaimStatus.DRAFT])
def test_the_claim_page_keeps_a_published_claims_last_appearance(admin_client, status):
    appearance = AppearanceFactory(claim=ClaimFactory(status=status))
    url = reverse("admin:claims_claim_change", args=[appearance.claim_id])
    data = page_data(admin_client.get(url))
    data["appearances-0-DELETE"] = "on"
    response = admin_client.post(url, data)
    if status == ClaimStatus.PUBLISHED:
        assert response.status_code == 200
        (inline,) = [
            f for f in response.context["inline_admin_formsets"] if f.opts.model is Appearance
        ]
        assert inline.formset.non_form_errors() == [
            "A published claim keeps at least one appearance: record another, or unpublish "
            "the claim, before deleting this one."
        ]
        assert Appearance.objects.filter(pk=appearance.pk).exists()
    else:
        assert response.status_code == 302, response.context["errors"]
        assert not Appearance.objects.exists()

"""Claim.fingerprint: exact repeats, folded, kept by every ORM write."""

import pytest

from claims.fingerprint import fingerprint, fold
from claims.models import Claim
from tests.factories import ClaimFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "variant",
    [
        "there is no nato legion. the foreign forces in ukraine are russian.",
        "THERE IS NO NATO LEGION! The foreign forces in Ukraine are Russian",
        "There is no “NATO” legion — the foreign forces in Ukraine are «Russian».",
        "There  is no NATO\u00a0legion.\nThe foreign forces\tin Ukraine are Russian.",
        "Ｔｈｅｒｅ is no NATO legion. The foreign forces in Ukraine are Russian.",
    ],
)
def test_case_punctuation_quotes_spaces_and_forms_fold_to_one_fingerprint(variant):
    stored = "There is no NATO legion. The foreign forces in Ukraine are Russian."
    assert fingerprint(variant) == fingerprint(stored)


def test_cyrillic_yo_and_decomposed_letters_fold():
    assert fold("Её ВЫБОР") == fold("ее выбор") == "ее выбор"
    assert fold("Cafe\u0301") == fold("Café") == "café"


@pytest.mark.parametrize(
    "other",
    [
        "There is a NATO legion. The foreign forces in Ukraine are Russian.",
        "There is no NATO legion. The foreign forces in Ukraine are American.",
        "There is no NATO legion.",
    ],
)
def test_a_different_statement_has_another_fingerprint(other):
    stored = "There is no NATO legion. The foreign forces in Ukraine are Russian."
    assert fingerprint(other) != fingerprint(stored)


def test_the_fingerprint_is_kept_on_create_save_and_bulk_create():
    claim = ClaimFactory(text="Prices rose 5%.")
    assert Claim.objects.get(pk=claim.pk).fingerprint == fingerprint("prices rose 5")
    claim.text = "Prices fell 5%."
    claim.save()
    assert Claim.objects.get(pk=claim.pk).fingerprint == fingerprint("Prices fell 5")
    [bulk] = Claim.objects.bulk_create([Claim(text="Wages rose.", speaker=SpeakerFactory())])
    assert Claim.objects.get(pk=bulk.pk).fingerprint == fingerprint("wages rose")


def test_an_api_edit_of_the_text_changes_the_fingerprint(admin_client):
    claim = ClaimFactory(text="Prices rose 5%.")
    url = f"/api/v1/claims/{claim.pk}/"
    tag = admin_client.get(url)["ETag"]
    response = admin_client.patch(
        url, {"text": "Prices fell 5%."}, content_type="application/json", HTTP_IF_MATCH=tag
    )
    assert response.status_code == 200, response.content
    assert "fingerprint" not in response.json()
    assert Claim.objects.get(pk=claim.pk).fingerprint == fingerprint("prices fell 5")

"""`q` keeps icontains' meaning through the per-engine search indexes (claims/search.py)."""

import pytest

from claims.models import Claim
from tests.factories import AppearanceFactory, ClaimFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def found(anon, q):
    response = anon.get("/api/v1/claims/", {"q": q})
    assert response.status_code == 200, response.content
    return sorted(claim["id"] for claim in response.json()["results"])


def test_q_matches_substrings_of_text_quotes_and_speaker_names_in_any_case(anon):
    text = ClaimFactory(text="Inflation is TRANSITORY, said the governor.")
    quote = ClaimFactory(text="Prices will fall.")
    AppearanceFactory(claim=quote, quote="prices will fall by Christmas")
    speaker = ClaimFactory(speaker=SpeakerFactory(name="Marguerite Yourcenar"))
    ClaimFactory(text="Nothing to see here.")
    assert found(anon, "transitory") == [text.pk]
    assert found(anon, "ansit") == [text.pk]  # inside a word, as icontains
    assert found(anon, "CHRISTMAS") == [quote.pk]
    assert found(anon, "yourcen") == [speaker.pk]
    assert found(anon, "governor inflation") == [text.pk]  # every word must match
    assert found(anon, "governor christmas") == []
    # Under three letters there is no trigram: plain icontains ("Christmas" holds "is").
    assert found(anon, "is") == sorted([text.pk, quote.pk])
    assert found(anon, '"quoted" 100%_') == []  # FTS and LIKE syntax is taken literally


def test_search_index_follows_inserts_updates_and_deletes(anon):
    """On SQLite, triggers keep the FTS tables in step: a migration that rebuilds a searched
    table drops them and must reinstall them (claims.search.install_sqlite_index)."""
    claim = ClaimFactory(text="The bridge will open in spring.")
    assert found(anon, "bridge") == [claim.pk]
    Claim.objects.filter(pk=claim.pk).update(text="The tunnel will open in spring.")
    assert found(anon, "bridge") == []
    assert found(anon, "tunnel") == [claim.pk]
    speaker = claim.speaker
    speaker.name = "Zebedee Quux"
    speaker.save()
    assert found(anon, "quux") == [claim.pk]
    appearance = AppearanceFactory(claim=claim, quote="a viaduct instead")
    assert found(anon, "viaduct") == [claim.pk]
    appearance.delete()
    assert found(anon, "viaduct") == []

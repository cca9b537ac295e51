"""`?speaker=` on /api/v1/claims/: slugs first, then a value no slug matches among the speakers'
aliases, up to case in every script; an alias of two speakers is a 400 naming both."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.aliases import speakers_by_alias
from claims.enums import ClaimStatus
from tests.api.conftest import token_client
from tests.factories import ClaimFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims/"


@pytest.fixture
def putin():
    return SpeakerFactory(
        name="Vladimir Putin",
        slug="vladimir-putin",
        aliases=["Владимир Путин", "Vladimir Vladimirovich Putin", "Putin"],
    )


@pytest.fixture
def claims(putin):
    """Putin's published claim, his draft, and someone else's claim."""
    mine = ClaimFactory(speaker=putin)
    ClaimFactory(speaker=putin, status=ClaimStatus.DRAFT)
    ClaimFactory(speaker=SpeakerFactory(aliases=["Somebody Else"]))
    return mine


def ids(response):
    assert response.status_code == 200, response.content
    return [claim["id"] for claim in response.json()["results"]]


@pytest.mark.parametrize(
    "value",
    ["Владимир Путин", "владимир путин", "ВЛАДИМИР ПУТИН", "vladimir vladimirovich PUTIN", "putin"],
)
def test_an_alias_in_any_case_finds_the_speakers_published_claims(anon, claims, value):
    assert ids(anon.get(CLAIMS, {"speaker": value})) == [claims.pk]


def test_slugs_and_aliases_mix_and_the_slug_comes_first(anon, claims):
    nato = SpeakerFactory(slug="nato", name="NATO", aliases=["vladimir-putin"])
    theirs = ClaimFactory(speaker=nato)
    # "vladimir-putin" is a slug: the alias another speaker has does not matter.
    assert ids(anon.get(CLAIMS, {"speaker": "vladimir-putin"})) == [claims.pk]
    response = anon.get(CLAIMS, {"speaker": ["nato", "Владимир Путин"], "ordering": "created_at"})
    assert ids(response) == [claims.pk, theirs.pk]


def test_an_alias_of_two_speakers_is_a_400_naming_both(anon, claims):
    SpeakerFactory(slug="vladimir-putin-sr", aliases=["PUTIN"])
    response = anon.get(CLAIMS, {"speaker": "Putin"})
    assert response.status_code == 400
    assert response.json() == {
        "speaker": [
            "“Putin” is an alias of several speakers (vladimir-putin, vladimir-putin-sr): "
            "use a slug."
        ]
    }


@pytest.mark.parametrize("value", ["Владимир", "Vladimir Putin Jr", "путин владимир"])
def test_neither_slug_nor_alias_is_the_usual_400(anon, claims, value):
    response = anon.get(CLAIMS, {"speaker": value})
    assert response.status_code == 400
    assert response.json() == {
        "speaker": [f"Select a valid choice. {value} is not one of the available choices."]
    }


def test_staff_see_the_drafts_found_by_alias(claims, putin):
    staff = token_client(UserFactory(is_staff=True, is_superuser=True))
    response = staff.get(CLAIMS, {"speaker": "владимир путин"})
    assert sorted(ids(response)) == sorted(c.pk for c in putin.claims.all())


def test_a_slug_needs_no_alias_query_and_an_alias_one_more(anon, claims):
    with CaptureQueriesContext(connection) as by_slug:
        assert anon.get(CLAIMS, {"speaker": "vladimir-putin"}).status_code == 200
    with CaptureQueriesContext(connection) as by_alias:
        assert anon.get(CLAIMS, {"speaker": "Владимир Путин"}).status_code == 200
    assert len(by_alias) == len(by_slug) + 1
    assert not any("aliases" in query["sql"] for query in by_slug.captured_queries)


def test_speakers_by_alias_maps_each_name_to_its_speakers(putin):
    other = SpeakerFactory(slug="other", aliases=["Putin", "Друг"])
    assert speakers_by_alias(["PUTIN", "друг", "nobody", "Владимир путин", " "]) == {
        "PUTIN": [(putin.pk, "vladimir-putin"), (other.pk, "other")],
        "друг": [(other.pk, "other")],
        "Владимир путин": [(putin.pk, "vladimir-putin")],
    }


def test_the_nested_route_is_the_filter_and_an_ambiguous_alias_there_is_a_404(anon, claims):
    """/speakers/{value}/claims/ is /claims/?speaker={value}: an alias answers alike."""
    nested = anon.get("/api/v1/speakers/Владимир Путин/claims/")
    assert nested.json() == anon.get(CLAIMS, {"speaker": "Владимир Путин"}).json()
    SpeakerFactory(slug="vladimir-putin-sr", aliases=["Putin"])
    response = anon.get("/api/v1/speakers/putin/claims/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Speaker matches the given query."}

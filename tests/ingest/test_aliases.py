"""Stored speaker aliases in article ingestion: a speaker named in a report by one of their
aliases (another spelling, another script) resolves to the stored Speaker, surname included,
and no new speaker is proposed. Invented reports."""

import pytest
from rest_framework.test import APIClient

from claims.models import Speaker
from ingest.extract import KnownSpeaker, extract_statements
from ingest.services import _known_speakers
from tests.api.conftest import token_client
from tests.factories import SpeakerFactory

pytestmark = pytest.mark.django_db

ENGLISH = (
    "MOSCOW (Northline) - Vladimir Vladimirovich Putin said on Friday that the grain corridor "
    'was closed for good. "We will not go back to it," Putin told reporters.'
)
RUSSIAN = (
    "МОСКВА (Нортлайн) - Владимир Путин заявил в пятницу, что зерновой коридор закрыт "
    "навсегда. «Мы к нему не вернемся», - сказал Путин журналистам."
)


@pytest.fixture
def putin():
    return SpeakerFactory(
        name="Vladimir Putin",
        slug="vladimir-putin",
        aliases=["Vladimir Vladimirovich Putin", "Владимир Путин"],
    )


@pytest.fixture
def client(editor):
    return token_client(editor)


def ingest(client: APIClient, text: str) -> list:
    body = {"text": text, "title": "Grain corridor", "outlet": "Northline"}
    response = client.post("/api/v1/ingest/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()["article"]["proposals"]


@pytest.mark.parametrize("text", [ENGLISH, RUSSIAN])
def test_a_speaker_named_by_an_alias_is_the_stored_speaker(client, putin, text):
    proposals = ingest(client, text)
    assert [(p["speaker"], p["speaker_name"]) for p in proposals] == [
        ({"slug": "vladimir-putin", "name": "Vladimir Putin"}, "Vladimir Putin")
    ] * 2
    assert list(Speaker.objects.all()) == [putin]


def test_known_speakers_are_found_by_alias_up_to_case_with_their_aliases(putin):
    SpeakerFactory(name="Somebody Else", aliases=["Vladimir"])
    known = _known_speakers({"владимир путин", "VLADIMIR VLADIMIROVICH PUTIN"})
    assert known == [
        KnownSpeaker(
            name="Vladimir Putin",
            aliases=("Vladimir Vladimirovich Putin", "Владимир Путин"),
            key=putin.pk,
            kind="person",
        )
    ]


def test_a_surname_resolves_through_an_alias_in_another_script():
    known = [KnownSpeaker("Vladimir Putin", aliases=("Владимир Путин",), key=7, kind="person")]
    text = "МОСКВА (Нортлайн) - «Мы к нему не вернемся», - сказал Путин журналистам в пятницу."
    extraction = extract_statements(text, "ru", known_speakers=known)
    assert [(s.name, s.known) for s in extraction.speakers] == [("Vladimir Putin", 7)]
    assert [s.speaker for s in extraction.statements] == ["Vladimir Putin"]


def test_an_alias_two_stored_speakers_share_resolves_to_neither(putin):
    other = SpeakerFactory(name="Vladimir Putin Sr", aliases=["Владимир Путин", "Путин-старший"])
    known = _known_speakers({"Владимир Путин"})
    assert known == [
        KnownSpeaker(
            name="Vladimir Putin",
            aliases=("Vladimir Vladimirovich Putin",),
            key=putin.pk,
            kind="person",
        ),
        KnownSpeaker(
            name="Vladimir Putin Sr", aliases=("Путин-старший",), key=other.pk, kind="person"
        ),
    ]

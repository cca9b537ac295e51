"""claims.sqljson: the JSON the database builds, on each engine, whichever way SQLite nests it.

The documents (tests/api/test_documents.py) cover the shapes they use; here are the ways of
building an array that they do not take: an item that reads a subquery of its own, and an
item that is a plain value; and an array that is empty although its guard finds rows.
"""

import json

import pytest
from django.db import connection
from django.db.models import F, OuterRef, TextField, Value
from django.db.models.functions import Cast

from claims import sqljson
from claims.enums import RebuttalStatus
from claims.models import Claim, Rebuttal, Speaker
from claims.sqljson import Array, Boolean, Guarded, Object, nullable, one
from tests.factories import ClaimFactory, RebuttalFactory, SourceFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["as probed", "marked again"])
def subtypes(request, monkeypatch):
    """As this SQLite keeps JSON subtypes (sqljson.keeps_subtype), and as if it lost them."""
    if request.param == "marked again":
        if connection.vendor != "sqlite":
            pytest.skip("SQLite's JSON subtypes only")
        version = connection.Database.sqlite_version
        monkeypatch.setitem(sqljson._keeps_subtype, version, False)
    return request.param


def rebuttals_of(claim, item: Object):
    """The claim's rebuttals (oldest first) as a JSON array of `item`, read from the database."""
    rows = Rebuttal.objects.filter(claim=OuterRef("pk"))
    array = Array(rows.order_by("id").values(item=item))
    document = Cast(Guarded(rows, array), TextField())
    return json.loads(Claim.objects.filter(pk=claim.pk).values_list(document, flat=True).get())


@pytest.mark.parametrize("own_subquery", [False, True])
def test_an_items_parts_are_built_in_order(subtypes, own_subquery):
    """Split into columns of the ordered rows (constants, with their parameters, where the
    item is built), or built in the subquery when the item reads one of its own."""
    claim = ClaimFactory()
    speaker = SpeakerFactory(name="Ана", slug="ana")
    first = RebuttalFactory(claim=claim, speaker=speaker, source=None)
    second = RebuttalFactory(claim=claim, speaker=speaker, source=SourceFactory(title="T"))
    who = Speaker.objects.filter(pk=OuterRef("speaker")).values(item=Object(slug=F("slug")))
    item = Object(
        id=F("id"),
        speaker=one(who) if own_subquery else Object(slug=F("speaker__slug")),
        source=nullable("source", title=F("source__title")),
        published=Boolean(Value(True)),
        note=Value('a "quoted" note'),
    )
    expected = [
        {"id": first.pk, "speaker": {"slug": "ana"}, "source": None},
        {"id": second.pk, "speaker": {"slug": "ana"}, "source": {"title": "T"}},
    ]
    for row in expected:
        row.update(published=True, note='a "quoted" note')
    assert rebuttals_of(claim, item) == expected


def test_an_array_of_plain_values_and_an_empty_one(subtypes):
    claim = ClaimFactory()
    RebuttalFactory(claim=claim, text="Ein Text", status=RebuttalStatus.DRAFT)
    RebuttalFactory(claim=claim, text="Second")
    rows = Rebuttal.objects.filter(claim=OuterRef("pk")).order_by("id")
    texts = Array(rows.values(item=F("text")), scalar=True)
    published = Array(rows.filter(text="no such text").values(item=Object(id=F("id"))))
    guarded = Guarded(Rebuttal.objects.filter(claim=OuterRef("pk")), published)
    document = Cast(Object(texts=texts, published=guarded), TextField())
    found = Claim.objects.filter(pk=claim.pk).values_list(document, flat=True).get()
    assert json.loads(found) == {"texts": ["Ein Text", "Second"], "published": []}

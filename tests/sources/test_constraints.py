import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from sources.models import Outlet, Source
from tests.factories import AppearanceFactory, OutletFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_outlet_duplicate_slug_is_rejected():
    OutletFactory(slug="reuters")
    with pytest.raises(IntegrityError), transaction.atomic():
        OutletFactory(slug="reuters")
    assert Outlet.objects.filter(slug="reuters").count() == 1


def test_outlet_country_must_be_iso_alpha2_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        OutletFactory(country="gb")


def test_source_url_is_unique_when_present():
    SourceFactory(url="https://news.example/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(url="https://news.example/a")


def test_sources_without_url_may_coexist():
    SourceFactory(url="")
    SourceFactory(url="")
    assert Source.objects.filter(url="").count() == 2


def test_source_language_must_be_a_bcp47_tag():
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(language="English")
    SourceFactory(language="pt-BR")


def test_source_url_must_be_http_or_https():
    source = SourceFactory.build(url="ftp://news.example/a", outlet=OutletFactory())
    with pytest.raises(ValidationError) as excinfo:
        source.full_clean()
    assert excinfo.value.message_dict == {"url": ["Enter an http(s) URL."]}


def test_outlet_slug_is_made_from_a_non_latin_name():
    outlet = Outlet(name="Первый канал", kind="broadcaster")
    outlet.full_clean()
    assert outlet.slug == "первый-канал"


def test_deleting_a_source_with_appearances_is_refused():
    appearance = AppearanceFactory()
    with pytest.raises(ProtectedError), transaction.atomic():
        appearance.source.delete()
    assert Source.objects.filter(pk=appearance.source.pk).exists()

"""CSV import in the admin: a preview, row-level errors, and nothing written when a row fails."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import Claim, Speaker
from sources.models import Source
from tests.factories import OutletFactory, SpeakerFactory, TopicFactory

pytestmark = pytest.mark.django_db


def upload(client, url, text):
    csv_file = SimpleUploadedFile("rows.csv", text.encode(), content_type="text/csv")
    return client.post(url, {"import_file": csv_file, "format": "0", "resource": "0"})


def confirm(client, url, preview):
    html = preview.content.decode()
    data = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    data.pop("csrfmiddlewaretoken", None)
    return client.post(url.replace("/import/", "/process_import/"), data)


def test_speakers_preview_then_import(admin_client):
    SpeakerFactory(slug="ada", name="Ada Old")
    url = "/admin/claims/speaker/import/"
    text = "slug,name,kind,country\nada,Ada Lovelace,person,GB\nbo,Bo Example,person,SE\n"
    preview = upload(admin_client, url, text)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Lovelace" in page and "Bo Example" in page
    assert "Update" in page and "New" in page  # the preview says what will change, row by row
    assert sorted(Speaker.objects.values_list("slug", "name")) == [("ada", "Ada Old")]
    done = confirm(admin_client, url, preview)
    assert done.status_code == 302
    assert sorted(Speaker.objects.values_list("slug", "name", "version")) == [
        ("ada", "Ada Lovelace", 2),
        ("bo", "Bo Example", 1),
    ]


def test_a_file_with_one_bad_row_writes_nothing_and_names_the_row(admin_client):
    url = "/admin/claims/speaker/import/"
    text = "slug,name,kind,country\nfine,Fine Person,person,GB\nbad,Bad Person,alien,ZZZ\n"
    response = upload(admin_client, url, text)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Some rows failed to validate" in page
    assert "Value &#x27;alien&#x27; is not a valid choice." in page
    assert "Enter an ISO 3166-1 alpha-2 country code in capitals, e.g. GB." in page
    assert "process_import" not in page  # no confirm button
    assert not Speaker.objects.exists()


def test_claims_import_as_drafts_with_topics(admin_client, admin_user, client):
    SpeakerFactory(slug="ada")
    TopicFactory(slug="tax")
    url = "/admin/claims/claim/import/"
    text = "text,speaker,stated_on,language,topics\nTaxes fell.,ada,2020-01-02,en,tax\n"
    done = confirm(admin_client, url, upload(admin_client, url, text))
    assert done.status_code == 302
    claim = Claim.objects.get()
    assert (claim.text, claim.status, claim.created_by, [t.slug for t in claim.topics.all()]) == (
        "Taxes fell.",
        "draft",
        admin_user,
        ["tax"],
    )
    assert client.get("/api/v1/claims/").json()["results"] == []


def test_claims_with_an_unknown_speaker_write_nothing(admin_client):
    SpeakerFactory(slug="ada")
    url = "/admin/claims/claim/import/"
    text = "text,speaker,language\nFine.,ada,en\nOrphan.,nobody,en\n"
    page = upload(admin_client, url, text).content.decode()
    assert "speaker" in page
    assert "process_import" not in page
    assert not Claim.objects.exists()


def test_sources_import_by_url(admin_client):
    OutletFactory(slug="daily")
    url = "/admin/sources/source/import/"
    text = "url,title,outlet,published_on\nhttps://daily.example/a,A report,daily,2020-01-01\n"
    done = confirm(admin_client, url, upload(admin_client, url, text))
    assert done.status_code == 302
    assert list(Source.objects.values_list("url", "title", "outlet__slug")) == [
        ("https://daily.example/a", "A report", "daily")
    ]


def test_import_needs_the_add_permission(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        "viewer", password="x-9-long-enough", is_staff=True
    )
    user.user_permissions.set(Permission.objects.filter(codename="view_speaker"))
    client.force_login(user)
    assert client.get("/admin/claims/speaker/import/").status_code == 403

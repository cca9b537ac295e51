"""A write that changes a row's slug answers the row under its new slug."""

import pytest

from tests.api.conftest import etag
from tests.factories import OutletFactory, SpeakerFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory", "collection"),
    [(SpeakerFactory, "speakers"), (OutletFactory, "outlets"), (TopicFactory, "topics")],
)
def test_a_slug_renamed_by_patch_is_answered_under_the_new_slug(editor_client, factory, collection):
    factory(slug="old-name")
    url = f"/api/v1/{collection}/old-name/"
    response = editor_client.patch(
        url, {"slug": "new-name"}, format="json", HTTP_IF_MATCH=etag(editor_client, url)
    )
    assert response.status_code == 200, response.content
    assert response.json()["slug"] == "new-name"
    assert response["ETag"] == etag(editor_client, f"/api/v1/{collection}/new-name/")
    assert editor_client.get(url).status_code == 404

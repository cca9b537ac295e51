"""The front door: `/` says what the service is and links to the API, its docs and the admin."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


FRONT_PAGE_LINKS = ["/api/v1/", "/api/docs/", "/api/schema/", "/admin/"]


def test_the_front_page_says_what_this_is_and_links_the_api_docs_and_admin(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert "<h1>Claim and fact-check tracking</h1>" in html
    links = re.findall(r'href="([^"]+)"', html)
    assert links == FRONT_PAGE_LINKS
    # Nothing is loaded from anywhere else: no scripts, no stylesheets, no images.
    assert not re.search(r"<(script|link|img)\b", html)


@pytest.mark.parametrize("link", FRONT_PAGE_LINKS)
def test_each_link_of_the_front_page_leads_somewhere(client, link):
    assert client.get(link).status_code in (200, 302)


def test_the_admins_view_site_link_leads_to_the_front_page(admin_client):
    index = admin_client.get(reverse("admin:index"))
    assert '<a href="/">View site</a>' in index.content.decode()


def test_api_redirects_to_the_current_version(client):
    response = client.get("/api/")
    assert (response.status_code, response["Location"]) == (302, "/api/v1/")

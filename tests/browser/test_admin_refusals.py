"""Accounts without the right to edit: the admin refuses them, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import BROWSER_TEST, admin_log_in
from tests.factories import ClaimFactory, UserFactory

pytestmark = BROWSER_TEST


def test_admin_refuses_to_log_in_an_account_that_is_not_staff(page, shots):
    UserFactory(username="reader")
    admin_log_in(page, "reader")
    expect(page.locator(".errornote")).to_contain_text(
        "Please enter the correct username and password for a staff account."
    )
    shots.take("login-refused")
    page.goto("/admin/claims/claim/")
    expect(page).to_have_url("/admin/login/?next=/admin/claims/claim/")
    expect(page.locator("#login-form")).to_be_visible()


def test_admin_shows_a_staff_account_without_permissions_nothing_but_its_token(page, shots):
    UserFactory(username="intern", is_staff=True)
    admin_log_in(page, "intern")
    # Nothing but their own API token.
    expect(page.locator("#content-main a.section")).to_have_text(["Auth Token"])
    shots.take("index-empty")


@pytest.mark.parametrize(
    "url",
    [
        "/admin/claims/claim/",
        "/admin/claims/claim/add/",
        "/admin/claims/claim/{pk}/change/",
        "/admin/claims/claim/{pk}/history/",
        "/admin/auth/user/",
    ],
)
def test_admin_refuses_each_claim_page_to_a_staff_account_without_permissions(page, shots, url):
    claim = ClaimFactory(text="A claim the intern may not see.")
    UserFactory(username="intern", is_staff=True)
    admin_log_in(page, "intern")
    response = page.goto(url.format(pk=claim.pk))
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("403 Forbidden")
    expect(page.locator("body")).not_to_contain_text(claim.text)
    shots.take("claim-refused")

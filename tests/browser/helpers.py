"""Steps that the browser tests share: signing in, picking from an autocomplete box."""

import pytest
from playwright.sync_api import Page, expect

# Every browser test: the live server needs committed data, so each test runs in a
# transactional database; serialized_rollback restores what the migrations created (the
# Editors group, content types) after each test's flush. Mixing in a transactional test
# without it would let that flush recreate content types that the next restore collides with.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's password


def admin_log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def autocomplete_pick(page: Page, select_id: str, search: str, choice: str) -> None:
    """Pick `choice` in the admin's select2 autocomplete box for <select id=select_id>."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-container--open .select2-results__option", has_text=choice).click()
    expect_chosen(page, select_id, choice)


def expect_chosen(page: Page, select_id: str, choice: str) -> None:
    """The autocomplete box for <select id=select_id> shows `choice` as chosen."""
    # Its title is the bare choice; its text may carry the button that clears it.
    rendered = page.locator(f"#{select_id} + .select2 .select2-selection__rendered")
    expect(rendered).to_have_attribute("title", choice)

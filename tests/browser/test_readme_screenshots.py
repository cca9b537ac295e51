"""The README's two screenshots of the admin, taken on the demo data.

`make screenshots` runs this with SCREENSHOTS_DIR=docs/screenshots to regenerate the committed
images; `make test-browser` runs it too, writing to test-artifacts/, so the pages it shows are
checked on every run.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from claims.demo import demo_load
from claims.models import Claim, Speaker
from tests.browser.helpers import BROWSER_TEST, admin_log_in

pytestmark = BROWSER_TEST

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def screenshots_dir():
    folder = ROOT / os.environ.get("SCREENSHOTS_DIR", "test-artifacts/screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_readme_screenshots_of_the_claim_list_and_the_claim_form(
    page, shots, editor, screenshots_dir
):
    demo_load()
    stoltenberg = Speaker.objects.get(slug="jens-stoltenberg")
    legion = Claim.objects.get(speaker__slug="vladimir-putin")
    admin_log_in(page, "editor")

    page.goto(f"/admin/claims/claim/?speaker__id__exact={stoltenberg.pk}")
    expect(page.locator("#result_list tbody tr")).to_have_count(4)
    expect(
        page.locator("#speaker-filter + .select2 .select2-selection__rendered")
    ).to_have_attribute("title", "Jens Stoltenberg")
    shots.take("claims-by-speaker")
    page.screenshot(path=screenshots_dir / "admin-claims-by-speaker.png")

    page.goto(f"/admin/claims/claim/{legion.pk}/change/")
    expect(page.locator("#appearances-0")).to_contain_text("NATO criticises Russia")
    expect(page.locator("#id_rebuttals-0-text")).to_have_value(
        "There is no NATO legion. The foreign forces in Ukraine are Russian."
    )
    shots.take("claim-form")
    page.screenshot(path=screenshots_dir / "admin-claim-form.png", full_page=True)

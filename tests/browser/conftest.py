"""Playwright for Python driving Debian's Chromium against pytest-django's live server.

No browser is ever downloaded: Playwright launches the system's /usr/bin/chromium
(`apt-get install chromium`; another binary through the CHROMIUM variable). The live
server serves the admin's static files itself (pytest-django uses staticfiles' handler).

Each test records screenshots of its key pages through the `shots` fixture; when the test
fails they are written, with the final state of every open page, to
test-artifacts/browser/<test name>/, so a failed run shows what the browser saw.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the networking flags Chromium keeps trying to reach Google's services, which fail
# noisily on a closed network; none of them has anything to do with the pages under test.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1440, "height": 900}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"

REPORTS = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell whether it failed."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's Chromium (apt-get install chromium).")
    # Playwright's sync API runs an asyncio event loop in this thread; Django then refuses
    # ORM calls made here (fixtures, assertions on the database) as "async unsafe", though
    # they are ordinary synchronous calls. Allowed for the browser session only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts (separate cookies: separate users)."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


class Shots:
    """Screenshots of the key pages of one test, written out only if the test fails."""

    def __init__(self, page: Page):
        self.page = page
        self.taken: list[tuple[str, bytes]] = []

    def take(self, name: str, page: Page | None = None) -> None:
        self.taken.append((name, (page or self.page).screenshot(full_page=True)))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for number, (name, png) in enumerate(self.taken, start=1):
            (folder / f"{number:02d}-{name}.png").write_bytes(png)
        # What the browser shows at the moment of failure, popups included.
        urls = []
        pages = [page for context in self.page.context.browser.contexts for page in context.pages]
        for number, page in enumerate(pages, start=1):
            urls.append(page.url)
            try:
                page.screenshot(path=folder / f"final-{number}.png", full_page=True)
            except Exception as exc:  # a page that is closing cannot be captured; say so
                urls[-1] += f" (no screenshot: {exc})"
        (folder / "final-urls.txt").write_text("\n".join(urls) + "\n")


@pytest.fixture
def shots(page, request):
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    if folder.exists():
        for old in folder.iterdir():
            old.unlink()
    recorder = Shots(page)
    yield recorder
    reports = request.node.stash.get(REPORTS, {})
    if any(report.failed for report in reports.values()):
        recorder.save(folder)

"""An editor records a claim from an article, publishes it, finds it, and the public API shows it.

One walk-through in a real browser: every step is what an editor clicks and types, and each
result is checked both on the page and in the database.
"""

import datetime
import re

from playwright.sync_api import expect

from claims.enums import ClaimStatus
from claims.models import Claim
from tests.browser.helpers import BROWSER_TEST, admin_log_in, autocomplete_pick, expect_chosen
from tests.factories import ClaimFactory, FactCheckerFactory, SpeakerFactory

pytestmark = BROWSER_TEST

CLAIM_TEXT = "The talks in Geneva were constructive."
QUOTE = "the talks in Geneva had been constructive, Lavrov told reporters"
REBUTTAL_TEXT = "Nothing constructive came out of Geneva."


def test_editor_records_publishes_and_finds_a_claim(page, new_page, shots, editor):
    stoltenberg = SpeakerFactory(name="Jens Stoltenberg", slug="jens-stoltenberg")
    other_claim = ClaimFactory(speaker=stoltenberg, text="Another speaker's claim.")
    FactCheckerFactory(name="Fact Desk", slug="fact-desk")

    admin_log_in(page, "editor")
    expect(page.locator("#site-name")).to_contain_text("Django administration")
    expect(page.locator("#content-main")).to_contain_text("Claims")
    expect(page.locator("#content-main")).not_to_contain_text("Users")
    shots.take("admin-index")

    # The claim form: a new speaker through the autocomplete's "+" (add another) popup.
    page.goto("/admin/claims/claim/add/")
    with page.expect_popup() as opened:
        page.locator("#add_id_speaker").click()
    popup = opened.value
    popup.wait_for_load_state()
    popup.locator("#id_name").press_sequentially("Sergei Lavrov")
    expect(popup.locator("#id_slug")).to_have_value("sergei-lavrov")
    popup.fill("#id_job_title", "Minister of Foreign Affairs")
    popup.fill("#id_country", "RU")
    shots.take("speaker-popup", popup)
    with popup.expect_event("close"):
        popup.locator("input[name=_save]").click()
    expect_chosen(page, "id_speaker", "Sergei Lavrov")

    page.fill("#id_text", CLAIM_TEXT)
    page.fill("#id_stated_on", "2015-01-26")

    # The source, with its outlet, created from the appearance row without leaving the claim.
    expect(page.locator("#id_appearances-0-is_first")).to_be_checked()
    with page.expect_popup() as opened:
        page.locator("#add_id_appearances-0-source").click()
    source_popup = opened.value
    source_popup.wait_for_load_state()
    source_popup.fill("#id_title", "Lavrov says Geneva talks were constructive")
    source_popup.fill("#id_url", "https://news.example/2015/01/26/lavrov-geneva")
    source_popup.fill("#id_published_on", "2015-01-26")
    with source_popup.expect_popup() as opened:
        source_popup.locator("#add_id_outlet").click()
    outlet_popup = opened.value
    outlet_popup.wait_for_load_state()
    outlet_popup.locator("#id_name").press_sequentially("TASS")
    expect(outlet_popup.locator("#id_slug")).to_have_value("tass")
    outlet_popup.select_option("#id_kind", "news_agency")
    outlet_popup.fill("#id_country", "RU")
    with outlet_popup.expect_event("close"):
        outlet_popup.locator("input[name=_save]").click()
    expect_chosen(source_popup, "id_outlet", "TASS")
    shots.take("source-popup", source_popup)
    with source_popup.expect_event("close"):
        source_popup.locator("input[name=_save]").click()
    expect_chosen(
        page, "id_appearances-0-source", "Lavrov says Geneva talks were constructive (2015-01-26)"
    )
    page.fill("#id_appearances-0-quote", QUOTE)

    # A rebuttal by a speaker already on file, and a review with its verdict.
    page.get_by_role("button", name="Add another Rebuttal").click()
    autocomplete_pick(page, "id_rebuttals-0-speaker", "Stolt", "Jens Stoltenberg")
    page.fill("#id_rebuttals-0-text", REBUTTAL_TEXT)
    page.select_option("#id_rebuttals-0-relation", "disputes")
    page.select_option("#id_rebuttals-0-status", "published")  # an editor publishes rebuttals
    page.get_by_role("button", name="Add another Review").click()
    autocomplete_pick(page, "id_reviews-0-reviewer", "Fact", "Fact Desk")
    page.select_option("#id_reviews-0-rating", "mostly_false")
    page.fill("#id_reviews-0-textual_rating", "Mostly spin")
    page.select_option("#id_reviews-0-status", "published")
    shots.take("claim-form-filled")
    page.locator("input[name=_save]").click()

    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    claim = Claim.objects.get(speaker__slug="sergei-lavrov")
    appearance = claim.appearances.select_related("source__outlet").get()
    assert (claim.text, claim.status, claim.stated_on, claim.created_by) == (
        CLAIM_TEXT,
        ClaimStatus.DRAFT,
        datetime.date(2015, 1, 26),
        editor,
    )
    assert (
        appearance.source.title,
        appearance.source.outlet.name,
        appearance.quote,
        appearance.is_first,
    ) == ("Lavrov says Geneva talks were constructive", "TASS", QUOTE, True)
    assert list(claim.rebuttals.values_list("speaker__name", "text", "relation", "status")) == [
        ("Jens Stoltenberg", REBUTTAL_TEXT, "disputes", "published")
    ]
    assert list(claim.reviews.values_list("reviewer__name", "rating", "status")) == [
        ("Fact Desk", "mostly_false", "published")
    ]

    # Send it to review, then publish it, with the list's actions (an editor publishes only
    # what was in review).
    for action, label in [("send_to_review", "In review"), ("publish", "Published")]:
        page.locator(f"input[name=_selected_action][value='{claim.pk}']").check()
        page.select_option("select[name=action]", action)
        page.get_by_role("button", name="Go").click()
        expect(page.locator(".messagelist .success")).to_have_text(
            f"1 claim(s) moved to “{label}”."
        )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED

    # Find it by speaker through the list's speaker search box.
    autocomplete_pick(page, "speaker-filter", "Lavr", "Sergei Lavrov")
    expect(page).to_have_url(re.compile(rf"speaker__id__exact={claim.speaker_id}(&|$)"))
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    cells = [
        rows.first.locator(f"td.field-{name}, th.field-{name}").inner_text()
        for name in [
            "short_text",
            "speaker_link",
            "status",
            "verdict_badge",
            "rebuttal_count",
            "first_appearance",
        ]
    ]
    assert cells == [
        CLAIM_TEXT,
        "Sergei Lavrov",
        "Published",
        "Mostly false",
        "1",
        "TASS, 2015-01-26",
    ]
    expect(page.locator("#result_list")).not_to_contain_text(other_claim.text)
    badge = rows.first.locator(".verdict-badge")
    expect(badge).to_have_css("background-color", "rgb(208, 100, 28)")  # #d0641c, admin.css
    expect(badge).to_have_attribute("title", "Verdict: Mostly false")
    shots.take("claims-by-speaker")

    # Its edit history (django-simple-history), newest first: who created it, who published it.
    rows.first.get_by_role("link", name=CLAIM_TEXT).click()
    page.get_by_role("link", name="History").click()
    history = page.locator("#change-history tbody tr")
    expect(history).to_have_count(3)
    headers = page.locator("#change-history thead th").all_text_contents()
    columns = [text.strip() for text in headers]
    assert columns == ["Object", "Date/time", "Comment", "Changed by", "Change reason", "Changes"]
    # Comment, changed by, change reason, changes; whitespace (incl. no-break spaces) folded.
    assert [
        [" ".join(text.split()) for text in row.locator("td").all_inner_texts()[2:]]
        for row in history.all()
    ] == [
        [
            "Changed",
            "editor",
            "Moved from In review to Published.",
            "Status: in_review → published",
        ],
        ["Changed", "editor", "Moved from Draft to In review.", "Status: draft → in_review"],
        ["Created", "editor", "None", ""],
    ]
    shots.take("history")

    # The public API, anonymously: the published claim, and not a draft by the same speaker.
    ClaimFactory(speaker=claim.speaker, text="A draft nobody may see yet.", status="draft")
    anonymous = new_page()
    response = anonymous.request.get(
        "/api/v1/claims/?speaker=sergei-lavrov", headers={"Accept": "application/json"}
    )
    anonymous.goto("/api/v1/claims/?speaker=sergei-lavrov")
    shots.take("api-anonymous", anonymous)
    assert response.status == 200, response.text()
    payload = response.json()
    assert (payload["count"], payload["next"], payload["previous"]) == (1, None, None)
    [result] = payload["results"]
    assert {key: result[key] for key in ["id", "text", "speaker", "status"]} == {
        "id": claim.pk,
        "text": CLAIM_TEXT,
        "speaker": {
            "slug": "sergei-lavrov",
            "name": "Sergei Lavrov",
            "kind": "person",
            "job_title": "Minister of Foreign Affairs",
        },
        "status": "published",
    }

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer

from claims.enums import ClaimStatus, Rating, ReviewStatus
from claims.history import HistoryEntrySerializer
from tests.api.conftest import etag
from tests.factories import (
    ClaimFactory,
    RebuttalFactory,
    ReviewFactory,
    SpeakerFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def patch(client, url, data):
    response = client.patch(url, data, format="json", HTTP_IF_MATCH=etag(client, url))
    assert response.status_code == 200, response.content
    return response


def strip_dates(entries):
    for entry in entries:
        assert entry.pop("changed_at")
    return entries


def test_claim_history_lists_versions_newest_first_with_old_and_new_values(editor_client):
    speaker = SpeakerFactory(slug="jane-doe")
    created = editor_client.post(
        "/api/v1/claims/",
        {"text": "First wording", "speaker": "jane-doe", "status": "in_review"},
        format="json",
    )
    url = f"/api/v1/claims/{created.json()['id']}/"
    patch(editor_client, url, {"text": "Second wording", "stated_on": "2015-01-26"})
    body = editor_client.get(url + "history/").json()
    entries = strip_dates(body["results"])
    created_at = entries[1]["changes"][4]["new"]
    assert body["count"] == 2
    assert entries == [
        {
            "version": 2,
            "change": "changed",
            "changed_by": "editor",
            "changes": [
                {"field": "text", "old": "First wording", "new": "Second wording"},
                {"field": "stated_on", "old": None, "new": "2015-01-26"},
            ],
        },
        {
            "version": 1,
            "change": "created",
            "changed_by": "editor",
            "changes": [
                {"field": "text", "old": None, "new": "First wording"},
                {"field": "speaker", "old": None, "new": speaker.pk},
                {"field": "language", "old": None, "new": "en"},
                {"field": "status", "old": None, "new": "in_review"},
                {"field": "created_at", "old": None, "new": created_at},
                {"field": "created_by", "old": None, "new": entries[1]["changes"][5]["new"]},
            ],
        },
    ]


@pytest.mark.parametrize("outsider", ["anon", "reader_client"])
def test_history_of_a_draft_is_for_staff_only(request, editor_client, outsider):
    draft = ClaimFactory(status=ClaimStatus.DRAFT, text="Secret draft")
    url = f"/api/v1/claims/{draft.pk}/history/"
    assert editor_client.get(url).json()["count"] == 1
    response = request.getfixturevalue(outsider).get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "No Claim matches the given query."}


def test_public_history_hides_draft_versions_and_editors(anon, editor_client):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW, text="Draft wording, never public")
    url = f"/api/v1/claims/{claim.pk}/"
    patch(editor_client, url, {"text": "Public wording", "status": "published"})
    patch(editor_client, url, {"text": "Corrected wording"})
    entries = strip_dates(anon.get(url + "history/").json()["results"])
    assert "Draft wording" not in str(entries)
    assert [(e["version"], e["change"], e["changed_by"]) for e in entries] == [
        (3, "changed", None),
        (2, "changed", None),
    ]
    assert entries[0]["changes"] == [
        {"field": "text", "old": "Public wording", "new": "Corrected wording"}
    ]
    # The first public version is shown whole: the draft it came from stays hidden.
    assert {"field": "text", "old": None, "new": "Public wording"} in entries[1]["changes"]
    staff = editor_client.get(url + "history/").json()["results"]
    assert [(e["version"], e["changed_by"]) for e in staff] == [
        (3, "editor"),
        (2, "editor"),
        (1, None),
    ]


def test_a_published_reviews_verdict_change_keeps_the_earlier_verdict(anon, editor_client):
    review = ReviewFactory(rating=Rating.MOSTLY_FALSE, published_on=datetime.date(2020, 1, 1))
    url = f"/api/v1/reviews/{review.pk}/"
    change = {"rating": "false", "textual_rating": "Pants on Fire", "correction": "Re-rated."}
    patch(editor_client, url, change)
    entries = strip_dates(anon.get(url + "history/").json()["results"])
    assert entries[0] == {
        "version": 2,
        "change": "changed",
        "changed_by": None,
        "changes": [
            {"field": "rating", "old": "mostly_false", "new": "false"},
            {"field": "textual_rating", "old": "False", "new": "Pants on Fire"},
        ],
    }
    assert anon.get(f"/api/v1/claims/{review.claim_id}/").json()["verdict"] == "false"


def test_unpublished_review_history_is_hidden_from_the_public(anon, editor_client):
    review = ReviewFactory(status=ReviewStatus.DRAFT)
    url = f"/api/v1/reviews/{review.pk}/history/"
    assert anon.get(url).status_code == 404
    assert editor_client.get(url).json()["count"] == 1


def test_rebuttal_history_records_changes(anon, editor_client):
    rebuttal = RebuttalFactory(text="No.")
    url = f"/api/v1/rebuttals/{rebuttal.pk}/"
    patch(editor_client, url, {"text": "Certainly not.", "relation": "disputes"})
    entries = strip_dates(anon.get(url + "history/").json()["results"])
    assert entries[0]["changes"] == [
        {"field": "text", "old": "No.", "new": "Certainly not."},
        {"field": "relation", "old": "refutes", "new": "disputes"},
    ]
    assert [e["change"] for e in entries] == ["changed", "created"]


def diff_every_version(records, show_users):
    """The history as it was computed before pagination came first: every visible version,
    oldest first, diffed with simple-history's own diff (many-to-many fields included)
    against the one before. The reference the paginated answers must equal."""
    hidden = ["version", "updated_at"] if show_users else ["version", "updated_at", "created_by"]
    opts = records[0].instance_type._meta
    order = {f.name: i for i, f in enumerate([*opts.fields, *opts.many_to_many])}

    def normalise(value):
        if isinstance(value, list):
            return sorted(next(v for k, v in row.items() if k != "claim") for row in value)
        return value

    entries, previous = [], None
    for record in records:
        if previous is None:
            values = {f.name: getattr(record, f.attname) for f in record.tracked_fields}
            changes = [
                {"field": name, "old": None, "new": value}
                for name, value in values.items()
                if name not in ("id", *hidden) and value not in ("", None)
            ]
        else:
            delta = record.diff_against(previous, excluded_fields=hidden)
            changes = [
                {"field": c.field, "old": normalise(c.old), "new": normalise(c.new)}
                for c in sorted(delta.changes, key=lambda c: order.get(c.field, 0))
            ]
        entries.append(
            {
                "version": record.version,
                "change": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                "changed_at": record.history_date,
                "changed_by": record.history_user.get_username()
                if show_users and record.history_user
                else None,
                "changes": changes,
            }
        )
        previous = record
    return entries[::-1]


@pytest.fixture
def long_history(editor):
    """A claim with 40 versions: its text, topics and status change, so that some versions
    are drafts (hidden from the public) and topics differ between neighbours."""
    topics = [TopicFactory() for _ in range(3)]
    claim = ClaimFactory(status=ClaimStatus.PUBLISHED, text="Version 1")
    for n in range(2, 41):
        claim.version = n
        claim.text = f"Version {n}"
        claim.status = ClaimStatus.DRAFT if n % 7 == 0 else ClaimStatus.PUBLISHED
        claim._history_user = editor if n % 2 else None
        if n % 3 == 0:
            claim.topics.set(topics[: n % 4])
        claim.save()
    return claim


def all_pages(client, url, page_size):
    results, page = [], url + f"history/?page_size={page_size}"
    while page:
        body = client.get(page).json()
        results += body["results"]
        page = body["next"]
    return results


@pytest.mark.parametrize(("client_name", "staff"), [("editor_client", True), ("anon", False)])
@pytest.mark.parametrize("page_size", [1, 7, 100])
def test_history_pages_equal_diffing_every_version(
    request, long_history, page_size, client_name, staff
):
    url = f"/api/v1/claims/{long_history.pk}/"
    records = long_history.history.select_related("history_user").order_by(
        "history_date", "history_id"
    )
    visible = [r for r in records if staff or r.status == ClaimStatus.PUBLISHED]
    expected = json.loads(
        JSONRenderer().render(
            HistoryEntrySerializer(diff_every_version(visible, staff), many=True).data
        )
    )
    assert all_pages(request.getfixturevalue(client_name), url, page_size) == expected
    assert len(expected) == len(visible) > (40 if staff else 30)
    assert any(c["field"] == "topics" for e in expected for c in e["changes"])
    # The public sees fewer versions than staff.
    assert (len(visible) < len(records)) == (not staff)


@pytest.mark.parametrize("page_size", [2, 20])
def test_history_queries_do_not_grow_with_the_page_or_the_history(anon, long_history, page_size):
    url = f"/api/v1/claims/{long_history.pk}/history/"
    anon.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = anon.get(url, {"page_size": page_size, "page": 2})
    assert len(response.json()["results"]) == page_size
    # The claim, the count of its visible versions, the page's versions and the one before,
    # and their topics.
    assert len(queries) == 4, [q["sql"] for q in queries]

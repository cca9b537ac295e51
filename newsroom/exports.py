"""Bulk export of claims as CSV or JSON Lines, in constant memory.

Rows are read in keyset pages (ordered by id, `id > last` each time: no OFFSET, no cursor held
open across the response), each page's topics in one more query, and written out line by line,
so memory stays flat whatever the number of claims. The API (`/api/v1/exports/claims.csv`,
`.jsonl`) and `manage.py export` share this module; which claims is the caller's (the claim
list's visibility rule and filters).
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterator

from claims.models import Claim

PAGE = 2000
COLUMNS = [
    "id",
    "text",
    "speaker",
    "speaker_name",
    "speaker_title",
    "stated_on",
    "context",
    "language",
    "topics",
    "status",
    "verdict",
    "created_at",
    "updated_at",
]
FIELDS = {
    "id": "id",
    "text": "text",
    "speaker": "speaker__slug",
    "speaker_name": "speaker__name",
    "speaker_title": "speaker_title",
    "stated_on": "stated_on",
    "context": "context",
    "language": "language",
    "status": "status",
    "verdict": "verdict",
    "created_at": "created_at",
    "updated_at": "updated_at",
}


def claim_rows(claims, *, page: int = PAGE, progress: Callable[[int], None] | None = None):
    """Each claim of the queryset `claims` as a dict of COLUMNS (topics as a list of slugs),
    in id order, read `page` rows at a time."""
    claims = claims.order_by("id").values_list(*FIELDS.values())
    through = Claim.topics.through
    last, done = 0, 0
    while True:
        rows = list(claims.filter(id__gt=last)[:page])
        if not rows:
            return
        ids = [row[0] for row in rows]
        topics = defaultdict(list)
        links = through.objects.filter(claim_id__in=ids).order_by("topic__slug")
        for claim_id, slug in links.values_list("claim_id", "topic__slug"):
            topics[claim_id].append(slug)
        for row in rows:
            record = dict(zip(FIELDS, row, strict=True))
            record["topics"] = topics.get(record["id"], [])
            yield {name: record[name] for name in COLUMNS}
        last = ids[-1]
        done += len(rows)
        if progress:
            progress(done)
        del rows, topics


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def csv_lines(rows: Iterator[dict]) -> Iterator[str]:
    """A header line, then one CSV line per row (topics joined with `;`, null as empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_text(row[name]) for name in COLUMNS])
        yield buffer.getvalue()


def jsonl_lines(rows: Iterator[dict]) -> Iterator[str]:
    """One JSON object per line, dates as ISO 8601."""
    for row in rows:
        yield json.dumps(row, ensure_ascii=False, default=_text) + "\n"


FORMATS = {
    "csv": (csv_lines, "text/csv; charset=utf-8"),
    "jsonl": (jsonl_lines, "application/jsonl; charset=utf-8"),
}

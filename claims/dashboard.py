"""The editor's home page in the admin: what is waiting, what was just checked, and each busy
speaker's scorecard. A fixed number of queries whatever the data."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, Value, When

from .enums import ClaimStatus, Rating
from .models import Claim, Review, Speaker
from .querysets import may_view, scorecard_counts

SPEAKERS_CHARTED = 8
ROWS = 8
# The admin's verdict colours (claims/static/claims/admin.css), for the SVG's own fills.
COLOURS = {
    "true": "#1e7b34",
    "mostly_true": "#5a9a2a",
    "mixed": "#b58900",
    "mostly_false": "#d0641c",
    "false": "#b3261e",
    "misleading": "#8e3a9c",
    "unproven": "#5f6b7a",
    "unrated": "#c8ccd0",
}
BAR_WIDTH = 240


@dataclass
class Segment:
    verdict: str
    label: str
    count: int
    x: float
    width: float
    colour: str


@dataclass
class ChartRow:
    speaker: object
    total: int
    segments: list[Segment]


def scorecard_rows() -> list[ChartRow]:
    """The speakers with the most published claims, each with one bar split by verdict: their
    scorecards (querysets.scorecard_counts) in one grouped query, then the speakers."""
    busiest = list(
        Claim.objects.published()
        .order_by()
        .values("speaker")
        .annotate(total=Count("pk"), **scorecard_counts())
        .order_by("-total", "speaker")[:SPEAKERS_CHARTED]
    )
    speakers = Speaker.objects.in_bulk([row["speaker"] for row in busiest])
    widest = max((row["total"] for row in busiest), default=1)
    labels = {**dict(Rating.choices), "unrated": "Unrated"}
    rows = []
    for row in busiest:
        x, segments = 0.0, []
        for verdict in [*Rating.values, "unrated"]:
            if row[verdict]:
                width = BAR_WIDTH * row[verdict] / widest
                segments.append(
                    Segment(verdict, labels[verdict], row[verdict], x, width, COLOURS[verdict])
                )
                x += width
        rows.append(ChartRow(speakers[row["speaker"]], row["total"], segments))
    return rows


def my_assignments(user) -> list:
    """The claims assigned to `user`, in one query: those still moving through the workflow
    first (drafts, then those in review), then published ones, least recently changed first."""
    workflow = Case(
        *(When(status=s, then=Value(i)) for i, s in enumerate(ClaimStatus.values)),
        default=Value(len(ClaimStatus.values)),
    )
    return list(
        Claim.objects.filter(assignee=user.pk)
        .select_related("speaker")
        .order_by(workflow, "updated_at", "id")[:ROWS]
    )


def editor_home(user) -> dict | None:
    """What the admin's index shows `user` above the app list; None for an account that may
    not see claims (the same rule as the claim list)."""
    if not may_view(user, Claim):
        return None
    by_status = dict.fromkeys(ClaimStatus.values, 0)
    for row in Claim.objects.order_by().values("status").annotate(n=Count("pk")):
        by_status[row["status"]] = row["n"]
    return {
        "by_status": [(ClaimStatus(s).label, s, n) for s, n in by_status.items()],
        "mine": my_assignments(user),
        "waiting": Claim.objects.filter(status=ClaimStatus.IN_REVIEW)
        .select_related("speaker")
        .order_by("updated_at", "id")[:ROWS],
        "newest_reviews": Review.objects.select_related("claim", "reviewer").newest_first()[:ROWS]
        if may_view(user, Review)
        else [],
        "scorecards": scorecard_rows(),
        "bar_width": BAR_WIDTH,
    }

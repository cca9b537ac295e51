"""`GET …/{id}/history/`: a record's versions, newest first, with what changed in each."""

from django.apps import apps
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from simple_history import utils

from .enums import ClaimStatus, RebuttalStatus, ReviewStatus
from .querysets import may_view, sees_unpublished

# Bookkeeping fields that change on every save and say nothing to a reader.
NOT_DIFFED = ["version", "updated_at"]
CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    version = serializers.IntegerField()
    change = serializers.ChoiceField(choices=list(CHANGE_TYPES.values()))
    changed_at = serializers.DateTimeField()
    changed_by = serializers.CharField(
        allow_null=True,
        help_text="Username of the editor; shown only to those who may view the model.",
    )
    changes = ChangeSerializer(many=True)


def history_entries(records, *, show_users: bool, before=None) -> list[dict]:
    """Entries for `records` (oldest first), newest first: each one's changes against the one
    before it, `before` for the first (the version preceding them, None if there is none: the
    first is then listed whole)."""
    entries, previous = [], before
    # Who created a record is an account: shown, like `changed_by`, with the users; so is
    # a claim's assignee, which only staff may know.
    hidden = NOT_DIFFED if show_users else [*NOT_DIFFED, "created_by", "assignee"]
    field_order = {}
    if records:
        opts = records[0].instance_type._meta
        field_order = {f.name: i for i, f in enumerate([*opts.fields, *opts.many_to_many])}
    related = related_ids([*records, before] if before else records)
    for record in records:
        if previous is None:
            fields = record.tracked_fields  # the model's fields that history keeps
            values = {f.name: getattr(record, f.attname) for f in fields}
            changes = [
                {"field": name, "old": None, "new": value}
                for name, value in values.items()
                if name not in ("id", *hidden) and value not in ("", None)
            ]
        else:
            # Many-to-many fields are compared from related_ids(): simple-history's own diff
            # reads them with two queries per version.
            delta = record.diff_against(previous, excluded_fields=[*hidden, *related])
            changes = [{"field": c.field, "old": c.old, "new": c.new} for c in delta.changes] + [
                {"field": name, "old": ids[previous.history_id], "new": ids[record.history_id]}
                for name, ids in related.items()
                if ids[previous.history_id] != ids[record.history_id]
            ]
            changes.sort(key=lambda change: field_order.get(change["field"], 0))
        entries.append(
            {
                "version": record.version,
                "change": CHANGE_TYPES[record.history_type],
                "changed_at": record.history_date,
                "changed_by": record.history_user.get_username()
                if show_users and record.history_user
                else None,
                "changes": changes,
            }
        )
        previous = record
    return entries[::-1]


def related_ids(records) -> dict[str, dict[int, list]]:
    """For each many-to-many field history keeps: {history_id: sorted related ids} of each of
    `records`, in one query per field."""
    if not records:
        return {}
    found = {}
    for field in records[0]._history_m2m_fields:
        through = getattr(records[0], field.name).model  # the historical through rows
        column = through._meta.get_field(utils.get_m2m_reverse_field_name(field)).attname
        ids = {record.history_id: [] for record in records}
        rows = through.objects.filter(history_id__in=list(ids)).values_list("history_id", column)
        for history_id, related_id in rows:
            ids[history_id].append(related_id)
        found[field.name] = {key: sorted(value) for key, value in ids.items()}
    return found


class HistoryPage:
    """What Django's Paginator needs over a record's visible versions (`records`, newest
    first): the count, and slices that diff only their own versions, reading one more (the
    version before the oldest of them) to diff it against. A page costs the same whatever the
    length of the history."""

    ordered = True

    def __init__(self, records, *, show_users: bool):
        self.records, self.show_users = records, show_users

    def count(self) -> int:
        return self.records.count()

    def __getitem__(self, window: slice) -> list[dict]:
        size = window.stop - window.start
        rows = list(self.records[window.start : window.stop + 1])
        page, before = rows[:size], rows[size:]
        return history_entries(
            page[::-1], show_users=self.show_users, before=before[0] if before else None
        )


def public_versions(records, model_name: str):
    """`records` (a record's history) narrowed to the versions that were public at some time:
    a claim's published versions; a review's or a rebuttal's published versions from while
    their claim was published. A version saved while the claim was a draft and still
    in force when the claim was published counts: it is what the public first saw. Decided
    from plain rows (no diffing, no instances), so that pages can be cut first."""
    if model_name == "claim":
        return records.filter(status=ClaimStatus.PUBLISHED)
    fields = ["history_id", "history_date", "claim_id"]
    has_status = model_name in ("review", "rebuttal")
    if has_status:
        fields.append("status")
    rows = list(records.order_by("history_date", "history_id").values(*fields))
    published_at = claim_publication_intervals({row["claim_id"] for row in rows})
    public = []
    for row, following in zip(rows, [*rows[1:], None], strict=True):
        if has_status and row["status"] not in (ReviewStatus.PUBLISHED, RebuttalStatus.PUBLISHED):
            continue
        end = following["history_date"] if following is not None else None
        intervals = published_at.get(row["claim_id"], [])
        if any(overlaps(row["history_date"], end, start, stop) for start, stop in intervals):
            public.append(row["history_id"])
    return records.filter(history_id__in=public)


def claim_publication_intervals(claim_ids) -> dict[int, list[tuple]]:
    """{claim id: [(published from, until or None), …]}, from the claims' edit histories."""
    Claim = apps.get_model("claims", "Claim")
    rows = (
        Claim.history.filter(id__in=claim_ids)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_date", "status", "history_type")
    )
    intervals: dict[int, list[tuple]] = {}
    since = {}  # claim id: when its current published stretch began
    for claim_id, date, status, history_type in rows:
        public_now = status == ClaimStatus.PUBLISHED and history_type != "-"
        if public_now and claim_id not in since:
            since[claim_id] = date
        elif not public_now and claim_id in since:
            intervals.setdefault(claim_id, []).append((since.pop(claim_id), date))
    for claim_id, start in since.items():
        intervals.setdefault(claim_id, []).append((start, None))
    return intervals


def overlaps(start, end, other_start, other_end) -> bool:
    """Whether [start, end) and [other_start, other_end) meet (None: still open)."""
    return (other_end is None or start < other_end) and (end is None or other_start < end)


# Fields naming a claim, in the histories of the records that point at claims.
CLAIM_REFERENCES = ["claim", "rebutting_claim"]


def hide_unseen_claims(entries: list[dict], user) -> None:
    """Blank the ids of claims `user` may not see (a draft a review was moved off, a draft
    rebutting claim): they read as null, as the record's own answer shows them."""
    referenced = {
        value
        for entry in entries
        for change in entry["changes"]
        if change["field"] in CLAIM_REFERENCES
        for value in (change["old"], change["new"])
        if value is not None
    }
    if not referenced:
        return
    Claim = apps.get_model("claims", "Claim")
    visible = Claim.objects.visible_to(user).filter(pk__in=referenced)
    seen = set(visible.values_list("pk", flat=True))
    for entry in entries:
        for change in entry["changes"]:
            if change["field"] in CLAIM_REFERENCES:
                for side in ("old", "new"):
                    if change[side] not in seen:
                        change[side] = None
        # A value shown whole (the first visible version) that is now blank says nothing.
        entry["changes"] = [c for c in entry["changes"] if (c["old"], c["new"]) != (None, None)]


class HistoryMixin:
    """Adds `history/` to a viewset. Those who see unpublished records see every version;
    everyone else sees only the versions that were public (a draft's past stays hidden), and
    no id of a claim they may not see. Who made each change is shown to those who may view
    the model (its view or change permission), as the admin's history page shows it."""

    @extend_schema(responses=HistoryEntrySerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filterset_class=None)
    def history(self, request, *args, **kwargs):
        instance = self.get_object()
        user = request.user
        records = instance.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
        if not sees_unpublished(user):
            records = public_versions(records, type(instance)._meta.model_name)
        page = self.paginate_queryset(
            HistoryPage(records, show_users=may_view(user, type(instance)))
        )
        hide_unseen_claims(page, user)
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)

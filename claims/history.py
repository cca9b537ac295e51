"""`GET …/{id}/history/`: a record's versions, newest first, with what changed in each."""

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from simple_history import utils

from .enums import ClaimStatus, ReviewStatus
from .querysets import sees_unpublished

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
        allow_null=True, help_text="Username of the editor; shown to staff only."
    )
    changes = ChangeSerializer(many=True)


def history_entries(records, *, show_users: bool, before=None) -> list[dict]:
    """Entries for `records` (oldest first), newest first: each one's changes against the one
    before it, `before` for the first (the version preceding them, None if there is none: the
    first is then listed whole)."""
    entries, previous = [], before
    # Who created a record is an account id: staff business, like `changed_by`.
    hidden = NOT_DIFFED if show_users else [*NOT_DIFFED, "created_by"]
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


# What an anonymous or unprivileged client may see of a record's past.
PUBLIC_VERSIONS = {
    "claim": Q(status=ClaimStatus.PUBLISHED),
    "review": Q(status=ReviewStatus.PUBLISHED),
}


class HistoryMixin:
    """Adds `history/` to a viewset. Staff see every version and who made it; everyone else
    sees only published versions of records they may read (a draft's past stays hidden)."""

    @extend_schema(responses=HistoryEntrySerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filterset_class=None)
    def history(self, request, *args, **kwargs):
        instance = self.get_object()
        staff = sees_unpublished(request.user)
        records = instance.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
        if not staff:
            records = records.filter(PUBLIC_VERSIONS.get(type(instance)._meta.model_name, Q()))
        page = self.paginate_queryset(HistoryPage(records, show_users=staff))
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)

"""`GET …/{id}/history/`: a record's versions, newest first, with what changed in each."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

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


def history_entries(records, *, show_users: bool) -> list[dict]:
    """Entries for `records` (oldest first): each one's changes against the one before."""
    entries, previous = [], None
    # Who created a record is an account id: staff business, like `changed_by`.
    hidden = NOT_DIFFED if show_users else [*NOT_DIFFED, "created_by"]
    field_order = {}
    if records:
        opts = records[0].instance_type._meta
        field_order = {f.name: i for i, f in enumerate([*opts.fields, *opts.many_to_many])}
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
            delta = record.diff_against(previous, excluded_fields=hidden)
            changes = [
                {"field": c.field, "old": _normalise(c.old), "new": _normalise(c.new)}
                for c in sorted(delta.changes, key=lambda c: field_order.get(c.field, 0))
            ]
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


def _normalise(value):
    # Many-to-many values come as lists of through-row dicts: keep just the related ids.
    if isinstance(value, list):
        return sorted(next(v for k, v in row.items() if k != "claim") for row in value)
    return value


# What an anonymous or unprivileged client may see of a record's past.
PUBLIC_VERSIONS = {
    "claim": lambda record: record.status == ClaimStatus.PUBLISHED,
    "review": lambda record: record.status == ReviewStatus.PUBLISHED,
}


class HistoryMixin:
    """Adds `history/` to a viewset. Staff see every version and who made it; everyone else
    sees only published versions of records they may read (a draft's past stays hidden)."""

    @extend_schema(responses=HistoryEntrySerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filterset_class=None)
    def history(self, request, *args, **kwargs):
        instance = self.get_object()
        records = instance.history.select_related("history_user").order_by(
            "history_date", "history_id"
        )
        staff = sees_unpublished(request.user)
        public = PUBLIC_VERSIONS.get(type(instance)._meta.model_name, lambda record: True)
        visible = [r for r in records if staff or public(r)]
        page = self.paginate_queryset(history_entries(visible, show_users=staff))
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)

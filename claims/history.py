"""`GET …/{id}/history/`: a record's versions, newest first, with what changed in each."""

from django.apps import apps
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from .enums import ClaimStatus, ReviewStatus
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


def history_entries(records, *, show_users: bool) -> list[dict]:
    """Entries for `records` (oldest first): each one's changes against the one before."""
    entries, previous = [], None
    # Who created a record is an account: shown, like `changed_by`, with the users.
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


def public_versions(records: list, model_name: str) -> list:
    """The versions of a record (oldest first) that were public at some time: a claim's
    published versions; a review's published versions, and a rebuttal's versions, from
    while their claim was published. A version saved while the claim was a draft and still
    in force when the claim was published counts: it is what the public first saw."""
    if model_name == "claim":
        return [r for r in records if r.status == ClaimStatus.PUBLISHED]
    published_at = claim_publication_intervals({r.claim_id for r in records})
    public = []
    for record, following in zip(records, [*records[1:], None], strict=True):
        if model_name == "review" and record.status != ReviewStatus.PUBLISHED:
            continue
        end = following.history_date if following is not None else None
        intervals = published_at.get(record.claim_id, [])
        if any(overlaps(record.history_date, end, start, stop) for start, stop in intervals):
            public.append(record)
    return public


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
        records = list(
            instance.history.select_related("history_user").order_by("history_date", "history_id")
        )
        user = request.user
        model_name = type(instance)._meta.model_name
        if not sees_unpublished(user):
            records = public_versions(records, model_name)
        entries = history_entries(records, show_users=may_view(user, type(instance)))
        hide_unseen_claims(entries, user)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)

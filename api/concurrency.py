"""Optimistic concurrency, for the models, the admin and the API alike.

Every tracked model counts its saves in `version` (`Versioned`); `bump_version` is the one
place it goes up, once per write. Nobody may save over a version they have not seen:

- API clients read an ETag (`etag_for`: the version plus a digest of the payload) and send it
  back in `If-Match`. The comparison is Django's own (`parse_etags`,
  `get_conditional_response`): strong, as RFC 9110 requires for If-Match, so a weak ETag
  never matches. Ours are only the 428 rule (a write without the current ETag, or with `*`,
  which would match any version) and the ETag formula.
- Admin forms carry the version in a hidden field (`VersionCheckedForm`).

Either way the row is locked (SELECT … FOR UPDATE) while its version is compared and the write
made, so two writers cannot both pass the check.
"""

import hashlib
import json
import random
import time

from django import forms
from django.core.exceptions import ValidationError
from django.db import OperationalError, models, transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_etags
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.response import Response

CHANGED_ELSEWHERE = (
    "This record was changed by someone else since you opened it. Your changes were not "
    "saved: reload the page to see the current version, then make your edit again."
)


class Versioned(models.Model):
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Counts the row's saves; the ETag is built on it."
    )

    class Meta:
        abstract = True


def bump_version(instance: Versioned) -> None:
    """Make `instance` the next version of the row it was read as: call once per write, just
    before saving, with the row locked (the API's writes, the services, the admin's saves)."""
    instance.version += 1


def lock_row(model: type[models.Model], **lookup) -> None:
    """Lock the row of `model` matching `lookup` until the transaction ends (a missing row, or
    a lookup value of the wrong type, locks nothing)."""
    try:
        rows = model._default_manager.select_for_update().filter(**lookup)
        list(rows.values_list("pk", flat=True))
    except (TypeError, ValueError, ValidationError):
        pass


# PostgreSQL aborts one of two transactions that wait for each other (deadlock_detected), and
# one whose snapshot can no longer be serialized (serialization_failure): both succeed when run
# again. Writes lock rows in a fixed order so that neither should happen; this is the net.
TRANSIENT_SQLSTATES = {"40P01", "40001"}
WRITE_TRIES = 3


def is_transient(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in TRANSIENT_SQLSTATES


def atomic_with_retries(write, *, tries: int = WRITE_TRIES):
    """`write()` in a transaction, run again (`tries` times in all, after a short random pause)
    when the database aborts it for a deadlock or a serialization failure. What still fails
    is raised; api.errors answers it 503 with Retry-After."""
    for attempt in range(1, tries + 1):
        try:
            with transaction.atomic():
                return write()
        except OperationalError as error:
            if attempt == tries or not is_transient(error):
                raise
            time.sleep(random.uniform(0.01, 0.05) * attempt)


# --- the API ---------------------------------------------------------------------------------


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = "This write needs an If-Match header with the ETag of the version you read."
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The record changed since you read it (its ETag no longer matches If-Match). "
        "Read it again, reapply your change, and retry."
    )
    default_code = "precondition_failed"


ANY_VERSION = (
    "If-Match: * matches whatever version is current, so it cannot protect your write from "
    "overwriting someone else's. Send the ETag of the version you read."
)
MALFORMED = (
    "malformed If-Match: give the ETag exactly as a GET answered it, quotes included, e.g. "
    'If-Match: "3-1a2b3c4d5e6f".'
)


def etag_for(version: int, data) -> str:
    """A strong ETag: the row's version counter, plus a digest of the payload built from the
    same row, so nested changes (a new review on a claim) change it too. The digest is of
    the payload's canonical JSON: equal payloads give equal tags, however a serializer
    rendered them."""
    payload = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return etag_of_text(version, payload)


def etag_of_text(version: int, text: str) -> str:
    """`etag_for` of a payload that is JSON text already, digested as it is: a document the
    database writes (claims.documents) is the same text for the same rows and kind of client
    wherever it is read (a GET, the answer to a write, the If-Match check), so it is not
    parsed and written again to be digested."""
    return f'"{version}-{hashlib.blake2b(text.encode(), digest_size=6).hexdigest()}"'


def require_if_match(request) -> None:
    """The 428 rule: a write names the version it replaces. No If-Match, or `*` (any version),
    answers 428; a header that is not a list of quoted ETags answers 400."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    if header == "*":
        raise PreconditionRequired(ANY_VERSION)
    items = [item for item in header.split(",") if item.strip()]
    if len(parse_etags(header)) != len(items):
        raise ParseError(MALFORMED, code="malformed_if_match")


class VersionedMixin:
    """Detail answers carry an ETag; PUT, PATCH and DELETE need the current one in If-Match.

    A write without If-Match is refused with 428, with a stale or weak one 412, so no client
    can overwrite a version it has not seen. The row is locked, then read once, while the
    ETag is compared and the write made; `perform_update` bumps `version`.
    """

    detail_serializer_class = None  # the GET detail shape, when not `serializer_class`

    def detail_data(self, instance):
        """The detail payload a GET answers with (viewsets may add to the instance first)."""
        serializer_class = self.detail_serializer_class or self.serializer_class
        return serializer_class(instance, context=self.get_serializer_context()).data

    def get_written_queryset(self):
        """Where a write reads back the row it made, for its answer (and ETag): the GET's
        queryset, unless a viewset hides rows the writer may not read (drafts), since the
        writer has just sent that row."""
        return self.get_queryset()

    def written_response(self, instance, status_code=status.HTTP_200_OK):
        fresh = self.get_written_queryset().get(pk=instance.pk)
        data = self.detail_data(fresh)
        return Response(data, status=status_code, headers={"ETag": etag_for(fresh.version, data)})

    def create(self, request, *args, **kwargs):
        def write():  # a conflicting insert rolls back whole, and answers 409
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            self.perform_create(serializer)
            return self.written_response(serializer.instance, status.HTTP_201_CREATED)

        return atomic_with_retries(write)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.detail_data(instance)
        return self.detail_response(request, etag_for(instance.version, data), data)

    def detail_response(self, request, tag: str, data, body: bytes | None = None):
        """The detail answer with its ETag `tag`, or 304 if If-None-Match holds that ETag (412
        if If-Match does not). `body`: the payload already rendered as JSON (the fast read
        path; `data` is then not used), else None."""
        if body is not None:
            response = HttpResponse(body, content_type="application/json", headers={"ETag": tag})
        else:
            response = Response(data, headers={"ETag": tag})
        # The answer itself, or a 304 carrying its ETag, or a 412.
        conditional = get_conditional_response(request, etag=tag, response=response)
        if conditional.status_code == status.HTTP_412_PRECONDITION_FAILED:
            raise PreconditionFailed()
        return conditional

    def get_current_for_write(self, request):
        """Lock the row, read it once, and check If-Match against its current ETag; returns
        the row (404 for a row that is missing or that the user may not see)."""
        require_if_match(request)
        lookup = self.lookup_url_kwarg or self.lookup_field
        lock_row(self.get_queryset().model, **{self.lookup_field: self.kwargs[lookup]})
        instance = self.get_object()  # read under the lock: the state the write replaces
        if get_conditional_response(request, etag=self.current_etag(instance)) is not None:
            raise PreconditionFailed()
        return instance

    def current_etag(self, instance) -> str:
        """The ETag a GET of `instance` answers with now, as read under the write's lock."""
        return etag_for(instance.version, self.detail_data(instance))

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)

        def write():
            instance = self.get_current_for_write(request)
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            self.perform_update(serializer)
            return self.written_response(instance)

        return atomic_with_retries(write)

    def perform_update(self, serializer):
        bump_version(serializer.instance)
        serializer.save()

    def destroy(self, request, *args, **kwargs):
        def write():
            self.perform_destroy(self.get_current_for_write(request))
            return Response(status=status.HTTP_204_NO_CONTENT)

        return atomic_with_retries(write)


# --- the admin -------------------------------------------------------------------------------


class VersionCheckedForm(forms.ModelForm):
    """An admin form that refuses to save over a newer version of its row.

    The version the editor opened travels in a hidden field; on a changed form, the
    row is locked and its current version compared before anything is saved.
    """

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Set when the form edits an old version (a history revert): the row's current version,
    # which is what the editor is about to replace.
    current_version = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.current_version or self.instance.version

    def clean(self):
        cleaned = super().clean()
        reverting = self.current_version is not None
        if self.instance.pk and (self.has_changed() or reverting):
            manager = type(self.instance)._default_manager
            current = (
                manager.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is None or current != cleaned.get("seen_version"):
                raise ValidationError(CHANGED_ELSEWHERE, code="stale")
            self.instance.version = current  # the version this save replaces (a revert's too)
        return cleaned


class VersionCheckedAdminMixin:
    """For ModelAdmins and inlines: use VersionCheckedForm and render its hidden field; each
    saved change of a row, and of its inline rows, is that row's next version."""

    form = VersionCheckedForm

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.reverting_to_old_version = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and getattr(request, "reverting_to_old_version", False):
            manager = type(obj)._default_manager
            current = manager.filter(pk=obj.pk).values_list("version", flat=True).first()
            form = type(form.__name__, (form,), {"current_version": current})
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if any("seen_version" in flatten(opts["fields"]) for _, opts in fieldsets):
            return fieldsets
        name, opts = fieldsets[0]
        return [(name, {**opts, "fields": [*opts["fields"], "seen_version"]}), *fieldsets[1:]]

    def save_model(self, request, obj, form, change):
        if change:
            bump_version(obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline in formset.forms:
            if inline.instance.pk and inline.has_changed() and inline not in formset.deleted_forms:
                bump_version(inline.instance)
        super().save_formset(request, form, formset, change)


def flatten(fields):
    for field in fields:
        if isinstance(field, (list, tuple)):
            yield from field
        else:
            yield field

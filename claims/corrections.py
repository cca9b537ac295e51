"""Corrections: the public notes that a published claim or review was changed after publication
(schema.org `correction`), and the writes that record them.

A plain edit (a typo) needs no note; a change of a published review's rating always needs one.
A note is taken with the write that makes the change (`correction` in the PATCH or PUT body,
or the admin form's field), saved in the same transaction, listed newest first in the claim's
and the review's API answers and in the ClaimReview export, and told to webhook subscribers as
`claim.corrected`.

"Published" here means published now or at some time before (the record's edit history says
so): unpublishing a review, changing its rating and publishing it again still needs a note.
"""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from newsroom import events
from newsroom.enums import Event

from .enums import ClaimStatus, Rating, ReviewStatus
from .models import Claim, Correction, Review
from .services import claim_save, review_save

MAX_LENGTH = 2_000
CORRECTION_HELP = (
    "Public correction notes (schema.org `correction`), newest first: what was changed after "
    "publication, and when."
)
WRITE_HELP = (
    "A public correction note for this change of a published record (schema.org "
    "`correction`), listed in its answers with today's date. Optional for a plain edit; "
    "required when a published review's `rating` changes. Refused for a record that has "
    "never been published (nothing public to correct) and on create."
)
NEEDS_NOTE = (
    "This review has been published: a change of its rating needs a public correction note "
    "(`correction`) saying what changed and why."
)
NEVER_PUBLISHED = (
    "This {name} has never been published: there is nothing public to correct. Edit it "
    "without a correction note."
)
NEW_RECORD = "A new record has nothing to correct."
PUBLISHED = {Claim: ClaimStatus.PUBLISHED, Review: ReviewStatus.PUBLISHED}


class CorrectionSerializer(serializers.ModelSerializer):
    """A correction note as answers show it (the document's shape: claims.querysets)."""

    class Meta:
        model = Correction
        fields = ["text", "published_at"]


@extend_schema_field(CorrectionSerializer(many=True))
class CorrectionsDocumentField(serializers.Field):
    """The JSON array the database wrote (`corrections_array`), as it is."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return json.loads(value) if isinstance(value, str) else value


class CorrectionField(serializers.CharField):
    """The write body's `correction`: a note for the change the body makes."""

    def __init__(self, **kwargs):
        kwargs = {"max_length": MAX_LENGTH, "help_text": WRITE_HELP, **kwargs}
        super().__init__(write_only=True, required=False, **kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        if self.parent.instance is None:
            raise serializers.ValidationError(NEW_RECORD)
        return text


def was_published(record: Claim | Review) -> bool:
    """Whether the row of `record` is published, or was at some time (its edit history); read
    from the database, not from the instance (which a form may have changed already)."""
    model, published = type(record), PUBLISHED[type(record)]
    if model.objects.filter(pk=record.pk, status=published).exists():
        return True
    return model.history.filter(id=record.pk, status=published).exists()


def check_correction(*, record: Claim | Review, correction: str | None, rating_changed: bool):
    """ValidationError (field `correction`) unless the note fits the change: a note only for
    a record that is or was published; always one when such a review's rating changes."""
    if not was_published(record):
        if correction:
            name = type(record)._meta.verbose_name
            raise ValidationError({"correction": NEVER_PUBLISHED.format(name=name)})
        return
    if rating_changed and not correction:
        raise ValidationError({"correction": NEEDS_NOTE})


def imported_rating_change(review: Review, incoming: dict) -> str:
    """The note for a published review whose reviewer changed its rating, found by a
    ClaimReview import (interop.services): the only change of rating not typed by an editor."""
    old = review.textual_rating or Rating(review.rating).label
    new = incoming.get("textual_rating") or Rating(incoming["rating"]).label
    return f"{review.reviewer.name} changed its rating from “{old}” to “{new}”."


def correction_add(*, record: Claim | Review, text: str, by) -> Correction:
    """Record the public note `text` on `record` (a claim or a review) on behalf of `by`.

    Effects: one Correction row, dated now; `claim.corrected` is enqueued in the caller's
    transaction for subscribers (newsroom.events: only when the claim, and the review, are
    published), with the note in its data."""
    # `by` may be no account (an import from the command line: interop.services.CommandLine).
    author = by if isinstance(by, get_user_model()) else None
    if isinstance(record, Review):
        correction = Correction.objects.create(review=record, text=text, created_by=author)
        claim, review = record.claim, record
    else:
        correction = Correction.objects.create(claim=record, text=text, created_by=author)
        claim, review = record, None
    note = {"text": text, "published_at": correction.published_at.isoformat()}
    if review is not None:
        note["review"] = review.pk
    events.emit(event=Event.CLAIM_CORRECTED, claim=claim, review=review, extra={"correction": note})
    return correction


def claim_update(*, claim: Claim, changes: dict, by) -> Claim:
    """claim_save, with the body's correction note (`changes["correction"]`, optional).

    Effects: without a note, claim_save's alone. With one: ValidationError, nothing saved,
    unless the claim is or was published; otherwise, in one transaction, the claim saved as
    claim_save saves it, the note recorded and `claim.corrected` enqueued (`correction_add`)."""
    correction = changes.pop("correction", None)
    if not correction:  # a plain edit: no note, and nothing more to ask the database
        return claim_save(claim=claim, changes=changes, by=by)
    with transaction.atomic():
        check_correction(record=claim, correction=correction, rating_changed=False)
        claim = claim_save(claim=claim, changes=changes, by=by)
        correction_add(record=claim, text=correction, by=by)
    return claim


def review_update(*, review: Review, changes: dict, by) -> Review:
    """review_save, with the body's correction note (`changes["correction"]`): required when a
    published (or once published) review's rating changes.

    Effects: as claim_update, for a review: ValidationError, nothing saved, when the rating
    of a review that is or was published changes without a note, or a note comes for one that
    never was; otherwise review_save's effects, then the note's, in one transaction."""
    correction = changes.pop("correction", None)
    rating_changed = changes.get("rating", review.rating) != review.rating
    if not correction and not rating_changed:
        return review_save(review=review, changes=changes, by=by)
    with transaction.atomic():
        check_correction(record=review, correction=correction, rating_changed=rating_changed)
        review = review_save(review=review, changes=changes, by=by)
        if correction:
            correction_add(record=review, text=correction, by=by)
    return review

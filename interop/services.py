"""The ClaimReview import: one service, called by the management command and the API."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction

from claims.corrections import imported_rating_change, review_update, was_published
from claims.enums import ClaimStatus, ReviewStatus
from claims.models import Appearance, Claim, Rebuttal, Review, Speaker
from claims.services import claim_set_status
from claims.workflow import check_move
from newsroom import events
from sources.enums import OutletKind
from sources.models import Outlet, Source

from .mapping import EntryError, OutletData, Record, SourceData, SpeakerData, read_entry
from .matching import Matcher
from .parse import Document

IMPORTED = "Imported from ClaimReview."
UPDATED = "Updated from a newer ClaimReview."

# Statuses only rise on import: a draft review imported for a published claim leaves it
# published. Order of the workflow.
RANK = {ClaimStatus.DRAFT: 0, ClaimStatus.IN_REVIEW: 1, ClaimStatus.PUBLISHED: 2}

# The review fields an import compares and updates.
REVIEW_FIELDS = [
    "rating",
    "textual_rating",
    "rating_value",
    "best_rating",
    "worst_rating",
    "summary",
    "url",
    "title",
    "published_on",
    "date_modified",
]


ROW_NAMES = ("outlets", "speakers", "claims", "sources", "appearances", "reviews", "rebuttals")


class CommandLine:
    """Who imports from the command line without `--user`: whoever runs manage.py has the
    database already, so every permission holds; history records no user."""

    pk = None
    is_authenticated = True
    is_active = True

    def has_perm(self, perm: str, obj=None) -> bool:
        return True

    def __str__(self):
        return "the command line"


@dataclass
class Report:
    """What an import did, per entry (created, updated, unchanged, rejected) and per row."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    imported: bool = True
    rows_created: Counter = field(default_factory=Counter)
    unknown_labels: Counter = field(default_factory=Counter)
    rejections: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    files: dict[str, Counter] = field(default_factory=dict)
    file_rows: dict[str, Counter] = field(default_factory=dict)

    def outcome(self, document: str, name: str) -> None:
        setattr(self, name, getattr(self, name) + 1)
        self.files.setdefault(document, Counter())[name] += 1

    def reject(self, document: str, position: str, reason: str) -> None:
        self.outcome(document, "rejected")
        self.rejections.append({"document": document, "position": position, "reason": reason})

    def as_dict(self) -> dict:
        return {
            "imported": self.imported,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "rows_created": {name: self.rows_created[name] for name in ROW_NAMES},
            "unknown_labels": dict(sorted(self.unknown_labels.items())),
            "rejections": self.rejections,
            "warnings": self.warnings,
        }


class _RollBack(Exception):
    pass


class _EntryByEntry(Exception):
    pass


@dataclass
class Item:
    """An entry read, with where it came from."""

    document: str
    position: str
    record: Record


def claimreview_import(
    *,
    documents: list[Document],
    status: str = ReviewStatus.PUBLISHED,
    by,
    skip_invalid: bool = False,
    progress=None,
    entry_by_entry: bool = False,
) -> Report:
    """Import the ClaimReview entries of `documents` (parse.read_document) on behalf of `by`.

    Effects: for each entry, finds or creates its reviewer (an Outlet), speaker, claim, sources
    (with the claim's appearances in them), rebuttals and review (interop.matching says how
    rows are matched); a review found again with a changed rating or a later `dateModified`
    is updated (review_save: its history keeps the old version; a published review's changed
    rating with a correction note, claims.corrections). New claims and reviews take
    `status` (draft, in_review — published for claims only — or published), checked by
    claims.workflow.check_move (a claim created published skips review: the permission to
    publish unreviewed claims, besides the publish permissions); existing ones are moved up
    to it by claim_set_status / review_save, never down. New rebuttals take the claims'
    `status`: they come in the same document as the claim they answer, whose publication
    `by` may make. Every row written records `by` and the
    reason "Imported from ClaimReview." in its history.

    Webhook events (newsroom.events), in the import's transaction, as the status services
    tell them: `claim.published` for each claim created or moved up to published,
    `review.published` for each review created or moved up to published on a published claim,
    `claim.verdict_changed` once for each published claim whose verdict the import changed.
    Drafts tell nothing; an import rolled back leaves no event. The active subscriptions are
    read once per import.

    Atomic: one transaction. An entry that cannot be imported is reported with its position
    and reason; then, unless `skip_invalid`, nothing at all is written (report.imported is
    False); with it, a refused entry leaves nothing behind. PermissionDenied, and nothing
    written, when `by` may not give the status.

    Rows are written kind by kind for all entries at once (interop.bulk); should the database
    refuse that, or with `entry_by_entry`, entry after entry, each in a savepoint. Both give
    the same rows and the same report. `progress(name, entries)` is called as each document
    has been read.
    """
    published = status == ClaimStatus.PUBLISHED
    review_status = ReviewStatus.PUBLISHED if published else ReviewStatus.DRAFT
    check_move(model=Claim, current=ClaimStatus.DRAFT, status=status, by=by, creating=True)
    check_move(model=Review, current=ReviewStatus.DRAFT, status=review_status, by=by, creating=True)
    importer = _Importer(by=by, claim_status=status, review_status=review_status)
    from .bulk import BulkWriter  # it builds on this module's helpers

    try:
        with transaction.atomic(), events.subscriptions_read_once():
            items = importer.read(documents, progress)
            importer.start_report()
            try:
                if entry_by_entry:
                    raise _EntryByEntry
                with transaction.atomic():
                    BulkWriter(importer).write(items)
            except (_EntryByEntry, IntegrityError, DataError, ValidationError):
                # Another writer got there first, or a value the checks let through: start
                # over entry by entry, where each refusal is the entry's alone.
                importer.start_report()
                importer.write_each(items)
            report = importer.report
            if report.rejected and not skip_invalid:
                raise _RollBack
    except _RollBack:
        report = importer.report
        report.imported = False
        report.created = report.updated = report.unchanged = 0
        report.rows_created.clear()
        report.file_rows.clear()
        for counts in report.files.values():
            for name in ("created", "updated", "unchanged"):
                counts.pop(name, None)
    return report


# The document's property behind each field a refusal names.
PROPERTIES = {
    ("review", "published_on"): "datePublished",
    ("review", "date_modified"): "dateModified",
    ("review", "url"): "url",
    ("review", "title"): "name",
    ("review", "summary"): "reviewBody",
    ("review", "textual_rating"): "reviewRating.alternateName",
    ("claim", "text"): "claimReviewed",
    ("claim", "stated_on"): "itemReviewed.datePublished",
    ("speaker", "name"): "itemReviewed.author.name",
    ("outlet", "name"): "author.name",
    ("source", "published_on"): "appearance.datePublished",
    ("rebuttal", "text"): "rebuttal text",
}


def validation_message(error: ValidationError, model) -> str:
    """One line: each property at fault (the document's name for it) and its messages."""
    name = model._meta.model_name
    if hasattr(error, "error_dict"):
        parts = [
            f"{PROPERTIES.get((name, field), f'{name} {field}')}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        ]
        return "; ".join(parts)
    return f"{name}: {' '.join(error.messages)}"


class _Importer:
    def __init__(self, *, by, claim_status: str, review_status: str):
        self.by = by
        self.user = by if getattr(by, "pk", None) is not None else None
        self.claim_status = claim_status
        self.review_status = review_status
        self.matcher = Matcher()
        self.problems: list[tuple[str, str, str, str]] = []
        self.names: list[str] = []
        self.current = ""
        self.start_report()

    # --- reading ---------------------------------------------------------------------------

    def read(self, documents: list[Document], progress=None) -> list[Item]:
        """Every entry read into a Record; what cannot be read is refused now."""
        items = []
        for document in documents:
            name = document.name
            self.problems += [("warning", name, "", message) for message in document.warnings]
            self.problems += [("reject", name, r.position, r.reason) for r in document.rejections]
            for entry in document.entries:
                try:
                    items.append(Item(name, entry.position, read_entry(entry)))
                except EntryError as error:
                    self.problems.append(("reject", name, entry.position, str(error)))
            if progress is not None:
                progress(name, len(document.entries))
        self.names = [document.name for document in documents]
        return items

    def start_report(self) -> None:
        """A report holding only what reading found (writing starts over on the fallback)."""
        self.report = report = Report()
        for name in self.names:
            report.files.setdefault(name, Counter())
            report.file_rows.setdefault(name, Counter())
        for kind, name, position, message in self.problems:
            if kind == "reject":
                report.reject(name, position, message)
            else:
                report.warnings.append({"document": name, "position": position, "message": message})
        self.matcher.forget()

    def done(self, item: Item, outcome: str) -> None:
        report = self.report
        report.outcome(item.document, outcome)
        record = item.record
        if not record.known_label:
            report.unknown_labels[record.review["textual_rating"] or "(none)"] += 1
        for message in record.warnings:
            report.warnings.append(
                {"document": item.document, "position": item.position, "message": message}
            )

    def created(self, counter: str, count: int = 1) -> None:
        self.report.rows_created[counter] += count
        self.report.file_rows[self.current][counter] += count

    def write_each(self, items: list[Item]) -> None:
        """Entry by entry, each in a savepoint: the exact path, a refused entry leaving
        nothing behind whatever the database says."""
        with events.watch_verdicts():  # each verdict the import changed, told once
            self._write_each(items)

    def _write_each(self, items: list[Item]) -> None:
        for item in items:
            self.current = item.document
            try:
                with transaction.atomic():
                    outcome = self.record(item.record)
            except ValidationError as error:
                self.report.reject(item.document, item.position, error.args[0])
                self.matcher.forget()
                continue
            except (IntegrityError, DataError) as error:
                reason = f"the database refused it ({str(error).splitlines()[0]})."
                self.report.reject(item.document, item.position, reason)
                self.matcher.forget()
                continue
            self.done(item, outcome)

    # --- writing ---------------------------------------------------------------------------

    def _save(self, instance, counter: str | None = None, reason: str = IMPORTED) -> None:
        """Validate (field rules and clean(); the database checks constraints) and save
        `instance` with the importing user and reason in its history."""
        _validate(instance)
        instance._history_user = self.user
        instance._change_reason = reason
        instance.save()
        if counter:
            self.created(counter)

    def outlet(self, data: OutletData, kind: str) -> Outlet:
        found = self.matcher.outlet(name=data.name, url=data.url)
        if found is not None:
            return found
        homepage = data.url if len(data.url) <= 500 else ""
        outlet = Outlet(name=data.name[:200], homepage=homepage, kind=kind)
        self._save(outlet, "outlets")
        self.matcher.remember_outlet(outlet)
        return outlet

    def speaker(self, data: SpeakerData) -> Speaker:
        found = self.matcher.speaker(name=data.name, wikidata_id=data.wikidata_id)
        if found is not None:
            return found
        speaker = Speaker(
            name=data.name,
            kind=data.kind,
            job_title=data.job_title[:200],
            wikidata_id=data.wikidata_id,
        )
        self._save(speaker, "speakers")
        self.matcher.remember_speaker(speaker)
        return speaker

    def source(self, data: SourceData, language: str) -> Source:
        publisher = self.outlet(data.publisher, OutletKind.OTHER) if data.publisher else None
        found = self.matcher.source(url=data.url, title=data.title, outlet=publisher)
        if found is not None:
            return found
        source = Source(
            url=data.url,
            title=data.title,
            outlet=publisher,
            authors=data.authors,
            published_on=data.published_on,
            language=language,
        )
        self._save(source, "sources")
        self.matcher.remember_source(source)
        return source

    def claim(self, record: Record, speaker: Speaker) -> tuple[Claim, bool]:
        found = self.matcher.claim(speaker=speaker, text=record.claim_text)
        if found is not None:
            if RANK[self.claim_status] > RANK[found.status]:
                claim_set_status(claim=found, status=self.claim_status, by=self.by)
            return found, False
        claim = Claim(
            text=record.claim_text,
            speaker=speaker,
            speaker_title=record.speaker.job_title[:200],
            stated_on=record.stated_on,
            language=record.language,
            status=self.claim_status,
            created_by=self.user,
        )
        self._save(claim, "claims")
        events.claim_status_changed(claim=claim, before=ClaimStatus.DRAFT)  # as claim_create
        self.matcher.remember_claim(claim)
        return claim, True

    def appearances(self, claim: Claim, new: bool, sources: list[Source], firsts: list[bool]):
        existing: set[int] = set()
        has_first = False
        if not new:
            for source_id, is_first in claim.appearances.values_list("source_id", "is_first"):
                existing.add(source_id)
                has_first |= is_first
        for source, is_first in zip(sources, firsts, strict=True):
            if source.pk in existing:
                continue
            first = is_first and not has_first
            has_first |= first
            existing.add(source.pk)
            self._save(Appearance(claim=claim, source=source, is_first=first), "appearances")

    def rebuttals(self, record: Record, claim: Claim, new: bool) -> None:
        known = set()
        if not new:
            known = set(claim.rebuttals.values_list("speaker_id", "text"))
        for data in record.rebuttals:
            speaker = self.speaker(data.speaker)
            if (speaker.pk, data.text) in known:
                continue
            source = self.source(data.source, record.language) if data.source else None
            rebuttal = Rebuttal(
                claim=claim,
                speaker=speaker,
                text=data.text,
                relation=data.relation,
                stated_on=data.stated_on,
                source=source,
                status=self.claim_status,
            )
            self._save(rebuttal, "rebuttals")
            known.add((speaker.pk, data.text))

    def record(self, record: Record) -> str:
        """Write one record; returns "created", "updated" or "unchanged" (its review's fate)."""
        reviewer = self.outlet(record.reviewer, OutletKind.FACT_CHECKER)
        speaker = self.speaker(record.speaker)
        claim, new_claim = self.claim(record, speaker)
        sources = [self.source(data, record.language) for data in record.sources]
        self.appearances(claim, new_claim, sources, [data.is_first for data in record.sources])
        self.rebuttals(record, claim, new_claim)
        found = None
        if not new_claim or record.review["url"]:
            found = self.matcher.review(url=record.review["url"], claim=claim, reviewer=reviewer)
        if found is None:
            review = Review(
                claim=claim, reviewer=reviewer, status=self.review_status, **record.review
            )
            with events.watch_verdicts(claim.pk):  # as review_create
                self._save(review, "reviews")
                events.review_status_changed(review=review)
            return "created"
        return self.update_review(found, record, claim)

    def update_review(self, review: Review, record: Record, claim: Claim) -> str:
        incoming, stored = record.review["date_modified"], review.date_modified
        if incoming and stored and incoming < stored:
            return "unchanged"  # an older version than the one on file
        changes = {
            name: value for name, value in record.review.items() if getattr(review, name) != value
        }
        if review.claim_id != claim.pk:
            changes["claim"] = claim
        rise = RANK[self.review_status] > RANK[review.status]
        if not changes and not rise:
            return "unchanged"
        if rise:
            changes["status"] = self.review_status
        fields = {**_fields(review), **changes}
        fields.pop("claim", None)  # not validated here (see _validate)
        _validate(Review(**fields))
        review._history_user = self.user
        review._change_reason = UPDATED
        if "rating" in changes and was_published(review):  # a rating change is a correction
            changes["correction"] = imported_rating_change(review, record.review)
        review_update(review=review, changes=changes, by=self.by)
        return "updated"


def _validate(instance) -> None:
    """The row's field rules and clean(), as a ValidationError with one message. Foreign keys
    are left out (they hold rows just read or written: checking costs a query each), and so
    are unique checks and constraints, which the database enforces."""
    relations = [f.name for f in instance._meta.fields if f.is_relation]
    try:
        instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        # A TextField's max_length is a form's rule only; the API's serializers apply it too.
        too_long = {
            f.name: f"Ensure this value has at most {f.max_length} characters "
            f"(it has {len(getattr(instance, f.attname))})."
            for f in instance._meta.fields
            if isinstance(f, models.TextField)
            and f.max_length
            and len(getattr(instance, f.attname) or "") > f.max_length
        }
        if too_long:
            raise ValidationError(too_long)
    except ValidationError as error:
        raise ValidationError(validation_message(error, type(instance))) from None


def _fields(review: Review) -> dict:
    names = [*REVIEW_FIELDS, "status"]
    return {"reviewer_id": review.reviewer_id} | {name: getattr(review, name) for name in names}

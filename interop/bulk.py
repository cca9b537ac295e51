"""The import's fast path: the same matching and the same rows as writing entry by entry
(`_Importer.record`), in a few queries per kind of row instead of a few per entry.

1. Every entry's new rows are validated first (field rules, `clean()`), without the
   database; an entry that fails is refused before anything is written for it.
2. Then, one kind of row after another (outlets, speakers, claims, sources, appearances,
   rebuttals, reviews): the rows already on file are looked up for all entries at once (by
   site or name, Wikidata id or name, speaker and text, URL), the missing ones created with
   `bulk_create` and their history rows with django-simple-history's
   `bulk_create_with_history` (the importing user, "Imported from ClaimReview.").
3. Rows on file that change (a claim or review whose status rises, a review's newer version)
   go through claims.services one by one, as they would entry by entry.
4. The new claims and reviews tell the webhook events claim_create and review_create would
   (newsroom.events' hooks), once all of a kind are saved; each verdict changed is told once.

A database error here (another writer created the same source meanwhile, say) rolls this path
back; interop.services then writes entry by entry, where each entry has its own savepoint.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from claims.enums import ClaimStatus
from claims.models import Appearance, Claim, Rebuttal, Review, Speaker
from newsroom import events
from sources.enums import OutletKind
from sources.models import Outlet, Source

from .matching import normalise_text

CHUNK = 500


def chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


class Plan:
    """What one entry refers to, row by row, as the fast path resolves it."""

    def __init__(self, item):
        self.item = item
        self.record = item.record
        self.reviewer = None
        self.speaker = None
        self.claim = None
        self.sources = []
        self.rebuttal_speakers = []
        self.rebuttal_sources = []
        self.outcome = ""


class BulkWriter:
    def __init__(self, importer):
        self.importer = importer
        self.matcher = importer.matcher
        self.new_claims: set[int] = set()  # ids of the claims this import created

    # --- helpers ---------------------------------------------------------------------------

    def _created(self, plan: Plan, counter: str) -> None:
        self.importer.current = plan.item.document
        self.importer.created(counter)

    def _save_all(self, model, objects: list) -> None:
        if not objects:
            return
        if model in (Outlet, Speaker):
            assign_slugs(model, objects)
        from .services import IMPORTED

        bulk_create_with_history(
            objects,
            model,
            batch_size=CHUNK,
            default_user=self.importer.user,
            default_change_reason=IMPORTED,
        )

    # --- 1. validation ---------------------------------------------------------------------

    def validated(self, items) -> list[Plan]:
        from .services import _validate

        importer = self.importer
        checked: set = set()

        def check(key, build):
            if key not in checked:
                _validate(build())
                checked.add(key)

        plans = []
        for item in items:
            record = item.record
            try:
                outlets = [(record.reviewer, OutletKind.FACT_CHECKER)]
                outlets += [(s.publisher, OutletKind.OTHER) for s in record.sources if s.publisher]
                speakers = [record.speaker] + [r.speaker for r in record.rebuttals]
                sources = list(record.sources) + [r.source for r in record.rebuttals if r.source]
                for data, kind in outlets:
                    check(("outlet", data.name, data.url), lambda d=data, k=kind: _outlet(d, k))
                for data in speakers:
                    check(("speaker", repr(data)), lambda d=data: _speaker(d))
                for data in sources:
                    language = record.language
                    check(("source", repr(data)), lambda d=data, x=language: _source(d, x))
                _validate(
                    Claim(
                        text=record.claim_text,
                        speaker_title=record.speaker.job_title[:200],
                        stated_on=record.stated_on,
                        language=record.language,
                        status=importer.claim_status,
                    )
                )
                _validate(Review(status=importer.review_status, **record.review))
                for data in record.rebuttals:
                    _validate(
                        Rebuttal(text=data.text, relation=data.relation, stated_on=data.stated_on)
                    )
            except ValidationError as error:
                importer.report.reject(item.document, item.position, error.args[0])
                continue
            plans.append(Plan(item))
        return plans

    # --- 2. rows, kind by kind -------------------------------------------------------------

    def outlets(self, plans: list[Plan]) -> None:
        new = []

        def outlet(plan, data, kind):
            found = self.matcher.outlet(name=data.name, url=data.url)
            if found is None:
                found = _outlet(data, kind)
                found.slug = ""
                self.matcher.remember_outlet(found)
                new.append(found)
                self._created(plan, "outlets")
            return found

        publishers = {}
        for plan in plans:
            record = plan.record
            plan.reviewer = outlet(plan, record.reviewer, OutletKind.FACT_CHECKER)
            for data in [*record.sources, *(r.source for r in record.rebuttals if r.source)]:
                if data.publisher is not None:
                    publishers[id(data)] = outlet(plan, data.publisher, OutletKind.OTHER)
        self._save_all(Outlet, new)
        self.publishers = publishers

    def speakers(self, plans: list[Plan]) -> None:
        records = [p.record for p in plans]
        everyone = [r.speaker for r in records] + [b.speaker for r in records for b in r.rebuttals]
        wanted_ids = sorted({s.wikidata_id for s in everyone if s.wikidata_id})
        wanted_names = sorted({s.name for s in everyone})
        found = self.matcher._speakers_by_wikidata
        for part in chunks(wanted_ids):
            for speaker in Speaker.objects.filter(wikidata_id__in=part):
                found[speaker.wikidata_id] = speaker
        for wikidata_id in wanted_ids:
            found.setdefault(wikidata_id, None)
        by_name = self.matcher._speakers_by_name
        for part in chunks(wanted_names):
            for speaker in Speaker.objects.filter(name__in=part).order_by("-id"):
                by_name[speaker.name] = speaker  # the lowest id wins, as matching reads them
        for name in wanted_names:
            by_name.setdefault(name, None)

        new = []

        def speaker(plan, data):
            match = self.matcher.speaker(name=data.name, wikidata_id=data.wikidata_id)
            if match is None:
                match = _speaker(data)
                match.slug = ""
                self.matcher.remember_speaker(match)
                new.append(match)
                self._created(plan, "speakers")
            return match

        for plan in plans:
            plan.speaker = speaker(plan, plan.record.speaker)
            plan.rebuttal_speakers = [speaker(plan, r.speaker) for r in plan.record.rebuttals]
        self._save_all(Speaker, new)

    def claims(self, plans: list[Plan]) -> None:
        from claims.services import claim_set_status

        from .services import RANK

        importer = self.importer
        speaker_ids = sorted({p.speaker.pk for p in plans} - set(self.matcher._claims))
        for speaker_id in speaker_ids:
            self.matcher._claims[speaker_id] = {}
        for part in chunks(speaker_ids):
            for claim in Claim.objects.filter(speaker_id__in=part).order_by("id"):
                self.matcher._claims[claim.speaker_id].setdefault(normalise_text(claim.text), claim)
        new = []
        for plan in plans:
            record = plan.record
            claim = self.matcher.claim(speaker=plan.speaker, text=record.claim_text)
            if claim is None:
                claim = Claim(
                    text=record.claim_text,
                    speaker=plan.speaker,
                    speaker_title=record.speaker.job_title[:200],
                    stated_on=record.stated_on,
                    language=record.language,
                    status=importer.claim_status,
                    created_by=importer.user,
                )
                self.matcher.remember_claim(claim)
                new.append(claim)
                self._created(plan, "claims")
            elif claim.pk is not None and RANK[importer.claim_status] > RANK[claim.status]:
                claim._history_user = importer.user
                claim_set_status(claim=claim, status=importer.claim_status, by=importer.by)
            plan.claim = claim
        self._save_all(Claim, new)
        self.new_claims = {claim.pk for claim in new}
        for claim in new:
            events.claim_status_changed(claim=claim, before=ClaimStatus.DRAFT)  # as claim_create

    def sources(self, plans: list[Plan]) -> None:
        records = [p.record for p in plans]
        every = [s for r in records for s in r.sources]
        every += [b.source for r in records for b in r.rebuttals if b.source]
        urls = sorted({s.url for s in every if s.url} - set(self.matcher._sources))
        for part in chunks(urls):
            for source in Source.objects.filter(url__in=part):
                self.matcher._sources[source.url] = source
        for url in urls:
            self.matcher._sources.setdefault(url, None)
        untitled: dict = {}
        new = []

        def source(plan, data):
            publisher = self.publishers.get(id(data))
            if data.url:
                match = self.matcher._sources.get(data.url)
            else:
                key = (data.title, publisher.pk if publisher else None)
                if key not in untitled:
                    untitled[key] = self.matcher.source(url="", title=data.title, outlet=publisher)
                match = untitled[key]
            if match is None:
                match = _source(data, plan.record.language)
                match.outlet = publisher
                if data.url:
                    self.matcher.remember_source(match)
                else:
                    untitled[(data.title, publisher.pk if publisher else None)] = match
                new.append(match)
                self._created(plan, "sources")
            return match

        for plan in plans:
            plan.sources = [source(plan, data) for data in plan.record.sources]
            plan.rebuttal_sources = [
                source(plan, r.source) if r.source else None for r in plan.record.rebuttals
            ]
        self._save_all(Source, new)

    def appearances(self, plans: list[Plan]) -> None:
        seen: dict[int, set[int]] = defaultdict(set)
        has_first: set[int] = set()
        existing = sorted({p.claim.pk for p in plans} - self.new_claims)
        for part in chunks(existing):
            rows = Appearance.objects.filter(claim_id__in=part)
            for claim_id, source_id, is_first in rows.values_list(
                "claim_id", "source_id", "is_first"
            ):
                seen[claim_id].add(source_id)
                if is_first:
                    has_first.add(claim_id)
        new = []
        for plan in plans:
            claim = plan.claim
            for source, data in zip(plan.sources, plan.record.sources, strict=True):
                if source.pk in seen[claim.pk]:
                    continue
                first = data.is_first and claim.pk not in has_first
                if first:
                    has_first.add(claim.pk)
                seen[claim.pk].add(source.pk)
                new.append(Appearance(claim=claim, source=source, is_first=first))
                self._created(plan, "appearances")
        self._save_all(Appearance, new)

    def rebuttals(self, plans: list[Plan]) -> None:
        if not any(p.record.rebuttals for p in plans):
            return
        known: set = set()
        existing = sorted({p.claim.pk for p in plans if p.record.rebuttals} - self.new_claims)
        for part in chunks(existing):
            known |= set(
                Rebuttal.objects.filter(claim_id__in=part).values_list(
                    "claim_id", "speaker_id", "text"
                )
            )
        new = []
        for plan in plans:
            for data, speaker, source in zip(
                plan.record.rebuttals, plan.rebuttal_speakers, plan.rebuttal_sources, strict=True
            ):
                key = (plan.claim.pk, speaker.pk, data.text)
                if key in known:
                    continue
                known.add(key)
                new.append(
                    Rebuttal(
                        claim=plan.claim,
                        speaker=speaker,
                        text=data.text,
                        relation=data.relation,
                        stated_on=data.stated_on,
                        source=source,
                        status=self.importer.claim_status,
                    )
                )
                self._created(plan, "rebuttals")
        self._save_all(Rebuttal, new)

    def reviews(self, plans: list[Plan]) -> None:
        importer = self.importer
        urls = sorted({p.record.review["url"] for p in plans if p.record.review["url"]})
        on_file: dict = {}
        for part in chunks(urls):
            rows = Review.objects.select_for_update().filter(url__in=part).order_by("-id")
            for review in rows:
                on_file[review.url] = review  # the lowest id wins
        unaddressed = sorted(
            {p.claim.pk for p in plans if not p.record.review["url"]} - self.new_claims
        )
        for part in chunks(unaddressed):
            rows = Review.objects.select_for_update().filter(claim_id__in=part, url="")
            for review in rows.order_by("-id"):
                on_file[(review.claim_id, review.reviewer_id)] = review
        pending: dict = {}
        new = []
        for plan in plans:
            record = plan.record
            url = record.review["url"]
            key = url or (plan.claim.pk, plan.reviewer.pk)
            if key in pending:
                review = pending[key]
                changes = {
                    name: value
                    for name, value in record.review.items()
                    if getattr(review, name) != value
                }
                for name, value in changes.items():
                    setattr(review, name, value)
                review.claim = plan.claim
                plan.outcome = "updated" if changes else "unchanged"
            elif key in on_file:
                importer.current = plan.item.document
                plan.outcome = importer.update_review(on_file[key], record, plan.claim)
            else:
                review = Review(
                    claim=plan.claim,
                    reviewer=plan.reviewer,
                    status=importer.review_status,
                    **record.review,
                )
                pending[key] = review
                new.append(review)
                self._created(plan, "reviews")
                plan.outcome = "created"
        with events.watch_verdicts(*{review.claim_id for review in new}):  # as review_create
            self._save_all(Review, new)
            for review in new:
                events.review_status_changed(review=review)

    # --- all of it -------------------------------------------------------------------------

    def write(self, items) -> None:
        with events.watch_verdicts():  # each verdict the import changed, told once
            self._write(items)

    def _write(self, items) -> None:
        plans = self.validated(items)
        self.outlets(plans)
        self.speakers(plans)
        self.claims(plans)
        self.sources(plans)
        self.appearances(plans)
        self.rebuttals(plans)
        self.reviews(plans)
        for plan in plans:
            self.importer.done(plan.item, plan.outcome)


# --- unsaved rows, as the entry-by-entry path builds them ------------------------------------


def _outlet(data, kind) -> Outlet:
    homepage = data.url if len(data.url) <= 500 else ""
    return Outlet(name=data.name[:200], homepage=homepage, kind=kind, slug="-")


def _speaker(data) -> Speaker:
    return Speaker(
        name=data.name,
        kind=data.kind,
        job_title=data.job_title[:200],
        wikidata_id=data.wikidata_id,
        slug="-",
    )


def _source(data, language: str) -> Source:
    return Source(
        url=data.url,
        title=data.title,
        authors=data.authors,
        published_on=data.published_on,
        language=language,
    )


def assign_slugs(model, objects: list) -> None:
    """Give each new row a slug no row holds yet, as claims' unique_slug would one by one
    (`nato`, then `nato-2`…), in one query per round of candidates."""
    max_length = model._meta.get_field("slug").max_length
    remaining = [
        (obj, slugify(obj.name, allow_unicode=True)[: max_length - 6].strip("-") or "item")
        for obj in objects
    ]
    tried: dict[str, int] = defaultdict(int)
    used: set[str] = set()
    while remaining:
        proposals = []
        for obj, base in remaining:
            while True:
                tried[base] += 1
                candidate = base if tried[base] == 1 else f"{base}-{tried[base]}"
                if candidate not in used:
                    break
            used.add(candidate)
            proposals.append((obj, base, candidate))
        taken: set[str] = set()
        for part in chunks([candidate for _, _, candidate in proposals]):
            taken |= set(model.objects.filter(slug__in=part).values_list("slug", flat=True))
        remaining = []
        for obj, base, candidate in proposals:
            if candidate in taken:
                remaining.append((obj, base))
            else:
                obj.slug = candidate

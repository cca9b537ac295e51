"""Ingesting a report, and an editor's decisions on what it proposes. The API, the admin and the
`ingest` command all call these.

- `article_ingest` reads a report (fetched, pasted HTML or plain text), finds or makes its Source
  and Outlet, and stores the proposed statements; all or nothing, and the same report twice
  creates nothing the second time.
- `proposal_accept`, `proposal_merge`, `proposal_reject` and `proposal_edit` act on one proposal,
  locked while they do. Accepting creates a draft claim (and a new speaker when the proposal
  names nobody on file), its appearance in the article's source and, when the proposal answers
  another that has a claim already (or is answered by one), the rebuttal between the two; the
  edit history of each record names the editor. Nothing is ever published here.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from api.concurrency import bump_version
from claims.aliases import speakers_by_alias
from claims.enums import ClaimStatus, Relation, SpeakerKind
from claims.models import Claim, Rebuttal, Speaker
from claims.services import appearance_create
from sources.enums import Medium, OutletKind
from sources.models import Outlet, Source
from sources.validators import (
    LANGUAGE_TAG_PATTERN,
    unique_slug,
    validate_http_url,
    validate_not_in_future,
)

from . import article as articles
from .enums import ProposalState, StatementKind
from .extract import MAX_CHARS, KnownSpeaker, extract_statements
from .fetch import FetchError, FetchPolicy, fetch
from .models import Article, Proposal

# Longer texts are refused rather than cut (the extraction reads no further).
MAX_TEXT_CHARS = MAX_CHARS
# A text whose characters are this often control characters is binary, not a report.
BINARY_SHARE = 0.02
QUOTE_MAX = 10_000
# Stored speakers looked up per name the article gives (surnames can be common).
SURNAME_CANDIDATES = 20

INGEST_PERMISSION = "claims.add_claim"
DECIDED = (ProposalState.ACCEPTED, ProposalState.MERGED)


class IngestError(Exception):
    """A report that cannot be ingested; `str(error)` can be shown to the client as is, and
    `field` names the input at fault (None: the request as a whole)."""

    def __init__(self, message: str, *, code: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class Ingested:
    article: Article
    created: bool  # False: the report was ingested before, and nothing new was made


# --- reading the report -----------------------------------------------------------------------


def _looks_binary(text: str) -> bool:
    sample = text[:20_000]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\n\r\t\f")
    return "\x00" in sample or controls > BINARY_SHARE * max(len(sample), 1)


def read_report(
    *,
    url: str | None = None,
    html: str | None = None,
    text: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    published_on: datetime.date | None = None,
    policy: FetchPolicy | None = None,
) -> articles.Article:
    """The report's text and metadata from exactly one of `url` (fetched), `html` or `text`;
    IngestError for anything that is no readable report."""
    given = [name for name, value in (("html", html), ("text", text)) if value is not None]
    if len(given) > 1:
        raise IngestError("Send either html or text, not both.", code="invalid")
    if not given and not url:
        raise IngestError("Send a url, an html page or a text.", code="required")
    raw = html if html is not None else text
    field = given[0] if given else "url"
    if raw is None:
        try:
            fetched = fetch(url, policy=policy)
        except FetchError as error:
            raise IngestError(str(error), code=error.code, field="url") from error
        raw = fetched.text
        url = fetched.url
        html = raw if fetched.is_html else None
        field = "url"
    if _looks_binary(raw):
        raise IngestError(
            "This is binary data, not the text of a report.", code="binary", field=field
        )
    if html is not None:
        report = articles.from_html(raw, url=url)
        if title or outlet or published_on:
            report = articles.Article(
                text=report.text,
                title=title or report.title,
                authors=report.authors,
                published_on=published_on or report.published_on,
                outlet=outlet or report.outlet,
                url=report.url,
                language=report.language,
                dateline=report.dateline,
            )
    else:
        report = articles.from_text(
            raw, title=title, outlet=outlet, published_on=published_on, url=url
        )
    if not report.text.strip():
        raise IngestError("No readable text was found in it.", code="empty", field=field)
    if len(report.text) > MAX_TEXT_CHARS:
        raise IngestError(
            f"The text is {len(report.text)} characters long; a report may have at most "
            f"{MAX_TEXT_CHARS}.",
            code="too_long",
            field=field,
        )
    return report


def _storable_url(url: str | None) -> bool:
    if not url or len(url) > 1000:
        return False
    try:
        validate_http_url(url)
    except ValidationError:
        return False
    return True


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


# --- finding or making the source -------------------------------------------------------------


def _host(url: str | None) -> str:
    if not url:
        return ""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def outlet_for(name: str | None, url: str | None) -> Outlet | None:
    """The outlet whose homepage is on the URL's host, else the one of that name, else a new
    one with that name (None when the report names no outlet and the URL matches none)."""
    host = _host(url)
    if host:
        for outlet in Outlet.objects.filter(homepage__icontains=host).order_by("pk"):
            if _host(outlet.homepage) == host:
                return outlet
    name = (name or "").strip()[:200]
    if not name:
        return None
    found = Outlet.objects.filter(name__iexact=name).order_by("pk").first()
    if found is not None:
        return found
    homepage = f"{urlsplit(url).scheme}://{urlsplit(url).hostname}/" if host else ""
    outlet = Outlet(
        name=name, slug=unique_slug(Outlet, name), homepage=homepage, kind=OutletKind.OTHER
    )
    outlet.full_clean()
    outlet.save()
    return outlet


def _language(report: articles.Article) -> str:
    language = (report.language or "").lower()
    return language if re.fullmatch(LANGUAGE_TAG_PATTERN, language) else "und"


def _published_on(value: datetime.date | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        validate_not_in_future(value)
    except ValidationError:
        return None  # a page's own metadata, wrong: no date rather than no report
    return value


def _source_for(report: articles.Article) -> tuple[Source, bool]:
    if report.url:
        found = Source.objects.filter(url=report.url).first()
        if found is not None:
            return found, False
    title = (report.title or "").strip() or _first_line(report.text)
    source = Source(
        title=title[:500],
        url=report.url or "",
        outlet=outlet_for(report.outlet, report.url),
        authors="; ".join(report.authors)[:500],
        published_on=_published_on(report.published_on),
        dateline=(report.dateline.place if report.dateline else "")[:200],
        medium=Medium.ARTICLE,
        language=_language(report),
    )
    source.full_clean(exclude=["outlet"])
    source.save()
    return source, True


def _first_line(text: str) -> str:
    line = text.strip().split("\n", 1)[0].strip()
    return line if len(line) <= 120 else line[:119] + "…"


# --- proposals --------------------------------------------------------------------------------


def _known_speakers(names: set[str]) -> list[KnownSpeaker]:
    """Stored speakers the names may mean: the same name or one of their aliases (up to case),
    or a person whose name ends with it (a surname) or with its last word."""
    if not names:
        return []
    by_alias = speakers_by_alias(names)
    match = Q(pk__in=[pk for speakers in by_alias.values() for pk, _ in speakers])
    for name in names:
        match |= Q(name__iexact=name)
    speakers = {s.pk: s for s in Speaker.objects.filter(match)}
    for name in names:
        surname = name.split()[-1]
        if len(surname) < 3:
            continue
        persons = Speaker.objects.filter(
            kind=SpeakerKind.PERSON, name__iendswith=f" {surname}"
        ).order_by("pk")[:SURNAME_CANDIDATES]
        speakers.update((s.pk, s) for s in persons)
    # An alias two of them share names neither for sure: it is left out of both.
    shared = Counter(a for s in speakers.values() for a in {a.casefold() for a in s.aliases})
    return [
        KnownSpeaker(
            name=s.name,
            aliases=tuple(a for a in s.aliases if shared[a.casefold()] == 1),
            job_title=s.job_title or None,
            key=s.pk,
            kind="person" if s.kind == SpeakerKind.PERSON else "org",
        )
        for s in sorted(speakers.values(), key=lambda s: s.pk)
    ]


def _proposals(report: articles.Article, article: Article, by) -> list[Proposal]:
    # First read without speakers on file, to learn whom the report names; then again with
    # the stored speakers those names may mean, so that titles and surnames resolve to them.
    first = extract_statements(report.text, article.language, published_on=report.published_on)
    known = _known_speakers({speaker.name for speaker in first.speakers})
    extraction = extract_statements(
        report.text, article.language, known_speakers=known, published_on=report.published_on
    )
    speakers = {speaker.name: speaker for speaker in extraction.speakers}
    on_file = Speaker.objects.in_bulk([s.known for s in extraction.speakers if s.known])
    rows, by_id = [], {}
    for statement in extraction.statements:
        if len(statement.quote) > QUOTE_MAX:
            continue
        proposed = speakers.get(statement.speaker)
        speaker = on_file.get(proposed.known) if proposed else None
        kind = SpeakerKind.ORGANIZATION if proposed and proposed.kind == "org" else None
        proposal = Proposal(
            article=article,
            position=len(rows) + 1,
            quote=statement.quote,
            start=statement.start,
            end=statement.end,
            kind=StatementKind(statement.kind),
            text=statement.quote,
            speaker=speaker,
            speaker_name=statement.speaker[:200],
            speaker_job_title=((proposed.job_title if proposed else None) or "")[:200],
            speaker_kind=speaker.kind if speaker else (kind or SpeakerKind.PERSON),
            stated_on=_published_on(statement.stated_on),
            confidence=statement.confidence,
        )
        rows.append(proposal)
        by_id[statement.id] = proposal
    Proposal.objects.bulk_create(rows)
    best: dict[str, tuple[float, Proposal, str]] = {}
    for rebuttal in extraction.rebuttals:
        answering, answered = by_id.get(rebuttal.statement), by_id.get(rebuttal.answers)
        if answering is None or answered is None or answering is answered:
            continue
        held = best.get(rebuttal.statement)
        if held is None or rebuttal.confidence > held[0]:
            best[rebuttal.statement] = (rebuttal.confidence, answered, rebuttal.relation)
    for statement_id, (_, answered, relation) in best.items():
        proposal = by_id[statement_id]
        proposal.answers, proposal.relation = answered, Relation(relation)
    if best:
        Proposal.objects.bulk_update([by_id[key] for key in best], ["answers", "relation"])
    Proposal.history.bulk_history_create(rows, default_user=by)
    return rows


def article_ingest(
    *,
    by,
    url: str | None = None,
    html: str | None = None,
    text: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    published_on: datetime.date | None = None,
    policy: FetchPolicy | None = None,
) -> Ingested:
    """Ingest one report on behalf of the user `by` (who needs `claims.add_claim`).

    Effects: fetches `url` when neither `html` nor `text` is given (the fetch's refusals raise
    IngestError, as does a report with no readable text, binary data or a text over
    MAX_TEXT_CHARS), all before anything is written. Then, in one transaction: when a report
    with the same text, or an article from the same URL, was ingested before, returns it with
    `created=False` and writes nothing; otherwise finds the Source by URL or creates it (and its
    Outlet, when none matches the URL's host or the outlet's name), creates the Article and its
    pending Proposals (none when the report holds no attributed statement). Nothing is
    published, and no claim is created until an editor accepts a proposal.
    """
    if not by.has_perm(INGEST_PERMISSION):
        raise PermissionDenied("Ingesting articles needs the permission to add claims.")
    report = read_report(
        url=url,
        html=html,
        text=text,
        title=title,
        outlet=outlet,
        published_on=published_on,
        policy=policy,
    )
    digest = content_hash(report.text)
    # A page's own canonical link may be anything: kept only when it is a URL we can store.
    if report.url and not _storable_url(report.url):
        report = dataclasses.replace(report, url=url if _storable_url(url) else None)
    urls = {value for value in (url, report.url) if value}
    try:
        with transaction.atomic():
            found = _ingested(digest, urls)
            if found is not None:
                return Ingested(found, created=False)
            source, source_created = _source_for(report)
            article = Article.objects.create(
                source=source,
                source_created=source_created,
                url=report.url or url or "",
                content_hash=digest,
                title=(report.title or source.title)[:500],
                language=_language(report),
                text=report.text,
                created_by=by,
            )
            _proposals(report, article, by)
    except IntegrityError:
        # The same report ingested at the same moment by another request: theirs won.
        found = _ingested(digest, urls)
        if found is None:
            raise
        return Ingested(found, created=False)
    return Ingested(article, created=True)


def _ingested(digest: str, urls: set[str]) -> Article | None:
    match = Q(content_hash=digest)
    if urls:
        match |= Q(source__url__in=urls) | Q(url__in=urls)
    return Article.objects.filter(match).order_by("pk").first()


# --- decisions --------------------------------------------------------------------------------


@contextmanager
def _history_by(user):
    """Make django-simple-history record `user` as the author of the changes made inside,
    outside a request too (the management command); a request's own user is left as is."""
    context = HistoricalRecords.context
    request = getattr(context, "request", None)
    if request is not None and getattr(request, "user", None) == user:
        yield
        return
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if request is None:
            del context.request
        else:
            context.request = request


def _require(by, *permissions: str) -> None:
    missing = [name for name in permissions if not by.has_perm(name)]
    if missing:
        raise PermissionDenied(f"This needs the permission(s): {', '.join(missing)}.")


def _locked(proposal: Proposal) -> Proposal:
    """The proposal read again under its row lock; ValidationError unless it is pending."""
    current = Proposal.objects.select_for_update(of=("self",)).select_related("article__source")
    current = current.get(pk=proposal.pk)
    if current.state != ProposalState.PENDING:
        raise ValidationError(
            {"state": f"This proposal is already {current.get_state_display().lower()}."}
        )
    return current


def _decided(proposal: Proposal, state: ProposalState, by) -> None:
    proposal.state = state
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    bump_version(proposal)
    proposal.save()


def _speaker_for(proposal: Proposal, by) -> Speaker:
    if proposal.speaker_id:
        return proposal.speaker
    _require(by, "claims.add_speaker")
    name = proposal.speaker_name.strip()
    speaker = Speaker(
        name=name,
        slug=unique_slug(Speaker, name),
        kind=proposal.speaker_kind,
        job_title=proposal.speaker_job_title,
    )
    speaker.full_clean()
    speaker.save()
    proposal.speaker, proposal.speaker_created = speaker, True
    return speaker


def _rebuttal(answering: Proposal, answered: Proposal, by) -> Rebuttal | None:
    """The rebuttal saying that `answering`'s claim answers `answered`'s, when both have one."""
    claim, rebutting = answered.claim, answering.claim
    if claim is None or rebutting is None or claim.pk == rebutting.pk:
        return None
    _require(by, "claims.add_rebuttal")
    relation = answering.relation or Relation.REFUTES
    if rebutting.speaker_id == claim.speaker_id:
        relation = Relation.CORRECTS  # a speaker answering their own claim corrects it
    rebuttal = Rebuttal(
        claim=claim,
        speaker_id=rebutting.speaker_id,
        text=answering.text,
        source=answering.article.source,
        stated_on=answering.stated_on,
        relation=relation,
        rebutting_claim=rebutting,
    )
    rebuttal.full_clean()
    rebuttal.save()
    return rebuttal


def _link_rebuttals(proposal: Proposal, by) -> None:
    """Record the rebuttals between this newly decided proposal and the decided proposals it
    answers or that answer it."""
    if proposal.answers_id and proposal.rebuttal_id is None:
        answered = Proposal.objects.select_related("claim").get(pk=proposal.answers_id)
        if answered.state in DECIDED:
            proposal.rebuttal = _rebuttal(proposal, answered, by)
            if proposal.rebuttal is not None:
                proposal.save(update_fields=["rebuttal"])
    answering = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("claim", "article__source")
        .filter(answers=proposal, state__in=DECIDED, rebuttal__isnull=True)
        .order_by("pk")
    )
    for other in answering:
        other.rebuttal = _rebuttal(other, proposal, by)
        if other.rebuttal is not None:
            other.save(update_fields=["rebuttal"])


@transaction.atomic
def proposal_accept(*, proposal: Proposal, by, changes: dict | None = None) -> Proposal:
    """Accept a pending proposal on behalf of `by`, after applying `changes` (as proposal_edit).

    Effects: ValidationError or PermissionDenied, and nothing written, when the proposal is no
    longer pending, an edit or a record is invalid, or `by` lacks a permission needed
    (`claims.add_claim` and `claims.add_appearance`; `claims.add_speaker` when the speaker is
    new; `claims.add_rebuttal` when a rebuttal follows). Otherwise creates the speaker when
    the proposal names none on file, a draft claim (text, speaker, job title, date, the
    article's language, `created_by`), its first appearance in the article's source with the
    verbatim quote, and the rebuttals linking it to decided proposals it answers or that
    answer it; the proposal becomes accepted and points at all of them. Every record's edit
    history names `by`.
    """
    _require(by, INGEST_PERMISSION, "claims.add_appearance")
    with _history_by(by):
        proposal = _locked(proposal)
        if changes:
            _apply(proposal, changes)
        speaker = _speaker_for(proposal, by)
        claim = Claim(
            text=proposal.text,
            speaker=speaker,
            speaker_title=proposal.speaker_job_title,
            stated_on=proposal.stated_on,
            language=proposal.article.source.language,
            status=ClaimStatus.DRAFT,
            created_by=by,
        )
        claim.full_clean()
        claim.save()
        proposal.claim = claim
        proposal.appearance = appearance_create(
            claim=claim, source=proposal.article.source, quote=proposal.quote, is_first=True
        )
        _decided(proposal, ProposalState.ACCEPTED, by)
        _link_rebuttals(proposal, by)
    return proposal


@transaction.atomic
def proposal_merge(*, proposal: Proposal, claim: Claim, by) -> Proposal:
    """Merge a pending proposal into `claim`, a claim already on file that it repeats.

    Effects: ValidationError or PermissionDenied, and nothing written, when the proposal is no
    longer pending, the claim already appears in the article's source, or `by` lacks
    `claims.add_claim` and `claims.add_appearance` (`claims.add_rebuttal` when a rebuttal
    follows). Otherwise adds the appearance of `claim` in the article's source with the
    verbatim quote, marks the proposal merged (pointing at the claim and the appearance), and
    records the rebuttals to and from decided proposals, as accepting does. The claim itself,
    and its status, are left as they are.
    """
    _require(by, INGEST_PERMISSION, "claims.add_appearance")
    with _history_by(by):
        proposal = _locked(proposal)
        proposal.claim = claim
        proposal.appearance = appearance_create(
            claim=claim, source=proposal.article.source, quote=proposal.quote
        )
        _decided(proposal, ProposalState.MERGED, by)
        _link_rebuttals(proposal, by)
    return proposal


@transaction.atomic
def proposal_reject(*, proposal: Proposal, by) -> Proposal:
    """Reject a pending proposal: it creates nothing and stays on the article's page as
    rejected. ValidationError when it is no longer pending."""
    _require(by, INGEST_PERMISSION)
    with _history_by(by):
        proposal = _locked(proposal)
        _decided(proposal, ProposalState.REJECTED, by)
    return proposal


EDITABLE = (
    "text",
    "quote",
    "speaker",
    "speaker_name",
    "speaker_job_title",
    "speaker_kind",
    "stated_on",
    "answers",
    "relation",
)


def _apply(proposal: Proposal, changes: dict) -> None:
    """Apply edits to a locked pending proposal (not saved); ValidationError with field messages
    for an edit that cannot stand."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be edited."))
    errors = {}
    if "quote" in changes and changes["quote"] != proposal.quote:
        quote = changes["quote"]
        text = proposal.article.text
        starts = [m.start() for m in re.finditer(re.escape(quote), text)] if quote else []
        if not starts:
            errors["quote"] = "The quote must be a passage of the article, word for word."
        else:
            start = min(starts, key=lambda at: abs(at - proposal.start))
            proposal.quote, proposal.start, proposal.end = quote, start, start + len(quote)
    answers = changes.get("answers", proposal.answers)
    if "answers" in changes and answers is not None:
        if answers.article_id != proposal.article_id:
            errors["answers"] = "A proposal can only answer another of the same article."
        elif answers.pk == proposal.pk:
            errors["answers"] = "A proposal cannot answer itself."
    if errors:
        raise ValidationError(errors)
    for name in ("text", "speaker", "speaker_name", "speaker_job_title", "speaker_kind"):
        if name in changes:
            setattr(proposal, name, changes[name])
    if "speaker" in changes and changes["speaker"] is not None and "speaker_name" not in changes:
        proposal.speaker_name = changes["speaker"].name
    if "stated_on" in changes:
        proposal.stated_on = changes["stated_on"]
    if "answers" in changes:
        proposal.answers = answers
    if "relation" in changes:
        proposal.relation = changes["relation"] or ""
    if proposal.answers is None:
        proposal.relation = ""
    elif not proposal.relation:
        proposal.relation = Relation.REFUTES
    proposal.full_clean(exclude=["article", "speaker", "answers", "claim", "appearance"])


@transaction.atomic
def proposal_edit(*, proposal: Proposal, changes: dict, by) -> Proposal:
    """Edit a pending proposal before deciding on it: the claim's `text`, the verbatim `quote`
    (which must be a passage of the article: its span follows), the speaker on file or the
    name, job title and kind of a new one, the date, and which proposal it `answers` with
    which `relation`.

    Effects: ValidationError with field messages, and nothing saved, for an edit that cannot
    stand or a proposal no longer pending; otherwise the proposal is saved as its next
    version, its edit history naming `by`.
    """
    _require(by, INGEST_PERMISSION)
    with _history_by(by):
        proposal = _locked(proposal)
        _apply(proposal, changes)
        bump_version(proposal)
        proposal.save()
    return proposal

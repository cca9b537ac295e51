"""Proposed statements, speakers and rebuttals from a report's plain text.

    extract_statements(text, "en", known_speakers=[KnownSpeaker("Jens Stoltenberg", ...)],
                       published_on=date(2015, 1, 26))  -> Extraction

Rule-based and database-free: known speakers come in as plain data, and proposals go out as plain
data for the API, the admin and the management command to match and store. `extract()` is the
same as a JSON-ready dict, the shape bench/ingest/score.py reads.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field

from .article import read_dateline
from .attribution import Attributor
from .dates import carry_dates
from .lexicon import LANGUAGES
from .quotes import find_quotes, sentences
from .rebuttals import find_rebuttals
from .speakers import Registry

# Longer texts are cut here: no report is this long, and the rules stay fast on what is left.
MAX_CHARS = 200_000


@dataclass(frozen=True)
class KnownSpeaker:
    """A speaker already on record: `key` is what the caller uses to find it again (an id, a
    slug); `kind` is "person" or "org" (guessed from the name when None)."""

    name: str
    aliases: tuple[str, ...] = ()
    job_title: str | None = None
    key: object = None
    kind: str | None = None


@dataclass(frozen=True)
class ProposedSpeaker:
    name: str
    kind: str  # "person" or "org"
    job_title: str | None
    known: object = None  # the KnownSpeaker's key (or name) when it is one; None when new

    @property
    def is_new(self) -> bool:
        return self.known is None


@dataclass(frozen=True)
class Statement:
    id: str
    quote: str  # == text[start:end]
    start: int
    end: int
    speaker: str
    kind: str  # "direct" or "reported"
    stated_on: datetime.date | None
    confidence: float


@dataclass(frozen=True)
class Rebuttal:
    statement: str  # id of the answering statement
    answers: str  # id of the statement it answers
    relation: str  # refutes, disputes, corrects, contextualizes
    confidence: float


@dataclass(frozen=True)
class Extraction:
    statements: list[Statement] = field(default_factory=list)
    speakers: list[ProposedSpeaker] = field(default_factory=list)
    rebuttals: list[Rebuttal] = field(default_factory=list)
    truncated: bool = False

    def as_dict(self) -> dict:
        data = asdict(self)
        for statement in data["statements"]:
            if statement["stated_on"] is not None:
                statement["stated_on"] = statement["stated_on"].isoformat()
        return data


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def extract_statements(
    text: str,
    language: str = "en",
    *,
    known_speakers: list[KnownSpeaker] | tuple = (),
    published_on: datetime.date | str | None = None,
) -> Extraction:
    """The statements a report attributes to identifiable speakers, those speakers, and which
    statements answer which. Never raises on odd input: empty, binary or statement-free text
    gives an empty Extraction."""
    if not isinstance(text, str) or not text.strip():
        return Extraction()
    truncated = len(text) > MAX_CHARS
    body = text[:MAX_CHARS]
    language = (language or "en").lower().split("-")[0]
    if language not in LANGUAGES:
        language = "en"
    published = _date(published_on)

    quotes = find_quotes(body)
    spans = sentences(body, quotes)
    dateline = read_dateline(body)
    skip = (0, 0)
    if dateline is not None:
        at = body.find(dateline.text)
        skip = (at, at + len(dateline.text)) if at >= 0 else skip
    registry = Registry(body, language, known_speakers, skip=skip)
    registry.read(spans, quotes)
    found = Attributor(body, language, registry, quotes).run(spans)

    statements: list[Statement] = []
    dates = carry_dates(body, found, language, published, spans)
    for index, item in enumerate(found, start=1):
        statements.append(
            Statement(
                id=f"p{index}",
                quote=body[item.start : item.end],
                start=item.start,
                end=item.end,
                speaker=item.entity.name,
                kind=item.kind,
                stated_on=dates[index - 1],
                confidence=round(min(max(item.confidence, 0.0), 1.0), 2),
            )
        )
    rebuttals = [
        Rebuttal(
            statement=statements[answer].id,
            answers=statements[answered].id,
            relation=relation,
            confidence=round(confidence, 2),
        )
        for answer, answered, relation, confidence in find_rebuttals(body, found, language)
    ]
    speakers, seen = [], set()
    for item in found:
        entity = item.entity
        if id(entity) in seen:
            continue
        seen.add(id(entity))
        speakers.append(
            ProposedSpeaker(
                name=entity.name, kind=entity.kind, job_title=entity.job_title, known=entity.known
            )
        )
    return Extraction(statements, speakers, rebuttals, truncated)


def extract(text: str, language: str = "en", published_on=None, **_metadata) -> dict:
    """`extract_statements` as a JSON-ready dict (bench/ingest/score.py's extractor shape)."""
    return extract_statements(text, language, published_on=published_on).as_dict()

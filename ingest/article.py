"""An article's text and metadata: from HTML through trafilatura (which uses htmldate for the
publication date), or from plain text with the metadata given; plus its wire-copy dateline
("BRUSSELS, March 4 (Reuters) -") and, when nothing states it, its language (py3langid)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

LANGUAGE_SAMPLE = 4000  # characters the detector reads: plenty for a language, fast on 5 MB
DETECTION_CONFIDENCE = 0.9

# The dash that ends a dateline, within the paragraph's first characters.
DATELINE_DASH = re.compile(r"\s[-–—]{1,2}\s")
OUTLET_IN_PARENS = re.compile(r"\s*\(([^()\n]{1,60})\)\s*$")


@dataclass(frozen=True)
class Dateline:
    place: str
    outlet: str | None
    date: str | None
    text: str  # the dateline as written, up to and including its dash
    region: str | None = None
    byline: str | None = None


@dataclass(frozen=True)
class Article:
    """An article ready for extraction: `text` is what statement spans index into."""

    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_on: datetime.date | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    dateline: Dateline | None = None


def read_dateline(text: str) -> Dateline | None:
    """The dateline opening one of the article's first paragraphs (after a headline, a caption
    or a byline), or None: an upper-case place, then optionally a region, a date and the outlet
    in parentheses, then a dash ("By Adrian Croft BRUSSELS (Reuters) -")."""
    for paragraph in re.split(r"\n", text[:3000])[:8]:
        paragraph = paragraph.strip()
        dash = DATELINE_DASH.search(paragraph[:160])
        if not dash:
            continue
        head = paragraph[: dash.start()]
        outlet = None
        if found := OUTLET_IN_PARENS.search(head):
            outlet = found.group(1).strip().strip('«»"“”').strip() or None
            head = head[: found.start()]
        first, *rest = [part.strip() for part in head.split(",")]
        words = first.split()
        place_words = []
        while words and words[-1].isupper() and any(ch.isalpha() for ch in words[-1]):
            place_words.insert(0, words.pop())
        byline = None
        if words:
            if words[0] != "By" or len(words) > 5:
                continue
            byline = " ".join(words[1:]) or None
        if not place_words or len(rest) > 2 or not (outlet or rest or len(place_words[0]) > 2):
            continue
        date = rest[-1] if rest and any(ch.isdigit() for ch in rest[-1]) else None
        regions = [part for part in rest if part != date]
        return Dateline(
            place=" ".join(place_words),
            region=regions[0] if regions else None,
            outlet=outlet,
            date=date,
            text=paragraph[: dash.end()].strip(),
            byline=byline,
        )
    return None


_identifier = None


def detect_language(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, probability) by py3langid on the start of the text; (None, 0) when
    there is too little text to tell."""
    global _identifier
    sample = text[:LANGUAGE_SAMPLE]
    if sum(char.isalpha() for char in sample) < 20:
        return None, 0.0
    if _identifier is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    language, probability = _identifier.classify(sample)
    if language == "zxx":  # the model's "no language"
        return None, 0.0
    return language, float(probability)


def _language(text: str, declared: str | None) -> str | None:
    """The detector's answer when it is sure, else what the page declares, else its guess."""
    detected, probability = detect_language(text)
    declared = (declared or "").strip().lower().replace("_", "-").split("-")[0] or None
    if detected and probability >= DETECTION_CONFIDENCE:
        return detected
    return declared or detected


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable() or ch in "\u00a0\u202f")


def from_text(
    text: str,
    *,
    title: str | None = None,
    outlet: str | None = None,
    published_on: datetime.date | str | None = None,
    url: str | None = None,
    language: str | None = None,
    authors: list[str] | None = None,
) -> Article:
    """A plain-text article with the metadata the caller gives; the dateline is read from the
    text and supplies the outlet when none is given."""
    text = _clean(text or "")
    dateline = read_dateline(text)
    if isinstance(published_on, str):
        try:
            published_on = datetime.date.fromisoformat(published_on)
        except ValueError:
            published_on = None
    byline = [dateline.byline] if dateline and dateline.byline else []
    return Article(
        text=text,
        title=title,
        authors=list(authors or byline),
        published_on=published_on,
        outlet=outlet or (dateline.outlet if dateline else None),
        url=url,
        language=language or _language(text, None),
        dateline=dateline,
    )


def from_html(html: str | bytes, *, url: str | None = None) -> Article:
    """Text and metadata of an HTML page by trafilatura; an Article with empty text when the
    page holds no readable text (binary junk, an empty page), never an exception."""
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(html) if html else None
    document = None
    if tree is not None:
        document = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_formatting=False,
            deduplicate=False,
        )
    if document is None:
        return Article(text="", url=url)
    # trafilatura separates paragraphs with one newline; reports here use a blank line.
    text = _clean(re.sub(r"\n+", "\n\n", document.text or "").strip())
    declared = tree.get("lang") if tree is not None else None
    published = None
    if document.date:
        try:
            published = datetime.date.fromisoformat(document.date[:10])
        except ValueError:
            published = None
    dateline = read_dateline(text)
    authors = [name.strip() for name in (document.author or "").split(";") if name.strip()]
    return Article(
        text=text,
        title=document.title or None,
        authors=authors or ([dateline.byline] if dateline and dateline.byline else []),
        published_on=published,
        outlet=document.sitename or (dateline.outlet if dateline else None) or document.hostname,
        url=document.url or url,
        language=_language(text, declared) if text else declared,
        dateline=dateline,
    )

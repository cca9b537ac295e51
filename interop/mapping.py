"""One entry (a ClaimReview, or a review of a Fact Check Tools claim) read into a `Record`:
plain values for our models, nothing written. What cannot be read raises EntryError, whose
message is the rejection's reason; what is doubtful but readable is kept as a warning."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from claims.enums import Relation, SpeakerKind
from sources.validators import LANGUAGE_TAG_PATTERN

from . import ratings, values
from .values import BadValue

# The speaker of a claim whose document names none (an itemReviewed without author). The
# export leaves the author out for this speaker, so a round trip gives the same document.
UNKNOWN_SPEAKER = "Unknown speaker"

# Rebuttals, which ClaimReview cannot express, travel under this key of ours (export.py).
NAMESPACE = "factcheck"
NAMESPACE_IRI = "urn:factcheck:"
REBUTTALS_KEY = f"{NAMESPACE}:rebuttals"

_WIKIDATA = re.compile(r"wikidata\.org/(?:wiki|entity)/(Q[1-9]\d*)\b")
_LANGUAGE = re.compile(LANGUAGE_TAG_PATTERN)


class EntryError(ValueError):
    """An entry that cannot be imported; the message says why."""


@dataclass
class OutletData:
    name: str
    url: str = ""

    @property
    def site(self) -> str:
        return values.site(self.url)


@dataclass
class SpeakerData:
    name: str
    kind: str = SpeakerKind.PERSON
    job_title: str = ""
    wikidata_id: str = ""


@dataclass
class SourceData:
    url: str
    title: str
    published_on: datetime.date | None = None
    publisher: OutletData | None = None
    authors: str = ""
    is_first: bool = False


@dataclass
class RebuttalData:
    speaker: SpeakerData
    text: str
    relation: str = Relation.REFUTES
    stated_on: datetime.date | None = None
    source: SourceData | None = None


@dataclass
class Record:
    reviewer: OutletData
    speaker: SpeakerData
    claim_text: str
    stated_on: datetime.date | None
    language: str
    review: dict  # Review field name → value
    known_label: bool
    sources: list[SourceData] = field(default_factory=list)
    rebuttals: list[RebuttalData] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _read(name: str, reader, value, *args):
    """reader(value), a BadValue named after the property it came from."""
    try:
        return reader(value, *args)
    except BadValue as error:
        raise EntryError(f"{name}: {error}") from None


def _object(name: str, value, *, required: bool = False) -> dict:
    """A property holding an object (the first, when given a list); {} when absent."""
    if isinstance(value, list):
        objects = [item for item in value if isinstance(item, dict)]
        value = objects[0] if objects else (value[0] if value else None)
    if value is None or value == "":
        if required:
            raise EntryError(f"{name} is missing.")
        return {}
    if not isinstance(value, dict):
        raise EntryError(f"{name} must be an object, not {type(value).__name__}.")
    return value


def _is_organization(node: dict) -> bool:
    return any("organization" in kind or kind == "corporation" for kind in values.types(node))


def _text_property(name: str, value) -> str:
    if isinstance(value, dict | bool):
        raise EntryError(f"{name} must be text.")
    return values.text(value)


def language_tag(value) -> str:
    """A BCP-47 tag as our models store it (`pt-BR`, `zh-Hant`), or "" when unusable."""
    raw = values.text(value).replace("_", "-")
    if not raw:
        return ""
    primary, _, rest = raw.partition("-")
    tag = primary.lower() + (f"-{rest}" if rest else "")
    return tag if _LANGUAGE.match(tag) else ""


def _language(declared: list, text: str) -> str:
    for value in declared:
        tag = language_tag(value)
        if tag:
            return tag
    from ingest.article import detect_language

    detected, _ = detect_language(text)
    return language_tag(detected) or "en"


def _outlet(node: dict, base: str | None) -> OutletData | None:
    address = values.url(node.get("url") or node.get("@id"), base) if node else None
    name = next(iter(values.names(node.get("name"))), "") if node else ""
    if not name and not address:
        return None
    return OutletData(name=name or values.site(address), url=address or "")


def _reviewer(data: dict, base: str | None) -> OutletData:
    """The fact-checker: the first organisation among the authors, else the publisher, else
    the first author (a person, as some fact-checkers mark themselves up)."""
    authors = [a for a in values.as_list(data.get("author")) if isinstance(a, dict)]
    publishers = [p for p in values.as_list(data.get("publisher")) if isinstance(p, dict)]
    candidates = (
        [a for a in authors if _is_organization(a)]
        + [p for p in publishers if _is_organization(p)]
        + authors
        + publishers
    )
    for candidate in candidates:
        try:
            outlet = _outlet(candidate, base)
        except BadValue:
            continue
        if outlet is not None:
            return outlet
    if data.get("author") is None:
        raise EntryError("author is missing: a ClaimReview names the fact-checker who wrote it.")
    raise EntryError("author: the fact-checker has neither a name nor a url.")


def _speaker(node: dict, warnings: list[str]) -> SpeakerData:
    given = values.names(node.get("name")) if node else []
    if not given:
        warnings.append(f'the claim names no author: recorded as "{UNKNOWN_SPEAKER}".')
        return SpeakerData(name=UNKNOWN_SPEAKER)
    kinds = values.types(node)
    if "governmentorganization" in kinds:
        kind = SpeakerKind.GOVERNMENT
    elif _is_organization(node):
        kind = SpeakerKind.ORGANIZATION
    else:
        kind = SpeakerKind.PERSON
    job_title = values.text(node.get("jobTitle")) or values.text(node.get("title"))
    if not job_title and len(given) > 1:  # ["Mzwandile Masina", "mayor of Ekurhuleni"]
        job_title = ", ".join(given[1:])
    wikidata_id = ""
    links = [node.get("@id"), node.get("url"), *values.as_list(node.get("sameAs"))]
    for link in links:
        found = _WIKIDATA.search(values.text(link)) if isinstance(link, str) else None
        if found:
            wikidata_id = found.group(1)
            break
    return SpeakerData(name=given[0], kind=kind, job_title=job_title, wikidata_id=wikidata_id)


def _source(node, base: str | None, where: str, warnings: list[str], **extra) -> SourceData | None:
    """An appearance (a CreativeWork, or a bare URL) as a source; None, with a warning, when
    it gives no usable address."""
    if isinstance(node, str):
        node = {"url": node}
    if not isinstance(node, dict):
        return None
    try:
        address = values.url(node.get("url") or node.get("@id"), base)
    except BadValue as error:
        warnings.append(f"{where}: left out, {error}")
        return None
    title = values.text(node.get("headline")) or values.text(node.get("name"))
    if not address:
        raw = values.text(node.get("url"))
        if raw:
            warnings.append(f'{where}: left out, "{values.shorten(raw)}" is not an absolute URL.')
            return None
        if not title:
            return None
    if address and len(address) > 1000:
        warnings.append(f"{where}: left out, its URL is longer than 1,000 characters.")
        return None
    try:
        published_on = values.date(node.get("datePublished"))
    except BadValue as error:
        warnings.append(f"{where}: datePublished left out, {error}")
        published_on = None
    publisher = None
    publisher_node = _object(f"{where}.publisher", node.get("publisher")) if node else {}
    try:
        publisher = _outlet(publisher_node, base) if publisher_node else None
    except BadValue as error:
        warnings.append(f"{where}: publisher left out, {error}")
    authors = ", ".join(
        name
        for author in values.as_list(node.get("author"))
        for name in values.names(author.get("name") if isinstance(author, dict) else author)
    )
    return SourceData(
        url=address or "",
        title=values.shorten(title or address, 500),
        published_on=published_on,
        publisher=publisher,
        authors=values.shorten(authors, 500),
        **extra,
    )


def _sources(item: dict, base: str | None, warnings: list[str]) -> list[SourceData]:
    found: list[SourceData] = []
    first = item.get("firstAppearance")
    for index, node in enumerate(values.as_list(first)):
        source = _source(node, base, f"firstAppearance[{index}]", warnings, is_first=not found)
        if source:
            found.append(source)
    for index, node in enumerate(values.as_list(item.get("appearance"))):
        source = _source(node, base, f"appearance[{index}]", warnings)
        if source:
            found.append(source)
    # The reviewed work's own address (a post, a video) is where the claim appeared.
    own = item.get("url") and item
    if not own and isinstance(item.get("isPartOf"), dict) and item["isPartOf"].get("url"):
        own = item["isPartOf"]
    if own:
        source = _source(own, base, "itemReviewed.url", warnings)
        if source:
            found.append(source)
    unique: dict[str, SourceData] = {}
    for source in found:
        key = source.url or f"title:{source.title}"
        if key in unique:
            unique[key].is_first |= source.is_first
        else:
            unique[key] = source
    return list(unique.values())


def _numbers(rating: dict) -> tuple[int | None, int | None, int | None]:
    return (
        _read("reviewRating.ratingValue", values.integer, rating.get("ratingValue")),
        _read("reviewRating.bestRating", values.integer, rating.get("bestRating")),
        _read("reviewRating.worstRating", values.integer, rating.get("worstRating")),
    )


def _within_scale(value, best, worst) -> bool:
    pairs = [(worst, value), (value, best), (worst, best)]
    return all(low is None or high is None or low <= high for low, high in pairs)


def _rebuttals(data: dict, base: str | None, warnings: list[str]) -> list[RebuttalData]:
    found = []
    raw = data.get(REBUTTALS_KEY)
    if raw is None:
        return found
    if not isinstance(raw, list):
        raise EntryError(f"{REBUTTALS_KEY} must be a list.")
    for index, node in enumerate(raw):
        where = f"{REBUTTALS_KEY}[{index}]"
        node = _object(where, node, required=True)
        text = _text_property(f"{where}.text", node.get("text"))
        if not text:
            raise EntryError(f"{where}.text is missing.")
        relation = values.text(node.get("relation")) or Relation.REFUTES
        if relation not in Relation.values:
            raise EntryError(f"{where}.relation must be one of {', '.join(Relation.values)}.")
        appearance = node.get("appearance")
        found.append(
            RebuttalData(
                speaker=_speaker(_object(f"{where}.author", node.get("author")), warnings),
                text=text,
                relation=relation,
                stated_on=_read(f"{where}.datePublished", values.date, node.get("datePublished")),
                source=_source(appearance, base, f"{where}.appearance", warnings)
                if appearance
                else None,
            )
        )
    return found


def from_claimreview(data: dict, base: str | None = None) -> Record:
    """A schema.org ClaimReview as a Record (see the module)."""
    warnings: list[str] = []
    item = _object("itemReviewed", data.get("itemReviewed"))
    # Our own export gives the claim's whole text in itemReviewed.text (claimReviewed is
    # shortened); others give claimReviewed alone.
    claim_text = _text_property("itemReviewed.text", item.get("text")) or _text_property(
        "claimReviewed", data.get("claimReviewed")
    )
    if not claim_text:
        raise EntryError("claimReviewed is missing: a ClaimReview says which claim it reviews.")
    reviewer = _reviewer(data, base)

    rating_node = data.get("reviewRating")
    if rating_node is None or rating_node == {}:
        if not values.text(data.get("reviewBody")):
            raise EntryError("reviewRating is missing: a ClaimReview gives its verdict there.")
        warnings.append("no reviewRating: the verdict is read as unproven, reviewBody kept.")
        rating_node = {}
    else:
        rating_node = _object("reviewRating", rating_node, required=True)
    label = _text_property("reviewRating.alternateName", rating_node.get("alternateName"))
    label = label or _text_property("reviewRating.name", rating_node.get("name"))
    value, best, worst = _numbers(rating_node)
    verdict = ratings.verdict(label, value, best, worst, site=reviewer.site)
    if not _within_scale(value, best, worst):
        warnings.append(
            f"reviewRating: the numbers {value} of {worst}…{best} are not kept, as value, worst "
            "and best must satisfy worst ≤ value ≤ best."
        )
        value = best = worst = None

    address = _read("url", values.url, data.get("url"), base)
    if not address and values.text(data.get("url")):
        warnings.append(
            f'url "{values.shorten(values.text(data["url"]))}" is relative and the document has '
            "no page address to resolve it against: left out."
        )
    summary = _text_property("reviewBody", data.get("reviewBody"))
    summary = summary or _text_property("description", data.get("description"))
    author = _object("itemReviewed.author", item.get("author") or item.get("creator"))
    speaker = _speaker(author, warnings)
    declared = [item.get("inLanguage"), data.get("inLanguage")]
    return Record(
        reviewer=reviewer,
        speaker=speaker,
        claim_text=claim_text,
        stated_on=_read("itemReviewed.datePublished", values.date, item.get("datePublished")),
        language=_language(declared, claim_text),
        review={
            "rating": verdict.rating,
            "textual_rating": label,
            "rating_value": value,
            "best_rating": best,
            "worst_rating": worst,
            "summary": summary,
            "url": address or "",
            "title": values.text(data.get("name")) or values.text(data.get("headline")) or None,
            "published_on": _read("datePublished", values.date, data.get("datePublished")),
            "date_modified": _read("dateModified", values.date, data.get("dateModified")),
        },
        known_label=verdict.known_label,
        sources=_sources(item, base, warnings),
        rebuttals=_rebuttals(data, base, warnings),
        warnings=warnings,
    )


def from_factcheck(claim: dict, review) -> Record:
    """A review of a Fact Check Tools claim (`{"text", "claimant", "claimDate",
    "claimReview": [...]}`) as a Record."""
    warnings: list[str] = []
    if not isinstance(review, dict):
        raise EntryError("a claimReview must be an object.")
    text = _text_property("text", claim.get("text"))
    if not text:
        raise EntryError("text is missing: a Fact Check Tools claim gives the claim's text.")
    publisher = _object("publisher", review.get("publisher"), required=True)
    site = values.text(publisher.get("site"))
    home = _read("publisher.site", values.url, site) if site else None
    name = values.text(publisher.get("name")) or values.site(home) or site
    if not name:
        raise EntryError("publisher: the fact-checker has neither a name nor a site.")
    reviewer = OutletData(name=name, url=home or "")
    label = _text_property("textualRating", review.get("textualRating"))
    verdict = ratings.verdict(label, site=reviewer.site)
    claimant = claim.get("claimant")
    speaker = _speaker({"name": claimant} if claimant else {}, warnings)
    address = _read("url", values.url, review.get("url"))
    if not address:
        raise EntryError("url is missing: a Fact Check Tools review gives its address.")
    return Record(
        reviewer=reviewer,
        speaker=speaker,
        claim_text=text,
        stated_on=_read("claimDate", values.date, claim.get("claimDate")),
        language=_language([review.get("languageCode")], text),
        review={
            "rating": verdict.rating,
            "textual_rating": label,
            "rating_value": None,
            "best_rating": None,
            "worst_rating": None,
            "summary": "",
            "url": address,
            "title": values.text(review.get("title")) or None,
            "published_on": _read("reviewDate", values.date, review.get("reviewDate")),
            "date_modified": None,
        },
        known_label=verdict.known_label,
        warnings=warnings,
    )


def read_entry(entry) -> Record:
    if entry.kind == "factcheck":
        return from_factcheck(entry.data["claim"], entry.data["review"])
    return from_claimreview(entry.data, entry.base_url)

"""Reading a document into ClaimReview entries, whatever form it comes in.

Accepted: one ClaimReview object; a list of them; a JSON-LD `@graph`; a `DataFeed` (its
`dataFeedElement`s, which may be `DataFeedItem`s holding the reviews in `item`); a
`DataFeedItem`; an HTML page with ClaimReviews in `<script type="application/ld+json">`
blocks (other blocks, of other types, are ignored); a Fact Check Tools `claims:search`
response (`{"claims": [...]}`) or one of its claims. Each ClaimReview (each review of a
Fact Check Tools claim) is one entry with its position in the document, so that the report
can say which one was refused and why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from api.serializers import json_name

from . import values

# Where an object that is not a ClaimReview is ignored rather than refused: beside the
# reviews, a page or a graph holds its WebPage, Organization, BreadcrumbList…
LENIENT = "lenient"
STRICT = "strict"


class DocumentError(ValueError):
    """The document as a whole cannot be read (malformed JSON, nothing to import)."""


@dataclass
class Entry:
    position: str
    kind: str  # "claimreview" or "factcheck" (a review of a Fact Check Tools claim)
    data: dict
    base_url: str | None = None


@dataclass
class Rejection:
    position: str
    reason: str


@dataclass
class Document:
    name: str
    entries: list[Entry] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_document(content: bytes | str, *, name: str = "-", base_url: str | None = None):
    """The entries of `content` (JSON or HTML); DocumentError when it holds nothing readable."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise DocumentError(f"not UTF-8 text ({error.reason} at byte {error.start}).") from None
    document = Document(name=name)
    stripped = content.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise DocumentError("the document is empty.")
    if stripped.startswith("<"):
        _read_html(stripped, document, base_url)
    else:
        _walk(loads(stripped), "", document, base_url, STRICT)
    if not document.entries and not document.rejections:
        raise DocumentError("no ClaimReview found.")
    return document


def loads(content: str):
    try:
        return json.loads(content)
    except json.JSONDecodeError as error:
        raise DocumentError(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from None
    except RecursionError:
        raise DocumentError("not valid JSON: nested too deeply.") from None


def _read_html(content: str, document: Document, base_url: str | None) -> None:
    from lxml import etree, html

    try:
        page = html.document_fromstring(content)
    except (etree.ParserError, ValueError) as error:
        raise DocumentError(f"not a readable HTML page ({error}).") from None
    base_url = base_url or _page_url(page)
    scripts = page.xpath("//script[@type]")
    blocks = [s for s in scripts if s.get("type").split(";")[0].strip().lower() == LD_JSON]
    for number, script in enumerate(blocks, 1):
        position = f"script {number}"
        body = (script.text or "").strip()
        if not body:
            continue
        try:
            data = loads(body)
        except DocumentError as error:
            if "claimreview" in body.lower():
                document.rejections.append(Rejection(position, str(error)))
            else:
                document.warnings.append(f"{position}: ignored, {error}")
            continue
        _walk(data, position, document, base_url, LENIENT)


LD_JSON = "application/ld+json"


def _page_url(page) -> str | None:
    """The page's own address, against which its relative URLs resolve."""
    for path in (
        "//base/@href",
        "//link[@rel='canonical']/@href",
        "//meta[@property='og:url']/@content",
    ):
        found = [value.strip() for value in page.xpath(path) if value.strip()]
        if found:
            try:
                return values.url(found[0])
            except values.BadValue:
                continue
    return None


def _at(position: str, key: str) -> str:
    return f"{position}.{key}" if position else key


def _walk(node, position: str, document: Document, base_url, mode: str) -> None:
    if isinstance(node, list):
        for index, item in enumerate(node):
            _walk(item, f"{position}[{index}]", document, base_url, mode)
        return
    if not isinstance(node, dict):
        if mode == STRICT:
            document.rejections.append(
                Rejection(position or "document", f"expected a JSON object, got {json_name(node)}.")
            )
        return
    kinds = values.types(node)
    if "@graph" in node:
        _walk(node["@graph"], _at(position, "@graph"), document, base_url, LENIENT)
    elif isinstance(node.get("claims"), list) and not kinds:
        for index, claim in enumerate(node["claims"]):
            _factcheck_claim(claim, f"{_at(position, 'claims')}[{index}]", document)
    elif isinstance(node.get("claimReview"), list) and not kinds:
        _factcheck_claim(node, position or "claim", document)
    elif "datafeed" in kinds:
        elements = node.get("dataFeedElement", [])
        _walk(elements, _at(position, "dataFeedElement"), document, base_url, LENIENT)
    elif "datafeeditem" in kinds:
        _walk(node.get("item", []), _at(position, "item"), document, base_url, LENIENT)
    elif "claimreview" in kinds:
        document.entries.append(Entry(position or "document", "claimreview", node, base_url))
    elif any(kind.endswith("review") for kind in kinds):
        document.rejections.append(
            Rejection(
                position or "document",
                f"a {values.type_label(node)} is not a ClaimReview: only ClaimReviews are "
                "imported.",
            )
        )
    elif mode == STRICT:
        document.rejections.append(
            Rejection(
                position or "document",
                f"not a ClaimReview (@type {values.type_label(node)}).",
            )
        )


def _factcheck_claim(claim, position: str, document: Document) -> None:
    if not isinstance(claim, dict):
        document.rejections.append(Rejection(position, "expected a claim object."))
        return
    reviews = claim.get("claimReview")
    if not isinstance(reviews, list) or not reviews:
        document.rejections.append(Rejection(position, "the claim has no claimReview."))
        return
    for index, review in enumerate(reviews):
        data = {"claim": claim, "review": review}
        document.entries.append(Entry(f"{position}.claimReview[{index}]", "factcheck", data))

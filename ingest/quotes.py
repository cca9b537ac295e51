"""Where the quotation marks are, and where the sentences are.

Quotation marks are paired per paragraph with a stack, so nested quotes ('…' inside "…", „…“
inside «…») are found with their parent. Straight double quotes pair in order; single marks
count as quotes only where they cannot be apostrophes (inside a double-quoted span, or opened
after a space and closed before a non-letter). A sentence never ends inside a quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import words

SPACES = " \u00a0\u202f\u2009\t\n"
DOUBLE_OPEN = {'"': '"', "“": "”", "«": "»", "„": "“”", "‹": "›"}
SINGLE_OPEN = {"'": "'", "‘": "’", "‚": "‘’"}
MAX_QUOTE = 3000  # characters; longer "quotes" are unbalanced marks, not speech


@dataclass
class Quote:
    open: int  # offset of the opening mark
    close: int  # offset of the closing mark
    start: int  # the quoted words, trimmed as the labels are (no spaces, no trailing comma)
    end: int
    depth: int = 0
    parent: Quote | None = field(default=None, repr=False)

    def text(self, source: str) -> str:
        return source[self.start : self.end]


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int  # after the final punctuation (and any closing mark after it)
    paragraph: int


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in SPACES:
        start += 1
    while end > start and text[end - 1] in SPACES:
        end -= 1
    if end > start and text[end - 1] == ",":
        end -= 1
    while end > start and text[end - 1] in SPACES:
        end -= 1
    return start, end


def paragraphs(text: str) -> list[tuple[int, int]]:
    spans, at = [], 0
    for match in re.finditer(r"\n", text):
        if match.start() > at:
            spans.append((at, match.start()))
        at = match.end()
    if at < len(text):
        spans.append((at, len(text)))
    return spans


def _is_letter(char: str) -> bool:
    return char.isalpha() or char.isdigit()


def find_quotes(text: str) -> list[Quote]:
    """Every quoted span with its nesting, in text order of opening marks."""
    found: list[Quote] = []
    for p_start, p_end in paragraphs(text):
        stack: list[tuple[str, int, int]] = []  # (mark, offset, index in found or -1)
        straight_open = False
        for at in range(p_start, p_end):
            char = text[at]
            before = text[at - 1] if at > p_start else " "
            after = text[at + 1] if at + 1 < p_end else " "
            top = stack[-1][0] if stack else None
            if char == '"':
                if straight_open:
                    _close_to(stack, '"', at, text, found)
                    straight_open = False
                else:
                    stack.append(('"', at, -1))
                    straight_open = True
            elif char in "”»›" or (char == "“" and top == "„"):
                _close_to(stack, {"”": "“„", "»": "«", "›": "‹", "“": "„"}[char], at, text, found)
            elif char in "“«„‹" or (char == "‚" and stack):
                stack.append((char, at, -1))
            elif char == "‘":
                if top == "‚":
                    _close_to(stack, "‚", at, text, found)
                elif not _is_letter(before):
                    stack.append((char, at, -1))
            elif char == "’":
                if top == "‘" and not _is_letter(after):
                    _close_to(stack, "‘", at, text, found)
            elif char == "'":
                if top == "'" and not _is_letter(after):
                    _close_to(stack, "'", at, text, found)
                elif stack and not _is_letter(before) and _is_letter(after):
                    stack.append((char, at, -1))
    found.sort(key=lambda quote: quote.open)
    # Nesting: the innermost quote that encloses each one.
    open_quotes: list[Quote] = []
    for quote in found:
        while open_quotes and open_quotes[-1].close < quote.open:
            open_quotes.pop()
        if open_quotes:
            quote.parent = open_quotes[-1]
            quote.depth = open_quotes[-1].depth + 1
        open_quotes.append(quote)
    return found


def _close_to(stack, openers, at, text, found) -> None:
    """Close the most recent opener of this kind; unmatched single marks inside it are dropped."""
    for index in range(len(stack) - 1, -1, -1):
        mark, offset, _ = stack[index]
        if mark in openers:
            del stack[index:]
            if at - offset > MAX_QUOTE:
                return
            start, end = _trim(text, offset + 1, at)
            if end > start:
                found.append(Quote(open=offset, close=at, start=start, end=end))
            return


ABBREVIATIONS = set(
    words(
        r"""
    mr mrs ms dr prof st gen sen rep gov lt col maj capt sgt jan feb mar apr jun jul aug sep
    sept oct nov dec no nos vs etc e.g i.e u.s u.k u.n inc ltd co corp jr sr sra srta mme mlle
    m dott ing avv sig hr fr nr bzw ca vgl dr.-ing p s pp vol art abs
    """
    )
)
SENTENCE_END = re.compile(r"[.!?…]+[\"”»“’')\]]*(?=\s)")


def sentences(text: str, quotes: list[Quote]) -> list[Sentence]:
    """Sentences with their offsets; a full stop inside a quotation does not end one unless the
    quotation closes right after it."""
    inside = bytearray(len(text) + 1)
    for quote in quotes:
        if quote.depth == 0:
            for at in range(quote.open + 1, quote.close):
                inside[at] = 1
    result = []
    for number, (p_start, p_end) in enumerate(paragraphs(text)):
        start = p_start
        for match in SENTENCE_END.finditer(text, p_start, p_end):
            stop = match.end()
            if inside[match.start()] and inside[stop - 1]:
                continue  # inside a quotation that goes on
            word = re.search(
                r"(\w[\w.-]*)\.$", text[max(start, match.start() - 12) : match.start() + 1]
            )
            if (
                word
                and match.group().startswith(".")
                and (word.group(1).lower() in ABBREVIATIONS or len(word.group(1)) == 1)
            ):
                continue
            rest = text[stop:p_end].lstrip(SPACES)
            if rest and not (rest[0].isupper() or rest[0] in "\"“«„‘'-–—(" or rest[0].isdigit()):
                continue
            result.append(Sentence(start, stop, number))
            start = stop
            while start < p_end and text[start] in SPACES:
                start += 1
        if start < p_end and text[start:p_end].strip():
            result.append(Sentence(start, p_end, number))
    return result

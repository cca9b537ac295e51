"""Numbers, negations, directions, opposites and swapped words that differ between two texts
lower their match.

Sentence embeddings place "unemployment fell to 3.8%" and "unemployment rose to 4.8%" close
together, and "in Ukraine" and "in Moldova" too; a fact-checker must not be told they are the
same claim. `reasons(a, b)` names what differs:
- `numbers`: each states a quantity the other lacks, counted (scale words applied: 120k ==
  120,000, '19 тисяч' == 19,000, '3,8' == 3.8; spelled-out numbers, ratios and fractions read
  as numbers: "fifty-five" == 55, "nine out of ten" == "90%", "a quarter" == "25 percent",
  "three decades" == "30 years"), or both state one quantity bounded opposite ways ("under
  65" against "over 65");
- `negation`: one is negated, the other not;
- `direction`: one says up, the other down;
- `opposite`: one takes a side of a pair of opposites that the other contradicts (won/lost,
  imported/exported, hottest/más frío), across languages;
- `substitution`: the texts are the same words but one, in one place, where each has a
  different content word ("Ukraine" and "Moldova", "hired" and "fired"); a typo, an
  inflection or a function word is no swap, and two languages never give one.
The word lists (matching/words.py) cover English, Spanish, Portuguese, French, German,
Russian and Ukrainian. Measured on bench/matching (README there, "The guard, rule by rule").
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from functools import lru_cache

from .words import (
    AT_LEAST,
    AT_MOST,
    DECADES,
    DOWN,
    FRACTIONS,
    FUNCTION_WORDS,
    HUNDRED,
    NEGATIONS,
    NUMBER_JOINERS,
    NUMBER_WORDS,
    ONE,
    OPPOSITES,
    RATIO_WORDS,
    UNITS,
    UP,
)

# Words joined by hyphens or apostrophes stay one token: "no-fly zone" is no negation, and
# "п'ять" is one word.
WORD = re.compile(r"\w+(?:['-]\w+)*", re.UNICODE)


def _lowered(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")


# --------------------------------------------------------------------------------- numbers

NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3}(?!\d))*(?:[.,]\d+)*")
SCALE = [
    (re.compile(p), factor)
    for p, factor in [  # "mil millones" is a billion, "mil" alone a thousand
        (r"(?:mil millones|mil milhões)\b", 1e9),
        (r"(?:k|thousand|mil|тысяч\w*|тыс|тисяч\w*)\b", 1e3),
        (r"(?:m|mn|million\w*|millones|millón|milhão|milhões|миллион\w*|млн|мільйон\w*)\b", 1e6),
        (r"(?:bn|billion\w*|milliard\w*|bilhão|bilhões|миллиард\w*|млрд|мільярд\w*)\b", 1e9),
        (r"(?:trillion\w*|триллион\w*|трильйон\w*)\b", 1e12),
        (rf"(?:{DECADES})\b", 10),
    ]
]
SCALE_AHEAD = re.compile(r"\s*(?:" + "|".join(p.pattern for p, _ in SCALE) + ")")
_number_word = "|".join(sorted(map(re.escape, NUMBER_WORDS.keys() | ONE | HUNDRED), key=len)[::-1])
_joiner = "|".join(NUMBER_JOINERS)
SPELLED = re.compile(
    rf"(?<![\w'])(?:{_number_word})(?:(?:[\s-]+|\s+(?:{_joiner})\s+)(?:{_number_word}))*(?![\w'])"
)
FRACTION = re.compile(rf"(?:(\d+)\s+)?\b({'|'.join(FRACTIONS)})\b")
RATIO = re.compile(
    rf"(?<![\w.,])(\d+|{'|'.join(ONE)})\s+(?:{'|'.join(RATIO_WORDS)})\s+(\d+)(?![\d.,])"
)
BOUND = re.compile(rf"(?<!\w)({AT_MOST}|{AT_LEAST})[\s$€£¥₽₴]*$")
AT_MOST_WORDS = re.compile(AT_MOST)


NUMBER_WORD = re.compile(_number_word)


def _spelled_value(run: str) -> int:
    total = 0
    for word in NUMBER_WORD.findall(run):
        if word in HUNDRED:
            total = max(total, 1) * 100
        else:
            total += 1 if word in ONE else NUMBER_WORDS[word]
    return total


def _digits(text: str) -> str:
    """`text` (lowered) with spelled-out numbers written in digits, and "N out of M" and
    fractions ("a third", "two thirds") as the percentage. A lone "one" stays a word unless a
    scale word follows ("one million")."""

    def spelled(m: re.Match) -> str:
        run = m.group()
        words = [w for w in re.split(r"[\s-]+", run) if w not in NUMBER_JOINERS]
        if len(words) == 1 and words[0] in ONE and not SCALE_AHEAD.match(text, m.end()):
            return run
        return str(_spelled_value(run))

    def ratio(m: re.Match) -> str:
        part = 1 if m.group(1) in ONE else int(m.group(1))
        whole = int(m.group(2))
        return str(round(100 * part / whole)) if 0 < part <= whole <= 100 else m.group()

    def fraction(m: re.Match) -> str:
        part = int(m.group(1) or 1)
        return str(round(100 * part / FRACTIONS[m.group(2)]))

    return FRACTION.sub(fraction, RATIO.sub(ratio, SPELLED.sub(spelled, text)))


def _parse_number(raw: str) -> float:
    s = re.sub(r"[ \u00a0\u202f]", "", raw)
    seps = [i for i, ch in enumerate(s) if ch in ".,"]
    if not seps:
        return float(s)
    last, tail = seps[-1], s[seps[-1] + 1 :]
    if len({s[i] for i in seps}) > 1:  # "1,234.5" or "1.234,5": the last one is decimal
        return float(re.sub(r"[.,]", "", s[:last]) + "." + tail)
    if len(seps) > 1 or len(tail) == 3:  # "5,000", "30.000", "1,000,000": grouping
        return float(re.sub(r"[.,]", "", s))
    return float(s[:last] + "." + tail)  # "3.8", "3,8": decimal


def quantities(text: str) -> list[tuple[float, str | None]]:
    """Each quantity `text` states, in order, with how it is bounded: "<" (under, less than,
    at most…), ">" (over, more than, at least…) or None."""
    return list(_quantities(text))


# Each text-level reading is kept for the last texts seen: a match compares one statement with
# up to 200 candidates, and the same claims come up again and again.
CACHED = 2048


@lru_cache(maxsize=CACHED)
def _quantities(text: str) -> tuple[tuple[float, str | None], ...]:
    text = _digits(_lowered(text))
    found = []
    for m in NUMBER.finditer(text):
        value = _parse_number(m.group())
        rest = text[m.end() :].lstrip()
        for pattern, factor in SCALE:
            if pattern.match(rest):
                value *= factor
                break
        bound = BOUND.search(text, max(0, m.start() - 20), m.start())
        sense = None if bound is None else "<" if AT_MOST_WORDS.fullmatch(bound.group(1)) else ">"
        found.append((float(f"{value:.6g}"), sense))
    return tuple(found)


def numbers(text: str) -> set[float]:
    return {value for value, _ in quantities(text)}


def numbers_differ(a: str, b: str) -> bool:
    """Each text states a quantity the other lacks (counted: "2 percent over two years" lacks
    one 2 against "12 percent over two years"), or one quantity is bounded opposite ways."""
    qa, qb = _quantities(a), _quantities(b)
    na, nb = Counter(v for v, _ in qa), Counter(v for v, _ in qb)
    if na - nb and nb - na:
        return True
    for value in na.keys() & nb.keys():
        sa, sb = {s for v, s in qa if v == value}, {s for v, s in qb if v == value}
        if {"<", ">"} <= sa | sb and sa != sb:
            return True
    return False


# ------------------------------------------------------------------- negation and direction


@lru_cache(maxsize=CACHED)
def negated(text: str) -> bool:
    lowered = _lowered(text)
    return "n't" in lowered or any(w in NEGATIONS for w in WORD.findall(lowered))


@lru_cache(maxsize=CACHED)
def direction(text: str) -> str | None:
    words = set(WORD.findall(_lowered(text)))
    up, down = bool(words & UP), bool(words & DOWN)
    return "up" if up and not down else "down" if down and not up else None


# Each word or phrase of words.OPPOSITES ("_" joins a phrase's words), with the pairs and
# sides it stands for; one pattern finds them all, longest first.
def _index_opposites() -> dict[str, list[tuple[int, int]]]:
    sides_of: dict[str, list[tuple[int, int]]] = {}
    for pair, sides in enumerate(OPPOSITES.values()):
        for side, words in enumerate(sides):
            for phrase in words.split():
                sides_of.setdefault(phrase.replace("_", " "), []).append((pair, side))
    return sides_of


SIDES_OF = _index_opposites()
OPPOSITE_WORD = re.compile(
    r"(?<![\w'-])(?:"
    + "|".join(map(re.escape, sorted(SIDES_OF, key=len, reverse=True)))
    + r")(?![\w'-])"
)


def opposite(a: str, b: str) -> str | None:
    """The first pair of opposites (words.OPPOSITES) of which `a` takes one side and `b` the
    other, or None."""
    for name, sa, sb in zip(OPPOSITES, _sides(a), _sides(b), strict=True):
        if sa != sb and sa.count(True) == sb.count(True) == 1:
            return name
    return None


@lru_cache(maxsize=CACHED)
def _sides(text: str) -> tuple[tuple[bool, bool], ...]:
    """Per pair of opposites, whether `text` has words of its one side and of its other."""
    found = [[False, False] for _ in OPPOSITES]
    for m in OPPOSITE_WORD.finditer(_lowered(text)):
        for pair, side in SIDES_OF[m.group()]:
            found[pair][side] = True
    return tuple((one, other) for one, other in found)


# ----------------------------------------------------------------------------- substitution

# Hyphenated words split: "part-time" is "part time".
TOKEN = re.compile(r"\w+(?:'\w+)*", re.UNICODE)
NUMERIC = re.compile(rf"\w*\d\w*|{_number_word}")

# Content words (or numbers) both texts must share for a swap between them to count.
SHARED_AT_LEAST = 3
# A swap is looked for between statements, not between articles: beyond this many words a
# text gives none (and a 10,000-character claim costs no word-by-word alignment).
WORDS_AT_MOST = 150


@lru_cache(maxsize=16384)
def same_word(x: str, y: str) -> bool:
    """Whether two words are one word written otherwise: an inflection ("city", "cities";
    "cai", "caiu") or a typo ("ofice", "office"). Both start alike; "hired" and "fired" differ."""
    if x == y:
        return True
    if x[0] != y[0]:
        return False
    shorter = min(len(x), len(y))
    prefix = _common_prefix(x, y)
    if prefix >= 3 and prefix >= shorter - 2:
        return True
    return shorter >= 4 and abs(len(x) - len(y)) <= 1 and _one_edit(x, y)


def _common_prefix(x: str, y: str) -> int:
    """The length of the start both words share."""
    n, end = 0, min(len(x), len(y))
    while n < end and x[n] == y[n]:
        n += 1
    return n


def _one_edit(x: str, y: str) -> bool:
    """Whether one edit turns one word into the other: a letter inserted, deleted or replaced,
    or two neighbours swapped ("ukriane")."""
    if len(x) > len(y):
        x, y = y, x
    n = _common_prefix(x, y)
    if len(x) == len(y):
        return x[n + 1 :] == y[n + 1 :] or (
            x[n + 2 :] == y[n + 2 :] and x[n : n + 2] == y[n : n + 2][::-1]
        )
    return x[n:] == y[n + 1 :]


def _numeric(word: str) -> bool:
    return bool(NUMERIC.fullmatch(word)) or any(p.fullmatch(word) for p, _ in SCALE)


@lru_cache(maxsize=16384)
def _content(word: str) -> bool:
    return (
        word not in FUNCTION_WORDS
        and word not in NEGATIONS
        and word not in UNITS
        and not _numeric(word)
    )


@lru_cache(maxsize=CACHED)
def _words(text: str) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """The text's words (lowered), and its content words by their first letter (each also
    under "", all together, to find a word as it is first)."""
    words = tuple(TOKEN.findall(_lowered(text)))
    by_initial: dict[str, set[str]] = {}
    for word in words:
        if _content(word):
            by_initial.setdefault(word[0], set()).add(word)
    content = {"": frozenset(w for group in by_initial.values() for w in group)}
    return words, content | {k: tuple(v) for k, v in by_initial.items()}


def _lacking(words, other: dict[str, tuple[str, ...]]) -> list[str]:
    """The content words of `words` that `other` (content words by initial) has in no form."""
    return [
        w for w in words if _content(w) and not any(same_word(w, o) for o in other.get(w[0], ()))
    ]


def substitution(a: str, b: str) -> tuple[str, str] | None:
    """The content word of `a` and the different one of `b` in its place, when that swap is
    the only difference in content between the two texts: aligned word by word (difflib), they
    part in one place only, where each has one content word the other lacks anywhere, and
    elsewhere they differ in function words, inflections, typos or numbers at most; or when
    both are names and the shorter lacks nothing else, however much more the longer says.
    None otherwise. Texts in two languages share too few words: they never give a swap."""
    (wa, ca), (wb, cb) = _words(a), _words(b)
    if max(len(wa), len(wb)) > WORDS_AT_MOST:
        return None
    la, lb = _lacking(wa, cb), _lacking(wb, ca)
    # What both say: their common content words, and the numbers they both write.
    shared = sum(1 for w in wa if _content(w)) - len(la)
    shared += len({w for w in wa if not _content(w) and _numeric(w)} & set(wb))
    # Cheap first: a swap leaves one text lacking exactly one word of the other.
    if shared < SHARED_AT_LEAST or min(len(la), len(lb)) != 1:
        return None
    swaps, reworded = [], 0
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        left, right = _lacking(wa[i1:i2], cb), _lacking(wb[j1:j2], ca)
        if tag == "replace" and left and right:
            swaps.append((left, right))
        elif left or right:
            reworded += 1
    if len(swaps) != 1:
        return None
    ((left, right),) = swaps
    if not reworded and len(left) == len(right) == 1:
        return left[0], right[0]
    # A name for another name ("in Moldova" against "in Ukraine and will not deploy troops
    # there"): names are rarely synonyms, so the longer may say more.
    if left[0] in _names(a) and right[0] in _names(b):
        return left[0], right[0]
    return None


@lru_cache(maxsize=CACHED)
def _names(text: str) -> frozenset[str]:
    """The words (lowered) that `text` capitalises inside a sentence: names, and in English
    nationalities ("Russian"); in German every noun."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    found = set()
    for m in TOKEN.finditer(text):
        before = m.start() - 1
        while before >= 0 and text[before].isspace():
            before -= 1
        if m.group()[0].isupper() and before >= 0 and text[before] not in '.!?:;"«„“(':
            found.add(m.group().casefold())
    return frozenset(found)


def reasons(a: str, b: str) -> list[str]:
    """What differs in meaning between `a` and `b` despite their likeness (empty: nothing)."""
    found = []
    if numbers_differ(a, b):
        found.append("numbers")
    if negated(a) != negated(b):
        found.append("negation")
    da, db = direction(a), direction(b)
    if da and db and da != db:
        found.append("direction")
    if opposite(a, b):
        found.append("opposite")
    if substitution(a, b):
        found.append("substitution")
    return found

"""From a fact-checker's own verdict to our normalised `Rating`: the documented mapping table.

A review keeps the reviewer's label (`textual_rating`) and numbers (`rating_value`,
`best_rating`, `worst_rating`) verbatim; `rating` is what this module makes of them:

1. The label, normalised (`normalise_label`: case folded, `_`/`-` read as spaces, spaces
   collapsed, trailing punctuation and a CR dropped), looked up in LABELS. A label that states
   its verdict first and explains after a colon or dash ("FALSO: the pictures were…") is looked
   up by that first part too.
2. Otherwise, the number on its scale (`rating_from_scale`): where the value sits between
   worst and best (worst defaults to 1, as schema.org says), cut into five bands. Some
   fact-checkers publish scales on which a higher number is *more false*; SCALES names those we
   know, by site, and a document whose bestRating is below its worstRating says so itself.
3. Otherwise `unproven`, and the import report counts the label as unknown.

LABELS holds PolitiFact's Truth-O-Meter (with "Pants on Fire" and the old "Barely True"), the
usual English labels, and common labels in French, German, Spanish, Portuguese, Italian,
Danish and a few other languages, as fact-checkers publish them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from claims.enums import Rating

TRUE, MOSTLY_TRUE, MIXED = Rating.TRUE, Rating.MOSTLY_TRUE, Rating.MIXED
MOSTLY_FALSE, FALSE = Rating.MOSTLY_FALSE, Rating.FALSE
UNPROVEN, MISLEADING = Rating.UNPROVEN, Rating.MISLEADING

# fmt: off
_TABLE: dict[Rating, list[str]] = {
    TRUE: [
        # PolitiFact, English
        "true", "correct", "accurate", "verified", "right", "fact", "confirmed",
        # fr, de, es, pt, it, da/no/sv, nl
        "vrai", "wahr", "richtig", "verdadero", "cierto", "verdade", "verdadeiro", "vero",
        "sandt", "sant", "waar", "真實", "正確", "सच", "صحيح",
    ],
    MOSTLY_TRUE: [
        "mostly true", "mostly correct", "largely true", "largely accurate", "partly true",
        "plutôt vrai", "weitgehend richtig", "überwiegend richtig", "mayormente cierto",
        "verdadeiro mas", "quase verdadeiro", "c'est vrai mais", "sostanzialmente vero",
        "delvist sandt", "部分正確",
    ],
    MIXED: [
        # "Half true" is PolitiFact's middle; "Half-true" and "half_true" read the same.
        "half true", "half-true", "mixture", "mixed", "partly false", "partially true",
        "partially false", "half correct", "imprecise", "imprecisa",
        "impreciso", "moitié vrai", "à moitié vrai", "teilweise richtig", "teilweise falsch",
        "medio cierto", "verdad a medias", "parcialmente verdadeiro", "parcialmente falso",
        "meio verdade", "mezza verità", "delvist forkert", "半真半假", "部分錯誤",
    ],
    MOSTLY_FALSE: [
        # PolitiFact called "Mostly False" "Barely True" until 2011.
        "mostly false", "barely true", "largely false", "largely inaccurate", "mostly incorrect",
        "plutôt faux", "überwiegend falsch", "weitgehend falsch", "mayormente falso",
        "quase falso", "praticamente falso", "in gran parte falso",
    ],
    FALSE: [
        "false", "pants on fire", "pants on fire!", "pants fire", "incorrect", "wrong", "fake",
        "untrue",
        "inaccurate", "fabricated", "hoax", "scam", "really false", "totally false",
        "completely false", "four pinocchios", "faux", "fake news", "infox", "falsch",
        "frei erfunden", "erfunden", "falso", "falsa", "bulo", "fals", "falsk", "forkert",
        "onwaar", "nep", "fałsz", "fałszywe", "错误", "錯誤", "假", "謠言", "गलत", "झूठ",
        "फर्जी", "زائف", "كاذب", "خطأ", "ложь", "фейк", "неправда",
    ],
    UNPROVEN: [
        "unproven", "unsupported", "unverified", "unsubstantiated", "no evidence",
        "not proven", "unclear", "undetermined", "research in progress", "insufficient evidence",
        "cannot be verified", "inconclusive", "invérifiable", "non prouvé", "unbelegt",
        "nicht belegt", "sin evidencia", "sin pruebas", "inverificable", "insustentável",
        "sem evidências", "ainda é cedo para dizer", "não verificado", "ikke bevist",
    ],
    MISLEADING: [
        "misleading", "missing context", "lacks context", "needs context", "out of context",
        "false context", "distorted", "exaggerated", "exaggeration", "spin", "cherry picked",
        "half truth", "manipulated", "altered", "satire", "trompeur", "sorti de contexte",
        "hors contexte", "exagéré", "trompeuse", "irreführend", "fehlender kontext",
        "aus dem zusammenhang gerissen", "engañoso", "engañosa", "exagerado", "sin contexto",
        "fuera de contexto", "enganoso", "enganosa", "distorcido", "exagerada",
        "contraditório", "não é bem assim", "fora de contexto", "sem contexto", "fuorviante",
        "misvisende", "vildledende", "manipuleret", "misleidend", "误导", "誤導",
        "भ्रामक", "مضلل",
    ],
}
# fmt: on

LABELS: dict[str, Rating] = {label: rating for rating, labels in _TABLE.items() for label in labels}

# Sites (host without "www.") whose published numbers run the other way: a higher number is
# more false. Used only when the label is unknown.
SCALES_HIGHER_IS_FALSER: set[str] = {
    "piaui.folha.uol.com.br",  # Agência Lupa: 1 "verdadeiro" … 6 and beyond for the false ends
}

_SPACES = re.compile(r"\s+")
_VERDICT_FIRST = re.compile(r"^(.{2,40}?)\s*[:\u2013\u2014]|^(.{2,40}?)\s+-\s")


def normalise_label(label: str) -> str:
    text = unicodedata.normalize("NFKC", label).casefold().replace("_", " ")
    text = _SPACES.sub(" ", text).strip()
    return text.strip(" .!¡¿?\r\n\t\"'“”«»")


class Verdict(NamedTuple):
    rating: Rating
    known_label: bool  # False: the label was missing or not in LABELS (counted in the report)


def rating_for_label(label: str) -> Rating | None:
    key = normalise_label(label)
    if not key:
        return None
    if key in LABELS:
        return LABELS[key]
    spaced = key.replace("-", " ")
    if spaced in LABELS:
        return LABELS[spaced]
    first = _VERDICT_FIRST.match(key)
    if first:
        head = normalise_label(first.group(1) or first.group(2))
        return LABELS.get(head) or LABELS.get(head.replace("-", " "))
    return None


def rating_from_scale(
    value: int | None, best: int | None, worst: int | None, *, site: str = ""
) -> Rating | None:
    """The band of `value` on the scale worst…best, or None when there is no usable scale
    (no value, no best, or best equal to worst)."""
    if value is None or best is None:
        return None
    if worst is None:
        worst = 1 if best > 1 else 0
    if best == worst:
        return None
    share = (value - worst) / (best - worst)  # 0 = worst, 1 = best, whichever way they run
    if not 0 <= share <= 1:
        return None
    if site in SCALES_HIGHER_IS_FALSER and best > worst:
        share = 1 - share
    if share >= 0.9:
        return TRUE
    if share >= 0.65:
        return MOSTLY_TRUE
    if share >= 0.35:
        return MIXED
    if share >= 0.1:
        return MOSTLY_FALSE
    return FALSE


def verdict(
    label: str,
    value: int | None = None,
    best: int | None = None,
    worst: int | None = None,
    *,
    site: str = "",
) -> Verdict:
    """The normalised rating for a reviewer's label and numbers (see the module)."""
    rating = rating_for_label(label)
    if rating is not None:
        return Verdict(rating, True)
    return Verdict(rating_from_scale(value, best, worst, site=site) or UNPROVEN, False)

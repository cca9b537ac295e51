"""How reports frame what is said: the patterns of verbs of saying, denial, verdict and
"according to" in each language (Patterns), the cues around them, and a statement found
(Found)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .entities import Entity
from .lexicon import ACCORDING, DENY, NOBODY_BEFORE, SAY, SECOND_CLAUSE, THAT, UNNAMED, VERDICT
from .lexicon import words as words_of
from .quotes import Quote, Sentence

ACCUSE = re.compile(r"(?i)(?:a\s+)?(?:accus|blam|culp|reproch|beschuld|warf|wirft|обвин|звинув)")
SPOKESPERSON = re.compile(
    r"(?i)spokes(?:person|man|woman)|porte-parole|portavo[cz]|porta-voz|sprecher|речни|пресс-секретар"
)
POSSESSIVE_ACCORDING = re.compile(
    r"(?i)\b(?:его|её|ее|их|його|її|їхніми|lui|elle|él|ella|lei|ele|ela|ihm|ihr)\b"
)
FEMININE_ACCORDING = re.compile(r"(?i)\b(?:её|ее|її|elle|ella|lei|ela|ihr)\b")
AUXILIARY = re.compile(
    r"(?i)\b(?:had|has|have|was|were|is|are|will|would|could|should|can|may|might|did|does"
    r"|do|been|being)\b"
)
RELATIVE = re.compile(
    r"(?i),\s*(?:which|who|qui|que|quien|quienes|die|der|das|che|il\s+quale|la\s+quale"
    r"|который|которая|которое|которые|який|яка|яке|які)\s+(?:\w+\s+)?$"
)
TOLD = re.compile(r"(?i)\b(?:told|tells|telling)\s*$")
CLAUSE_OPENERS = set(
    words_of(
        """the a an it he she they we i its his her their there this these those our no all
        some every"""
    )
)
QUOTED_AS = re.compile(r"(?i)\bquoted\s+(\w+(?:\s+\w+)?)\s+as\s+saying\b")
PARTICIPLE = re.compile(
    r"(?i)^(?:saying|adding|noting|warning|arguing|insisting|claiming|explaining|stressing"
    r"|ruling|finding|concluding"
    r"|blaming|accusing|denying|rejecting|disputing|telling|declaring|announcing|pointing\s+out"
    r"|afirmando|diciendo|señalando|asegurando|negando|acusando|dicendo|affermando|sostenendo"
    r"|dizendo|afirmando|negando|acusando)$"
)
NEGATED = re.compile(
    r"(?i)(?:\b(?:not|never|declined\s+to|refused\s+to|did\s+not|would\s+not|could\s+not"
    r"|ne|n'|pas|nicht|no|non|não|не|ні)\s+(?:\w+\s+)?|n't\s+(?:\w+\s+)?)$"
)
# "he did not name them or say if …": the negation reaches the second verb.
NEGATED_LIST = re.compile(r"(?i)(?:\b(?:not|never|nor)\b|n't)[^.,;:]{0,40}\b(?:or|nor)\s+$")
# What a content-less denial points at: "rejected that claim", "conteste ce chiffrage",
# "denied it"; "denied any wrongdoing" says something of its own.
REFERRING = re.compile(
    r"(?i)(?:the|that|this|these|those|his|her|its|their|such|ce|cet|cette|ces|ese|esa|esos"
    r"|esas|este|esta|estos|estas|dies\w*|jen\w*|quest\w*|quel\w*|ess\w|est\w|это\w*"
    r"|эт\w+|ц\w+|it|them|this|that|cela|ça|lo|la|ello|es|das|ciò|isso|isto)\b"
)
WORDS_OF = re.compile(
    r"(?i)\b(?:with|in)\s+the\s+words\s*:?\s*$|\b(?:con|en)\s+(?:las|estas)\s+palabras\s*:?\s*$"
    r"|\bavec\s+ces\s+mots\s*:?\s*$|\bmit\s+den\s+worten\s*:?\s*$"
    r"|\bcon\s+(?:le|queste)\s+parole\s*:?\s*$|\bcom\s+as\s+palavras\s*:?\s*$"
)
OPINION = re.compile(r"(?:Para|Pour|Für|Per)(?=\s)")
OPINION_LANGUAGES = {"es", "fr", "de", "it", "pt"}
NAMING = re.compile(
    r"(?i)(?:\b(?:a|an|the|its|their|his|her)\s+[\w-]+\s+(?:it|they|he|she|we)\s*$"
    r"|\bwhat\s+\w+\s*$|\b(?:so|is|was|are|were|be|been)\s*$)"
)
PRO_DROP = {"es", "it", "pt", "ru", "uk"}
TRAILING_PUNCT = ".!?;: \u00a0\n"
SUBJECT_GAP_WORDS = 6


def _alternation(words: str | list[str]) -> str:
    items = words_of(words) if isinstance(words, str) else list(words)
    items.sort(key=len, reverse=True)
    return "|".join(re.escape(item).replace(r"\ ", r"\s+") for item in items)


class Patterns:
    """The regular expressions of one language, built once."""

    _cache: dict[str, Patterns] = {}

    def __init__(self, language: str):
        lang = language if language in SAY else "en"
        self.language = lang
        bound = r"(?<![\w'’-])(?:{})(?![\w'’-])"
        self.say = re.compile(bound.format(_alternation(SAY[lang])), re.I)
        self.deny = re.compile(bound.format(_alternation(DENY[lang])), re.I)
        self.verdict = re.compile(bound.format(_alternation(VERDICT[lang])), re.I)
        self.according = re.compile(bound.format(_alternation(ACCORDING[lang])), re.I)
        self.that = re.compile(bound.format(_alternation(THAT[lang])), re.I)
        self.unnamed = re.compile(rf"(?:^|\s)(?:{_alternation(UNNAMED[lang])})\s*$", re.I)
        self.nobody = re.compile(rf"(?:^|[\s(])(?:{_alternation(NOBODY_BEFORE)})\s*[:,]?\s*$", re.I)
        self.second = SECOND_CLAUSE[lang]

    @classmethod
    def get(cls, language: str) -> Patterns:
        if language not in cls._cache:
            cls._cache[language] = cls(language)
        return cls._cache[language]


@dataclass
class Found:
    start: int
    end: int
    kind: str  # "direct" or "reported"
    entity: Entity | None
    sentence: Sentence
    confidence: float
    via: str  # how the speaker was found
    quote: Quote | None = None
    cue: str = ""  # the verb that framed it (deny, verdict, say, according, continuation)
    answers_hint: tuple[int, int] | None = None  # span of a statement this one names

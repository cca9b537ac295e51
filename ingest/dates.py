"""The day a statement was made, when the report gives one: a weekday ("on Monday", "lundi",
"am Dienstag") counted back to the last such day on or before the publication date, or
"yesterday"/"today"; the publication date when the report speaks of the day's events without
naming another; None when it names another time ("in April", "last year") or cannot be dated."""

from __future__ import annotations

import datetime
import re

from .lexicon import RELATIVE_DAYS, WEEKDAYS

OTHER_TIME = re.compile(
    r"(?i)\b(?:last (?:year|month|week)|in (?:january|february|march|april|may|june|july|august"
    r"|september|october|november|december|\d{4})|earlier this (?:year|month)|years? ago"
    r"|months? ago|in the past|used to|l'an dernier|l'année dernière|el año pasado"
    r"|letztes jahr|im vergangenen jahr|l'anno scorso|no ano passado|в прошлом году"
    r"|минулого року|торік)\b"
)
_WEEKDAY = {}
for language, names in WEEKDAYS.items():
    _WEEKDAY[language] = {name: index for index, name in enumerate(names.split())}
# Other forms of the same days (accusative, short Portuguese names, plural "lundis" aside).
_EXTRA = {
    "pt": {"segunda": 0, "terça": 1, "quarta": 2, "quinta": 3, "sexta": 4},
    "ru": {"среда": 2, "пятница": 4, "суббота": 5, "воскресенье": 6},
    "uk": {"середа": 2, "п'ятниця": 4, "субота": 5, "неділя": 6, "п’ятницю": 4},
}


def _weekday_pattern(language: str) -> re.Pattern:
    names = dict(_WEEKDAY.get(language, {}))
    names.update(_EXTRA.get(language, {}))
    names.update(_WEEKDAY["en"])
    alternation = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    relative = "|".join(re.escape(word) for word in RELATIVE_DAYS)
    return re.compile(rf"(?i)(?<![\w'’-])({alternation}|{relative})(?![\w'’-])"), names


_PATTERNS: dict[str, tuple] = {}


def day_back(published: datetime.date, weekday: int) -> datetime.date:
    """The last `weekday` (Monday = 0) on or before `published`."""
    return published - datetime.timedelta(days=(published.weekday() - weekday) % 7)


def stated_on(text: str, found, language: str, published: datetime.date | None):
    if found.cue == "nested" or published is None:
        return None
    if language not in _PATTERNS:
        _PATTERNS[language] = _weekday_pattern(language)
    pattern, names = _PATTERNS[language]
    sentence = text[found.sentence.start : found.sentence.end]
    if found.kind == "direct":
        # The day is in the attribution, not in the speaker's words.
        offset = found.sentence.start
        sentence = (
            sentence[: max(0, found.start - offset - 1)] + " " + sentence[found.end - offset + 1 :]
        )
    match = pattern.search(sentence)
    if match:
        word = match.group(1).lower()
        if word in RELATIVE_DAYS:
            return published - datetime.timedelta(days=RELATIVE_DAYS[word])
        return day_back(published, names[word])
    if OTHER_TIME.search(sentence):
        return None
    return published

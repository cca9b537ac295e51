"""The day a statement was made, when the report gives one: a weekday ("on Monday", "lundi",
"am Dienstag") counted back to the last such day on or before the publication date, or
"yesterday"/"today", in the statement's sentence, or the day the report gave the occasion it
was made at ("told a news conference after the meeting"); None when the text gives no day."""

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
OCCASION = re.compile(
    r"(?i)\b(?:news conference|press conference|briefing|meeting|summit|hearing|session"
    r"|rueda de prensa|conferencia de prensa|conférence de presse|point presse|réunion"
    r"|pressekonferenz|sitzung|conferenza stampa|riunione|entrevista coletiva|coletiva"
    r"|reunião|пресс-конференц\w*|брифинг\w*|заседани\w*|пресконференц\w*|брифінг\w*"
    r"|засіданн\w*)\b"
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
    # The day is in the attribution, not in the speaker's words ("samples taken on Saturday");
    # a span that starts at its verb ("denied on Monday that …") keeps the verb's adverbials.
    offset = found.sentence.start
    keep = 0
    if found.kind == "reported" and found.cue in ("deny", "accuse"):
        keep = len(re.match(r"\S+(?:\s+\S+){0,3}", text[found.start : found.end]).group())
    sentence = (
        sentence[: max(0, found.start - offset - 1)]
        + " "
        + text[found.start : found.start + keep]
        + " "
        + sentence[found.end - offset + 1 :]
    )
    match = pattern.search(sentence)
    if match:
        word = match.group(1).lower()
        if word in RELATIVE_DAYS:
            return published - datetime.timedelta(days=RELATIVE_DAYS[word])
        return day_back(published, names[word])
    if OTHER_TIME.search(sentence):
        return None
    if OCCASION.search(sentence):
        # "told a news conference after the meeting": the day the report gave the occasion.
        earlier = list(pattern.finditer(text, 0, found.sentence.start))
        if earlier:
            word = earlier[-1].group(1).lower()
            if word in RELATIVE_DAYS:
                return published - datetime.timedelta(days=RELATIVE_DAYS[word])
            return day_back(published, names[word])
    return None


def carry_dates(text: str, found: list, language: str, published, sentences) -> list:
    """The stated day of each statement; one the text does not date takes the day of the same
    speaker's latest statement, when both come from the same occasion (at most two sentences
    apart, with no other time named)."""
    dates = [stated_on(text, item, language, published) for item in found]
    index_of = {sentence: number for number, sentence in enumerate(sentences)}
    for number, item in enumerate(found):
        if dates[number] is not None or item.cue == "nested" or number == 0:
            continue
        sentence_text = text[item.sentence.start : item.sentence.end]
        if OTHER_TIME.search(sentence_text):
            continue
        for back in range(number - 1, -1, -1):
            previous = found[back]
            if previous.entity is not item.entity or previous.cue == "nested":
                continue
            if index_of.get(item.sentence, 0) - index_of.get(previous.sentence, 0) <= 2:
                dates[number] = dates[back]
            break
    return dates

"""Statements in a report: quotations with their speakers, and reported speech.

Anchored on verbs of saying (lexicon.SAY, DENY, VERDICT, ACCORDING): for each one outside
quotation marks, the subject is the mention next to it (before it, or after it when inverted:
"said Tan", "a-t-il déclaré", "— сказав він"), and what it frames is a quotation beside it
(direct) or the clause after it, before it ("…, Holm said") or around it ("The rolls, she said,
had…") (reported). A quotation no verb frames is the previous speaker's when it fills its
sentence (a quote paragraph after an attributed one) and nobody's otherwise (titles, slogans,
scare quotes). Subjects that name nobody ("diplomats said") make no statement.

Attributor holds the pass over the sentences; finding the subject is subjects.py's job, what
each verb frames saying.py's, where a reported clause starts and ends clauses.py's, quotations
no verb frames and quotations inside quotations quotations.py's, and the patterns per language
and the Found type are in framing.py.
"""

from __future__ import annotations

from .clauses import ClausesMixin
from .framing import (
    ACCUSE,
    OPINION,
    OPINION_LANGUAGES,
    TRAILING_PUNCT,
    Found,
    Patterns,
)
from .quotations import QuotationsMixin
from .quotes import SPACES, Quote, Sentence
from .saying import SayingMixin
from .speakers import Registry
from .subjects import SubjectsMixin


class Attributor(SubjectsMixin, SayingMixin, ClausesMixin, QuotationsMixin):
    def __init__(self, text: str, language: str, registry: Registry, quotes: list[Quote]):
        self.text = text
        self.language = language
        self.p = Patterns.get(language)
        self.registry = registry
        self.quotes = quotes
        self.top = [q for q in quotes if q.depth == 0]
        self.found: list[Found] = []

    # --- helpers --------------------------------------------------------------------------

    def _in_quote(self, offset: int) -> Quote | None:
        for quote in self.top:
            if quote.open <= offset <= quote.close:
                return quote
        return None

    def _clause_end(self, sentence: Sentence) -> int:
        end = sentence.end
        while end > sentence.start and self.text[end - 1] in TRAILING_PUNCT:
            end -= 1
        return end

    def _add(self, found: Found) -> None:
        start, end = found.start, found.end
        while start < end and self.text[start] in SPACES + ",":
            start += 1
        while end > start and self.text[end - 1] in SPACES + ",;:":
            end -= 1
        if end - start < 2:
            return
        found.start, found.end = start, end
        for other in self.found:
            if other.start == start and other.end == end:
                return
        self.found.append(found)

    def _covered(self, start: int, end: int) -> bool:
        return any(f.kind == "reported" and f.start <= start and end <= f.end for f in self.found)

    # --- the pass -------------------------------------------------------------------------

    def run(self, sentences: list[Sentence]) -> list[Found]:
        for sentence in sentences:
            self._sentence(sentence)
        self._unframed_quotes(sentences)
        self._nested()
        self.found.sort(key=lambda f: (f.start, -f.end))
        return self.found

    def _verbs(self, sentence: Sentence):
        matches = []
        for cue, pattern in (
            ("according", self.p.according),
            ("verdict", self.p.verdict),
            ("deny", self.p.deny),
            ("say", self.p.say),
        ):
            for match in pattern.finditer(self.text, sentence.start, sentence.end):
                if self._in_quote(match.start()):
                    continue
                if any(m.start() <= match.start() < m.end() for _, m in matches):
                    continue
                matches.append((cue, match))
        # "Para la organización ecologista Agua Clara, el recorte llega tarde": "for X" opening
        # a sentence gives X's view (only there: elsewhere it is a plain preposition).
        start = self._after_dateline(sentence.start)
        opinion = OPINION.match(self.text, start, sentence.end)
        if opinion and self.language in OPINION_LANGUAGES:
            matches.append(("according", opinion))
        matches.sort(key=lambda item: item[1].start())
        return matches

    def _sentence(self, sentence: Sentence) -> None:
        quotes = [q for q in self.top if sentence.start <= q.open < sentence.end]
        used_quotes: set[int] = set()
        consumed_to = sentence.start
        for cue, verb in self._verbs(sentence):
            if verb.start() < consumed_to:
                continue
            if cue == "according":
                made = self._according(sentence, verb, quotes, used_quotes)
            elif cue == "verdict":
                made = self._verdict(sentence, verb, quotes, used_quotes)
                if not made and verb.group().lower().split()[0] in ("dismissed", "rejected"):
                    made = self._say(sentence, verb, quotes, used_quotes, "deny")
            else:
                if cue == "deny" and ACCUSE.match(verb.group()):
                    cue = "accuse"
                made = self._say(sentence, verb, quotes, used_quotes, cue)
            if made:
                consumed_to = max(consumed_to, made)
        self._noun_claims(sentence)

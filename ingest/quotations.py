"""Quotations no verb frames (a quote paragraph after an attributed one is the previous
speaker's; titles, slogans and scare quotes are nobody's) and quotations inside quotations.
A part of attribution.Attributor."""

from __future__ import annotations

import re

from .entities import Mention
from .framing import (
    WORDS_OF,
    Found,
)
from .quotes import Quote, Sentence


class QuotationsMixin:
    # --- quotes no verb framed --------------------------------------------------------------

    def _unframed_quotes(self, sentences: list[Sentence]) -> None:
        taken = {f.quote.open for f in self.found if f.quote is not None}
        for sentence in sentences:
            for quote in self.top:
                if not sentence.start <= quote.open < sentence.end or quote.open in taken:
                    continue
                if self._covered(quote.start, quote.end):
                    continue
                if self._attributed_elsewhere(quote):
                    continue
                before = self.text[max(sentence.start, quote.open - 40) : quote.open]
                if WORDS_OF.search(before):
                    # "defended it in parliament with the words "…"": the subject's words.
                    main = self._main_subject(sentence, quote.open)
                    if main is not None and main.entity is not None:
                        self._direct(quote, main, sentence, 0.7, "say", set())
                    continue
                if self.p.nobody.search(before):
                    continue
                outside = (
                    self.text[sentence.start : quote.open]
                    + self.text[quote.close + 1 : sentence.end]
                )
                if outside.strip(' .,!?"“”«»—–-') or len(quote.text(self.text).split()) < 4:
                    continue
                speaker = self._previous_speaker(sentence, within=2)
                if speaker is None:
                    # A quote paragraph after "Per Lindqvist, chairman of …, welcomed the
                    # decision.": the previous sentence's subject, a named person.
                    index = self.registry.sentences.index(sentence)
                    if index > 0:
                        previous = self.registry.sentences[index - 1]
                        subject = self._main_subject(previous, previous.end)
                        if (
                            subject is not None
                            and subject.entity is not None
                            and subject.entity.kind == "person"
                            and subject.how in ("name", "alias", "role")
                        ):
                            speaker = subject.entity
                if speaker is None:
                    continue
                mention = Mention(quote.start, quote.start, speaker, "continuation")
                self._direct(quote, mention, sentence, 0.6, "continuation", set())

    def _attributed_elsewhere(self, quote: Quote) -> bool:
        return any(f.quote is quote for f in self.found)

    # --- quotes inside quotes ---------------------------------------------------------------

    def _nested(self) -> None:
        outer_found = {f.quote.open: f for f in self.found if f.quote is not None}
        for quote in self.quotes:
            if quote.parent is None or quote.parent.open not in outer_found:
                continue
            outer = outer_found[quote.parent.open]
            inside = self.text[quote.parent.start : quote.open]
            # The last clause of the outer quote before the inner one names who said it.
            clause_start = max(inside.rfind(". "), inside.rfind("? "), inside.rfind("! "))
            clause = inside[clause_start + 1 :]
            offset = quote.parent.start + clause_start + 1
            verbs = list(self.p.say.finditer(clause)) + list(
                re.finditer(
                    r"(?<!\w)(?:tells|told|telling|calls|called|claims|claimed|promised|insists)(?!\w)",
                    clause,
                    re.I,
                )
            )
            if not verbs:
                continue
            verb = max(verbs, key=lambda m: m.start())
            before = clause[: verb.start()]
            mention = None
            for candidate in self.registry.mentions:
                inside_clause = offset <= candidate.start and candidate.end <= offset + verb.start()
                if inside_clause and (candidate.how != "pronoun" or candidate.entity is not None):
                    mention = candidate
            if mention is None or mention.entity is None or mention.entity is outer.entity:
                continue
            if re.search(r"(?i)\b(?:i|we|you|my|our)\s*$", before.strip()):
                continue
            self.found.append(
                Found(
                    quote.start,
                    quote.end,
                    "direct",
                    mention.entity,
                    outer.sentence,
                    0.6,
                    "nested",
                    quote=quote,
                    cue="nested",
                )
            )

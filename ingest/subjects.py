"""Who says it: the subject of a verb of saying, before it ("Holt said", "Ilse Varga,
Ostland's ambassador, said"), after it ("said Tan", "a déclaré le ministre"), in an earlier
sentence, or nobody identifiable ("diplomats said"). A part of attribution.Attributor."""

from __future__ import annotations

import re

from .entities import Entity, Mention
from .framing import (
    RELATIVE,
    SPOKESPERSON,
    SUBJECT_GAP_WORDS,
)
from .quotes import Sentence


class SubjectsMixin:
    def _mention_ending_before(self, at: int, lower: int) -> tuple[Mention | None, str]:
        """The subject of a verb at `at`: the latest mention before it, separated only by an
        apposition (", the alliance's secretary-general,") and a few adverbial words."""
        candidates = [
            m for m in self.registry.mentions if lower <= m.start and m.end <= at and not m.in_quote
        ]
        if not candidates:
            return None, self.text[lower:at]
        # A subject right before the verb (a few words between, no comma) wins, the person of
        # its phrase first ("Clearwater Trust director Sofia Brandt", "Grace Achieng of the
        # Water for All Coalition", "Finnish payments start-up Quillpay"); else the subject
        # before an apposition ("Ilse Varga, Ostland's ambassador to the alliance, said").
        adjacent = [m for m in candidates if self._subject_gap(self.text[m.end : at], False)]
        if adjacent:
            closest = adjacent[-1]
            if closest.entity is None and SPOKESPERSON.search(
                self.text[closest.start : closest.end]
            ):
                return None, self.text[lower:at]
            phrase = [m for m in adjacent if "," not in self.text[m.end : closest.start]]
            people = [
                m
                for m in phrase
                if m.entity is not None and m.entity.kind == "person" and m.how != "pronoun"
            ]
            if people and closest.how != "pronoun":
                return people[0], self.text[people[0].end : at]
            if closest.entity is None and SPOKESPERSON.search(self.text[phrase[0].start : at]):
                named = [m for m in phrase if m.entity is not None]
                if named:
                    return named[-1], ""
            if closest.entity is None:
                first_named = next((m for m in phrase if m.entity is not None), None)
                if first_named is not None and SPOKESPERSON.search(self.text[first_named.end : at]):
                    return first_named, ""
            return closest, self.text[closest.end : at]
        valid = [m for m in candidates if self._subject_gap(self.text[m.end : at])]
        if valid:
            first = valid[0]
            if first.entity is None and SPOKESPERSON.search(self.text[first.start : first.end]):
                # "A spokesperson for the Road Users' Association, …": the body speaks.
                for later in candidates:
                    if later.start >= first.end and later.entity is not None:
                        return later, self.text[later.end : at]
            if first.entity is None or first.entity.kind == "org":
                for later in candidates:
                    if later.start < first.end or later.how == "pronoun" or later.entity is None:
                        continue
                    if later.entity.kind == "person":
                        return later, self.text[later.end : at]
            return first, self.text[first.end : at]
        # "…, the company's chief executive, Anton Weller, told": a name set off by commas
        # right before the verb, after its title.
        for mention in reversed(candidates):
            if mention.entity is None or mention.how == "pronoun":
                continue
            gap = self.text[mention.end : at]
            if re.fullmatch(r"\s*,\s*", gap) and re.search(
                r",\s*(?:\w{1,3}['’\s]\s*)?$",
                self.text[max(lower, mention.start - 8) : mention.start],
            ):
                return mention, gap
        return None, self.text[lower:at]

    def _subject_gap(self, gap: str, apposition: bool = True) -> bool:
        gap = re.sub(r"^['’]s\b", "", gap)
        if apposition:  # one or two segments set off by commas
            gap = re.sub(r"^\s*(?:,[^,:;]{1,140}){1,2},", " ", gap, count=1)
        gap = re.sub(r"^\s*\([^()]{1,60}\)", " ", gap)
        if any(char in gap for char in '"“”«»„.;:!?,'):
            return False
        return len(gap.split()) <= SUBJECT_GAP_WORDS

    def _mention_after(self, at: int, upper: int) -> Mention | None:
        """An inverted subject: "said Tan", "a déclaré le ministre", "sagte er", and, when the
        sentence ends after a short title phrase, its person ("disse a coordenadora do
        instituto, Beatriz Lacerda", "сообщил в среду мэр города Олег Савельев")."""
        following = [m for m in self.registry.mentions if at <= m.start <= upper and not m.in_quote]
        if not following:
            return None
        first = following[0]
        adjacent = not self.text[at : first.start].strip(" \u00a0—–-")
        sentence_end = next((s.end for s in self.registry.sentences if s.start <= at < s.end), at)
        rest = self.text[at:sentence_end]
        if len(rest.split()) <= 14 and not any(c in rest for c in '"“”«»„'):
            people = [
                m
                for m in following
                if m.start < sentence_end
                and m.entity is not None
                and m.entity.kind == "person"
                and m.how != "pronoun"
            ]
            if people and (not adjacent or first.entity is None or first.entity.kind != "person"):
                return people[0]
            if not adjacent:
                named = [m for m in following if m.start < sentence_end and m.entity is not None]
                if named and len(self.text[at : named[0].start].split()) <= 3:
                    return named[0]
        return first if adjacent else None

    def _unnamed(self, before: str) -> bool:
        return bool(self.p.unnamed.search(before.strip(" ,")))

    def _previous_speaker(self, sentence: Sentence, within: int = 3) -> Entity | None:
        sentences = self.registry.sentences
        index = sentences.index(sentence)
        recent = set(sentences[max(0, index - within) : index]) | {sentence}
        for found in reversed(self.found):
            if found.sentence in recent and found.entity is not None and found.start < sentence.end:
                if found.kind == "direct" and found.quote is not None and found.quote.depth > 0:
                    continue
                return found.entity
        return None

    def _main_subject(self, sentence: Sentence, before: int) -> Mention | None:
        """The first mention of the sentence (outside quotes), its grammatical subject."""
        start = self._after_dateline(sentence.start)
        for mention in self.registry.mentions:
            if start <= mention.start < before and not mention.in_quote:
                return mention
        return None

    def _according_subject(self, verb, sentence) -> Mention | None:
        """ "Según su portavoz, Manuel Ortega, …": the person (else the body) named before the
        comma that opens the clause."""
        upper = min(sentence.end, verb.end() + 90)
        window = [
            m
            for m in self.registry.mentions
            if verb.end() <= m.start < upper and not m.in_quote and m.how != "pronoun"
        ]
        if not window:
            return self._mention_after(verb.end(), verb.end() + 40)
        first = window[0]
        if first.entity is None:
            people = [m for m in window if m.entity is not None and m.entity.kind == "person"]
            return people[0] if people else first
        if not self.text[verb.end() : first.start].strip():
            for later in window[1:]:
                is_person = later.entity is not None and later.entity.kind == "person"
                if is_person and "," in self.text[first.end : later.start][:3]:
                    return later
            return first
        for mention in window:
            if mention.entity is not None and mention.entity.kind == "person":
                return mention
        return first

    def _subject(self, sentence, verb, lower) -> tuple[Mention | None, bool]:
        """(mention, unnamed) of the verb's subject, before it or inverted after it."""
        relative = RELATIVE.search(self.text[lower : verb.start()])
        if relative:
            # "…, following advice from the Marine Research Institute, which said …"
            at = lower + relative.start()
            before = [
                m
                for m in self.registry.mentions
                if lower <= m.start and m.end <= at and not m.in_quote and m.entity is not None
            ]
            if before and not self.text[before[-1].end : at].strip():
                return before[-1], False
        mention, _ = self._mention_ending_before(verb.start(), lower)
        if mention is not None:
            surface = self.text[mention.start : mention.end]
            if mention.how != "pronoun" and self._unnamed(surface):
                return None, True
            opening = self.text[self._after_dateline(max(lower, sentence.start)) : mention.start]
            if re.search(
                r"(?i)\b(?:in|of|at|from|near|en|de|à|in|aus|bei|di|a|em|в|у|из|з)\s+$", opening
            ) and self._unnamed(" ".join(opening.split()[:1])):
                return None, True  # "Diplomats in Geneva said": a place, not a speaker
            return mention, False
        before = self.text[lower : verb.start()]
        if self._unnamed(before):
            return None, True
        bare = before.strip(' \u00a0—–-"“”«»„')
        if not bare or bare.endswith(","):
            after = self._mention_after(verb.end(), verb.end() + 60)
            if after is not None:
                return after, False
        return None, False

"""What a verb of saying frames: the quotation beside it (direct) or the clause it reports,
after "according to", a verdict ("dismissed as "nonsense""), a denial or a claim reported
through a noun. A part of attribution.Attributor."""

from __future__ import annotations

import re

from .entities import Mention, _is_role
from .framing import (
    AUXILIARY,
    FEMININE_ACCORDING,
    NAMING,
    NEGATED,
    NEGATED_LIST,
    PARTICIPLE,
    POSSESSIVE_ACCORDING,
    PRO_DROP,
    QUOTED_AS,
    REFERRING,
    Found,
)
from .quotes import Sentence


class SayingMixin:
    # "According to X, …" and "…, according to X."
    def _according(self, sentence, verb, quotes, used_quotes) -> int | None:
        text = self.text
        end = self._clause_end(sentence)
        if verb.group().lower() == "so":
            # German "…, so Lenz.": only as a trailing attribution.
            after = self._mention_after(verb.end(), verb.end() + 3)
            if after is None or not re.search(r",\s*$", text[sentence.start : verb.start()]):
                return None
            if text[after.end : end].strip():
                return None
        elif POSSESSIVE_ACCORDING.search(verb.group()):
            gender = "f" if FEMININE_ACCORDING.search(verb.group()) else "m"
            entity = self.registry.pronoun_entity(gender, verb.start(), sentence)
            after = Mention(verb.start(), verb.end(), entity, "pronoun")
        else:
            after = self._according_subject(verb, sentence)
        if after is None:
            return None
        comma = text.find(",", after.end, sentence.end)
        if comma != -1:
            # "According to Ana Silva, the health minister, …": past the apposition.
            following = text.find(",", comma + 1, sentence.end)
            segment = text[comma + 1 : following] if following != -1 else ""
            if (
                following != -1
                and len(segment.split()) <= 8
                and any(_is_role(word) for word in re.findall(r"[^\W\d_][\w'’-]*", segment))
            ):
                comma = following
        if comma == -1 and verb.start() - sentence.start <= 3 and after.entity is not None:
            # "Nach Angaben der Hafengesellschaft arbeiten derzeit …": no comma.
            self._reported_or_quote(
                after.end, end, after, sentence, "according", quotes, used_quotes
            )
            return end
        if comma != -1 and verb.start() - sentence.start <= 3:
            if after.entity is None:
                return end
            self._reported_or_quote(
                comma + 1, end, after, sentence, "according", quotes, used_quotes
            )
            return end
        if verb.start() > sentence.start + 5:
            # "…, according to X." / a quote before it.
            before_end = verb.start()
            for quote in quotes:
                if (
                    quote.close < before_end
                    and text[quote.close + 1 : before_end].strip(" ,") == ""
                ):
                    self._direct(quote, after, sentence, 0.85, "according", used_quotes)
                    return sentence.end
            if after.entity is not None:
                self._add(
                    Found(
                        sentence.start,
                        before_end,
                        "reported",
                        after.entity,
                        sentence,
                        0.75,
                        after.how,
                        cue="according",
                    )
                )
            return sentence.end
        return None

    def _reported_or_quote(self, start, end, mention, sentence, cue, quotes, used_quotes):
        for quote in quotes:
            if start <= quote.open and quote.close < end + 2:
                outside = self.text[start : quote.open] + self.text[quote.close + 1 : end]
                if not outside.strip(" ,.:;"):
                    self._direct(quote, mention, sentence, 0.85, cue, used_quotes)
                    return
        self._add(
            Found(start, end, "reported", mention.entity, sentence, 0.75, mention.how, cue=cue)
        )

    def _direct(self, quote, mention, sentence, confidence, cue, used_quotes) -> None:
        used_quotes.add(quote.open)
        if mention is None or mention.entity is None:
            return
        self._add(
            Found(
                quote.start,
                quote.end,
                "direct",
                mention.entity,
                sentence,
                confidence * (0.9 if mention.how == "pronoun" else 1.0),
                mention.how,
                quote=quote,
                cue=cue,
            )
        )

    def _say(self, sentence, verb, quotes, used_quotes, cue) -> int | None:
        text = self.text
        if NEGATED.search(text[max(sentence.start, verb.start() - 25) : verb.start()]) or (
            NEGATED_LIST.search(text[max(sentence.start, verb.start() - 60) : verb.start()])
        ):
            return self._clause_end(sentence)  # "did not say how many …"
        # The subject may not reach back past a quote or another clause of the sentence.
        lower = sentence.start
        for quote in quotes:
            # Only a quote that opens its clause ends the subject's reach ("…," Holt said); a
            # title in an apposition does not ("The report, "Dry Taps", said …").
            if quote.close < verb.start() and not text[
                self._clause_start(sentence, quote.open) : quote.open
            ].strip(" \u00a0—–-"):
                lower = max(lower, quote.close + 1)
        if PARTICIPLE.match(verb.group()) and re.search(r",\s*$", text[lower : verb.start()]):
            # "…, saying inflation was falling": the main clause's subject speaks.
            mention = self._main_subject(sentence, verb.start())
            earlier = [f for f in self.found if f.sentence == sentence and f.entity is not None]
            if earlier:
                mention = Mention(verb.start(), verb.start(), earlier[-1].entity, "participle")
            if mention is None or mention.entity is None:
                return None
            end = self._clause_end(sentence)
            include = cue in ("deny", "accuse")
            return self._forward(
                verb.start() if include else verb.end(),
                end,
                mention,
                sentence,
                0.7,
                cue,
                include_verb=include,
            )
        mention, unnamed = self._subject(sentence, verb, lower)
        quoted_as = QUOTED_AS.search(text[max(lower, verb.start() - 40) : verb.end()])
        if quoted_as:
            # "… it quoted him as saying": the one quoted speaks, not the paper.
            who = quoted_as.group(1).lower()
            if who in ("him", "her"):
                entity = self.registry.pronoun_entity(
                    "m" if who == "him" else "f", verb.start(), sentence
                )
                mention = Mention(verb.start(), verb.start(), entity, "pronoun")
            else:
                named = [
                    m
                    for m in self.registry.mentions
                    if verb.start() - 40 <= m.start < verb.start()
                    and m.entity is not None
                    and not m.in_quote
                ]
                if named:
                    mention = named[-1]
            unnamed = False
        if unnamed:
            return self._clause_end(sentence)
        if mention is None and re.search(
            r"(?i)(?:^|\s)(?:and|y|et|und|e|и|і|та|а)\s+(?:\w+\s+)?$",
            text[max(sentence.start, verb.start() - 20) : verb.start()],
        ):
            # "… called that argument "a fairy tale" and pointed out that …"
            earlier = [f for f in self.found if f.sentence == sentence and f.entity is not None]
            if earlier:
                mention = Mention(verb.start(), verb.start(), earlier[-1].entity, "coordinated")
            else:
                # "…, urged both sides to return to talks and said …": the sentence's subject.
                main = self._main_subject(sentence, verb.start())
                if main is not None and main.entity is not None and main.how != "pronoun":
                    mention = Mention(verb.start(), verb.start(), main.entity, "coordinated")
        if mention is None:
            if self.language in PRO_DROP or verb.group().lower() in ("added", "adds"):
                bare = text[lower : verb.start()].strip(' ,"“”«»—–-')
                if not bare or bare.lower() in ("y", "e", "и", "і", "та", "and", "а"):
                    speaker = self.registry.pronoun_entity(
                        None, sentence.start, sentence
                    ) or self._previous_speaker(sentence)
                    if speaker is not None:
                        mention = Mention(verb.start(), verb.start(), speaker, "continuation")
            if mention is None:
                return None
        if mention.entity is None:
            return self._clause_end(sentence)
        # 1. A quote just before: "…," Holt said. / «…», a-t-il déclaré.
        for quote in quotes:
            if quote.open in used_quotes or quote.close > verb.start():
                continue
            between = text[quote.close + 1 : min(verb.start(), mention.start)]
            opening = text[self._clause_start(sentence, quote.open) : quote.open]
            title_only = len(between.split()) <= 5 and not re.search(r"[.;:!?\"“”«»]", between)
            if (
                re.fullmatch(r"[\s,.—–-]*", between) or (title_only and between.strip(" ,"))
            ) and not opening.strip(" \u00a0—–-"):
                self._direct(quote, mention, sentence, 0.9, cue, used_quotes)
                # "…," he said, "and more." — the next quote is his too.
                for later in quotes:
                    if later.open > verb.end() and later.open not in used_quotes:
                        gap = text[max(verb.end(), mention.end) : later.open]
                        if (
                            len(gap.split()) <= 6
                            and re.search(
                                r"[,:]\s*$", gap.strip(' "“”«»„') + (" " if not gap.strip() else "")
                            )
                        ) or not gap.strip(" ,:—–-"):
                            self._direct(later, mention, sentence, 0.85, cue, used_quotes)
                        break
                return None
        # 2. A quote just after: Holt said: "…" / told reporters, "…"
        for quote in quotes:
            if quote.open in used_quotes or quote.open < verb.end():
                continue
            start_gap = max(verb.end(), mention.end if mention.start > verb.start() else verb.end())
            gap = text[start_gap : quote.open]
            if (
                len(gap.split()) <= 8
                and re.search(r"[:,]\s*$", gap)
                and not any(c in gap for c in '"“”«»')
            ):
                self._direct(quote, mention, sentence, 0.9, cue, used_quotes)
                return quote.close
            if cue not in ("deny", "accuse") and not gap.strip():
                self._direct(quote, mention, sentence, 0.8, cue, used_quotes)
                return quote.close
            break
        # 3. Reported speech.
        end = self._clause_end(sentence)
        subject_start = min(self._phrase_start(mention, sentence), verb.start())
        head = text[sentence.start : subject_start]
        descriptor = re.search(r",\s+(?:[a-z][\w-]*\s+){1,3}$", head)
        if descriptor and mention.how != "pronoun":
            # "…, shipping line Straits Maritime Group said": the descriptor is the subject's.
            subject_start = sentence.start + descriptor.start() + 1
            head = text[sentence.start : subject_start]
        tail_start = max(verb.end(), mention.end)
        tail = text[tail_start:end]
        confidence = 0.75 if mention.how != "pronoun" else 0.7
        if cue in ("deny", "accuse"):
            content = re.split(
                r"(?i)\s(?:after|before|when|while|as|following|amid|despite|après|tras|nachdem"
                r"|dopo|após|после|після)\s",
                text[verb.end() : end],
                maxsplit=1,
            )[0]
            content = re.sub(r"(?i)\s+(?:on|late on|early on)\s+\w+\s*$", "", content)
            if len(content.split()) < 4 and REFERRING.match(content.strip()):
                # "rejected that claim", "denied any wrongdoing on Thursday after …"
                cut = self._next_attribution(verb.end(), end)
                return cut if cut is not None else end
            return self._forward(
                verb.start(), end, mention, sentence, confidence, cue, include_verb=True
            )
        if head.strip(" ,—–-") and re.search(r",\s*$", head):
            comma = tail.find(",")
            said_part = tail if comma < 0 else tail[:comma]
            rest = "" if comma < 0 else tail[comma + 1 :]
            title_head = self._title_phrase(head)
            if (
                len(said_part.split()) <= 8
                and not AUXILIARY.search(said_part)
                and not self.p.that.search(said_part)
                and not title_head
            ):
                if not rest.strip() or self._trailing_clause(rest, head):
                    attribution_end = tail_start + (comma if comma >= 0 else len(tail))
                    # "Norland will cut its quota…, Fisheries Minister Maja Holm said."
                    if not self._is_quote_only(sentence.start, subject_start, quotes):
                        start = self._after_dateline(sentence.start)
                        self._add(
                            Found(
                                start,
                                subject_start,
                                "reported",
                                mention.entity,
                                sentence,
                                confidence,
                                mention.how,
                                cue=cue,
                            )
                        )
                    return attribution_end
                # "The rolls, she said, had been checked …": the attribution stays inside.
                self._add(
                    Found(
                        self._after_dateline(sentence.start),
                        end,
                        "reported",
                        mention.entity,
                        sentence,
                        confidence - 0.05,
                        mention.how,
                        cue=cue,
                    )
                )
                return end
        self._forward(tail_start, end, mention, sentence, confidence, cue)
        return end

    # dismissed his account as "fiction" / called Giordani "a bitter former employee"
    def _verdict(self, sentence, verb, quotes, used_quotes) -> int | None:
        for quote in quotes:
            if quote.open < verb.end() or quote.open in used_quotes:
                continue
            gap = self.text[verb.end() : quote.open]
            if len(gap.split()) > 6 or any(c in gap for c in ",.;:"):
                return None
            mention, _ = self._mention_ending_before(verb.start(), sentence.start)
            if mention is None or mention.entity is None:
                return None
            before_verb = self.text[max(sentence.start, verb.start() - 30) : verb.start()]
            if not gap.strip() and NAMING.search(before_verb):
                return None  # "a study it called "A River Without Fish"": a name, no verdict
            self._direct(quote, mention, sentence, 0.8, "verdict", used_quotes)
            return quote.close + 1
        return None

    # "allegations by Russian President Vladimir Putin that …" / "a claim by X that …"
    NOUN_CLAIM = re.compile(
        r"\b(?:allegations?|claims?|assertions?|accusations?|suggestions?|insistence|warnings?"
        r"|denials?|statements?|assurances?|promises?)\s+(?:by|from)\s+",
        re.I,
    )

    def _noun_claims(self, sentence: Sentence) -> None:
        if self.language != "en":
            return
        for match in self.NOUN_CLAIM.finditer(self.text, sentence.start, sentence.end):
            if self._in_quote(match.start()):
                continue
            mention = self._mention_after(match.end(), match.end() + 80)
            if mention is None or mention.entity is None:
                continue
            that = self.p.that.search(self.text, mention.end, min(sentence.end, mention.end + 40))
            if not that or len(self.text[mention.end : that.start()].split()) > 3:
                continue
            start = that.end()
            end = self._clause_end(sentence)
            if self._covered(start, end):
                continue
            self._add(
                Found(
                    start, end, "reported", mention.entity, sentence, 0.7, mention.how, cue="claim"
                )
            )

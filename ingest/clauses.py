"""Where a reported clause starts and ends: after the verb and its "that", before a trailing
attribution ("…, Holm said"), around an interrupting one, up to the next attribution or the
end of what was said. A part of attribution.Attributor."""

from __future__ import annotations

import re

from .entities import Mention, _is_role
from .framing import (
    CLAUSE_OPENERS,
    TOLD,
    Found,
)
from .quotes import SPACES, Sentence


class ClausesMixin:
    def _phrase_start(self, mention: Mention, sentence: Sentence) -> int:
        """Where the subject's noun phrase starts: its title and determiners belong to it
        ("Ukraine's Ambassador to NATO Ihor Dolhov")."""
        at = mention.start
        head = self.text[sentence.start : at]
        found = re.search(
            r"(?:(?:[A-ZÀ-ÝА-ЯІЇЄҐ][\w'’.-]*|the|of|to|for|de|du|des|la|le|el|der|die|das|del"
            r"|di|da|do|a|an|[a-z][\w-]*(?:man|woman|person|er|or|ist|ent))\s+)+$",
            head,
        )
        if found:
            at = sentence.start + found.start()
        return at

    TRAILING_CLAUSE = re.compile(
        r"\s*,?\s*(?:but|and|while|as|although|though|after|before|when|which|who|where|mais"
        r"|pero|aber|ma|mas|но|але|et|y|und|e|o|ou|en|tras|après|nachdem|dopo|após"
        r"|\w+ing|\w+ant|\w+ando|\w+endo|\w+iendo)\b",
        re.I,
    )

    def _trailing_clause(self, rest: str, head: str) -> bool:
        """Whether what follows the attribution (", but he did not …", ", publishing a study")
        leaves the clause before it finished, rather than resuming it."""
        return bool(self.TRAILING_CLAUSE.match(rest)) or len(head.split()) > 8

    def _title_phrase(self, head: str) -> bool:
        """Whether what precedes the subject is its title ("The mayor of Kalamunda Ridge, Greg
        Whitlock, said …") rather than a reported clause."""
        last = head.rstrip(" ,").rsplit(".", 1)[-1]
        segment = re.split(r"[,;:]", last)[-1]
        tokens = re.findall(r"[^\W\d_][\w'’-]*", segment)
        return 0 < len(tokens) <= 8 and any(_is_role(word) for word in tokens[:4])

    def _after_dateline(self, start: int) -> int:
        skip = self.registry.skip
        if skip[0] <= start < skip[1]:
            start = skip[1]
            while start < len(self.text) and self.text[start] in SPACES:
                start += 1
        return start

    def _clause_start(self, sentence: Sentence, at: int) -> int:
        """Where the clause holding `at` starts: the sentence start, the dateline's end, or the
        end of a colon or of a previous quotation in the sentence."""
        start = self._after_dateline(sentence.start)
        for quote in self.top:
            if sentence.start <= quote.close < at:
                start = max(start, quote.close + 1)
        colon = self.text.rfind(":", start, at)
        return colon + 1 if colon >= 0 else start

    def _is_quote_only(self, start, end, quotes) -> bool:
        for quote in quotes:
            if start <= quote.open and quote.close <= end:
                outside = self.text[start : quote.open] + self.text[quote.close + 1 : end]
                if not outside.strip(" ,.:;—–-"):
                    return True
        return False

    def _forward(self, start, end, mention, sentence, confidence, cue, include_verb=False):
        text = self.text
        if not include_verb:
            window = text[start : min(end, start + 90)]
            that = self.p.that.search(window)
            # "said the report was a draft and that …": that "that" opens the second clause.
            if that and re.search(
                r"(?i)\b(?:and|but|y|et|und|e|и|і|та|ma|mas|pero|mais)\s*$", window[: that.start()]
            ):
                that = None
            if that and re.search(
                r"(?i)\b(?:he|she|it|they|we|i|you|would|will|could|should|had|has|have|was|were)\b",
                window[: that.start()],
            ):
                that = None  # "said she would support that request": a determiner
            if (
                that
                and len(window[: that.start()].split()) <= 8
                and '"' not in window[: that.start()]
            ):
                start = start + that.end()
            else:
                skip = re.match(
                    r"\s*(?:(?:late |early |on |last |this |in a |in an |at a |at an |on a )[\w-]+"
                    r"(?: [\w-]+)?\s*,?\s*)?",
                    window,
                )
                start += skip.end() if skip else 0
                if TOLD.search(text[max(0, start - 12) : start]):
                    start = self._past_object(start, end)
                # "sagte am Montag, die Wartelisten …": a short adverbial, then the clause.
                adverbial = re.match(
                    r"\s*(?:[^\W\d_][\w'’-]*\s+){0,2}[^\W\d_][\w'’-]*\s*,\s*", text[start:end]
                )
                if adverbial and not self.p.that.search(adverbial.group()):
                    start += adverbial.end()
        cut = self._next_attribution(start, end)
        if cut is not None:
            end = cut
        if end - start < 8 or len(text[start:end].split()) < 3:
            return end  # "a-t-elle répondu dans la soirée": a time, not a clause
        # "said X and that Y": two statements.
        pieces = [(start, end)]
        for marker in self.p.second:
            updated = []
            for a, b in pieces:
                at = text.find(marker, a, b)
                if at != -1 and not self._in_quote(at):
                    updated.extend([(a, at), (at + len(marker), b)])
                else:
                    updated.append((a, b))
            pieces = updated
        for a, b in pieces:
            if self._is_quote_only(a, b, [q for q in self.top if a <= q.open < b]):
                quote = next(q for q in self.top if a <= q.open < b)
                self._direct(quote, mention, sentence, 0.85, cue, set())
                continue
            self._add(
                Found(a, b, "reported", mention.entity, sentence, confidence, mention.how, cue=cue)
            )
        return end

    def _next_attribution(self, start: int, end: int) -> int | None:
        """Where a clause stops because another speaker's attribution begins in it: "Vlaicu
        said his government would …, and Osmanov said Upper Dovra was …"."""
        for verb in self.p.say.finditer(self.text, start, end):
            if self._in_quote(verb.start()):
                continue
            for mention in self.registry.mentions:
                if start < mention.start and mention.end <= verb.start() and not mention.in_quote:
                    if mention.entity is None or self.text[mention.end : verb.start()].strip():
                        continue
                    joint = re.search(
                        r"(?:,\s*|;\s*|\s)(?:and|but|while|whereas|y|pero|et|mais|und|aber|e|ma"
                        r"|mas|и|а|но|і|та|але)?\s*$",
                        self.text[start : mention.start],
                    )
                    before = self.text[max(start, mention.start - 12) : mention.start]
                    if joint and re.search(r"[,;]", before):
                        return start + joint.start()
                    subordinate = re.search(
                        r",[^,]{0,30}?\b(?:after|before|when|while|since|as|because|although"
                        r"|though|après|avant|quand|tras|antes|cuando|nachdem|bevor|als|dopo"
                        r"|prima|quando|após|antes|quando|после|когда|після|коли)\s+$",
                        self.text[max(start, mention.start - 50) : mention.start],
                    )
                    if subordinate:
                        return max(start, mention.start - 50) + subordinate.start()
        return None

    def _past_object(self, start: int, end: int) -> int:
        """After "told": past its object ("told parliament the plan…", "told a news conference
        the bridge…") to the word that opens the clause."""
        tokens = list(re.finditer(r"[^\s,]+", self.text[start:end]))[:6]
        for index, token in enumerate(tokens[1:], start=1):
            word = token.group()
            if word.lower() in CLAUSE_OPENERS or word[:1].isdigit() or word[:1].isupper():
                return start + token.start() if index < len(tokens) else start
        return start

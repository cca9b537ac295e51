"""Statements in a report: quotations with their speakers, and reported speech.

Anchored on verbs of saying (lexicon.SAY, DENY, VERDICT, ACCORDING): for each one outside
quotation marks, the subject is the mention next to it (before it, or after it when inverted:
"said Tan", "a-t-il déclaré", "— сказав він"), and what it frames is a quotation beside it
(direct) or the clause after it, before it ("…, Holm said") or around it ("The rolls, she said,
had…") (reported). A quotation no verb frames is the previous speaker's when it fills its
sentence (a quote paragraph after an attributed one) and nobody's otherwise (titles, slogans,
scare quotes). Subjects that name nobody ("diplomats said") make no statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import ACCORDING, DENY, NOBODY_BEFORE, SAY, SECOND_CLAUSE, THAT, UNNAMED, VERDICT
from .lexicon import words as words_of
from .quotes import SPACES, Quote, Sentence
from .speakers import Entity, Mention, Registry, _is_role

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


class Attributor:
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

"""Who is who in a report: the people and organisations it names, the titles it gives them, and
what "Holt", "the minister", "the alliance's chief", "she" or "the company" refer to.

One pass over the text in order collects mentions: names (with a title before them, "Karvian
Defence Minister Viktor Saran", or after them, "Ilse Varga, Ostland's ambassador to the
alliance,"), surnames and aliases of people already named, role descriptions ("the minister")
resolved to the latest person holding that role, body nouns ("the ministry") resolved to the
latest organisation of that kind, and pronouns resolved to the subject of the latest sentence that
names a suitable person. Mentions inside quotations are not antecedents: the speaker's own words
name other people.

Registry holds the pass and the lookups; reading a name with its title is names.py's job,
what descriptions and pronouns refer to is references.py's, and the word lists and the
Entity and Mention types are in entities.py.
"""

from __future__ import annotations

import bisect

from .entities import (
    ALL_PRONOUNS,
    BODY_SET,
    CONNECTORS,
    DETERMINERS,
    HONORIFICS,
    INVERTED,
    NAME_STOP,
    NOT_NAMES,
    ORG_HEADS,
    ORG_WORDS,
    PARTICLES,
    TOKEN,
    Entity,
    Mention,
    _clean_name,
    _is_acronym,
    _is_role,
    _same_word,
)
from .lexicon import FUNCTION_WORDS, PRONOUNS, words
from .names import NamesMixin
from .quotes import Quote, Sentence
from .references import ReferencesMixin


class Registry(NamesMixin, ReferencesMixin):
    """Entities and their mentions, filled in text order by `read` (names: NamesMixin;
    descriptions and pronouns: ReferencesMixin)."""

    def __init__(self, text: str, language: str, known_speakers=(), skip: tuple[int, int] = (0, 0)):
        self.skip = skip  # the dateline, and anything else that names no speaker
        self._verbs = None
        self.text = text
        self.language = language
        self.entities: list[Entity] = []
        self.mentions: list[Mention] = []
        self.sentences: list[Sentence] = []
        for known in known_speakers:
            entity = Entity(
                name=known.name,
                kind=known.kind or _guess_kind(known.name),
                titles=[known.job_title] if known.job_title else [],
                aliases={alias.casefold() for alias in (known.name, *known.aliases)},
                known=known.key if known.key is not None else known.name,
                first=-1,
            )
            self.entities.append(entity)

    # --- lookups ------------------------------------------------------------------------------

    def by_alias(self, surface: str) -> Entity | None:
        key = _clean_name(surface).casefold()
        for entity in self.entities:
            if key in entity.aliases or key == entity.name.casefold():
                return entity
        if " " in key and key.split()[0] in PARTICLES:
            # "Van Wyk" opening a sentence is Pieter van Wyk.
            for entity in self.entities:
                if entity.kind == "person" and entity.name.casefold().endswith(" " + key):
                    return entity
        return None

    def by_surname(self, surname: str) -> Entity | None:
        key = _clean_name(surname).casefold()
        matches = [
            e
            for e in self.entities
            if e.kind == "person"
            and len(e.name.split()) > 1
            and any(_same_word(surname, key, self.language) for surname in e.surnames)
        ]
        if not matches:
            # "Tan" for Tan Wei Ling (family names first in some names of three words), and
            # "Anton" for Anton Berez when nobody else carries that name.
            matches = [
                e
                for e in self.entities
                if e.kind == "person"
                and len(e.name.split()) in (2, 3)
                and e.name.split()[0].casefold() == key
            ]
            if len(matches) > 1:
                matches = []
        if not matches:
            # "Orbis" for "Orbis Launch Systems": an organisation's distinctive first word.
            matches = [
                e
                for e in self.entities
                if e.kind == "org"
                and len(e.name.split()) > 1
                and e.name.split()[0].casefold() == key
                and key not in BODY_SET
                and key.rstrip("s") not in ORG_WORDS
            ]
        if not matches:
            # "Hafengesellschaft" for "Bremer Hafengesellschaft": an organisation's last word,
            # when it is a distinctive one.
            matches = [
                e
                for e in self.entities
                if e.kind == "org"
                and len(e.name.split()) > 1
                and e.surname.casefold() == key
                and key not in BODY_SET
                and key.rstrip("s") not in ORG_WORDS
            ]
        return matches[-1] if matches else None

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if start <= m.start and m.end <= end]

    # --- the pass over the text ---------------------------------------------------------------

    def read(self, sentences: list[Sentence], quotes: list[Quote]) -> None:
        self.sentences = sentences
        self._quoted = sorted((q.open, q.close) for q in quotes if q.depth == 0)
        self._quoted_starts = [start for start, _ in self._quoted]
        self._lower_words = {w for w in TOKEN.findall(self.text) if w[:1].islower()}
        # Twice: the first pass meets every name, so that "their union said" in a lead can be
        # resolved to the union the report names further down.
        for _ in range(2):
            self.mentions = []
            for sentence in sentences:
                self.mentions.extend(self._sentence_mentions(sentence))

    def _quoted_at(self, offset: int) -> bool:
        index = bisect.bisect_left(self._quoted_starts, offset) - 1
        return index >= 0 and self._quoted[index][0] < offset < self._quoted[index][1]

    def _sentence_mentions(self, sentence: Sentence) -> list[Mention]:
        found = _Marked(self)
        self._collect(sentence, found)
        return list(found)

    def _collect(self, sentence: Sentence, found: list[Mention]) -> None:
        text = self.text
        tokens = [
            t
            for t in TOKEN.finditer(text, sentence.start, sentence.end)
            if not self.skip[0] <= t.start() < self.skip[1]
        ]
        index = 0
        while index < len(tokens):
            token = tokens[index]
            word = token.group()
            lower = word.lower()
            inverted = INVERTED.search(lower) if self.language == "fr" else None
            if inverted:
                pronoun = inverted.group(1) or inverted.group(2)
                entity = self._resolve_pronoun(pronoun, token.start(), sentence, found)
                found.append(Mention(token.start(), token.end(), entity, "pronoun"))
                index += 1
                continue
            if lower in ALL_PRONOUNS and self._pronoun_here(lower):
                entity = self._resolve_pronoun(lower, token.start(), sentence, found)
                found.append(Mention(token.start(), token.end(), entity, "pronoun"))
                index += 1
                continue
            if word[:1].isupper() and lower not in NOT_NAMES:
                run = self._run(tokens, index, sentence)
                if run:
                    mention, used = self._name_mention(tokens, index, run, sentence)
                    if mention:
                        found.append(mention)
                        index += used
                        continue
                    if lower not in DETERMINERS:
                        index += used
                        continue
            if lower in DETERMINERS or (self.language in ("ru", "uk") and _is_role(lower)):
                mention, used = self._description(tokens, index, found)
                if mention:
                    found.append(mention)
                    index += used
                    continue
            index += 1

    def _pronoun_here(self, word: str) -> bool:
        """Only the report's own language's pronouns ("il" is a pronoun in French, an article
        in Italian)."""
        return word in PRONOUNS.get(self.language, {})

    def _run(self, tokens, index, sentence) -> list:
        """Consecutive capitalised tokens from `index` (joined by single spaces or connectors)."""
        run = [tokens[index]]
        at = index + 1
        while at < len(tokens):
            gap = self.text[run[-1].end() : tokens[at].start()]
            word = tokens[at].group()
            honorific = len(run) == 1 and run[0].group().lower() in HONORIFICS
            if gap not in (" ", "\u00a0") and not (honorific and gap == ". "):
                break
            if word[:1].isupper() and word.lower() not in NOT_NAMES:
                run.append(tokens[at])
                at += 1
                continue
            if (
                word in PARTICLES
                and 1 <= len(run) <= 2
                and at + 1 < len(tokens)
                and tokens[at + 1].group()[:1].isupper()
                and self.text[tokens[at].end() : tokens[at + 1].start()] == " "
                and not self._org_like([t.group() for t in run])
                and run[0].group().lower() not in FUNCTION_WORDS | DETERMINERS
            ):
                # "Pieter van Wyk", "Maria das Dores Silva", "Osama bin Laden".
                run.extend([tokens[at], tokens[at + 1]])
                at += 2
                continue
            if (
                word in ("de", "du", "des", "del", "di", "della", "do", "da", "dos", "das", "d")
                and any(t.group().lower() in ORG_HEADS for t in run)
                and len(run) <= 2
            ):
                # "Centre de coordination du trafic aérien", "Mesa de Vigilancia Ambiental".
                stop = at
                while stop < len(tokens) and stop - at < 7:
                    following = tokens[stop].group()
                    between = self.text[tokens[stop - 1].end() : tokens[stop].start()]
                    if between not in (" ", "'", "’", " l'", " l’") and stop > at:
                        break
                    if following.lower() in NAME_STOP or self._is_verb(following):
                        break
                    stop += 1
                while stop > at and tokens[stop - 1].group().lower() in CONNECTORS | {"la", "le"}:
                    stop -= 1
                if stop > at + 1:
                    run.extend(tokens[at:stop])
                    at = stop
                break
            if (
                word in CONNECTORS
                and at + 1 < len(tokens)
                and tokens[at + 1].group()[:1].isupper()
                and self.text[tokens[at].end() : tokens[at + 1].start()] == " "
                and self._org_like([t.group() for t in run] + [tokens[at + 1].group()])
            ):
                run.extend([tokens[at], tokens[at + 1]])
                at += 2
                continue
            break
        return run

    def _is_verb(self, word: str) -> bool:
        if self._verbs is None:
            from .lexicon import DENY, SAY

            self._verbs = {
                w for table in (SAY, DENY) for entry in table.values() for w in words(entry)
            }
        return word.lower() in self._verbs

    @staticmethod
    def _org_like(words: list[str]) -> bool:
        return any(
            word.lower().rstrip("s") in ORG_WORDS or word.lower() in ORG_WORDS for word in words
        )


class _Marked(list):
    """Mentions of one sentence, each marked on arrival as inside a quotation or not."""

    def __init__(self, registry: Registry):
        super().__init__()
        self.registry = registry

    def append(self, mention: Mention) -> None:
        mention.in_quote = self.registry._quoted_at(mention.start)
        super().append(mention)


def _guess_kind(name: str) -> str:
    words = name.split()
    if Registry._org_like(words) or len(words) == 1 or _is_acronym(name):
        return "org"
    return "person"

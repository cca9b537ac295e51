"""What "the minister", "the alliance's chief", "the ministry" or "she" refer to: the latest
person holding that role, the latest organisation of that kind, the subject of the latest
sentence naming a suitable person. A part of speakers.Registry."""

from __future__ import annotations

import re

from .entities import (
    ALL_PRONOUNS,
    BODY_SET,
    COMPANY_NOUNS,
    DETERMINERS,
    TOKEN,
    Entity,
    Mention,
    _is_role,
    _stem,
)
from .lexicon import LEADER_ROLES
from .quotes import Sentence


class ReferencesMixin:
    def _description(self, tokens, index, found) -> tuple[Mention | None, int]:
        """ "the minister", "the alliance's chief", "the NATO chief", "la syndicaliste",
        "the ministry", "the company": the latest entity that fits, or None."""
        words = []
        at = index + (0 if self.language in ("ru", "uk") and _is_role(tokens[index].group()) else 1)
        while at < len(tokens) and len(words) < 4:
            gap = self.text[tokens[at - 1].end() : tokens[at].start()] if at > index else ""
            if at > index and gap not in (" ", "'", "’", "\u00a0"):
                break
            words.append(tokens[at].group())
            lower = tokens[at].group().lower()
            if _is_role(lower) or lower in BODY_SET:
                break
            at += 1
        if not words:
            return None, 1
        head = words[-1].lower()
        start = tokens[index].start()
        end = tokens[min(at, len(tokens) - 1)].end()
        modifiers = {_stem(w) for w in words[:-1]}
        if _is_role(head):
            entity = self._latest_holder(head, modifiers, start)
            return Mention(start, end, entity, "role"), len(words) + 1
        if head in BODY_SET and not any(w[:1].isupper() for w in words[:-1][:0]):
            entity = self._latest_body(head, modifiers, start, found)
            if entity is None and any(re.search(r"['’]s$", w) for w in words[:-1]):
                entity = self._body_of_person(words, head, start)
            return (Mention(start, end, entity, "body") if entity else None), len(words) + 1
        return None, 1

    def _latest_holder(self, role: str, modifiers: set[str], before: int) -> Entity | None:
        role_stem = _stem(role)
        candidates = []
        for mention in reversed(self.mentions):
            entity = mention.entity
            if entity is None or entity.kind != "person" or mention.start >= before:
                continue
            roles = {_stem(r) for r in entity.roles}
            fits = role_stem in roles or (
                role in LEADER_ROLES and roles & {_stem(r) for r in LEADER_ROLES}
            )
            if fits and entity not in candidates:
                candidates.append(entity)
        for entity in self.entities:  # known speakers never mentioned yet
            roles = {_stem(r) for r in entity.roles}
            if entity.first < 0 and role_stem in roles and entity not in candidates:
                candidates.append(entity)
        if not candidates:
            return None
        modifiers = {m for m in modifiers if m not in {_stem(d) for d in DETERMINERS}}
        for entity in candidates:
            if modifiers and modifiers <= entity.title_words | {
                _stem(w) for w in TOKEN.findall(entity.name.lower())
            }:
                return entity
        return candidates[0]

    def _latest_body(
        self, noun: str, modifiers: set[str], before: int, found: list[Mention] = ()
    ) -> Entity | None:
        stem = _stem(noun)
        earlier = [*self.mentions, *found]
        for mention in reversed(earlier):
            entity = mention.entity
            if entity is None or entity.kind != "org" or mention.start >= before:
                continue
            if stem in {_stem(w) for w in TOKEN.findall(entity.name.lower())}:
                return entity
        named_later = [
            e
            for e in self.entities
            if e.kind == "org"
            and e.first > before
            and stem in {_stem(w) for w in TOKEN.findall(e.name.lower())}
        ]
        if named_later:
            return min(named_later, key=lambda e: e.first)
        if noun in COMPANY_NOUNS:
            # "the German carmaker", "the company": the latest body named in this sentence or
            # the one before; a two-word name without title or pronoun was a body after all.
            sentence_starts = [s.start for s in self.sentences if s.start <= before]
            floor = sentence_starts[-2] if len(sentence_starts) > 1 else 0
            for mention in reversed(earlier):
                entity = mention.entity
                if entity is None or mention.start >= before or mention.start < floor:
                    continue
                if mention.how == "pronoun" or mention.in_quote:
                    continue
                if entity.kind == "org":
                    return entity
                if not entity.titles and entity.gender is None and entity.known is None:
                    entity.kind = "org"
                    return entity
        return None

    def _body_of_person(self, words, noun, at) -> Entity | None:
        """ "Saran's ministry": the body a named person's title stands for ("Karvian Defence
        Minister" → "Karvian Defence Ministry")."""
        owner = next((w for w in words if re.search(r"['’]s$", w)), "")
        person = self.by_surname(re.sub(r"['’]s$", "", owner)) or self.by_alias(owner)
        if person is None:
            return None
        for title in person.titles:
            body = (
                re.sub(r"\b(Minist)(?:er|re|ro|ra)\b", r"\1ry", title)
                if noun == "ministry"
                else None
            )
            if body and body != title and title[:1].isupper():
                return self.by_alias(body) or self._new(body, "org", at)
        return None

    def pronoun_entity(self, gender: str | None, at: int, sentence: Sentence) -> Entity | None:
        """Who an implicit subject ("Añadió que…", "according to him") refers to: the first
        suitable person of the sentences before, as for a pronoun."""
        found = [m for m in self.mentions if sentence.start <= m.start < at]
        person = self._resolve_pronoun(None, at, sentence, found, gender=gender or "m?")
        if person is not None or gender is not None:
            return person
        # "En un comunicado, aseguró que …" after "El Consorcio … rechazó ese argumento".
        previous = [s for s in self.sentences if s.end <= sentence.start][-1:]
        for earlier in previous:
            for mention in self.mentions_between(earlier.start, earlier.end):
                if not mention.in_quote and mention.entity is not None:
                    return mention.entity
        return None

    def _resolve_pronoun(
        self, word: str | None, at: int, sentence: Sentence, found: list[Mention], gender=None
    ) -> Entity | None:
        gender = gender or ALL_PRONOUNS[word]
        wanted = "org" if gender in ("o", "p") else "person"

        def fits(entity: Entity | None) -> bool:
            if entity is None or entity.kind != wanted:
                return False
            return wanted == "org" or gender == "m?" or entity.gender in (None, gender)

        # Earlier in the same sentence, outside quotes: "Varga said … and that she …".
        for mention in found:
            if mention.start < at and not mention.in_quote and fits(mention.entity):
                return self._learn_gender(mention.entity, gender)
        # Else the first suitable mention of each earlier sentence, latest sentence first.
        earlier = [s for s in self.sentences if s.end <= sentence.start][-4:]
        for previous in reversed(earlier):
            for mention in self.mentions_between(previous.start, previous.end):
                if not mention.in_quote and fits(mention.entity):
                    return self._learn_gender(mention.entity, gender)
        return None

    @staticmethod
    def _learn_gender(entity: Entity, gender: str | None) -> Entity:
        # Gender is learnt from explicit cues only (honorifics, feminine titles): learnt from a
        # resolved pronoun, one wrong resolution would turn away every later right one.
        return entity

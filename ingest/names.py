"""Reading a name where a report gives one: the title before it ("Karvian Defence Minister
Viktor Saran", "Ukraine's Ambassador to NATO Ihor Dolhov") or after it ("Ilse Varga,
Ostland's ambassador to the alliance,"), and whether it names a person or an organisation.
A part of speakers.Registry."""

from __future__ import annotations

import re

from .entities import (
    APPOSITION,
    BODY_SET,
    CONNECTORS,
    DETERMINERS,
    FEMININE_ROLES,
    HONORIFICS,
    NATIONALITY,
    ORG_WORDS,
    PATRONYMIC,
    PLACE_PREPOSITION,
    TITLE_BODIES,
    TOKEN,
    Entity,
    Mention,
    _clean_name,
    _is_acronym,
    _is_role,
)
from .lexicon import FUNCTION_WORDS
from .quotes import Sentence


class NamesMixin:
    def _name_mention(self, tokens, index, run, sentence) -> tuple[Mention | None, int]:
        text = self.text
        used = len(run)
        words = [t.group() for t in run]
        # A sentence's first word is capitalised anyway: drop it when it is a function word
        # ("Per" is Italian for "for", and a Scandinavian first name).
        while (
            words
            and words[0].lower() in FUNCTION_WORDS | DETERMINERS
            and not (words[0] == "Per" and self.language != "it" and len(words) > 1)
        ):
            run, words = run[1:], words[1:]
        if not words:
            return None, used
        start, end = run[0].start(), run[-1].end()
        honorific_gender = None
        if words[0].lower().rstrip(".") in HONORIFICS and len(words) > 1:
            honorific_gender = HONORIFICS[words[0].lower().rstrip(".")]
            run, words = run[1:], words[1:]
        surface = " ".join(words)
        after_run = tokens[index + used].group() if index + used < len(tokens) else ""
        if len(words) == 1 and words[0].lower() in BODY_SET | ORG_WORDS:
            return None, used
        if len(words) == 1 and self.by_alias(surface) is None and self.by_surname(surface) is None:
            follows_lower = after_run[:1].islower() and self.text[end : end + 1] == " "
            # "Finnish payments start-up", "the Karvian minister": an adjective, not a name.
            if follows_lower and NATIONALITY.search(words[0].lower()) and not _is_acronym(words[0]):
                return None, used
            # "Asked about…", "Opposition parties…": a common word that starts a sentence.
            at_start = not self.text[self._sentence_start(sentence) : start].strip(' "“«„-—–')
            if at_start and words[0].lower() in self._lower_words:
                return None, used
        after_next = [t.group().lower() for t in tokens[index + used : index + used + 2]]
        if re.search(r"['’]s$", words[-1]) and len(after_next) == 2 and after_next[1] in BODY_SET:
            after_run = after_next[1]
            used += 1  # "Eastmark's statistics office": an adjective before the body
        if re.search(r"['’]s$", words[-1]) and after_run.lower() in BODY_SET:
            # "Saran's ministry": the body the named person heads.
            owner = self.by_alias(re.sub(r"['’]s$", "", surface)) or self.by_surname(
                re.sub(r"['’]s$", "", words[-1])
            )
            if owner is not None and owner.kind == "person":
                body = self._body_of_person(words, after_run.lower(), start)
                if body is not None:
                    return Mention(start, tokens[index + used].end(), body, "body"), used + 1
            elif owner is not None:
                body = self._latest_body(after_run.lower(), set(), start) or owner
                return Mention(start, tokens[index + used].end(), body, "body"), used + 1
        if self.language in ("ru", "uk") and len(words) == 3 and not PATRONYMIC.search(words[1]):
            # "на улице Гагарина Анна Белова": a street's name, then the person's.
            words = words[1:]
            start = run[-2].start()
            surface = " ".join(words)
        # Known name or alias first (the caller's speakers, or someone already met).
        entity = self.by_alias(surface)
        if entity is None and self.language == "de" and re.search(r"s$", words[0]):
            entity = self.by_alias(" ".join([words[0][:-1], *words[1:]]))
        if entity is None and len(words) == 1:
            entity = self.by_surname(words[0])
        if entity is not None:
            if honorific_gender and entity.gender is None:
                entity.gender = honorific_gender
            self._learn_apposition(entity, end)
            return Mention(start, end, entity, "alias"), used
        # "Karvian Defence Minister Viktor Saran": the title runs up to the last role word.
        role_at = max((i for i, w in enumerate(words) if _is_role(w)), default=-1)
        before_words = text[max(0, start - 40) : start].split()[-2:]
        body_before = (
            len(before_words) == 2
            and before_words[1].lower() in BODY_SET
            and (
                before_words[0].lower() in DETERMINERS
                or before_words[1].lower() not in TITLE_BODIES
            )
        )
        if (self._org_like(words) or body_before) and role_at < 0:
            # "Gewerkschaft Verdi" is Verdi; "Ministry of Defence" stays whole.
            if len(words) == 2 and words[0].lower() in BODY_SET and words[1] not in CONNECTORS:
                words = words[1:]
                start = run[-len(words)].start()
            if len(words) > 2 and re.search(r"['’]s$", words[0]) and self._org_like(words[1:]):
                words = words[1:]
                start = run[-len(words)].start()
            name = _clean_name(" ".join(words))
            entity = self.by_alias(name) or self._new(name, "org", start)
            acronym = re.match(r"\s*\(([A-ZÀ-Ý]{2,})\)", text[end:])
            if acronym:
                entity.aliases.add(acronym.group(1).casefold())
            return Mention(start, end, entity, "name"), used
        name_words = words[role_at + 1 :]
        # An acronym or an organisation in front of a name is part of the title: NATO Ihor Dolhov.
        lead = 0
        while lead < len(name_words) - 2 and (
            _is_acronym(name_words[lead]) or re.search(r"['’]s$", name_words[lead])
        ):
            lead += 1
        title_words = words[: role_at + 1 + lead]
        name_words = name_words[lead:]
        if not name_words:
            return None, used  # a title on its own: "Defence Minister"
        name = _clean_name(" ".join(name_words))
        if len(name_words) == 1:
            entity = self.by_surname(name) or self.by_alias(name)
            if entity is None:
                kind = "org" if _is_acronym(name) or not title_words else "person"
                if kind == "person" and not title_words:
                    kind = "org"
                entity = self._new(name, kind, start)
        else:
            entity = self.by_alias(name)
            if entity is None:
                before = self.text[max(0, start - 16) : start]
                place_like = not title_words and PLACE_PREPOSITION.search(before)
                entity = self._new(name, "org" if place_like else "person", start)
        if honorific_gender and entity.gender is None:
            entity.gender = honorific_gender
        if title_words:
            title = self._title_before(run, title_words)
        else:
            title = self._title_with_comma(start) if entity.kind == "person" else None
        if title and title not in entity.titles:
            entity.titles.append(title)
        self._learn_apposition(entity, end)
        return Mention(start, end, entity, "name"), used

    def _sentence_start(self, sentence: Sentence) -> int:
        return (
            max(sentence.start, self.skip[1]) if self.skip[0] <= sentence.start else sentence.start
        )

    def _title_before(self, run, title_words) -> str:
        """The title written before a name, with what precedes it in the same phrase
        ("Ukraine's Ambassador to NATO" before "Ihor Dolhov")."""
        first = run[0].start()
        last = run[len(title_words) - 1].end()
        head = self.text[max(0, first - 60) : first]
        joined = re.search(r"((?:[A-Z][\w'’-]*\s+)+(?:to|of|for|at)\s+(?:the\s+)?)$", head)
        if joined:
            first -= len(joined.group(1))
        lowered = re.search(r"((?:[A-Z][\w'’-]*\s+)?[a-z][\w-]*\s+)$", head)
        if not joined and lowered and _is_role(lowered.group(1).split()[-1]):
            first -= len(lowered.group(1))
        return self.text[first:last].strip()

    TITLE_BEFORE = re.compile(
        r"(?:^|\s)((?:[Tt]he|[Ll]a|[Ll]e|[Ee]l|[Dd]ie|[Dd]er|[Ii]l|[Oo]|[Aa]|[Ss]u|[Ss]a|[Ss]on"
        r"|[Ss]ein|[Ss]eine|[Ii]hr|[Ii]hre|[Ss]uo|[Ss]ua|[Ss]eu|[Ll]'|[Ll]’)\s*"
        r"[^,.;:\"“”«»()–—-]{1,80}?),\s*$"
    )
    LOWER_ROLE_BEFORE = re.compile(r"((?:[^\W\d_][\w'’-]*\s+)?[^\W\d_][\w-]*)\s+$")

    def _title_with_comma(self, start: int) -> str | None:
        """ "The regional environment minister, Petra Lind" / "director Sofia Brandt"."""
        head = self.text[max(0, start - 90) : start]
        found = self.TITLE_BEFORE.search(head)
        if found and any(_is_role(w) for w in TOKEN.findall(found.group(1))):
            return re.sub(
                r"^(?:the|The|la|La|le|Le|el|El|die|Die|der|Der|il|Il)\s+",
                "",
                found.group(1).strip(),
            )
        found = self.LOWER_ROLE_BEFORE.search(head)
        if found and any(_is_role(word) for word in found.group(1).split()):
            words_found = found.group(1).split()
            if words_found[0].lower() in DETERMINERS | FUNCTION_WORDS:
                words_found = words_found[1:]
            if words_found and (_is_role(words_found[0]) or _is_role(words_found[-1])):
                return " ".join(words_found)
        return None

    def _learn_apposition(self, entity: Entity, end: int) -> None:
        """ "Name, the alliance's secretary-general," / "Name, Ostland's ambassador to X,"."""
        after = self.text[end : end + 160]
        found = re.match(APPOSITION, after)
        if not found:
            found = re.match(r",\s+([^,.;:\"“”«»()]{2,90}?)(?=,)", after)
        if not found:
            return
        phrase = found.group(1).strip()
        words = TOKEN.findall(phrase)
        if not words or len(words) > 14 or not any(_is_role(word) for word in words):
            return
        first_word = words[0].lower()
        if not (
            any(_is_role(word) for word in words[:3])
            or first_word in DETERMINERS
            or first_word
            in ("a", "an", "one", "un", "une", "uno", "una", "um", "uma", "ein", "eine")
            or _is_role(first_word)
            or words[0][:1].isupper()
        ):
            return
        if phrase[:1].isupper() and not re.match(r"[A-ZÀ-Ý][\w-]*['’]s\b", phrase):
            first = phrase.split()[0].lower()
            if first not in DETERMINERS and not _is_role(first):
                return
        phrase = re.sub(r"^(?:the|a|an|le|la|el|der|die|il|o)\s+", "", phrase)
        if phrase not in entity.titles:
            entity.titles.append(phrase)
        if (
            FEMININE_ROLES.search(words[-1].lower())
            and entity.gender is None
            and self.language == "en"
        ):
            entity.gender = "f" if words[-1].lower().endswith(("woman", "ess")) else None

    def _new(self, name: str, kind: str, at: int) -> Entity:
        entity = Entity(name=name, kind=kind, aliases={name.casefold()}, first=at)
        self.entities.append(entity)
        return entity

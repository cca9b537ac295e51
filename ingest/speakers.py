"""Who is who in a report: the people and organisations it names, the titles it gives them, and
what "Holt", "the minister", "the alliance's chief", "she" or "the company" refer to.

One pass over the text in order collects mentions: names (with a title before them, "Karvian
Defence Minister Viktor Saran", or after them, "Ilse Varga, Ostland's ambassador to the
alliance,"), surnames and aliases of people already named, role descriptions ("the minister")
resolved to the latest person holding that role, body nouns ("the ministry") resolved to the
latest organisation of that kind, and pronouns resolved to the subject of the latest sentence that
names a suitable person. Mentions inside quotations are not antecedents: the speaker's own words
name other people.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from .lexicon import BODIES, FUNCTION_WORDS, LEADER_ROLES, PRONOUNS, ROLES, WEEKDAYS, words
from .quotes import Quote, Sentence

TOKEN = re.compile(r"[^\W\d_](?:[\w-]|['’](?=\w))*(?:(?<=s)['’](?!\w))?")
# French inverted subjects: "a-t-elle déclaré", "estime-t-il".
INVERTED = re.compile(r"(?i)-t-(il|elle)$|-(il|elle)$")
CONNECTORS = {"of", "for", "de", "del", "du", "des", "der", "für", "di", "da", "do", "dos", "das"}
CONNECTORS |= {"van", "von", "y", "al"}
PARTICLES = {"van", "von", "der", "den", "de", "da", "das", "dos", "do", "del", "della", "di"}
PARTICLES |= {"du", "le", "la", "ter", "ten", "bin", "ibn", "al", "el"}
HONORIFICS = {
    "mr": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "dr": None,
    "prof": None,
    "sir": "m",
    "dame": "f",
    "mme": "f",
    "madame": "f",
    "monsieur": "m",
    "m": "m",
    "herr": "m",
    "frau": "f",
    "sr": "m",
    "sra": "f",
    "señor": "m",
    "señora": "f",
    "signor": "m",
    "signora": "f",
    "sig": "m",
    "dott": None,
    "dottoressa": "f",
    "lord": "m",
    "lady": "f",
}
ORG_WORDS = {
    word.lower()
    for word in words(
        r"""
    Network Rail Railways Airlines Airways Bank Group Corp Corporation Inc Ltd News Press Wire
    Institute Society Trust Foundation Fund Council Association Alliance Union Party Front
    Movement Coalition Committee Commission Agency Authority Service Services Police Court
    Tribunal Ministry Department Office Government Parliament Assembly Senate Congress
    Federation Organisation Organization Company Partners Holdings Energy Water Motors Systems
    Technologies Labs Club University College School Hospital Clinic Port Airport Bureau Board
    Cabinet Chamber Centre Center League Forum Institute Observatory Watch Campaign Initiative
    Red Cross Crescent Army Navy Guard Directorate Inspectorate Regulator Exchange Mining
    Pharma Logistics Shipping Transport Health Media Television Radio Studios Industries
    Ministerio Ministère Ministerium Ministero Ministério Gobierno Gouvernement Regierung
    Governo Sindicato Syndicat Gewerkschaft Sindacato Agencia Agence Agentur Agenzia Agência
    Asociación Association Verband Associazione Associação Consejo Conseil Rat Consiglio
    Conselho Tribunal Gericht Defensa Defesa Civil Protección Protezione Empresa Entreprise
    Unternehmen Azienda Compañía Compagnie Società Companhia Banco Banque Banca Partido Parti
    Partei Partito Ayuntamiento Mairie Stadtrat Comune Prefeitura Fundación Fondation Stiftung
    Fondazione Fundação Universidad Université Universität Università Universidade GmbH AG SA
    SpA Srl Ltda Министерство Правительство Компания Союз Агентство Міністерство Уряд Компанія
    Агенція Спілка Рада Дума Прокуратура Мэрия Администрация Управление Служба
    Департамент Управління Інспекція Поліція Полиция
    """
    )
}
MONTHS = set(
    words(
        r"""
    january february march april may june july august september october november december jan
    feb mar apr jun jul aug sep sept oct nov dec enero febrero marzo abril mayo junio julio
    agosto septiembre octubre noviembre diciembre janvier février mars avril mai juin juillet
    août septembre octobre novembre décembre januar februar märz april juni juli august
    oktober dezember gennaio febbraio aprile maggio giugno luglio settembre ottobre novembre
    dicembre janeiro fevereiro março maio junho julho setembro outubro dezembro
    """
    )
)
NOT_NAMES = MONTHS | {day for days in WEEKDAYS.values() for day in days.split()}
NOT_NAMES |= {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
NOT_NAMES |= {"i", "we", "you", "our", "my", "your", "mondays", "easter", "christmas"}
ROLE_SET = set(ROLES)
BODY_SET = set(BODIES)
FEMININE_ROLES = re.compile(
    r"(?:woman|wife|ess|rice|euse|esa|essa|ora|eira|in|ка|иня|иня)$|^(?:la|die|a|она|вона)$"
)
DETERMINERS = set(
    words(
        r"""
    the le la l' l’ les el los las der die das den dem des il lo gli o a os as its their his
    her
    """
    )
)
APPOSITION = re.compile(
    r",\s+((?:the |a |an |[A-ZÀ-Ý][\w'’-]*['’]s )?[^,.;:\"“”«»()]{2,110}?)"
    r"(?=,|\s+(?:said|says|told|added))"
)
PLACE_PREPOSITION = re.compile(
    r"(?:^|\s)(?:de|del|du|des|della|di|da|do|dos|das|der|für|of|para|pour|per|por|for|in|en"
    r"|à|a|au|nel|na|no|im|in|at|near|from|to|into)(?:\s+(?:la|le|les|the|el|los|las|il|lo|o|a|os|as|l'|l’))?\s*$"
)
# Bodies that stand in personal titles ("member of parliament Simon Attard").
TITLE_BODIES = set(
    words(
        r"""
    parliament congress senate council assembly board cabinet committee court police army
    government ministry department office party bank university
    """
    )
)
PATRONYMIC = re.compile(r"(?:ович|евич|ич|овна|евна|ична|йович|івна|ївна)$")
ORG_HEADS = set(
    words(
        r"""
    centre centro center société sociedad sociedade società union unión unione união
    consorcio consorzio consortium mesa comité comitato comisión commission commissione
    confédération confederación federación fédération federazione federação instituto
    institut istituto institute observatoire observatorio osservatorio agence agencia agenzia
    agência office oficina ufficio conseil consejo consiglio conselho syndicat sindicato
    sindacato direction dirección direzione direção ministère ministerio ministero ministério
    secretaría secretaria fondation fundación fondazione fundação association asociación
    associazione associação coordination coordinadora autorité autoridad autorità autoridade
    tribunal cour corte defensoría procuraduría fiscalía
    """
    )
)
NAME_STOP = set(
    words(
        r"""
    a à au aux ha han hanno è est es é et e y o ou qui que che cui dont il elle ils on a-t-il
    a-t-elle ont sont son sa ses su sus suo sua seu sua dans en nel na no sur sobre su per pour
    para por avec con com dit dice disse selon según secondo segundo
    """
    )
)
COMPANY_NOUNS = set(
    words(
        r"""
    report study survey statement letter ruling judgment judgement filing analysis audit
    review rapport informe relatório rapporto bericht studie estudio étude studio estudo
    доклад отчёт отчет звіт
    company firm group carmaker automaker lender insurer retailer producer manufacturer
    start-up startup utility broadcaster developer miner operator airline carrier chain
    platform business bank empresa entreprise société unternehmen firma konzern azienda
    società empresa companhia компания компанія
    """
    )
)
NATIONALITY = re.compile(r"(?:ian|ish|ese|ean|ic|ch|an|er|i)$")
ALL_PRONOUNS = {word: gender for table in PRONOUNS.values() for word, gender in table.items()}


@dataclass
class Entity:
    name: str
    kind: str  # "person" or "org"
    titles: list[str] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)
    gender: str | None = None
    known: object = None  # the key of a known speaker the caller passed in, if any
    first: int = 0

    @property
    def surname(self) -> str:
        return self.name.split()[-1]

    @property
    def roles(self) -> set[str]:
        found = set()
        for title in self.titles:
            for word in TOKEN.findall(title.lower()):
                if word in ROLE_SET or _role_stem(word):
                    found.add(word)
        return found

    @property
    def title_words(self) -> set[str]:
        words = set()
        for title in self.titles:
            words |= {_stem(word) for word in TOKEN.findall(title.lower())}
        return words

    @property
    def job_title(self) -> str | None:
        return self.titles[0] if self.titles else None


@dataclass
class Mention:
    start: int
    end: int
    entity: Entity | None
    how: str  # "name", "surname", "alias", "role", "body", "pronoun", "unnamed"
    in_quote: bool = False


def _same_word(a: str, b: str, language: str) -> bool:
    """Equal, or for Russian and Ukrainian the same stem (Белова, Беловой, Беловою)."""
    if a == b:
        return True
    if language in ("ru", "uk") and min(len(a), len(b)) >= 5:
        return a[: len(a) - 2] == b[: len(a) - 2] and abs(len(a) - len(b)) <= 2
    return False


def _stem(word: str) -> str:
    word = word.lower().replace("’", "'")
    word = re.sub(r"'s$", "", word)
    return word[:6]


def _role_stem(word: str) -> bool:
    stem = word.lower()[:6]
    return len(stem) >= 5 and any(role.startswith(stem) for role in ROLE_SET if len(role) >= 5)


@functools.lru_cache(maxsize=65536)
def _is_role(word: str) -> bool:
    word = word.lower()
    return word in ROLE_SET or (
        len(word) >= 6 and any(word.startswith(r) or word.endswith(r) for r in ROLES if len(r) >= 6)
    )


def _is_acronym(token: str) -> bool:
    letters = [char for char in token if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


def _clean_name(name: str) -> str:
    name = re.sub(r"['’]s$", "", name.strip())
    return re.sub(r"^(?:the|The)\s+", "", name)


class Registry:
    """Entities and their mentions, filled in text order by `read`."""

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
            and _same_word(e.surname.casefold(), key, self.language)
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

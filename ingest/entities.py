"""The people and organisations a report names (Entity), each place it names one (Mention),
and the word lists and tests that tell a name, a title, a role or a body apart."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .lexicon import BODIES, PRONOUNS, ROLES, WEEKDAYS, words

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
    def surnames(self) -> set[str]:
        """The last word of its name and of each alias of several words, case folded."""
        return {self.surname.casefold()} | {a.split()[-1] for a in self.aliases if " " in a}

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

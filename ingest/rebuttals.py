"""Which statements of a report answer which: a denial, a correction, a challenge or added
context, found from the words they share and the way the answer is framed (a verb of denial,
a verdict such as "nonsense", a negation, a different figure)."""

from __future__ import annotations

import re

from .lexicon import words

NEGATION = re.compile(
    r"(?i)(?:\b(?:not|no|never|nobody|nothing|none|neither|nor|false|untrue|nonsense|fiction"
    r"|lie|lies|baseless|groundless|unfounded|denied|denies|deny|rejected|rejects|dismissed"
    r"|nunca|nadie|nada|ningún|ninguna|falso|falsa|mentira|pas|jamais|aucun|aucune|rien|faux"
    r"|fausse|nicht|kein|keine|keinen|niemals|nie|falsch|non|mai|nessuno|nessuna|niente"
    r"|falso|não|nenhum|nenhuma|nada|не|нет|никогда|ложь|неправда|ні|немає|ніколи|неправда)\b"
    r"|n't)"
)
DISPUTE = re.compile(
    r"(?i)\b(?:exaggerat\w*|misleading|mislead\w*|wrong|flawed|selective|question\w*|challeng\w*"
    r"|disput\w*|doubt\w*|overstat\w*|inflat\w*|cherry-pick\w*|incomplete|inaccurate"
    r"|exagér\w*|trompeur\w*|contest\w*|exager\w*|engaños\w*|übertrieben|irreführend"
    r"|fuorviant\w*|esagerat\w*|enganos\w*|преувелич\w*|перебільш\w*|оспар\w*)\b"
)
CORRECTS = re.compile(
    r"(?i)\b(?:actually|in fact|rather than|not \d|only \d|en réalité|en realidad|tatsächlich"
    r"|in realtà|na verdade|на самом деле|насправді)\b"
)
CONTEXT = re.compile(
    r"(?i)\b(?:but|however|although|though|while|yet|pero|mais|aber|ma|mas|но|але)\b"
)
NUMBER = re.compile(r"\d[\d,.]*")
STOP = set(
    words(
        r"""
    the a an and or but of to in on for with at by from that this these those it its is are
    was were be been has have had will would could should can may might not no we our they
    their he she his her i you said says told de la le les des et en un une que qui el los las
    y por para con der die das und ist nicht il lo che di e per non o os as um uma que não и в
    на не что по с это і в на не що з це
    """
    )
)
WINDOW = 40
WORD = re.compile(r"[^\W\d_][\w'’-]+")


def _words(text: str) -> set[str]:
    return {w.lower()[:6] for w in WORD.findall(text) if w.lower() not in STOP and len(w) > 2}


def _same_side(a, b) -> bool:
    """A speaker does not rebut its own organisation or its own officials ("the company's
    chief executive", "NATO Secretary General")."""
    if a is b:
        return True
    for org, person in ((a, b), (b, a)):
        if org.kind != "org" or person.kind != "person":
            continue
        title_words = {
            w.lower().removesuffix("'s").removesuffix("’s")
            for t in person.titles
            for w in WORD.findall(t)
        }
        name_words = [w.lower() for w in WORD.findall(org.name)]
        if name_words and (set(name_words) <= title_words or name_words[-1] in title_words):
            return True
    return False


ANAPHORA = re.compile(
    r"(?i)\b(?:that|this|the|these|those|his|her|its|their)\s+(?:figure|figures|claim|claims"
    r"|account|accusation|accusations|allegation|allegations|report|argument|estimate|number"
    r"|numbers|findings|statement|charge|charges|criticism|version|idea|suggestion)\b"
    r"|\b(?:ce|cette|ces|esa|ese|esas|esos|diese|dieser|diesen|questa|questo|queste|esse|essa"
    r"|esses|essas|эт\w+|ці|цей|ця|це)\s+\w+"
)


def _answer_cues(text: str, item) -> tuple[bool, bool, bool, bool]:
    """(negated, disputed, corrected, contrasted) for an answering statement's words."""
    negated = bool(NEGATION.search(text)) or item.cue == "deny"
    disputed = bool(DISPUTE.search(text))
    corrected = bool(CORRECTS.search(text))
    contrasted = bool(CONTEXT.search(text)) or bool(NUMBER.search(text))
    return negated, disputed, corrected, contrasted


def find_rebuttals(text: str, found: list, language: str) -> list[tuple[int, int, str, float]]:
    """(answering index, answered index, relation, confidence) over the `found` statements.

    An answer is a statement by another side that denies, disputes, corrects or qualifies one
    near it: the candidate it shares the rarest words with, or, for a verdict ("nonsense") or
    a pointer ("that figure", "the accusation"), the latest one by another side. An outer
    quote answers another side's words that it quotes.
    """
    result = []
    words = [_words(text[f.start : f.end]) for f in found]
    # Words every statement shares (the story's subject) say little about who answers whom.
    frequency: dict[str, int] = {}
    for group in words:
        for word in group:
            frequency[word] = frequency.get(word, 0) + 1
    for a, answer in enumerate(found):
        answer_text = text[answer.start : answer.end]
        sentence_text = text[answer.sentence.start : answer.sentence.end]
        negated, disputed, corrected, contrasted = _answer_cues(answer_text, answer)
        inner = _inner_of(found, a)
        if inner is not None:
            relation = "refutes" if negated or "opposite" in answer_text.lower() else "disputes"
            result.append((a, inner, relation, 0.5))
            continue
        if answer.cue == "verdict":
            target = _verdict_target(found, a)
            if target is not None:
                relation = "disputes" if DISPUTE.search(answer_text) else "refutes"
                result.append((a, target, relation, 0.6))
            continue
        pointer = bool(ANAPHORA.search(answer_text) or ANAPHORA.search(sentence_text))
        if not (negated or disputed or corrected or contrasted or pointer):
            continue
        best, best_score = None, 0.0
        # An answer sits near what it answers: a report holds a few dozen statements.
        for b in range(max(0, a - WINDOW), min(len(found), a + WINDOW)):
            other = found[b]
            if b == a or other.entity is None or _same_side(answer.entity, other.entity):
                continue
            if b > a and not (negated or disputed or corrected):
                continue  # added context follows what it qualifies
            if other.start <= answer.start < other.end or answer.start <= other.start < answer.end:
                continue  # an inner quote of its own outer statement
            shared = words[a] & words[b]
            score = sum(1.0 / frequency[w] for w in shared) / max(
                1, min(len(words[a]), len(words[b])) ** 0.5
            )
            if b < a:
                score += 0.05 * max(0, 6 - (a - b)) / 6  # the nearer before, the likelier
            if other.entity.name.lower() in sentence_text.lower().replace("'s", ""):
                score += 0.2  # "Saran's claim", "the minister's figures"
            if score > best_score:
                best, best_score = b, score
        threshold = 0.2 if (negated or disputed or corrected) else 0.45
        denied_charge = False
        if best is None or (best_score < threshold and not pointer):
            if pointer and (negated or disputed or corrected):
                best = _latest_other(found, a)
                best_score = 0.3
            elif answer.cue == "deny":
                # "Russia denies being the driving force behind the rebellion": a denial in
                # words of its own answers the latest charge another side made against it.
                best = _charge_against(text, found, a)
                best_score, denied_charge = 0.3, best is not None
            if best is None or best_score < threshold:
                continue
        other_text = text[found[best].start : found[best].end]
        numbers_a = set(NUMBER.findall(answer_text))
        numbers_b = set(NUMBER.findall(other_text))
        different_figures = numbers_a and numbers_b and not numbers_a & numbers_b
        if corrected or (different_figures and negated):
            relation = "corrects"
        elif denied_charge:
            relation = "disputes"  # it denies its own wording of the charge, not the charge's
        elif disputed and answer.cue != "deny":
            relation = "disputes"
        elif negated:
            relation = "refutes"
        elif different_figures:
            relation = "disputes"
        else:
            relation = "contextualizes"
        result.append((a, best, relation, round(min(0.9, 0.3 + best_score / 2), 2)))
    # Two statements found answering each other: the later one replies to the earlier.
    pairs = {(a, b) for a, b, _, _ in result}
    return [item for item in result if not ((item[1], item[0]) in pairs and item[0] < item[1])]


def _inner_of(found: list, index: int) -> int | None:
    """The statement of another side quoted inside this one (an outer quote answers it)."""
    outer = found[index]
    if outer.kind != "direct":
        return None
    for b, other in enumerate(found):
        if (
            b != index
            and outer.start <= other.start
            and other.end <= outer.end
            and other.entity is not None
            and not _same_side(other.entity, outer.entity)
        ):
            return b
    return None


APPEAL = re.compile(
    r"(?i)^\W*(?:we|i)\s+(?:call\s+on|urge|appeal\s+to|ask|demand)\b"
    r"|^\W*(?:nous\s+appelons|exhortamos|pedimos|wir\s+fordern|chiediamo|apelamos|призыва\w*"
    r"|закликаєм\w*)"
)


def _names(entity) -> list[str]:
    """How a statement may name `entity`: its name, surname and aliases (lowercased)."""
    names = {entity.name, *entity.aliases}
    if entity.kind == "person":
        names.add(entity.surname)
    return [name.lower() for name in names if len(name) > 2]


def _charge_against(text: str, found: list, index: int) -> int | None:
    """The latest statement before `index`, by another side, that names the denier as what
    it asserts something about; appeals ("We call on Russia to stop…") assert nothing to deny.
    """
    denier = found[index].entity
    names = _names(denier)
    for b in range(index - 1, -1, -1):
        other = found[b]
        if other.entity is None or _same_side(other.entity, denier):
            continue
        words = text[other.start : other.end]
        if APPEAL.search(words):
            continue
        lowered = words.lower()
        if any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", lowered) for name in names):
            return b
    return None


def _latest_other(found: list, index: int) -> int | None:
    for b in range(index - 1, -1, -1):
        if found[b].entity is not None and not _same_side(found[b].entity, found[index].entity):
            return b
    return None


def _verdict_target(found: list, index: int) -> int | None:
    """A verdict ("dismissed as "nonsense" …") answers the other speaker's statement in its
    sentence, else the latest one before it."""
    verdict = found[index]
    for b, other in enumerate(found):
        if (
            b != index
            and other.sentence == verdict.sentence
            and not _same_side(other.entity, verdict.entity)
        ):
            return b
    for b in range(index - 1, -1, -1):
        if found[b].entity is not None and not _same_side(found[b].entity, verdict.entity):
            return b
    return None

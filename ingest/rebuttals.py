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
    """A speaker does not rebut its own organisation or its own officials."""
    if a is b:
        return True
    a_words = {w.lower() for w in WORD.findall(" ".join([a.name, *a.titles]))}
    b_words = {w.lower() for w in WORD.findall(" ".join([b.name, *b.titles]))}
    return bool(
        (a.kind == "org" and a.name.lower() in b_words)
        or (b.kind == "org" and b.name.lower() in a_words)
    )


def find_rebuttals(text: str, found: list, language: str) -> list[tuple[int, int, str, float]]:
    """(answering index, answered index, relation, confidence) over the `found` statements."""
    result = []
    words = [_words(text[f.start : f.end]) for f in found]
    # Words every statement shares (the story's subject) say little about who answers whom.
    frequency: dict[str, int] = {}
    for group in words:
        for word in group:
            frequency[word] = frequency.get(word, 0) + 1
    for a, answer in enumerate(found):
        answer_text = text[answer.start : answer.end]
        negated = bool(NEGATION.search(answer_text)) or answer.cue == "deny"
        disputed = bool(DISPUTE.search(answer_text))
        if answer.cue == "verdict":
            target = _verdict_target(found, a)
            if target is not None:
                result.append((a, target, "refutes", 0.6))
            continue
        if not (negated or disputed or CORRECTS.search(answer_text)):
            continue
        best, best_score = None, 0.0
        # An answer sits near what it answers: a report holds a few dozen statements.
        for b in range(max(0, a - WINDOW), min(len(found), a + WINDOW)):
            other = found[b]
            if b == a or other.entity is None or _same_side(answer.entity, other.entity):
                continue
            if other.start <= answer.start < other.end or answer.start <= other.start < answer.end:
                continue  # an inner quote of its own outer statement
            shared = words[a] & words[b]
            if len(shared) < 2:
                continue
            score = sum(1.0 / frequency[w] for w in shared) / max(
                1, min(len(words[a]), len(words[b])) ** 0.5
            )
            if score > best_score:
                best, best_score = b, score
        if best is None or best_score < 0.35:
            continue
        other_text = text[found[best].start : found[best].end]
        numbers_a = set(NUMBER.findall(answer_text))
        numbers_b = set(NUMBER.findall(other_text))
        if CORRECTS.search(answer_text) or (
            numbers_a and numbers_b and numbers_a != numbers_b and negated
        ):
            relation = "corrects"
        elif disputed and answer.cue != "deny":
            relation = "disputes"
        elif negated:
            relation = "refutes"
        else:
            relation = "contextualizes"
        result.append((a, best, relation, min(0.9, 0.3 + best_score / 2)))
    return result


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

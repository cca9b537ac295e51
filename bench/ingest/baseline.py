"""The floor: every quoted span, attributed to the nearest capitalised name before it.

No reported speech, no pronouns or titles, no idea of whose a quote is. A quote holding a negation
is proposed as refuting the closest earlier quote given to someone else. Anything that ingests
articles must beat these figures by a wide margin.
"""

import re

# One pattern per quotation style; the inner [^…] keeps a span inside one pair of marks.
QUOTED = [
    re.compile(r'"([^"\n]+)"'),
    re.compile(r"“([^”“\n]+)”"),
    re.compile(r"«([^»«\n]+)»"),
    re.compile(r"„([^“”„\n]+)[“”]"),
]
WORD = re.compile(r"\w[\w'’.-]*")
SPACES = " \u00a0\u202f\t"
NEGATION = re.compile(
    r"(?i)(?:\b(?:not|no|never|nobody|nothing|nunca|nadie|pas|jamais|nicht|kein\w*|nie|niemand"
    r"|não|nenhum|non|mai|nessuno|не|нет|никто|никогда|немає|ніхто|ніколи)\b|n't)"
)


def _names(text: str) -> list[tuple[int, str]]:
    """(end offset, name) of every run of two or more capitalised words."""
    names, run = [], []
    for match in WORD.finditer(text):
        word = match.group().rstrip(".")
        joined = run and text[run[-1].end() : match.start()] == " "
        if word[:1].isupper() and (not run or joined):
            run.append(match)
            continue
        if len(run) >= 2:
            names.append((run[-1].end(), " ".join(m.group().rstrip(".") for m in run)))
        run = [match] if word[:1].isupper() else []
    if len(run) >= 2:
        names.append((run[-1].end(), " ".join(m.group().rstrip(".") for m in run)))
    return names


def extract(text: str, language: str) -> dict:
    names = _names(text)
    found = []
    for pattern in QUOTED:
        for match in pattern.finditer(text):
            start, end = match.span(1)
            while start < end and text[start] in SPACES:
                start += 1
            while end > start and text[end - 1] in SPACES + ",":
                end -= 1
            if start == end:
                continue
            before = [name for stop, name in names if stop <= match.start()]
            found.append(
                {
                    "speaker": re.sub(r"['’]s$", "", before[-1]) if before else None,
                    "quote": text[start:end],
                    "start": start,
                    "end": end,
                    "kind": "direct",
                }
            )
    found.sort(key=lambda item: item["start"])
    rebuttals = []
    for index, item in enumerate(found):
        if not NEGATION.search(item["quote"]):
            continue
        for earlier in range(index - 1, -1, -1):
            other = found[earlier]["speaker"]
            if other and other != item["speaker"]:
                rebuttals.append({"statement": index, "answers": earlier, "relation": "refutes"})
                break
    return {"statements": found, "rebuttals": rebuttals}

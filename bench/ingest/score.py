"""Score an article-ingestion extractor against the labelled reports in bench/ingest/articles/.

    python bench/ingest/score.py                       # the baseline, bench/ingest/baseline.py
    python bench/ingest/score.py --extractor pkg.module:extract
    python bench/ingest/score.py --predictions predictions.json
    python bench/ingest/score.py --gold                # the labels scored against themselves
    python bench/ingest/score.py --check               # validate the labelled set only
    python bench/ingest/score.py --stats               # count what it holds

An extractor is a function ``extract(text, language)`` (it is also given ``published_on``, ``title``
and ``outlet`` when its signature accepts them) returning either a list of statements
``{"speaker", "quote", "start", "end", "kind"}`` or a dict ``{"statements": [...], "rebuttals":
[{"statement", "answers", "relation"}]}`` whose rebuttals name statements by their ``"id"`` or, when
they have none, by their index in the list. A predictions file maps article ids to that same dict.
``start``/``end`` may be left out: the quote is then looked up in the text.

Matching (README.md has the reasoning): a prediction matches a gold statement when their spans
overlap by at least half of the gold span, or when their quotes are equal once normalised; speakers
match when their names are equal once normalised. Each gold statement and each prediction is used
once, tightest pair first.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import inspect
import json
import os
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles"
REPO_ROOT = HERE.parent.parent

LANGUAGES = {"en", "es", "fr", "de", "it", "pt", "ru", "uk", "pl"}
KINDS = ("direct", "reported")
RELATIONS = ("refutes", "disputes", "corrects", "contextualizes")
# Opening mark -> closing marks it may pair with. „ closes with “ in German and with ” in Polish.
OPENING = {
    '"': '"',
    "“": "”",
    "«": "»",
    "„": "“”",
    "‚": "‘’",
    "‘": "’",
    "'": "'",
    "‹": "›",
}
CLOSING = set("".join(OPENING.values()))
SPACES = " \u00a0\u202f\u2009\t\n"
MIN_WORDS, MAX_WORDS = 150, 450


# --- the labelled set -------------------------------------------------------------------------


@dataclass
class Span:
    start: int | None
    end: int | None
    quote: str
    speaker: str | None
    kind: str | None
    ident: str
    stated_on: str | None = None


@dataclass
class Article:
    data: dict
    statements: list[Span] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def language(self) -> str:
        return self.data["language"]

    @property
    def text(self) -> str:
        return self.data["text"]


def _enclosed(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] sits between an opening mark and a closing mark it pairs with."""
    before = start
    while before > 0 and text[before - 1] in SPACES:
        before -= 1
    after = end
    while after < len(text) and text[after] in SPACES:
        after += 1
    # English puts the attribution's comma inside the marks: "...," she said.
    if text[after : after + 1] == "," and text[after + 1 : after + 2] in CLOSING:
        after += 1
    if before == 0 or after >= len(text):
        return False
    return text[before - 1] in OPENING and text[after] in OPENING[text[before - 1]]


def _is_date(value) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def validate(article: dict, filename: str) -> list[str]:
    """Every rule the labelled set keeps; an empty list when the article keeps them all."""
    errors: list[str] = []

    def err(message):
        errors.append(f"{filename}: {message}")

    required = [
        *("id", "title", "outlet", "published_on", "language", "url", "dateline", "text"),
        *("speakers", "statements", "rebuttals", "not_statements"),
    ]
    missing = [key for key in required if key not in article]
    if missing:
        err(f"missing keys {missing}")
        return errors
    text = article["text"]
    if f"{article['id']}.json" != filename:
        err(f"id {article['id']!r} does not match the file name")
    if article["language"] not in LANGUAGES:
        err(f"language {article['language']!r} is not one of {sorted(LANGUAGES)}")
    if not _is_date(article["published_on"]):
        err("published_on is not a YYYY-MM-DD date")
    if not article["url"].startswith("https://") or ".example." not in article["url"]:
        err("url must be an invented https://….example.… address")
    if not text.startswith(article["dateline"]):
        err("text does not start with the dateline")
    words = len(text.split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        err(f"{words} words, outside {MIN_WORDS}-{MAX_WORDS}")

    names = [speaker["name"] for speaker in article["speakers"]]
    if len(set(names)) != len(names):
        err("speaker names repeat")
    lowered = text.casefold()
    for speaker in article["speakers"]:
        if set(speaker) != {"name", "job_title", "aliases_in_text"}:
            err(f"speaker {speaker.get('name')!r} has keys {sorted(speaker)}")
            continue
        for alias in speaker["aliases_in_text"]:
            if alias.casefold() not in lowered:
                err(f"alias {alias!r} of {speaker['name']!r} does not occur in the text")

    ids, spans = set(), set()
    used_speakers = set()
    for st in article["statements"]:
        label = st.get("id", "?")
        if set(st) != {"id", "speaker", "kind", "quote", "start", "end", "stated_on"}:
            err(f"{label}: keys {sorted(st)}")
            continue
        if not re.fullmatch(r"s\d+", label) or label in ids:
            err(f"{label}: ids are s1, s2, … and unique")
        ids.add(label)
        if st["speaker"] not in names:
            err(f"{label}: speaker {st['speaker']!r} is not in speakers")
        used_speakers.add(st["speaker"])
        if st["kind"] not in KINDS:
            err(f"{label}: kind {st['kind']!r}")
        start, end = st["start"], st["end"]
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            err(f"{label}: bad offsets {start}, {end}")
            continue
        if text[start:end] != st["quote"]:
            err(f"{label}: text[{start}:{end}] is {text[start:end]!r}, not the quote")
        if st["quote"] != st["quote"].strip(SPACES) or st["quote"].endswith(","):
            err(f"{label}: quote starts or ends with a space or ends with a comma")
        if (start, end) in spans:
            err(f"{label}: another statement has the same span")
        spans.add((start, end))
        if st["kind"] == "direct" and not _enclosed(text, start, end):
            err(f"{label}: a direct quote must be the whole text between quotation marks")
        if st["kind"] == "reported" and _enclosed(text, start, end):
            err(f"{label}: a reported clause between quotation marks is a direct quote")
        if st["stated_on"] is not None and not _is_date(st["stated_on"]):
            err(f"{label}: stated_on is not a date or null")
    for name in set(names) - used_speakers:
        err(f"speaker {name!r} has no statement")

    pairs = set()
    for rebuttal in article["rebuttals"]:
        if set(rebuttal) != {"statement", "answers", "relation"}:
            err(f"rebuttal keys {sorted(rebuttal)}")
            continue
        if rebuttal["statement"] not in ids or rebuttal["answers"] not in ids:
            err(f"rebuttal {rebuttal} names a statement that does not exist")
        if rebuttal["statement"] == rebuttal["answers"]:
            err(f"rebuttal {rebuttal} answers itself")
        if rebuttal["relation"] not in RELATIONS:
            err(f"rebuttal {rebuttal} relation is not one of {RELATIONS}")
        pair = (rebuttal["statement"], rebuttal["answers"])
        if pair in pairs:
            err(f"rebuttal {pair} repeats")
        pairs.add(pair)

    # Every span between double quotation marks is labelled one way or the other.
    direct = {(st["start"], st["end"]) for st in article["statements"] if st["kind"] == "direct"}
    reported = [
        (st["start"], st["end"]) for st in article["statements"] if st["kind"] == "reported"
    ]
    for start, end in _double_quoted(text):
        if (start, end) in direct or text[start:end] in article["not_statements"]:
            continue
        if not any(s <= start and end <= e for s, e in reported):
            err(f"quoted {text[start:end]!r} is neither a statement nor a not-statement")

    for quote in article["not_statements"]:
        found = _occurrences(text, quote)
        if not found:
            err(f"not-statement {quote!r} does not occur in the text")
        elif not any(_enclosed(text, s, e) for s, e in found):
            err(f"not-statement {quote!r} is not the whole text between quotation marks")
        elif all((s, e) in spans for s, e in found):
            err(f"not-statement {quote!r} is also a statement")
    return errors


DOUBLE_QUOTED = [
    re.compile(r'"([^"\n]+)"'),
    re.compile(r"“([^”“\n]+)”"),
    re.compile(r"«([^»«\n]+)»"),
    re.compile(r"„([^“”„\n]+)[“”]"),
]


def _double_quoted(text: str) -> list[tuple[int, int]]:
    """Spans between double quotation marks, trimmed as direct quotes are."""
    spans = []
    for pattern in DOUBLE_QUOTED:
        for match in pattern.finditer(text):
            start, end = match.span(1)
            while start < end and text[start] in SPACES:
                start += 1
            while end > start and text[end - 1] in SPACES:
                end -= 1
            if text[end - 1] == ",":
                end -= 1
            spans.append((start, end))
    return spans


def _occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    found, at = [], text.find(quote)
    while quote and at >= 0:
        found.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return found


def load_articles(directory: Path = ARTICLES) -> tuple[list[Article], list[str]]:
    articles, errors = [], []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        problems = validate(data, path.name)
        errors.extend(problems)
        if problems:
            continue
        article = Article(data)
        article.statements = [
            Span(s["start"], s["end"], s["quote"], s["speaker"], s["kind"], s["id"], s["stated_on"])
            for s in data["statements"]
        ]
        articles.append(article)
    return articles, errors


# --- predictions ------------------------------------------------------------------------------


def _as_prediction(raw, text: str, taken: set[tuple[int, int]]) -> tuple[list[Span], list[dict]]:
    """Normalise an extractor's answer into spans (ids kept for rebuttals) and rebuttals."""
    if isinstance(raw, list):
        raw = {"statements": raw, "rebuttals": []}
    spans = []
    for index, item in enumerate(raw.get("statements", [])):
        quote = item.get("quote") or ""
        start, end = item.get("start"), item.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            start = end = None
            # First occurrence not already claimed by another prediction.
            for s, e in _occurrences(text, quote):
                if (s, e) not in taken:
                    start, end = s, e
                    break
        if start is not None:
            taken.add((start, end))
        if not quote and start is not None:
            quote = text[start:end]
        ident = str(item.get("id", index))
        spans.append(
            Span(
                start,
                end,
                quote,
                item.get("speaker"),
                item.get("kind"),
                ident,
                item.get("stated_on"),
            )
        )
    rebuttals = [
        {
            "statement": str(r.get("statement")),
            "answers": str(r.get("answers")),
            "relation": r.get("relation"),
        }
        for r in raw.get("rebuttals", [])
    ]
    return spans, rebuttals


def _call(extract, article: Article):
    accepted = inspect.signature(extract).parameters
    keywords = {}
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in accepted.values())
    for key in ("published_on", "title", "outlet"):
        if takes_any or key in accepted:
            keywords[key] = article.data[key]
    return extract(article.text, article.language, **keywords)


def gold_as_prediction(article: Article) -> dict:
    return {
        "statements": [dict(st) for st in article.data["statements"]],
        "rebuttals": [dict(r) for r in article.data["rebuttals"]],
    }


# --- matching ---------------------------------------------------------------------------------


# Honorifics a report may put before a name; the full name is what identifies the speaker.
HONORIFICS = {"dr", "mr", "mrs", "ms", "prof", "sir", "dame", "mme", "herr", "frau", "sr", "sra"}


def normalise_quote(quote: str | None) -> str:
    """Case, accents, punctuation and spacing do not count."""
    if not quote:
        return ""
    decomposed = unicodedata.normalize("NFKD", quote)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def normalise_name(name: str | None) -> str:
    """As a quote, and without a leading honorific: 'Dr. Amara  Okafor' ~ 'amara okafor'."""
    words = normalise_quote(name).split()
    while len(words) > 1 and words[0] in HONORIFICS:
        words = words[1:]
    return " ".join(words)


def span_matches(pred: Span, gold: Span) -> float:
    """How well pred covers gold: 0 when it does not match; higher is tighter."""
    if pred.start is not None:
        overlap = min(pred.end, gold.end) - max(pred.start, gold.start)
        if overlap * 2 >= gold.end - gold.start and overlap > 0:
            union = max(pred.end, gold.end) - min(pred.start, gold.start)
            return overlap / union
    if normalise_quote(pred.quote) and normalise_quote(pred.quote) == normalise_quote(gold.quote):
        return 1.0
    return 0.0


def assign(preds: list[Span], golds: list[Span], with_speaker: bool) -> dict[int, int]:
    """One-to-one pairing of predictions with gold statements, tightest pair first: {pred: gold}."""
    candidates = []
    for p, pred in enumerate(preds):
        for g, gold in enumerate(golds):
            if with_speaker and normalise_name(pred.speaker) != normalise_name(gold.speaker):
                continue
            score = span_matches(pred, gold)
            if score > 0:
                candidates.append((-score, g, p))
    candidates.sort()
    pairs: dict[int, int] = {}
    used_gold: set[int] = set()
    for _, g, p in candidates:
        if p not in pairs and g not in used_gold:
            pairs[p] = g
            used_gold.add(g)
    return pairs


# --- counting ---------------------------------------------------------------------------------


class Tally:
    """True positives, predictions and gold items of one measure, added up over articles."""

    def __init__(self):
        self.tp_pred = 0  # predictions that matched (precision's numerator)
        self.tp_gold = 0  # gold items that were matched (recall's numerator)
        self.pred = 0
        self.gold = 0

    def add(self, tp_pred, pred, tp_gold, gold):
        self.tp_pred += tp_pred
        self.pred += pred
        self.tp_gold += tp_gold
        self.gold += gold

    @property
    def precision(self):
        return self.tp_pred / self.pred if self.pred else None

    @property
    def recall(self):
        return self.tp_gold / self.gold if self.gold else None

    @property
    def f1(self):
        p, r = self.precision, self.recall
        return (
            2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
        )

    def as_dict(self):
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "matched_predictions": self.tp_pred,
            "predictions": self.pred,
            "matched_gold": self.tp_gold,
            "gold": self.gold,
        }


@dataclass
class Report:
    pairs: dict = field(default_factory=lambda: defaultdict(Tally))
    spans: dict = field(default_factory=lambda: defaultdict(Tally))
    rebuttals: dict = field(default_factory=lambda: defaultdict(Tally))
    relation_agree: int = 0
    rebuttals_matched: int = 0
    kind_agree: int = 0
    kind_matched: int = 0
    date_agree: int = 0
    date_matched: int = 0
    nobody_hits: int = 0
    nobody_total: int = 0
    misses: list = field(default_factory=list)


def score_article(article: Article, raw, report: Report, verbose: bool = False) -> None:
    text, lang = article.text, article.language
    preds, pred_rebuttals = _as_prediction(raw, text, set())
    golds = article.statements

    with_speaker = assign(preds, golds, with_speaker=True)
    span_only = assign(preds, golds, with_speaker=False)

    for key in ("all", f"language:{lang}"):
        report.pairs[key].add(len(with_speaker), len(preds), len(with_speaker), len(golds))
        report.spans[key].add(len(span_only), len(preds), len(span_only), len(golds))
    for kind in KINDS:
        # Recall per gold kind, precision per the kind the extractor claimed.
        gold_of_kind = [g for g, gold in enumerate(golds) if gold.kind == kind]
        pred_of_kind = [p for p, pred in enumerate(preds) if pred.kind == kind]
        matched_gold = set(with_speaker.values())
        report.pairs[f"kind:{kind}"].add(
            sum(1 for p in pred_of_kind if p in with_speaker),
            len(pred_of_kind),
            sum(1 for g in gold_of_kind if g in matched_gold),
            len(gold_of_kind),
        )
    for p, g in with_speaker.items():
        if preds[p].kind is not None:
            report.kind_matched += 1
            report.kind_agree += preds[p].kind == golds[g].kind
        if "stated_on" in _raw_keys(raw, p):
            report.date_matched += 1
            report.date_agree += preds[p].stated_on == golds[g].stated_on

    # Nobody's quotes that were proposed as someone's statement.
    nobody = [
        (s, e)
        for quote in article.data["not_statements"]
        for s, e in _occurrences(text, quote)
        if _enclosed(text, s, e)
    ]
    report.nobody_total += len(nobody)
    for s, e in nobody:
        ghost = Span(s, e, text[s:e], None, None, "")
        if any(p not in span_only and span_matches(pred, ghost) for p, pred in enumerate(preds)):
            report.nobody_hits += 1

    # Rebuttals: both ends must match gold statements (by span; the speaker is scored above).
    to_gold = {preds[p].ident: golds[g].ident for p, g in span_only.items()}
    gold_pairs = {(r["statement"], r["answers"]): r["relation"] for r in article.data["rebuttals"]}
    matched_gold_pairs = set()
    hits = 0
    for r in pred_rebuttals:
        pair = (to_gold.get(r["statement"]), to_gold.get(r["answers"]))
        if pair in gold_pairs and pair not in matched_gold_pairs:
            matched_gold_pairs.add(pair)
            hits += 1
            report.rebuttals_matched += 1
            report.relation_agree += r["relation"] == gold_pairs[pair]
    for key in ("all", f"language:{lang}"):
        report.rebuttals[key].add(hits, len(pred_rebuttals), hits, len(gold_pairs))

    if verbose:
        matched_gold = set(with_speaker.values())
        for g, gold in enumerate(golds):
            if g not in matched_gold:
                report.misses.append(
                    f"{article.id} missed   {gold.ident} [{gold.speaker}] {gold.quote[:70]!r}"
                )
        for p, pred in enumerate(preds):
            if p not in with_speaker:
                report.misses.append(f"{article.id} spurious [{pred.speaker}] {pred.quote[:70]!r}")


def _raw_keys(raw, index: int) -> set:
    items = raw if isinstance(raw, list) else raw.get("statements", [])
    return set(items[index]) if index < len(items) else set()


# --- output -----------------------------------------------------------------------------------


def _fmt(value) -> str:
    return "   -" if value is None else f"{value:.3f}"


def print_report(report: Report, title: str, articles: list[Article]) -> None:
    print(title)
    print(f"{len(articles)} articles, {sum(len(a.statements) for a in articles)} gold statements")
    print()
    header = f"{'':22} {'P':>6} {'R':>6} {'F1':>6}   {'matched/pred':>12} {'matched/gold':>12}"

    def rows(name, tallies, keys):
        print(f"{name}\n{header}")
        for key in keys:
            t = tallies[key]
            print(
                f"  {key:20} {_fmt(t.precision):>6} {_fmt(t.recall):>6} {_fmt(t.f1):>6}"
                f"   {t.tp_pred:>5}/{t.pred:<6} {t.tp_gold:>5}/{t.gold:<6}"
            )
        print()

    languages = sorted({a.language for a in articles}, key=lambda x: (x != "en", x))
    lang_keys = [f"language:{lang}" for lang in languages]
    kind_keys = [f"kind:{k}" for k in KINDS]
    rows("(statement, speaker) pairs", report.pairs, ["all", *kind_keys, *lang_keys])
    rows("statements, speaker ignored", report.spans, ["all", *lang_keys])
    rows(
        "rebuttals (answering statement, answered statement)", report.rebuttals, ["all", *lang_keys]
    )
    if report.rebuttals_matched:
        print(f"rebuttal relation agrees: {report.relation_agree}/{report.rebuttals_matched}")
    if report.kind_matched:
        print(f"kind agrees on matched pairs: {report.kind_agree}/{report.kind_matched}")
    if report.date_matched:
        print(f"stated_on agrees on matched pairs: {report.date_agree}/{report.date_matched}")
    print(f"nobody's quotes proposed as statements: {report.nobody_hits}/{report.nobody_total}")
    for line in report.misses:
        print(line)


def print_stats(articles: list[Article]) -> None:
    by_language = defaultdict(lambda: defaultdict(int))
    for article in articles:
        counts = by_language[article.language]
        counts["articles"] += 1
        counts["words"] += len(article.text.split())
        counts["speakers"] += len(article.data["speakers"])
        for st in article.statements:
            counts[st.kind] += 1
        counts["nested"] += sum(
            1
            for st in article.statements
            for other in article.statements
            if other is not st and other.start <= st.start and st.end <= other.end
        )
        counts["rebuttals"] += len(article.data["rebuttals"])
        for rebuttal in article.data["rebuttals"]:
            counts[rebuttal["relation"]] += 1
        counts["not_statements"] += len(article.data["not_statements"])
    columns = ["articles", "words", "speakers", *KINDS, "nested", "rebuttals", *RELATIONS]
    columns.append("not_statements")
    languages = sorted(by_language, key=lambda x: (x != "en", x))
    widths = [max(len(c), 5) + 2 for c in columns]
    print(f"{'':6}" + "".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)))
    total = defaultdict(int)
    for lang in languages:
        counts = by_language[lang]
        print(
            f"{lang:6}" + "".join(f"{counts[c]:>{w}}" for c, w in zip(columns, widths, strict=True))
        )
        for c in columns:
            total[c] += by_language[lang][c]
    print(f"{'all':6}" + "".join(f"{total[c]:>{w}}" for c, w in zip(columns, widths, strict=True)))


def report_as_json(report: Report) -> dict:
    return {
        "pairs": {k: v.as_dict() for k, v in report.pairs.items()},
        "statements": {k: v.as_dict() for k, v in report.spans.items()},
        "rebuttals": {k: v.as_dict() for k, v in report.rebuttals.items()},
        "relation_agrees": [report.relation_agree, report.rebuttals_matched],
        "kind_agrees": [report.kind_agree, report.kind_matched],
        "stated_on_agrees": [report.date_agree, report.date_matched],
        "nobody_proposed": [report.nobody_hits, report.nobody_total],
    }


def _load_extractor(spec: str):
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name or "extract")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--extractor", help="module:function, imported from the repository root")
    source.add_argument("--predictions", type=Path, help="JSON file {article id: {statements, …}}")
    source.add_argument("--gold", action="store_true", help="score the labels against themselves")
    source.add_argument("--check", action="store_true", help="validate the labelled set and stop")
    source.add_argument("--stats", action="store_true", help="count what the labelled set holds")
    parser.add_argument("--articles", type=Path, default=ARTICLES)
    parser.add_argument("--language", action="append", help="only these languages (repeatable)")
    parser.add_argument("--django", action="store_true", help="django.setup() before importing")
    parser.add_argument("--write-predictions", type=Path, help="save what the extractor proposed")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and spurious")
    args = parser.parse_args(argv)

    articles, errors = load_articles(args.articles)
    for line in errors:
        print(line, file=sys.stderr)
    if errors:
        print(f"{len(errors)} problems in the labelled set", file=sys.stderr)
        return 1
    if args.check:
        statements = sum(len(a.statements) for a in articles)
        print(f"{len(articles)} articles, {statements} statements: the labelled set is valid")
        return 0
    if args.language:
        articles = [a for a in articles if a.language in args.language]
    if args.stats:
        print_stats(articles)
        return 0

    sys.path.insert(0, str(REPO_ROOT))
    if args.django:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
        import django

        django.setup()
    if args.predictions:
        predictions = json.loads(args.predictions.read_text(encoding="utf-8"))
        answer = lambda article: predictions.get(article.id, [])  # noqa: E731
        title = f"predictions from {args.predictions}"
    elif args.gold:
        answer = gold_as_prediction
        title = "gold labels scored against themselves"
    else:
        spec = args.extractor or "bench.ingest.baseline:extract"
        extract = _load_extractor(spec)
        answer = lambda article: _call(extract, article)  # noqa: E731
        title = f"extractor {spec}"

    report = Report()
    written = {}
    for article in articles:
        raw = answer(article)
        written[article.id] = raw
        score_article(article, raw, report, verbose=args.verbose)
    if args.write_predictions:
        args.write_predictions.write_text(
            json.dumps(written, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    if args.json:
        print(json.dumps(report_as_json(report), indent=2))
    else:
        print_report(report, title, articles)
    return 0


if __name__ == "__main__":
    sys.exit(main())

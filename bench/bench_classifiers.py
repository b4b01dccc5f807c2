"""Precision, recall and F1 of the built-in classifiers on the labelled sets.

Usage: PYTHONPATH=src python bench/bench_classifiers.py [FILE.jsonl ...] [--quick] [--json]
(--quick: the first set only)

Defaults to five sets, each reported separately:
tests/data/labelled_messages.jsonl (written for the project; its errors were
read while refining the rules), tests/data/labelled_real_dev.jsonl (real
public texts labelled by hand and used to refine the rules),
tests/data/labelled_real.jsonl and tests/data/labelled_real_holdout2.jsonl
(real public texts labelled by hand, each held out until its figures were
reported once, then used for development) and
tests/data/labelled_real_holdout3.jsonl (190 further real texts labelled by
hand before the last round of rules, held out: only its summary figures are
ever read). Then the fixed held-out part of all labelled sets
(openledger.builtin.classifiers.corpus: keyed hash, never trained or tuned
on) with the rule classifiers alone and with the shipped classifiers (exact
rules, then the trained model), and the spam precision and recall. Gold values that are null (e.g. the kind of a spam
message) are skipped for that label. Also prints the throughput beside a
floor (vaderSentiment's polarity_scores alone on the same texts) with the ratio.
Last, the influence labels (leverage, tone, moves_private, gag) on the training
and the held-out part of their own sets (tests/data/labelled_<label>.jsonl).
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from openledger.builtin.classifiers import intent, lexical, vader
from openledger.builtin.classifiers.text import normalise
from openledger.records import ClassifyInput
from protocol import Figures, split_flags

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = [ROOT / "tests/data/labelled_messages.jsonl", ROOT / "tests/data/labelled_real_dev.jsonl",
                 ROOT / "tests/data/labelled_real.jsonl", ROOT / "tests/data/labelled_real_holdout2.jsonl",
                 ROOT / "tests/data/labelled_real_holdout3.jsonl"]
LABELS = ("kind", "category", "wants", "urgency", "spam")


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def scores(pairs: list[tuple[str, str]]) -> tuple[dict[str, tuple[float, float, float, int]], float]:
    """Per value (precision, recall, F1, support) and the macro-F1 over gold values."""
    gold_values = sorted({g for g, _ in pairs})
    table = {}
    tp, fp, fn = Counter(), Counter(), Counter()
    for gold, pred in pairs:
        if gold == pred:
            tp[gold] += 1
        else:
            fp[pred] += 1
            fn[gold] += 1
    for value in gold_values:
        p = tp[value] / (tp[value] + fp[value]) if tp[value] + fp[value] else 0.0
        r = tp[value] / (tp[value] + fn[value]) if tp[value] + fn[value] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        table[value] = (p, r, f, tp[value] + fn[value])
    macro = sum(v[2] for v in table.values()) / len(table) if table else 0.0
    return table, macro


def evaluate(path: Path, classifiers) -> dict[str, float]:
    rows = load(path)
    predictions = []
    for row in rows:
        item = ClassifyInput(row["text"], row.get("channel"), row.get("subject"))
        predictions.append({c.label: c.classify(item).value for c in classifiers})
    print(f"\n== {path.relative_to(ROOT)}: {len(rows)} messages")
    macros = {}
    for label in LABELS:
        pairs = [(row[label], pred[label]) for row, pred in zip(rows, predictions)
                 if row.get(label) is not None]
        if not pairs:
            continue
        table, macro = scores(pairs)
        accuracy = sum(g == p for g, p in pairs) / len(pairs)
        macros[label] = macro
        print(f"\n{label}: macro-F1 {macro:.3f}  accuracy {accuracy:.3f}  (n={len(pairs)})")
        print(f"  {'value':<15}{'precision':>10}{'recall':>10}{'F1':>10}{'support':>9}")
        for value, (p, r, f, n) in table.items():
            print(f"  {value:<15}{p:>10.3f}{r:>10.3f}{f:>10.3f}{n:>9}")
    return macros


def _clear_caches() -> None:
    """Forget per-text results cached while the quality was measured."""
    from openledger.builtin.classifiers import features, model, sentiment, text

    for function in (intent.signals, normalise, getattr(sentiment, "scores", None), getattr(features, "bag", None),
                     getattr(features, "_letters", None), getattr(sentiment, "sentiment", None),
                     getattr(text, "_matching_form", None)):
        clear = getattr(function, "cache_clear", None)
        if clear is not None:  # older versions cached less
            clear()
    if hasattr(model, "shipped"):
        model.shipped()._recent.clear()


def throughput(rows: list[dict], classifiers) -> tuple[float, float, float]:
    """Messages per second of all classifiers, beside VADER's own scoring alone.

    The floor is ``vaderSentiment``'s ``polarity_scores`` on the raw text (no
    clean-up, no cue lists), the least any sentiment label costs; caches filled
    by the quality pass are cleared first so no text is scored from memory.
    """
    texts = [r["text"] for r in rows]
    analyzer = SentimentIntensityAnalyzer()
    start = time.perf_counter()
    for text in texts:
        analyzer.polarity_scores(text)
    floor = time.perf_counter() - start
    plugin = vader.VaderClassifier()
    _clear_caches()
    start = time.perf_counter()
    for text in texts:
        plugin.classify(ClassifyInput(text))
    alone = time.perf_counter() - start
    _clear_caches()
    start = time.perf_counter()
    for text in texts:
        item = ClassifyInput(text)
        for c in classifiers:
            c.classify(item)
    full = time.perf_counter() - start
    print(f"\nthroughput: all classifiers {len(texts) / full:,.0f} msg/s; "
          f"the vader-sentiment plugin alone {len(texts) / alone:,.0f} msg/s; "
          f"floor (VADER polarity_scores alone) {len(texts) / floor:,.0f} msg/s; "
          f"ratio {full / floor:.2f}x the floor's time")
    return len(texts) / full, len(texts) / alone, len(texts) / floor


def heldout_figures(figures) -> None:
    """Macro-F1 of kind and wants and spam precision/recall on the fixed held-out part,
    rules alone against the shipped classifiers, all held-out texts and the real ones."""
    from openledger.builtin.classifiers import corpus

    _, heldout = corpus.split(corpus.load(ROOT / "tests/data"))
    systems: dict[str, list] = {"rules": [], "shipped": []}
    for c in lexical.rules({}):
        systems["rules"].append(c)
    lexical.register_classifiers(register=systems["shipped"].append, config={})
    for name, found in systems.items():
        by_label = {c.label: c for c in found}
        predictions = [{label: by_label[label].classify(ClassifyInput(e.text, e.channel, e.subject)).value
                        for label in ("kind", "wants", "spam")} for e in heldout]
        for part, keep in (("held-out", lambda e: True), ("held-out real", lambda e: e.source != "written")):
            rows = [(e, p) for e, p in zip(heldout, predictions) if keep(e)]
            print(f"\n== {part} ({len(rows)} texts), {name}")
            for label in ("kind", "wants"):
                pairs = [(getattr(e, label), p[label]) for e, p in rows if getattr(e, label) is not None]
                table, macro = scores(pairs)
                print(f"{label}: macro-F1 {macro:.3f} (n={len(pairs)}); "
                      + ", ".join(f"{v} P {t[0]:.2f} R {t[1]:.2f}" for v, t in table.items()))
                figures.add(f"{label} macro-F1, {part}, {name}", macro, "F1", None)
            precision, recall = corpus.precision_recall([(e.spam, p["spam"]) for e, p in rows])
            print(f"spam: precision {precision:.3f} recall {recall:.3f} "
                  f"(gold yes {sum(1 for e, _ in rows if e.spam == 'yes')})")
            figures.add(f"spam precision, {part}, {name}", precision, "", None)
            figures.add(f"spam recall, {part}, {name}", recall, "", None)


def influence_input(example) -> ClassifyInput:
    """What process gives the classifier for one labelled text: a reply for an outbound label."""
    from openledger.builtin.classifiers import corpus

    if example.label in corpus.OUTBOUND:
        return ClassifyInput("", replies=(example.text,))
    return ClassifyInput(example.text, example.channel, rating=example.rating)


def influence_figures(figures, parts: tuple[str, ...] = ("training", "held-out")) -> dict[tuple[str, str], float]:
    """Macro-F1 of leverage, tone, moves_private and gag (openledger.builtin.classifiers.influence)
    on the training part and the fixed held-out part of each label's set, with per-value figures."""
    from openledger.builtin.classifiers import corpus, influence

    found: dict[tuple[str, str], float] = {}
    classifiers = {c.label: c for c in influence.build()}
    for label in corpus.INFLUENCE:
        examples = corpus.load_influence(ROOT / "tests/data", label)
        for part in parts:
            rows = [e for e in examples if e.heldout == (part == "held-out")]
            pairs = [(e.gold, classifiers[label].classify(influence_input(e)).value) for e in rows]
            table, macro = scores(pairs)
            found[(label, part)] = macro
            print(f"\n== {label}, {part} part ({len(rows)} of {len(examples)} texts): macro-F1 {macro:.3f}; "
                  + ", ".join(f"{v} P {t[0]:.2f} R {t[1]:.2f} (n={t[3]})" for v, t in table.items()))
            figures.add(f"{label} macro-F1, {part}", macro, "F1", None)
    return found


def main(argv: list[str]) -> None:
    as_json, quick, argv = split_flags(argv)
    files = [Path(a).resolve() for a in argv] or [p for p in DEFAULT_FILES if p.exists()]
    files = files[:1] if quick else files
    figures = Figures("classifiers")
    found: list = []
    lexical.register_classifiers(register=found.append, config={})
    vader.register_classifiers(register=found.append, config={})
    for path in files:
        for label, macro in evaluate(path, found).items():
            figures.add(f"{label} macro-F1 on {path.name}", macro, "F1", None)
    heldout_figures(figures)
    influence_figures(figures)
    rules_speed, _, _ = throughput(load(files[0]), lexical.rules({}) + [vader.VaderClassifier()])
    speed, plugin, floor = throughput(load(files[0]), found)
    print(f"shipped classifiers against the rules alone: {rules_speed / speed:.2f}x the rules' time per text")
    figures.add("rules-only classifiers throughput", rules_speed, "msg/s", floor, "floor: VADER polarity_scores alone")
    figures.add("vader-sentiment plugin throughput", plugin, "msg/s", floor, "floor: VADER polarity_scores alone")
    figures.add("all classifiers throughput", speed, "msg/s", floor, "floor: VADER polarity_scores alone")
    figures.emit(as_json)


if __name__ == "__main__":
    main(sys.argv[1:])

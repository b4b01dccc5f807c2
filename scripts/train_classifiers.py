"""Build the shipped text models (src/openledger/builtin/classifiers/model.npz and tone.npz) from the labelled texts.

Usage: python scripts/train_classifiers.py [--out FILE] [--tone-out FILE] [--only kind|tone] [--cv] [--jobs N]
       [--diagram FILE]

Reads every labelled set in tests/data (openledger.builtin.classifiers.corpus),
trains on the training part only (the held-out part, fixed by a keyed hash,
is never used here except to draw the reliability diagram after the model is
final) and writes the model: for each of kind, wants and spam, a logistic
regression (scikit-learn, C=10, balanced class weights; chosen by 5-fold
cross-validation on the training part) over the features of
openledger.builtin.classifiers.features, calibrated by Platt scaling fitted
on 5-fold cross-validated scores (CalibratedClassifierCV, method="sigmoid",
ensemble=False). The wants head decides by its calibrated probabilities
divided by the square root of each value's share of the training texts
(PRIOR_POWER; chosen by 5-fold cross-validation on the training part among
0, 0.25, 0.5, 0.75 and 1: calibration brings back the priors that the
balanced class weights had taken out, and rarer wishes, sympathy and
compensation, lost to fix); its probabilities stay the calibrated ones.
Everything is seeded, and the file is written with fixed zip
times, so running it again on the same data with the same libraries gives
the same bytes (and in any case the same predictions; a test checks that).

The tone model (tone.npz, same format, one head ``tone``) is trained on the
training part of tests/data/labelled_tone.jsonl (the same keyed hash holds
texts out) without its ``hostile`` texts, which the exact abuse rules decide:
a logistic regression (C=3, balanced class weights, chosen by 5-fold
cross-validation on the training part among 1, 3 and 10) over the text
model's features plus the tone rules' cue counts
(openledger.builtin.classifiers.influence.tone_features), calibrated the
same way. At run time it decides the tone of texts with neither abuse nor a
star rating. --cv prints the 5-fold cross-validated macro-F1 of the tone
classifier (rules, then rules with the model) on the training part.

--cv also prints the 5-fold cross-validated figures of the kind, wants and
spam classifiers (exact rules, then a model trained on the other folds) on
the training part, as bench/bench_classifiers.py reports them on the
held-out part (with the spam precision and recall at other probability
thresholds), on all texts, the real ones and those of the sets the rules
were never tuned on (nearer the held-out figures); --jobs runs its folds in
that many processes.

--diagram also writes the reliability diagram of the held-out part
(docs/images/reliability.png): confidence of the predicted value against how
often it was right, in ten bins, per label.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from openledger.builtin.classifiers import corpus, features, influence, learned
from openledger.builtin.classifiers import model as text_model
from openledger.records import ClassifyInput

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
OUT = ROOT / "src" / "openledger" / "builtin" / "classifiers" / text_model.MODEL_FILE
TONE_OUT = OUT.with_name(influence.TONE_MODEL_FILE)
TONE_C = 3.0
VERSION = "2.0"
SEED = 20261220
C = 10.0
MIN_DF = 2
HEADS = ("kind", "wants", "spam")
#: a head's value is the class with the largest calibrated probability / (its share of the training texts) ** power
PRIOR_POWER = {"kind": 0.0, "wants": 0.5, "spam": 0.0}


def gold(example: corpus.Example, label: str) -> str | None:
    return example.spam if label == "spam" else getattr(example, label)


def train(examples: list[corpus.Example]) -> dict[str, np.ndarray]:
    """The model's arrays, trained on ``examples``."""
    bags = [features.bag(e.text, e.subject) for e in examples]
    vectoriser = features.fit_vocabulary(bags, min_df=MIN_DF)
    matrix = vectoriser.matrix(bags)
    weights, bias, heads, arrays = [], [], [], {}
    column = 0
    for label in HEADS:
        rows = [i for i, e in enumerate(examples) if gold(e, label) is not None]
        target = np.array([gold(examples[i], label) for i in rows])
        calibrated = CalibratedClassifierCV(
            LogisticRegression(C=C, class_weight="balanced", max_iter=5000),
            method="sigmoid", cv=StratifiedKFold(5, shuffle=True, random_state=SEED), ensemble=False,
        ).fit(matrix[rows], target)
        inner = calibrated.calibrated_classifiers_[0]
        estimator = inner.estimator
        classes = [str(c) for c in estimator.classes_]
        weights.append(estimator.coef_.T)
        bias.append(estimator.intercept_)
        width = estimator.coef_.shape[0]
        heads.append({"label": label, "classes": classes, "columns": [column, column + width]})
        arrays[f"slope_{label}"] = np.array([c.a_ for c in inner.calibrators], dtype=np.float64)
        arrays[f"intercept_{label}"] = np.array([c.b_ for c in inner.calibrators], dtype=np.float64)
        if PRIOR_POWER[label]:
            shares = np.array([np.mean(target == c) for c in estimator.classes_], dtype=np.float64)
            arrays[f"decide_{label}"] = shares ** -PRIOR_POWER[label]
        column += width
    names = sorted(vectoriser.vocabulary, key=vectoriser.vocabulary.__getitem__)
    header = {
        "version": VERSION, "heads": heads, "trained_on": len(examples), "seed": SEED, "C": C, "min_df": MIN_DF,
        "prior_power": {label: power for label, power in PRIOR_POWER.items() if power},
        "made_by": "scripts/train_classifiers.py", "features": "openledger.builtin.classifiers.features",
    }
    arrays.update(
        header=np.frombuffer(json.dumps(header, sort_keys=True).encode("utf-8"), dtype=np.uint8),
        vocabulary=np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8),
        idf=vectoriser.idf.astype(np.float64),
        weights=np.hstack(weights).astype(np.float32),
        bias=np.concatenate(bias).astype(np.float64),
    )
    return arrays


def text_cv(examples: list[corpus.Example], jobs: int = 1) -> dict[str, float]:
    """Print and return the 5-fold cross-validated figures of the shipped kind, wants and spam classifiers
    (exact rules, then a model trained on the other folds) on ``examples`` (the training part).

    Folds keep copies of one text together (grouped by the folded text) and are stratified by the spam
    label and the kind; the figures are those of ``bench/bench_classifiers.py``: kind and wants
    macro-F1, spam precision and recall, on all texts, on the real ones, and on the texts of the sets the
    rules were never tuned on (not :data:`~openledger.builtin.classifiers.corpus.TUNED`): the rules fit the
    tuned sets' texts better than any unseen text, so that figure is the one nearer the held-out part's."""
    strata = [e.spam if e.spam == "yes" else str(e.kind) for e in examples]
    groups = [corpus.fold(e.text) for e in examples]
    folds = list(StratifiedGroupKFold(5, shuffle=True, random_state=SEED).split(np.zeros(len(examples)), strata,
                                                                                groups))
    found: list[dict[str, str]] = [{} for _ in examples]
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(_fold_predictions, [examples] * len(folds), folds))
    else:
        results = [_fold_predictions(examples, fold) for fold in folds]
    for (_, test_rows), predicted in zip(folds, results):
        for i, labels in zip(test_rows, predicted):
            found[i] = labels
    figures: dict[str, float] = {}
    for part, keep in (("all", lambda e: True), ("real", lambda e: e.source != "written"),
                       ("untuned", lambda e: e.file not in corpus.TUNED)):
        rows = [(e, p) for e, p in zip(examples, found) if keep(e)]
        for label in ("kind", "wants"):
            figures[f"{label} {part}"] = corpus.macro_f1(
                [(getattr(e, label), p[label]) for e, p in rows if getattr(e, label) is not None])
        figures[f"spam P {part}"], figures[f"spam R {part}"] = corpus.precision_recall(
            [(e.spam, p["spam"]) for e, p in rows])
        print(f"text model, 5-fold cross-validation on the training part, {part} ({len(rows)} texts): "
              f"kind macro-F1 {figures[f'kind {part}']:.3f}, wants macro-F1 {figures[f'wants {part}']:.3f}, "
              f"spam precision {figures[f'spam P {part}']:.3f} recall {figures[f'spam R {part}']:.3f}")
        shifted = []
        for threshold in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
            precision, recall = corpus.precision_recall(
                [(e.spam, "yes" if float(p.get("spam p", 0.0)) >= threshold else "no") for e, p in rows])
            shifted.append(f"{threshold:.2f}: {precision:.3f} / {recall:.3f}")
        print("  spam precision / recall when spam is said from a probability of " + ", ".join(shifted))
    return figures


def _fold_predictions(examples: list[corpus.Example], fold) -> list[dict[str, str]]:
    """The shipped classifiers' labels of one fold's test texts, the model trained on its other texts."""
    train_rows, test_rows = fold
    model = text_model.TextModel(train([examples[i] for i in train_rows]))
    classifiers = learned.build()
    for classifier in classifiers:
        classifier._model = model
    labels = []
    for i in test_rows:
        item = ClassifyInput(examples[i].text, examples[i].channel, examples[i].subject)
        found = {c.label: c.classify(item) for c in classifiers}
        labels.append({label: getattr(found[label], "value", "") for label in found})
        spam = found["spam"]
        if spam is not None:  # the calibrated probability of spam (1 when an exact rule decided)
            labels[-1]["spam p"] = str(spam.detail["probabilities"]["yes"] if spam.detail["by"] == "model" else 1.0)
    return labels


def train_tone(examples: list[corpus.Labelled]) -> dict[str, np.ndarray]:
    """The tone model's arrays, trained on ``examples`` (their ``hostile`` texts left out)."""
    rows = [e for e in examples if e.gold != "hostile"]
    bags = [influence.tone_features(e.text) for e in rows]
    vectoriser = features.fit_vocabulary(bags, min_df=MIN_DF)
    matrix = vectoriser.matrix(bags)
    target = np.array([e.gold for e in rows])
    calibrated = CalibratedClassifierCV(
        LogisticRegression(C=TONE_C, class_weight="balanced", max_iter=5000),
        method="sigmoid", cv=StratifiedKFold(5, shuffle=True, random_state=SEED), ensemble=False,
    ).fit(matrix, target)
    inner = calibrated.calibrated_classifiers_[0]
    estimator = inner.estimator
    classes = [str(c) for c in estimator.classes_]
    names = sorted(vectoriser.vocabulary, key=vectoriser.vocabulary.__getitem__)
    header = {
        "version": influence.TONE_VERSION, "heads": [{"label": "tone", "classes": classes,
                                                      "columns": [0, len(classes)]}],
        "trained_on": len(rows), "seed": SEED, "C": TONE_C, "min_df": MIN_DF,
        "made_by": "scripts/train_classifiers.py",
        "features": "openledger.builtin.classifiers.influence.tone_features",
    }
    return {
        "header": np.frombuffer(json.dumps(header, sort_keys=True).encode("utf-8"), dtype=np.uint8),
        "vocabulary": np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8),
        "idf": vectoriser.idf.astype(np.float64),
        "weights": estimator.coef_.T.astype(np.float32),
        "bias": estimator.intercept_.astype(np.float64),
        "slope_tone": np.array([c.a_ for c in inner.calibrators], dtype=np.float64),
        "intercept_tone": np.array([c.b_ for c in inner.calibrators], dtype=np.float64),
    }


def tone_cv(examples: list[corpus.Labelled]) -> None:
    """Print the 5-fold cross-validated macro-F1 of the tone classifier on ``examples`` (the
    training part): each fold's texts labelled by the rules with a model trained on the other folds."""
    gold = [e.gold for e in examples]
    found = [""] * len(examples)
    for train_rows, test_rows in StratifiedKFold(5, shuffle=True, random_state=SEED).split(np.zeros(len(gold)), gold):
        model = text_model.TextModel(train_tone([examples[i] for i in train_rows]))
        for i in test_rows:
            found[i] = influence.tone_of(examples[i].text, examples[i].rating, model=model).value
    pairs = list(zip(gold, found))
    per_value = []
    for value in sorted(set(gold)):
        right = sum(1 for g, p in pairs if g == p == value)
        wrong = sum(1 for g, p in pairs if (g == value) != (p == value))
        per_value.append(f"{value} F1 {2 * right / (2 * right + wrong):.3f}")
    print(f"tone, 5-fold cross-validation on the training part ({len(gold)} texts): "
          f"macro-F1 {corpus.macro_f1(pairs):.3f}; " + ", ".join(per_value))


def reliability(model: text_model.TextModel, examples: list[corpus.Example], path: Path) -> None:
    """Draw confidence against accuracy of the held-out texts, ten bins, one line per label."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(5.5, 5), dpi=100)
    axis.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1, label="perfect calibration")
    for label, colour in zip(HEADS, ("#1f77b4", "#d62728", "#2ca02c")):
        pairs = []
        for e in examples:
            if gold(e, label) is None:
                continue
            scored = model.score(e.text, e.subject, [label])[label]
            pairs.append((scored.confidence, scored.value == gold(e, label)))
        confidence = np.array([p[0] for p in pairs])
        right = np.array([p[1] for p in pairs], dtype=float)
        bins = np.minimum((confidence * 10).astype(int), 9)
        xs, ys, ns = [], [], []
        for b in range(10):
            mask = bins == b
            if mask.sum() >= 5:
                xs.append(confidence[mask].mean())
                ys.append(right[mask].mean())
                ns.append(int(mask.sum()))
        axis.plot(xs, ys, marker="o", color=colour, label=f"{label} (n = {len(pairs)})")
    axis.set_xlim(0, 1)
    axis.set_ylim(0, 1)
    axis.set_xlabel("confidence of the predicted value")
    axis.set_ylabel("share predicted right")
    axis.set_title("Reliability on the held-out texts (bins of 0.1, n >= 5)")
    axis.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})
    plt.close(figure)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--tone-out", type=Path, default=TONE_OUT)
    parser.add_argument("--only", choices=("kind", "tone"), help="build only the kind/wants/spam or the tone model")
    parser.add_argument("--cv", action="store_true",
                        help="print the cross-validated figures of the models built (with --only kind: only them)")
    parser.add_argument("--jobs", type=int, default=1, help="processes for the text model's cross-validation")
    parser.add_argument("--diagram", type=Path)
    args = parser.parse_args(argv)
    tone_train = [e for e in corpus.load_influence(DATA, "tone") if not e.heldout]
    if args.cv and args.only != "kind":
        tone_cv(tone_train)
    if args.only != "kind":
        text_model.write(args.tone_out, train_tone(tone_train))
        tone = text_model.read(args.tone_out)
        print(f"wrote {args.tone_out} ({args.tone_out.stat().st_size:,} bytes): "
              f"{tone.header['trained_on']} training texts, {len(tone.vectoriser.vocabulary):,} n-grams")
    if args.only == "tone":
        return
    train_part, heldout = corpus.split(corpus.load(DATA))
    if args.cv:
        text_cv(train_part, args.jobs)
    text_model.write(args.out, train(train_part))
    model = text_model.read(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes): {len(train_part)} training texts, "
          f"{len(model.vectoriser.vocabulary):,} n-grams, heads {', '.join(model.heads)}")
    if args.diagram:
        reliability(model, heldout, args.diagram)
        print(f"wrote {args.diagram}")


if __name__ == "__main__":
    main(sys.argv[1:])

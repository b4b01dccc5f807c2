"""The trained text model shipped with openledger: loading it and scoring messages.

``model.npz`` (beside this module, package data) is written by
``scripts/train_classifiers.py`` from the labelled texts in ``tests/data``
(see :mod:`~.corpus`) with scikit-learn: one logistic regression per label
(``kind``, ``wants``, ``spam``) over the features of :mod:`~.features`,
calibrated by Platt scaling fitted on cross-validated scores
(``CalibratedClassifierCV(method="sigmoid", ensemble=False)``). A head may
also carry decision weights (``decide_<label>``): its value is then the class
with the largest probability times its weight, while the probabilities stay
the calibrated ones (``PRIOR_POWER`` in ``scripts/train_classifiers.py``). The file is
a zip of NumPy arrays, read with ``allow_pickle=False``: the vocabulary, the
idf weights, one weight column per class, the biases and the calibration
slopes and intercepts, plus a JSON header. Scoring needs only NumPy, so
nothing is downloaded and scikit-learn is needed only to train.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from openledger.builtin.classifiers.features import SIGNALS, Vectoriser, bag

MODEL_FILE = "model.npz"


@dataclass(frozen=True)
class Head:
    """One label's classes, its columns in the weight matrix and its calibration."""

    label: str
    classes: tuple[str, ...]
    columns: slice
    slope: np.ndarray
    intercept: np.ndarray
    decide: Mapping[str, float] | None = None


@dataclass(frozen=True)
class Scored:
    """A message's calibrated probabilities for one label, and why.

    ``decide`` (when set) weighs each class's probability for the choice of the value: the value is the class
    with the largest weighted probability, its confidence still the calibrated probability of that class."""

    label: str
    probabilities: Mapping[str, float]
    why: tuple[tuple[str, float], ...]
    decide: Mapping[str, float] | None = None

    @property
    def value(self) -> str:
        if self.decide:
            weight = self.decide
            return max(self.probabilities, key=lambda value: (self.probabilities[value] * weight[value], value))
        return max(self.probabilities, key=lambda value: (self.probabilities[value], value))

    @property
    def confidence(self) -> float:
        return self.probabilities[self.value]


class TextModel:
    """The vectoriser, weights and calibrated heads read from a model file."""

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        self.header = json.loads(bytes(arrays["header"]).decode("utf-8"))
        names = bytes(arrays["vocabulary"]).decode("utf-8").split("\n") if len(arrays["vocabulary"]) else []
        self.names = names + [f"s {name}" for name in SIGNALS]
        self.vectoriser = Vectoriser({name: number for number, name in enumerate(names)},
                                     np.asarray(arrays["idf"], dtype=np.float64))
        self.weights = np.asarray(arrays["weights"], dtype=np.float64)
        self.bias = np.asarray(arrays["bias"], dtype=np.float64)
        self._recent: dict[tuple[str, str | None], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.heads: dict[str, Head] = {}
        for spec in self.header["heads"]:
            start, stop = spec["columns"]
            decide = arrays.get(f"decide_{spec['label']}")
            self.heads[spec["label"]] = Head(
                spec["label"], tuple(spec["classes"]), slice(start, stop),
                np.asarray(arrays[f"slope_{spec['label']}"], dtype=np.float64),
                np.asarray(arrays[f"intercept_{spec['label']}"], dtype=np.float64),
                None if decide is None else dict(zip(spec["classes"], np.asarray(decide, dtype=np.float64).tolist())),
            )

    @property
    def version(self) -> str:
        return str(self.header["version"])

    def scores(self, columns: np.ndarray, values: np.ndarray) -> np.ndarray:
        """The raw decision values of one vectorised message, every head's columns."""
        if not len(columns):
            return self.bias.copy()
        return np.asarray(values, dtype=np.float64) @ self.weights[np.asarray(columns, dtype=np.intp)] + self.bias

    def calibrate(self, head: Head, raw: np.ndarray) -> np.ndarray:
        """Platt-scaled probabilities of ``head``'s classes from its decision values."""
        decision = raw[head.columns]
        probability = 1.0 / (1.0 + np.exp(head.slope * decision + head.intercept))
        if len(head.classes) == 2:
            return np.array([1.0 - probability[0], probability[0]])
        total = probability.sum()
        return probability / total if total > 0 else np.full(len(head.classes), 1.0 / len(head.classes))

    def score(self, text: str, subject: str | None = None, labels: Sequence[str] | None = None,
              explain: int = 0) -> dict[str, Scored]:
        """Calibrated probabilities of every head (or of ``labels``) for one message.

        ``explain`` > 0 also returns that many features that pushed most
        towards the winning value (their contribution to its decision value).
        """
        columns, values, raw = self._vectorised(text, subject)
        found = {}
        for name in labels or self.heads:
            head = self.heads[name]
            probability = self.calibrate(head, raw)
            scored = Scored(name, {c: float(p) for c, p in zip(head.classes, probability)}, (), head.decide)
            if explain:
                scored = Scored(name, scored.probabilities, self._why(head, scored.value, columns, values, explain),
                                head.decide)
            found[name] = scored
        return found

    def _vectorised(self, text: str, subject: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Columns, values and raw decision values of a message, kept for the last
        few hundred messages so that the three labels of one message share them."""
        key = (text, subject)
        found = self._recent.get(key)
        if found is None:
            grams, dense = bag(text, subject)
            columns, values = self.vectoriser.row(grams, dense)
            found = (columns, values, self.scores(columns, values))
            if len(self._recent) >= 512:
                self._recent.clear()
            self._recent[key] = found
        return found

    def _why(self, head: Head, value: str, columns: np.ndarray, values: np.ndarray,
             top: int) -> tuple[tuple[str, float], ...]:
        block = self.weights[list(columns), head.columns]
        if len(head.classes) == 2:
            sign = 1.0 if value == head.classes[1] else -1.0
            weight = sign * block[:, 0]
        else:
            k = head.classes.index(value)
            weight = block[:, k] - np.delete(block, k, axis=1).mean(axis=1)
        contribution = np.asarray(values) * weight
        order = np.argsort(-contribution)[:top]
        return tuple((describe(self.names[columns[i]]), round(float(contribution[i]), 3))
                     for i in order if contribution[i] > 0)


def describe(name: str) -> str:
    """A feature name as a reader would say it: ``w refund`` -> ``word 'refund'``."""
    kind, _, rest = name.partition(" ")
    return {"w": "word", "b": "words", "c": "letters", "h": "handle", "s": "signal"}.get(kind, kind) + f" {rest!r}" \
        if kind != "s" else f"signal {rest}"


def write(path, arrays: Mapping[str, np.ndarray]) -> None:
    """Write ``arrays`` as an .npz whose bytes depend only on the arrays (fixed zip times, sorted)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.getvalue())
    with open(path, "wb") as handle:
        handle.write(buffer.getvalue())


def read(path) -> TextModel:
    """Load a model file (no pickles)."""
    with np.load(path, allow_pickle=False) as data:
        return TextModel({name: data[name] for name in data.files})


@lru_cache(maxsize=1)
def shipped() -> TextModel:
    """The model shipped with openledger, loaded once per process."""
    with resources.as_file(resources.files(__package__) / MODEL_FILE) as path:
        return read(path)

"""The labelled texts the classifiers are trained and measured on, and the fixed held-out part.

Every file is JSON Lines labelled by ``docs/labelling-guide.md``: ``text``
(and ``subject``), ``channel``, ``kind``, ``wants``, ``spam`` and ``source``.
Which texts are held out is fixed by a keyed hash of the text, chosen before
any model was trained: a text is held out when the first eight bytes of
HMAC-SHA256 (key :data:`HELDOUT_KEY`) over its whitespace-folded lower-case
text, read as a big-endian number, fall below :data:`HELDOUT_SHARE` of the
range. Texts of the sets that the rules were tuned on (:data:`TUNED`) are
never held out, nor is any copy of one of their texts elsewhere.

Nothing in ``openledger`` reads this module at run time: the training script
(``scripts/train_classifiers.py``), the benchmark and the quality gate do.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

HELDOUT_KEY = b"openledger-heldout-2026-12"
HELDOUT_SHARE = 0.30
#: labelled sets whose errors were read while the rules were written: always training texts
TUNED = ("labelled_messages.jsonl", "labelled_real_dev.jsonl", "labelled_real.jsonl",
         "labelled_real_holdout2.jsonl")
#: every labelled set, in the order they were made
FILES = TUNED + ("labelled_real_holdout3.jsonl", "labelled_real_more.jsonl", "labelled_written_more.jsonl",
                 "labelled_real_mail.jsonl")
KINDS = ("complaint", "compliment", "question", "suggestion")
WANTS = ("compensation", "fix", "none", "sympathy")


def fold(text: str) -> str:
    """Lower-case ``text`` with every run of white space made one space."""
    return " ".join(text.lower().split())


def held_out(text: str) -> bool:
    """Whether the keyed hash puts ``text`` in the held-out part (before the TUNED rule)."""
    digest = hmac.new(HELDOUT_KEY, fold(text).encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") < HELDOUT_SHARE * 2**64


@dataclass(frozen=True)
class Example:
    """One labelled text; ``kind`` and ``wants`` are None for spam."""

    text: str
    subject: str | None
    channel: str | None
    kind: str | None
    wants: str | None
    spam: str
    source: str
    file: str
    heldout: bool


def load(folder: Path, files: Sequence[str] = FILES) -> list[Example]:
    """Every labelled text of ``files`` in ``folder``, each marked held out or not."""
    rows: list[tuple[str, dict]] = []
    for name in files:
        for number, line in enumerate((folder / name).read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    rows.append((name, json.loads(line)))
                except json.JSONDecodeError as error:
                    raise ValueError(f"{name}: line {number}: not JSON ({error.msg})") from None
    tuned = {fold(row["text"]) for name, row in rows if name in TUNED}
    examples = []
    for name, row in rows:
        text = row["text"]
        examples.append(Example(
            text=text, subject=row.get("subject"), channel=row.get("channel"), kind=row.get("kind"),
            wants=row.get("wants"), spam=row.get("spam") or "no", source=row.get("source", ""), file=name,
            heldout=name not in TUNED and fold(text) not in tuned and held_out(text),
        ))
    return examples


def split(examples: Iterable[Example]) -> tuple[list[Example], list[Example]]:
    """(training texts, held-out texts)."""
    train: list[Example] = []
    heldout: list[Example] = []
    for example in examples:
        (heldout if example.heldout else train).append(example)
    return train, heldout


def macro_f1(pairs: Sequence[tuple[str, str]]) -> float:
    """The mean over the gold values of each value's F1 (a value never predicted scores 0)."""
    values = sorted({gold for gold, _ in pairs})
    if not values:
        return 0.0
    total = 0.0
    for value in values:
        tp = sum(1 for gold, pred in pairs if gold == pred == value)
        fp = sum(1 for gold, pred in pairs if pred == value != gold)
        fn = sum(1 for gold, pred in pairs if gold == value != pred)
        total += 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return total / len(values)


def precision_recall(pairs: Sequence[tuple[str, str]], value: str = "yes") -> tuple[float, float]:
    """(precision, recall) of ``value`` over (gold, predicted) pairs (0 where nothing was predicted, or is gold)."""
    tp = sum(1 for gold, pred in pairs if gold == pred == value)
    return (tp / max(1, sum(1 for _, pred in pairs if pred == value)),
            tp / max(1, sum(1 for gold, _ in pairs if gold == value)))


#: the labelled set of each influence label (issue 21), one file each, held out by the same keyed hash
INFLUENCE = {"leverage": "labelled_leverage.jsonl", "tone": "labelled_tone.jsonl",
             "moves_private": "labelled_moves_private.jsonl", "gag": "labelled_gag.jsonl"}
#: the labels read from the company's replies: their ``text`` is one reply
OUTBOUND = ("moves_private", "gag")


@dataclass(frozen=True)
class Labelled:
    """One text of an influence set: its gold value for ``label``, and whether it is held out."""

    label: str
    text: str
    gold: str
    channel: str | None
    rating: float | None
    source: str
    heldout: bool


def load_influence(folder: Path, label: str) -> list[Labelled]:
    """Every labelled text of ``label``'s set in ``folder``, each marked held out or not."""
    name = INFLUENCE[label]
    found = []
    for number, line in enumerate((folder / name).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{name}: line {number}: not JSON ({error.msg})") from None
        found.append(Labelled(label, row["text"], row[label], row.get("channel"), row.get("rating"),
                              row.get("source", ""), held_out(row["text"])))
    return found

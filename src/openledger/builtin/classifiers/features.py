"""What the trained text model reads of a message: the same code at training and at run time.

A message becomes a bag of named features in three blocks:

- ``w`` words and ``b`` word pairs of the cleaned text (:func:`~.text.normalise`:
  lower case, links and handles removed, hashtags split into words);
- ``c`` character 3- and 4-grams inside words (they carry spelling variants,
  other languages and other scripts: 代开发票, заработок);
- ``w @name`` the @handles it names (support accounts recur);
- ``s`` dense signals: the rule classifiers' cue scores (:mod:`~.intent`,
  :mod:`~.flags`; the model learns how far to trust each cue list; the
  rules' own decisions are left out, because on the sets they were tuned on
  they are right far more often than on new text) and the shape of the raw message (links, handles, hashtags, e-mail
  addresses, share of letters outside Latin script, length, capitals,
  the parts of a thread).

:class:`Vectoriser` turns the bags into rows: n-gram counts are weighted
``(1 + ln tf) * idf`` and scaled to unit length within their block (words
and pairs together, characters apart); signals are used as they are. The
vocabulary and the idf weights come from the training texts and ship with
the model.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import chain, repeat

import numpy as np

from openledger import patterns
from openledger.builtin.classifiers.flags import classify_spam
from openledger.builtin.classifiers.intent import LONG, signals
from openledger.builtin.classifiers.text import handle_count, normalise

_WORD = patterns.compile(r"[^\W_]+(?:'[^\W_]+)?|[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]")
_URL = patterns.compile(r"https?://|www\.", re.I)
_HANDLE = patterns.compile(r"(?<![\w@])@(\w{1,30})")
_EMAIL = patterns.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+\b")  # starts where a run starts: linear
_HASHTAG = re.compile(r"(?<!\w)#\w")
_DIGITS = re.compile(r"\d")
#: ``1 + ln tf`` of the counts that occur in nearly every bag, computed once
_TF_ARRAY = np.array((math.nan,) + tuple(1.0 + math.log(count) for count in range(1, 64)), dtype=np.float64)
#: the blocks of the vectoriser's columns
_WORDS, _CHARS, _NEITHER = 0, 1, 2

# No signal says which script a message is written in: the labelled texts in other scripts were mostly spam
# (VAT-invoice offers, bulk mail), so a model given the script learned that Japanese customers write spam
# (19 of the 28 Japanese and Chinese customer tweets of twcs_sample.csv were labelled spam). Spam in any script
# is told by what it promotes (the markers of ``learned``, the cues of ``flags``, links and prices).
#: the dense signals, in column order (rule cue scores are capped at 4 and scaled to [0, 1])
SIGNALS = (
    "problem", "weak", "praise", "resolved", "sarcasm", "question", "suggestion", "compensation",
    "fix_request", "venting", "ongoing", "evaluative", "compound", "crisis", "asks", "audience",
    "rhetorical", "money_ask", "addressed", "own_matter", "long", "rule_spam_reasons",
    "links", "handles", "hashtags", "emails", "digits", "words", "capitals", "parts", "question_marks",
)
_SCORES = ("problem", "weak", "praise", "resolved", "question", "suggestion", "compensation", "fix_request",
           "venting", "ongoing", "evaluative", "crisis", "asks", "audience", "rhetorical", "money_ask")


def _joined(text: str, subject: str | None) -> str:
    return f"{subject}. {text}" if subject else (text or "")


def ngrams(clean: str) -> Counter[str]:
    """Word, word-pair and in-word character 3- and 4-gram counts of normalised text."""
    words = _WORD.findall(clean)
    found: Counter[str] = Counter(map("w ".__add__, words))
    found.update(map("b {} {}".format, words, words[1:]))
    # every occurrence of a word adds its letters' grams once: the counts, and the order in which grams are
    # first seen, of adding each distinct word's grams times its count
    found.update(chain.from_iterable(map(_letters, words)))
    return found


@lru_cache(maxsize=65536)
def _letters(word: str) -> tuple[str, ...]:
    """The character 3- and 4-gram features of one word (words recur: computed once each)."""
    padded = f" {word} "
    return tuple("c " + padded[start:start + size] for size in (3, 4) for start in range(len(padded) - size + 1))


def handles(raw: str) -> Counter[str]:
    """The @handles a message names, as word-block features (numbered handles, as the
    anonymised customers of the Twitter data are, count as one ``w @#``)."""
    return Counter("w @#" if handle.isdigit() else "w @" + handle.lower() for handle in _HANDLE.findall(raw))


def shape(raw: str) -> dict[str, float]:
    """What the raw message looks like, each value in about [0, 1]."""
    letters = list(filter(str.isalpha, raw))
    upper = sum(map(str.isupper, letters)) / len(letters) if letters else 0.0
    words = len(raw.split())
    return {
        "links": min(len(_URL.findall(raw)), 4) / 4,
        "handles": min(handle_count(raw), 8) / 8,
        "hashtags": min(len(_HASHTAG.findall(raw)), 4) / 4,
        "emails": min(len(_EMAIL.findall(raw)), 2) / 2,
        "digits": min(len(_DIGITS.findall(raw)) / max(len(raw), 1) * 10, 1.0),
        "words": min(math.log1p(words) / math.log1p(400), 1.0),
        "capitals": upper,
        "parts": min(raw.count("\n\n"), 8) / 8,
        "question_marks": min(raw.count("?"), 3) / 3,
    }


def dense(text: str, subject: str | None = None) -> dict[str, float]:
    """The rule classifiers' cue scores and decisions plus the message's shape."""
    sig = signals(text, subject)
    spam = classify_spam(text, subject)
    found = {name: min(float(getattr(sig, name)), 4.0) / 4 for name in _SCORES}
    found.update(
        sarcasm=float(sig.sarcasm), compound=float(sig.compound), addressed=float(sig.addressed),
        own_matter=float(sig.own_matter), long=float(sig.words > LONG),
        rule_spam_reasons=min(len(spam.detail["reasons"]), 3) / 3,
    )
    found.update(shape(_joined(text, subject)))
    return found


@lru_cache(maxsize=2048)
def bag(text: str, subject: str | None = None) -> tuple[Counter[str], dict[str, float]]:
    """(n-gram counts, dense signals) of one message; cached, so every label's
    classifier of the same message computes them once (the caller must not change them)."""
    joined = _joined(text, subject)
    grams = ngrams(normalise(joined))
    grams.update(handles(joined))  # counts are positive: the same as ``+``, without copying the bag
    return grams, dense(text, subject)


@dataclass(frozen=True)
class Vectoriser:
    """Rows for the model: the n-gram vocabulary and idf weights, then the dense signals."""

    vocabulary: Mapping[str, int]
    idf: np.ndarray

    @property
    def width(self) -> int:
        return len(self.vocabulary) + len(SIGNALS)

    def row(self, grams: Mapping[str, int], signals_: Mapping[str, float],
            extra: Mapping[str, int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and values of one message (``extra``: more n-gram counts, read after ``grams``;
        no name may be in both). Only the word and pair block (names starting ``w`` or ``b``) and the
        character block (``c``) are read: a name with another first letter is in no block and adds nothing,
        even where the vocabulary holds it.

        The n-grams are looked up and weighted in arrays, with the same floating-point operations in the same
        order as a loop over the bag would do them (products element by element; each block's norm a running
        sum of squares in bag order), so a row's values do not depend on how it was computed."""
        names: Iterable[str] = grams if extra is None else chain(grams, extra)
        size = len(grams) + (len(extra) if extra else 0)
        counts_it: Iterable[int] = grams.values() if extra is None else chain(grams.values(), extra.values())
        found = np.fromiter(map(self.vocabulary.get, names, repeat(-1)), dtype=np.int64, count=size)
        known = found >= 0
        columns = found[known]
        counts = np.fromiter(counts_it, dtype=np.int64, count=size)[known]
        tf = _TF_ARRAY[np.minimum(counts, _TF_ARRAY.size - 1)]
        many = counts >= _TF_ARRAY.size
        if many.any():
            tf[many] = [1.0 + math.log(count) for count in counts[many].tolist()]
        weights = tf * self.idf[columns]
        block = self._blocks[columns]
        parts, part_values = [], []
        for number in (_WORDS, _CHARS):  # the word and pair block, then the character block, each in bag order
            chosen = block == number
            values = weights[chosen]
            if values.size:
                norm = math.sqrt(np.cumsum(values * values)[-1])
                if norm:
                    values = values / norm
            parts.append(columns[chosen])
            part_values.append(values)
        offset = len(self.vocabulary)
        get = signals_.get
        dense = [(offset + number, value) for number, name in enumerate(SIGNALS) if (value := get(name, 0.0))]
        if dense:
            parts.append(np.fromiter((c for c, _ in dense), dtype=np.int64, count=len(dense)))
            part_values.append(np.fromiter((v for _, v in dense), dtype=np.float64, count=len(dense)))
        return np.concatenate(parts), np.concatenate(part_values)

    @cached_property
    def _blocks(self) -> np.ndarray:
        """Each column's block: words and pairs (``w``, ``b``), characters (``c``), or neither."""
        kinds = {"w": _WORDS, "b": _WORDS, "c": _CHARS}
        blocks = np.full(len(self.vocabulary), _NEITHER, dtype=np.int8)
        for name, column in self.vocabulary.items():
            blocks[column] = kinds.get(name[:1], _NEITHER)
        return blocks

    def matrix(self, bags: Iterable[tuple[Mapping[str, int], Mapping[str, float]]]):
        """A scipy CSR matrix with one row per (n-grams, signals) pair."""
        from scipy.sparse import csr_matrix

        rows = [self.row(grams, signals_) for grams, signals_ in bags]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(columns) for columns, _ in rows], out=indptr[1:])
        indices = np.concatenate([columns for columns, _ in rows]).astype(np.int32) if rows else np.zeros(0, np.int32)
        data = np.concatenate([values for _, values in rows]) if rows else np.zeros(0)
        return csr_matrix((data, indices, indptr), shape=(len(rows), self.width))


def fit_vocabulary(bags: Sequence[tuple[Mapping[str, int], Mapping[str, float]]], min_df: int = 2,
                   max_features: int | None = None) -> Vectoriser:
    """The vocabulary (n-grams in at least ``min_df`` texts, the most frequent
    ``max_features``, sorted by name) and smoothed idf weights of training bags."""
    df: Counter[str] = Counter()
    for grams, _ in bags:
        df.update(grams.keys())
    kept = [name for name, count in df.items() if count >= min_df]
    if max_features is not None and len(kept) > max_features:
        kept = sorted(kept, key=lambda name: (-df[name], name))[:max_features]
    kept.sort()
    total = len(bags)
    idf = np.array([math.log((1 + total) / (1 + df[name])) + 1.0 for name in kept], dtype=np.float64)
    return Vectoriser({name: number for number, name in enumerate(kept)}, idf)

"""Closed-vocabulary values: what a free-text label becomes before it is stored
where the site may publish it.

A history ``category``, a CFPB ``Product``, a classifier's label value are
meant to be names from a small vocabulary, but they arrive as free text and a
customer (or a careless export) can put an e-mail address or a card number in
them. :func:`safe_label` turns any of them into a token: whatever the
redactors find is removed, anything that still looks like an identifier (an
``@``, six digits or more) is dropped, the rest is lower-cased and written as
a slug of letters, digits, ``_``, ``.`` and ``-`` joined by ``-``, at most
:data:`MAX_LABEL` characters, starting with a letter or digit (so never with a
character a spreadsheet reads as a formula). A value with nothing left is
:data:`REDACTED`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from openledger.privacy.redaction import Redactor, find_spans
from openledger.records import Span

MAX_LABEL = 80
REDACTED = "redacted"
_KEEP = "_.-"

Finder = Callable[[str], Sequence[Span]]


def _identifier_like(word: str) -> bool:
    return "@" in word or sum(ch.isdigit() for ch in word) >= 6


def slug(text: str) -> str:
    """``text`` as a lower-case token: letters, digits, ``_.-``; other runs become one ``-``."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", text).lower():
        if ch.isalnum() or ch in "_.":
            out.append(ch)
        elif out and out[-1] != "-":  # a "-" or any other run of characters: one "-"
            out.append("-")
    token = "".join(out).strip("_.-")
    if len(token) > MAX_LABEL:
        cut = token[:MAX_LABEL]
        token = (cut.rsplit("-", 1)[0] if "-" in cut else cut).strip("_.-")
    return token


def safe_label(value: str, find: Finder | None = None) -> tuple[str, bool]:
    """``(token, changed)``: the publishable token for ``value``, and whether something was removed.

    ``find`` returns the spans the redactors find in a text (see
    :func:`openledger.privacy.redaction.find_spans`); ``changed`` is true when
    it found something or a word looked like an identifier, so callers can
    report it. Re-casing and re-spacing alone is not a change.
    """
    text = str(value)
    changed = False
    if find is not None:
        spans = sorted(find(text), key=lambda s: s.start)
        if spans:
            changed = True
            parts, pos = [], 0
            for span in spans:
                if span.start >= pos:
                    parts.append(text[pos : span.start])
                pos = max(pos, span.end)
            parts.append(text[pos:])
            text = " ".join(parts)
    words = text.split()
    kept = [w for w in words if not _identifier_like(w)]
    changed = changed or len(kept) != len(words)
    token = slug(" ".join(kept))
    return (token or REDACTED), changed or not token


class LabelCleaner:
    """:func:`safe_label` with the instance's redactors, remembered per value (labels repeat)."""

    def __init__(self, find: Finder | None = None) -> None:
        self.find = find
        self._seen: dict[str, tuple[str, bool]] = {}
        self.changed: list[str] = []  # the tokens that replaced a value holding something personal

    def __call__(self, value: str) -> str:
        if value not in self._seen:
            self._seen[value] = safe_label(value, self.find)
        token, changed = self._seen[value]
        if changed:
            self.changed.append(token)
        return token


FREE_TEXT_FINDERS = frozenset({"name", "address"})
"""Redactors left out of label cleaning: they find people and places in prose and misread
vocabulary words ("Consumer Loan" has a surname in it); identifiers are what a label must not hold."""


def label_finder(redactors: Sequence[Redactor]) -> Finder:
    """A :data:`Finder` over the identifier redactors among ``redactors`` (all but names and addresses)."""
    chosen = [r for r in redactors if getattr(r, "name", None) not in FREE_TEXT_FINDERS]

    def find(text: str) -> list[Span]:
        return find_spans(text, chosen)

    return find

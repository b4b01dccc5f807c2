"""The leak scan of a built site, fast enough for a million cases.

Same rules as :func:`openledger.publication.find_leaks` (the same escaped
forms of each identifier, case-insensitive, whole tokens only, values
shorter than four characters skipped, numbers of four to eight digits only
in files that carry text, phone-like numbers of nine to fifteen digits
matched on their last nine digits whatever the separators, but not inside
decimals in files that do not carry text), but every file is read once and searched for all
identifiers together with an Aho-Corasick automaton (``pyahocorasick``), so
the cost grows with the site's size plus the number of identifiers, not
their product.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import ahocorasick

from openledger.errors import OpenLedgerError
from openledger.publication import Leak, _variants, carries_text, is_short_number, phone_digits, phone_runs, whole_token

_NON_DIGIT = re.compile(r"\D")
TAIL = 9


def _phone_tail(value: str) -> str | None:
    digits = phone_digits(value)
    return digits[-TAIL:] if digits else None


class Scanner:
    """All identifiers compiled once; :meth:`scan` searches a folder."""

    def __init__(self, identifiers: Mapping[str, Iterable[str]]):
        self.automaton = ahocorasick.Automaton()
        self.tails: dict[str, str] = {}
        words = 0
        for kind, values in identifiers.items():
            for value in values:
                value = str(value).strip()
                if len(value) < 4:
                    continue
                number = is_short_number(value)
                for form in _variants(value):
                    form = form.lower()
                    if form not in self.automaton:
                        self.automaton.add_word(form, (len(form), number, {kind}))
                        words += 1
                    else:
                        self.automaton.get(form)[2].add(kind)
                tail = _phone_tail(value)
                if tail:
                    self.tails.setdefault(tail, kind)
        self.empty = words == 0
        if not self.empty:
            self.automaton.make_automaton()

    def _text_leaks(self, text: str, textual: bool = True) -> set[str]:
        kinds: set[str] = set()
        if not self.empty:
            lower = text.lower()
            for end, (size, number, found) in self.automaton.iter(lower):
                if (textual or not number) and whole_token(lower, end + 1 - size, end + 1, number):
                    kinds.update(found)
        if self.tails:
            for run in phone_runs(text, textual):
                digits = _NON_DIGIT.sub("", run)
                for i in range(len(digits) - TAIL + 1):
                    kind = self.tails.get(digits[i:i + TAIL])
                    if kind:
                        kinds.add(kind)
        return kinds

    def scan(self, site_dir: str | Path) -> list[Leak]:
        """One :class:`Leak` per (file, kind) found under ``site_dir``, sorted."""
        root = Path(site_dir)
        if not root.is_dir():
            raise OpenLedgerError("not a directory", path=root)
        leaks = []
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            text = path.read_bytes().decode("utf-8", errors="ignore")
            rel = path.relative_to(root).as_posix()
            leaks += [Leak(rel, kind) for kind in self._text_leaks(text, carries_text(rel))]
        return sorted(leaks, key=lambda leak: (leak.file, leak.kind))


def find_leaks(site_dir: str | Path, identifiers: Mapping[str, Iterable[str]]) -> list[Leak]:
    """Search every file under ``site_dir`` for the raw ``identifiers`` (kind -> values)."""
    return Scanner(identifiers).scan(site_dir)

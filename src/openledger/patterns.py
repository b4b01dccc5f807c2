"""The one registry of user-facing regular expressions: every pattern that runs
over text a customer, an export or a site sends (redactors, sources,
classifiers, summaries, the watch list, the leak scan) is compiled here.

Python's ``re`` backtracks: a pattern such as ``[\\w.+-]+@[\\w-]+`` scans a long
run of letters once from every start, which is quadratic (200 KB of ``A`` took
171 s). ``tests/test_patterns.py`` times every registered pattern on 1 MB
strings built from its own character classes and fails on one that is not
linear, so a new pattern is checked as soon as it is registered here.

``use`` says how the pattern is applied, which is what the test times:

* ``"scan"``: searched over a whole text (``search``, ``finditer``, ``sub``,
  ``findall``, ``split``);
* ``"at"``: only matched at positions the caller chooses (``match``,
  ``fullmatch``), each position at most once per text, so one anchored
  attempt must be linear;
* ``"window"``: only searched inside a slice of at most ``window`` characters
  around a match (``search(text, start - 40, start)``).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Literal

Use = Literal["scan", "at", "window"]


@dataclass(frozen=True)
class Registered:
    """One user-facing pattern: where it is defined, how it is applied, and the compiled pattern."""

    module: str
    pattern: re.Pattern[str]
    use: Use
    window: int = 0


REGISTRY: list[Registered] = []


def compile(pattern: str, flags: int | re.RegexFlag = 0, *, use: Use = "scan", window: int = 0,
            _depth: int = 1) -> re.Pattern[str]:
    """Compile ``pattern`` (like :func:`re.compile`) and register it for the linear-time test."""
    if use == "window" and window <= 0:
        raise ValueError("a 'window' pattern states its largest window")
    compiled = re.compile(pattern, flags)
    module = sys._getframe(_depth).f_globals.get("__name__", "?")
    REGISTRY.append(Registered(module, compiled, use, window))
    return compiled


def anchored(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """A pattern only matched at positions its caller chooses (``use="at"``)."""
    return compile(pattern, flags, use="at", _depth=2)


def windowed(window: int, pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """A pattern only searched in a slice of at most ``window`` characters (``use="window"``)."""
    return compile(pattern, flags, use="window", window=window, _depth=2)

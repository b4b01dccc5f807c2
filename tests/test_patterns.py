"""Every user-facing regular expression is linear: no customer text can stall a command.

Each pattern of :data:`openledger.patterns.REGISTRY` is run, as its ``use``
says it is applied, over adversarial strings made from its own character
classes: every character it names (a literal, both ends of a range, a
member of each class) repeated, and every pair of them alternated ("1-1-1-...",
the input that made a spelled e-mail pattern take 55 s on 2.5 KB). The worst
strings of a short screening run are then timed at 1 MB. A linear pattern
scans 1 MB in well under a second; a quadratic one takes minutes, so the
bounds below are generous and only catch the super-linear.
"""

from __future__ import annotations

import importlib
import itertools
import pkgutil
import re
import time

import pytest

import openledger
from openledger.patterns import REGISTRY, Registered

try:  # Python 3.11+
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser as parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as c  # type: ignore[no-redef]
    import sre_parse as parser  # type: ignore[no-redef]

SCREEN, MIDDLE, FULL = 8_000, 64_000, 1_000_000
SCREEN_LIMIT, MIDDLE_LIMIT, FULL_LIMIT = 0.25, 1.5, 8.0  # seconds; linear runs are 10 to 100 times faster
CATEGORY = {c.CATEGORY_DIGIT: "17", c.CATEGORY_SPACE: " \t\n", c.CATEGORY_WORD: "aZ_1é",
            c.CATEGORY_NOT_DIGIT: "a", c.CATEGORY_NOT_SPACE: "a", c.CATEGORY_NOT_WORD: " -"}


def load_everything() -> list[Registered]:
    for module in pkgutil.walk_packages(openledger.__path__, "openledger."):
        if ".migrations" not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    return list(REGISTRY)


def characters(pattern: re.Pattern[str]) -> list[str]:
    """A few characters of each class, every punctuation literal and a few letters the pattern names.

    Letters of keywords ("store|branch|...") add nothing a class does not: a
    run of one letter is as hard as a run of another, so only four are kept.
    """
    out: set[str] = {"a", "A", "1", " ", ".", "\n"}
    letters: set[str] = set()

    def walk(items) -> None:
        for op, av in items:
            if op in (c.LITERAL, c.NOT_LITERAL):
                (letters if chr(av).isalnum() else out).add(chr(av) if op == c.LITERAL else "a")
            elif op == c.IN:
                for kind, arg in av:
                    if kind == c.LITERAL:
                        (letters if chr(arg).isalnum() else out).add(chr(arg))
                    elif kind == c.RANGE:
                        out.update({chr(arg[0]), chr(arg[1])})
                    elif kind == c.CATEGORY:
                        out.update(CATEGORY.get(arg, "a"))
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT) or op == getattr(c, "POSSESSIVE_REPEAT", None):
                walk(av[2])
            elif op == c.SUBPATTERN:
                walk(av[-1])
            elif op == c.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op in (c.ASSERT, c.ASSERT_NOT):
                walk(av[1])
            elif op == getattr(c, "ATOMIC_GROUP", None):
                walk(av)

    walk(parser.parse(pattern.pattern, pattern.flags))
    return sorted(out | set(sorted(letters)[:4]))


def adversarial(pattern: re.Pattern[str], size: int) -> list[str]:
    chars = characters(pattern)
    runs = [ch * size for ch in chars]
    pairs = [(a + b) * (size // 2) for a, b in itertools.combinations(chars, 2)]
    return runs + pairs


def apply(entry: Registered, text: str) -> float:
    """Seconds to apply the pattern to ``text`` the way its module does."""
    start = time.perf_counter()
    if entry.use == "scan":
        for _ in entry.pattern.finditer(text):
            pass
    elif entry.use == "at":
        entry.pattern.match(text)
        entry.pattern.match(text, len(text) // 2)
    else:
        entry.pattern.search(text, 0, entry.window)
        entry.pattern.search(text, len(text) - entry.window)
    return time.perf_counter() - start


def name(entry: Registered) -> str:
    return f"{entry.module}:{entry.pattern.pattern[:40]}"


ALL = load_everything()


def test_the_registry_holds_the_user_facing_patterns():
    modules = {entry.module for entry in ALL}
    for expected in ("openledger.builtin.redactors.contact", "openledger.builtin.redactors.addresses",
                     "openledger.builtin.redactors.names", "openledger.builtin.sources.email",
                     "openledger.store.identifiers", "openledger.privacy.leaks", "openledger.intake.watchlist",
                     "openledger.cases.summary"):
        assert expected in modules
    assert len(ALL) > 100


@pytest.mark.parametrize("entry", ALL, ids=name)
def test_no_pattern_is_super_linear(entry):
    screened = sorted(((apply(entry, text), text) for text in adversarial(entry.pattern, SCREEN)), reverse=True)
    seconds, worst = screened[0]
    assert seconds < SCREEN_LIMIT, f"{SCREEN:,} characters of {worst[:6]!r}... took {seconds:.2f} s"
    for _, text in screened[:2]:
        unit = text[:2]
        middle = apply(entry, unit * (MIDDLE // 2))
        assert middle < MIDDLE_LIMIT, f"{MIDDLE:,} characters of {unit!r}... took {middle:.2f} s"
        full = apply(entry, unit * (FULL // 2))
        assert full < FULL_LIMIT, f"1 MB of {unit!r}... took {full:.2f} s"

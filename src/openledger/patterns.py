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

Long alternations of cue words (``\\b(?:worst|terrible|...)\\b``, a hundred
words) cost ``re`` a try of every word at every word start, case-insensitive
tries having no fast skip. :func:`dispatched` rewrites such an alternation,
before it is compiled, into one branch per first character, each entered
through a one-character look-ahead and holding, in their order, only the
words that can start with that character: the same matches, found two to
three times faster.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from re import _constants, _parser  # type: ignore[attr-defined]  # the parser ``re`` itself uses
from typing import Literal

Use = Literal["scan", "at", "window"]


@dataclass(frozen=True)
class Registered:
    """One user-facing pattern: where it is defined, how it is applied, and the compiled pattern."""

    module: str
    pattern: re.Pattern[str]
    use: Use
    window: int = 0
    source: str = ""
    """the pattern as written (``pattern.pattern`` is :func:`dispatched`'s rewrite of it)"""


REGISTRY: list[Registered] = []


def compile(pattern: str, flags: int | re.RegexFlag = 0, *, use: Use = "scan", window: int = 0,
            _depth: int = 1) -> re.Pattern[str]:
    """Compile ``pattern`` (like :func:`re.compile`) and register it for the linear-time test."""
    if use == "window" and window <= 0:
        raise ValueError("a 'window' pattern states its largest window")
    try:
        compiled = re.compile(dispatched(pattern, flags), flags)
    except re.error:  # a form the rewrite does not follow (global flags inside, say): the pattern as written
        compiled = re.compile(pattern, flags)
    module = sys._getframe(_depth).f_globals.get("__name__", "?")
    REGISTRY.append(Registered(module, compiled, use, window, pattern))
    return compiled


@dataclass(frozen=True)
class Caseless:
    """A case-insensitive pattern and, where :func:`caseless_on_lower_ascii` admits it, its case-sensitive
    twin, which ``re`` searches faster in the lower case of an ASCII text and which matches there at the
    same places (the lower case of an ASCII text has its length, so a span found in it is the text's).
    Each method takes the text and :func:`lower_ascii` of it."""

    pattern: re.Pattern[str]
    twin: re.Pattern[str] | None

    def _which(self, text: str, lower: str | None) -> tuple[re.Pattern[str], str]:
        return (self.twin, lower) if self.twin is not None and lower is not None else (self.pattern, text)

    def span(self, text: str, lower: str | None) -> tuple[int, int] | None:
        """Where the first match is, or None."""
        pattern, searched = self._which(text, lower)
        found = pattern.search(searched)
        return None if found is None else found.span()

    def count(self, text: str, lower: str | None) -> int:
        """How many matches :meth:`re.Pattern.findall` finds."""
        pattern, searched = self._which(text, lower)
        return len(pattern.findall(searched))


def caseless(pattern: str) -> Caseless:
    """:func:`compile` ``pattern`` with ``re.I``, and without it as its twin when the twin matches the same
    on lower-case ASCII text (both registered for the linear-time test)."""
    twin = compile(pattern, _depth=2) if caseless_on_lower_ascii(pattern) else None
    return Caseless(compile(pattern, re.I, _depth=2), twin)


def lower_ascii(text: str) -> str | None:
    """``text`` in lower case when it is ASCII (where a :class:`Caseless` twin may search it), else None."""
    return text.lower() if text.isascii() else None


def anchored(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """A pattern only matched at positions its caller chooses (``use="at"``)."""
    return compile(pattern, flags, use="at", _depth=2)


def windowed(window: int, pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """A pattern only searched in a slice of at most ``window`` characters (``use="window"``)."""
    return compile(pattern, flags, use="window", window=window, _depth=2)


#: alternations shorter than this are left as they are
DISPATCH_LEAST = 8


def dispatched(pattern: str, flags: int | re.RegexFlag = 0) -> str:
    """``pattern`` with each long alternation dispatched on its first character; same matches.

    An alternation ``A1|A2|...`` (at the top level or in a non-capturing
    group) of at least :data:`DISPATCH_LEAST` branches without capturing
    groups becomes ``(?=[c..])(?:Ai|Aj..)|(?=[d..])(?:..)|...``: one branch
    per character (with its case variants under ``re.I``) that a branch may
    start with, holding in the original order every branch that may start
    with it or whose first character is unknown (``\\w``, a negated class,
    an empty match), then ``(?![all those])(?:the unknown ones)``. At a given
    position exactly one look-ahead holds, and it leads to exactly the
    branches that could match there, in the same order, so the leftmost-first
    choice of ``re`` is unchanged. Only case-insensitive alternations are
    rewritten (``re`` skips a case-sensitive branch by its first literal
    already), and only where a word start would cost at most four fifths of
    its tries; verbose patterns are left alone.
    """
    if flags & re.X or "(?#" in pattern:
        return pattern
    return _dispatch_in(pattern, int(flags))


def _dispatch_in(source: str, flags: int) -> str:
    branches = _top_level(source)
    if len(branches) > 1:
        branches = [_dispatch_in(branch, flags) for branch in branches]
        return _by_first_character(branches, flags) or "|".join(branches)
    out, last = [], 0
    for opened, closed in _groups(source):  # one branch: look inside its (?:...) groups
        out += [source[last:opened + 3], _dispatch_in(source[opened + 3:closed], flags)]
        last = closed
    return "".join(out) + source[last:]


def _scan(source: str):
    """(position, character) of each character of ``source`` outside escapes and classes."""
    i, size = 0, len(source)
    while i < size:
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            j = i + 1
            j += source.startswith("^", j)
            j += source.startswith("]", j)
            while j < size and source[j] != "]":
                j += 2 if source[j] == "\\" else 1
            i = j + 1
            continue
        yield i, char
        i += 1


def _top_level(source: str) -> list[str]:
    """The branches of ``source``'s top-level alternation (one when it has none)."""
    branches, start, depth = [], 0, 0
    for i, char in _scan(source):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(source[start:i])
            start = i + 1
    return branches + [source[start:]]


def _groups(source: str) -> list[tuple[int, int]]:
    """(opening, closing) positions of the top-level non-capturing groups ``(?:...)`` of ``source``."""
    found, depth, opened = [], 0, -1
    for i, char in _scan(source):
        if char == "(":
            if depth == 0:
                opened = i if source.startswith("(?:", i) else -1
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and opened >= 0:
                found.append((opened, i))
    return found


def _class_characters(items) -> set[str] | None:
    chars: set[str] = set()
    for op, arg in items:
        if op is _constants.LITERAL:
            chars.add(chr(arg))
        elif op is _constants.RANGE and arg[1] - arg[0] <= 64:
            chars.update(chr(code) for code in range(arg[0], arg[1] + 1))
        else:  # a category, a negation, a wide range
            return None
    return chars


def _first(items) -> set[str] | None:
    """The characters a match of the parsed ``items`` may start with; None when not known or it may be empty."""
    found: set[str] = set()
    for op, arg in items:
        if op in (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT):
            continue  # zero width: the next item starts the match
        if op is _constants.LITERAL:
            return found | {chr(arg)}
        if op is _constants.IN:
            chars = _class_characters(arg)
            return None if chars is None else found | chars
        if op is _constants.SUBPATTERN:
            group, added, removed, sub = arg
            inner = None if group or added or removed else _first(sub.data)
            return None if inner is None else found | inner
        if op is _constants.BRANCH:
            for branch in arg[1]:
                inner = _first(branch.data)
                if inner is None:
                    return None
                found |= inner
            return found
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
            least, _, sub = arg
            inner = _first(sub.data)
            if inner is None:
                return None
            found |= inner
            if least >= 1:
                return found
            continue  # it may be skipped: the next item may start the match
        return None
    return None  # it may match the empty string


def _by_first_character(branches: list[str], flags: int) -> str | None:
    if len(branches) < DISPATCH_LEAST or not flags & re.I:  # case-sensitive branches: ``re`` skips them fast
        return None
    try:
        if any(re.compile(branch, flags).groups for branch in branches):
            return None  # copies of a capturing group would renumber the groups
        firsts = [_first(_parser.parse(branch, flags).data) for branch in branches]
    except (re.error, RecursionError):
        return None
    classes: list[list[str]] = []  # the characters each look-ahead names: one class each, case variants together

    def class_of(char: str) -> int:
        for number, members in enumerate(classes):
            one = members[0]
            if char == one or (flags & re.I and (re.fullmatch(re.escape(one), char, flags)
                                                 or re.fullmatch(re.escape(char), one, flags))):
                if char not in members:
                    members.append(char)
                return number
        classes.append([char])
        return len(classes) - 1

    starts = [None if first is None else {class_of(char) for char in sorted(first)} for first in firsts]
    chosen = {number: [branch for branch, start in zip(branches, starts) if start is None or number in start]
              for number in range(len(classes))}
    unknown = [branch for branch, start in zip(branches, starts) if start is None]
    # what a word start costs: every branch (``re`` skips one that starts with a character
    # without case fast); rewritten, the look-aheads tried before the right one, then its branches
    before = sum(0.1 if first is not None and all(char.lower() == char.upper() for char in first) else 1.0
                 for first in firsts)
    after = 0.75 * len(classes) + sum(map(len, chosen.values())) / max(len(classes), 1)
    if after > 0.8 * before:
        return None
    order = sorted(chosen, key=lambda number: -len(chosen[number]))  # the fullest first: most often right
    parts = [f"(?={_class(classes[number])})(?:{'|'.join(chosen[number])})" for number in order]
    if unknown:
        parts.append(f"(?!{_class([char for members in classes for char in members])})(?:{'|'.join(unknown)})")
    return "|".join(parts)


def _class(chars: list[str]) -> str:
    return "[" + "".join(re.escape(char) for char in sorted(chars)) + "]"


#: what lower-case text may hold of ASCII: every ASCII character but the capitals
_LOWER_ASCII = "".join(chr(code) for code in range(128) if not "A" <= chr(code) <= "Z")


def caseless_on_lower_ascii(pattern: str) -> bool:
    """Whether ``pattern`` compiled with ``re.I`` and compiled without it match the same on every lower-case
    ASCII text: each of its literals and class members matches the same ASCII characters but the capitals
    either way (a capital letter does not, nor do ``ſ``, ``ı``, ``İ`` or the Kelvin sign, which match ASCII
    letters only case-insensitively), and it holds no inline flags and no back-references. Such a pattern
    may then run without ``re.I`` over a text that is ASCII and lower case, which ``re`` searches faster
    (a case-sensitive branch is skipped by its first character)."""
    try:
        return _caseless(_parser.parse(pattern, 0).data)
    except (re.error, RecursionError):
        return False


def _caseless(items) -> bool:
    for op, arg in items:
        if op in (_constants.LITERAL, _constants.NOT_LITERAL):
            if not _caseless_character(arg):
                return False
        elif op is _constants.IN:
            for member, value in arg:
                if member is _constants.LITERAL:
                    if not _caseless_character(value, in_class=True):
                        return False
                elif member is _constants.RANGE:
                    if not _same_either_case(f"[{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}]"):
                        return False
                elif member not in (_constants.NEGATE, _constants.CATEGORY):
                    return False
        elif op is _constants.SUBPATTERN:
            _, added, removed, sub = arg
            if added or removed or not _caseless(sub.data):
                return False
        elif op is _constants.BRANCH:
            if not all(_caseless(branch.data) for branch in arg[1]):
                return False
        elif op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT):
            if not _caseless(arg[2].data):
                return False
        elif op in (_constants.ASSERT, _constants.ASSERT_NOT):
            if not _caseless(arg[1].data):
                return False
        elif op is _constants.ATOMIC_GROUP:
            if not _caseless(arg.data):
                return False
        elif op not in (_constants.AT, _constants.ANY, _constants.CATEGORY):
            return False  # a back-reference, a conditional group: not looked into
    return True


def _caseless_character(code: int, in_class: bool = False) -> bool:
    """Whether the character ``code`` (alone, or as a member of a class) matches the same characters of
    :data:`_LOWER_ASCII` with ``re.I`` and without: an ASCII one unless it is a capital."""
    if code < 128:
        return not 65 <= code <= 90
    atom = re.escape(chr(code))
    return _same_either_case(f"[{atom}]" if in_class else atom)


def _same_either_case(atom: str) -> bool:
    """Whether the one-character ``atom`` matches the same characters of :data:`_LOWER_ASCII` with ``re.I`` and
    without."""
    return re.findall(atom, _LOWER_ASCII, re.I) == re.findall(atom, _LOWER_ASCII)

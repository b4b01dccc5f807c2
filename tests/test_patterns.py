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
import json
import pkgutil
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import openledger
from openledger.patterns import REGISTRY, Registered, caseless_on_lower_ascii, dispatched

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
    for expected in ("openledger.builtin.redactors.contact", "openledger.builtin.redactors._addresses",
                     "openledger.builtin.redactors._names", "openledger.builtin.sources.email",
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


# --- the rewrite of long alternations (patterns.dispatched) matches exactly as the pattern was written

DATA = Path(__file__).parent / "data"
REWRITTEN = [entry for entry in ALL if entry.pattern.pattern != entry.source]


def real_texts() -> list[str]:
    """Real and written customer texts of the test data, as they are and in upper and lower case."""
    texts = []
    for name in ("labelled_real.jsonl", "labelled_real_holdout2.jsonl", "redaction_corpus.jsonl",
                 "labelled_tone.jsonl", "labelled_gag.jsonl", "labelled_leverage.jsonl",
                 "labelled_moves_private.jsonl"):
        with open(DATA / name, encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in f if line.strip()]
    return texts + [text.upper() for text in texts[::7]] + [text.lower() for text in texts[3::7]]


TEXTS = real_texts()


def matches(pattern: re.Pattern[str], text: str) -> list:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


def test_long_case_insensitive_alternations_are_rewritten():
    assert len(REWRITTEN) >= 10
    assert any(entry.module == "openledger.builtin.classifiers.influence" for entry in REWRITTEN)


@pytest.mark.parametrize("entry", REWRITTEN, ids=name)
def test_a_rewritten_pattern_finds_what_it_was_written_to_find(entry):
    written = re.compile(entry.source, entry.pattern.flags)
    for text in TEXTS + adversarial(written, 40):
        assert matches(entry.pattern, text) == matches(written, text), text[:80]


@pytest.mark.parametrize("entry", REWRITTEN, ids=name)
def test_a_rewritten_pattern_finds_the_same_in_text_made_to_match(entry):
    """Strings generated from the pattern as written (so that it matches), with text around them."""
    written = re.compile(entry.source, entry.pattern.flags)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.tuples(st.text(max_size=6), st.one_of(st.from_regex(written), st.sampled_from(TEXTS[:40])),
                     st.text(max_size=6)))
    def check(parts):
        text = "".join(parts)
        assert matches(entry.pattern, text) == matches(written, text)

    check()


#: characters whose case variants are not one-to-one (the long s, the Kelvin sign, the dotted and dotless i)
ALPHABET = "aAbBsSſkKKiIİıßé- .1"
BRANCH_PARTS = st.one_of(
    st.text(ALPHABET, min_size=1, max_size=4).map(re.escape),
    st.sampled_from([r"[ab]c", r"s?k", r"\w+a", "", r"k*s", r"(?:b|S)i", r"[^a]b", r"\d", r"ß?s", r"(?=a)ab",
                     r"(?<!b)ka", r"\bsi\b", r"x{0,2}a", r"İ", r"K", r"ſ"]),
)


@settings(max_examples=300, deadline=None)
@given(branches=st.lists(BRANCH_PARTS, min_size=8, max_size=30),
       texts=st.lists(st.text(ALPHABET, max_size=40), min_size=1, max_size=6),
       ignore_case=st.booleans(), boundary=st.booleans())
def test_dispatching_never_changes_a_match(branches, texts, ignore_case, boundary):
    source = "|".join(branches)
    if boundary:
        source = r"\b(?:" + source + r")\b"
    flags = re.I if ignore_case else 0
    written, rewritten = re.compile(source, flags), re.compile(dispatched(source, flags), flags)
    for text in texts:
        assert matches(rewritten, text) == matches(written, text)


@pytest.mark.parametrize(("pattern", "caseless"), [
    (r"\bnot (?:very )?happy\b", True), (r"[^.!?]{0,30}\bback\b", True), (r"[£$€]\s?\d[\d.,]*", True),
    (r"\bé\w+", True), (r"[a-z]+", True), (r"\W+\w", True),
    (r"[A-Z]x", False), ("A", False), (r"(?-i:[Tt]he)", False), (r"(?i:the)", False), (r"(a)\1", False),
    ("\u017f", False), ("\u212a", False), ("\u0130", False), ("\u0131", False), (r"[\u00c0-\u024f]", False),
])
def test_a_pattern_is_caseless_on_lower_case_ascii_only_where_it_names_no_capital(pattern, caseless):
    assert caseless_on_lower_ascii(pattern) is caseless


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["a", "b", "k", "s", "i", "[a-c]", "[^b]", "[sk]", "\\w", "\\b", ".", "x?",
                                 "(?:a|k)", "\u017f", "\u212a", "[\u0100-\u0200]", "A", "[A-C]", "é", "(?=s)"]),
                min_size=1, max_size=5),
       st.text(alphabet="abcikst \u017f\u212a\u0130", max_size=12))
def test_a_caseless_pattern_finds_the_same_with_and_without_ignore_case(atoms, raw):
    pattern = "".join(atoms)
    text = raw.encode("ascii", "ignore").decode().lower()
    if caseless_on_lower_ascii(pattern):
        assert [m.span() for m in re.finditer(pattern, text)] == [m.span() for m in re.finditer(pattern, text, re.I)]


def _caseless_patterns():
    from openledger.builtin.classifiers import influence

    found = [pattern for _, _, pattern in influence._LEVERAGE] + list(influence._NOT_A_LEVER.values())
    return found + [influence._ABUSE, influence._NEGATIVE, influence._POSITIVE, influence._THANKS]


CUE_WORDS = ["i", "will", "post", "this", "on", "twitter", "my", "lawyer", "the", "bank's", "attorney", "ftc",
             "report", "you", "are", "liars", "worst", "ever", "never", "again", "thanks", "thank you", "great",
             "love", "press", "the", "button", "review", "one-star", "bbc", "!!", ":(", "#fail", "scam", "lol",
             "not happy", "go viral", "media", "player"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(CUE_WORDS), st.sampled_from(["lower", "upper", "title", "swapcase"]),
                          st.sampled_from([" ", ", ", ". ", "\n", "! "])), max_size=14))
def test_a_caseless_twin_finds_what_its_case_insensitive_pattern_finds(words):
    """:class:`openledger.patterns.Caseless`: the twin searched in the lower case of an ASCII text finds the
    same spans and counts as the ``re.I`` pattern in the text (the tone and leverage rules use it)."""
    from openledger.patterns import lower_ascii

    text = "".join(getattr(word, case)() + gap for word, case, gap in words)
    for caseless in _caseless_patterns():
        first = caseless.pattern.search(text)
        assert caseless.span(text, lower_ascii(text)) == (first.span() if first else None)
        assert caseless.count(text, lower_ascii(text)) == len(caseless.pattern.findall(text))

"""Text clean-up and phrase matching shared by the rule classifiers.

Real customer messages carry Twitter handles, hashtags, t.co links, HTML
entities (``&amp;``), form headers (``Topic: Billing``), call-note shorthand
(``Cust called re:``) and emoji. :func:`normalise` turns them into plain,
lower-case prose that keyword lists can match, without losing the signals:
hashtags become words (``#CSFail`` -> ``cs fail``), emoji are kept (VADER and
the cue lists read them), handles and links become neutral tokens.

:class:`PhraseSet` compiles a list of phrases; the plain phrases of every set
are found together, in one Aho-Corasick pass over a text.
A phrase is matched on word boundaries, case-insensitively; a trailing ``*``
matches any word ending (``refund*`` matches refund, refunds, refunded); a
phrase starting with ``re:`` is a raw regular expression for the few cues
that need one.
"""

from __future__ import annotations

import html
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from openledger import patterns
from openledger.patterns import caseless_on_lower_ascii

try:  # one pass over the text for every phrase of a set; the regex is the fallback
    import ahocorasick
except ImportError:  # pragma: no cover - pyahocorasick is a dependency
    ahocorasick = None

# matches start only where a run of their characters starts: a linear scan
_URL = patterns.compile(r"(?:https?://|www\.)\S+|(?<![\w-])[\w-]+\.(?:com|co\.uk|biz|net|org|ly)/\S*", re.I)
_EMAIL = patterns.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+\b")
_HANDLE = patterns.compile(r"(?<![\w@])[.]?@\w{1,30}")
_HASHTAG = patterns.compile(r"#(\w+)")
_CAMEL = patterns.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_FORM_HEADER = patterns.compile(
    r"^(?:subject|topic|name|message|thema|nachricht|sujet|asunto|mensaje|objet)\s*:\s*", re.I | re.M
)
_SPACE = patterns.compile(r"[ \t\r\f\v]+")
_LOOSE_SPACE = patterns.compile(r"\s\s|[^\S ]")
_SPACE_RUN = patterns.compile(r"\s+")
#: letter and e-mail sign-offs, which would otherwise read as praise ("kind regards")
_SIGN_OFF = patterns.compile(
    r"\b(?:kind|best|warm|warmest)\s+regards\b|\bregards\b\s*[,.]?\s*$|\bbest wishes\b|"
    r"\byours\s+(?:sincerely|faithfully|truly)\b|\bthanks?(?:\s+you)?\s+in\s+advance\b|"
    r"\b(?:many\s+)?thanks\s*,?\s*$|\bmit freundlichen grüßen\b|\bcordialement\b|"
    r"\bveuillez agréer[^\n]*|\batentamente\b|\bun saludo\b|\bsaludos\b",
    re.I | re.M)

#: call-centre shorthand expanded so the cue lists can stay in plain words: pattern, replacement, and the lower-case
#: strings one of which every match holds (see :func:`may_match`)
_SHORTHAND = (
    (r"\bcust\b", "customer", ("cust",)),
    (r"\bcllr\b", "caller", ("cllr",)),
    (r"\bpax\b", "passenger", ("pax",)),
    (r"\bacct\b", "account", ("acct",)),
    (r"\btxns?\b", "transactions", ("txn",)),
    (r"\bre:", "about", ("re:",)),
    (r"\bu\b", "you", ("u",)),
    (r"\bpls\b|\bplz\b", "please", ("pl",)),
    (r"\bthx\b|\bty\b", "thanks", ("thx", "ty")),
    (r"\bcan't\b|\bcant\b", "cannot", ("can",)),
    (r"\bwon't\b|\bwont\b", "will not", ("won",)),
    (r"n't\b", " not", ("n't",)),
    (r"\b(did|does|do|is|was|were|are|has|have|had|could|would|should)nt\b", r"\1 not", ("nt",)),
)
_SHORTHAND_RE = [(re.compile(pattern, re.I), repl, needs) for pattern, repl, needs in _SHORTHAND]
#: lower-case strings one of which every sign-off match holds, one for each alternative of the pattern
_SIGN_OFF_NEEDS = ("regards", "best wishes", "yours", "thank", "mit freundlichen gr", "cordialement", "veuillez agr",
                   "atentamente", "un saludo", "saludos")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def _hashtag_words(match: re.Match) -> str:
    word = match.group(1)
    return " " + _CAMEL.sub(" ", word) + " "


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Return ``text`` as lower-case prose with links, handles and tags neutralised.

    >>> normalise("@Delta you lost my bag &amp; #NotHappy https://t.co/x")
    'you lost my bag & not happy'
    """
    text = html.unescape(text or "").translate(_APOSTROPHES)
    if ":" in text:
        text = _FORM_HEADER.sub("", text)
    if "\n" in text and may_match(text, _SIGN_OFF_NEEDS):  # only multi-line messages (letters, e-mails) have
        text = _SIGN_OFF.sub(" ", text)  # sign-offs
    if "/" in text or may_match(text, ("www.",)):
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _EMAIL.sub(" ", text)
        text = _HANDLE.sub(" ", text)
    if "#" in text:
        text = _HASHTAG.sub(_hashtag_words, text)
    for pattern, repl, needs in _SHORTHAND_RE:
        if may_match(text, needs):
            text = pattern.sub(repl, text)
    text = text.lower()
    lines = [_SPACE.sub(" ", line).strip() for line in text.splitlines()]
    return " ".join(line for line in lines if line)


def may_match(text: str, needs: tuple[str, ...]) -> bool:
    """Whether a case-insensitive pattern, every match of which holds one of the lower-case strings
    ``needs``, may match ``text``: the patterns are skipped where they cannot (each is a scan of the text
    position by position). A text that is not ASCII is always scanned (case-insensitive matching pairs a
    few other letters with ASCII ones: ``ſ`` with ``s``, the Kelvin sign with ``k``); an ASCII text holds
    none of the ``needs`` outside ASCII, nor can a match of them be in it."""
    if not text.isascii():
        return True
    low = text.lower()
    return any(need in low for need in needs)


def handle_count(text: str) -> int:
    """How many @handles ``text`` mentions (mass-mention posts are rarely actionable)."""
    return len(_HANDLE.findall(text or ""))


def content_words(text: str) -> list[str]:
    """The alphabetic words of already normalised ``text``."""
    return re.findall(r"[^\W\d_]{2,}", text)


def _phrase_pattern(phrase: str) -> str:
    if phrase.startswith("re:"):
        return "(?:" + phrase[3:] + ")"
    prefix = phrase.endswith("*")
    body = phrase.rstrip("*").strip().lower()
    parts = [re.escape(p) for p in body.split()]
    pattern = r"\s+".join(parts)
    start = r"(?<!\w)" if body[:1].isalnum() else ""
    if prefix:
        end = r"\w*"
    else:
        end = r"(?!\w)" if body[-1:].isalnum() else ""
    return start + pattern + end


@lru_cache(maxsize=64)
def _matching_form(text: str) -> str:
    """``text`` as phrase sets match it: lower case, each run of white space one space
    (the same text is asked by every set the rules read: made once)."""
    text = text.lower()
    return _SPACE_RUN.sub(" ", text) if _LOOSE_SPACE.search(text) else text


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _variants(plain: Iterable[str]) -> dict[str, set[tuple[int, bool, bool, bool]]]:
    """Each plain phrase's key (lower case, single spaces) and its variants ``(length, prefix, start_bound,
    end_bound)``: the same word-boundary rules :func:`_phrase_pattern` writes as a regex."""
    variants: dict[str, set[tuple[int, bool, bool, bool]]] = {}
    for phrase in plain:
        prefix = phrase.endswith("*")
        body = " ".join(phrase.rstrip("*").strip().lower().split())
        if not body:
            continue
        variants.setdefault(body, set()).add(
            (len(body), prefix, body[:1].isalnum(), not prefix and body[-1:].isalnum()))
    return variants


class _Shared:
    """One Aho-Corasick automaton over the plain phrases of every live :class:`PhraseSet`.

    Rule classifiers ask dozens of phrase sets about the same text; one pass over it finds the hits of all of
    them, kept per set for the sets that ask next (the last 64 texts). Built again, when next asked, after a
    set was made (sets made by tests or plugins join it; the sets that are gone leave it).
    """

    def __init__(self) -> None:
        self.sets: list[weakref.ref[PhraseSet]] = []
        self.lock = threading.Lock()
        self.built: tuple[int, Any] | None = None  # (how many sets were made when built, the automaton)
        self.hits: OrderedDict[str, dict[int, list[tuple[int, int]]]] = OrderedDict()

    def register(self, phrase_set: PhraseSet) -> int:
        with self.lock:
            self.sets.append(weakref.ref(phrase_set))
            return len(self.sets) - 1

    def _automaton(self) -> Any:
        made = len(self.sets)
        if self.built is None or self.built[0] != made:
            keys: dict[str, list[tuple[int, int, bool, bool, bool]]] = {}
            for number, ref in enumerate(self.sets):
                live = ref()
                if live is not None:
                    for key, found in _variants(live.plain).items():  # type: ignore[attr-defined]
                        keys.setdefault(key, []).extend((number, *variant) for variant in found)
            automaton = ahocorasick.Automaton()
            for key, entries in keys.items():
                automaton.add_word(key, tuple(entries))
            if keys:  # an automaton without keys cannot be iterated
                automaton.make_automaton()
            self.built = (made, automaton if keys else None)
            self.hits.clear()
        return self.built[1]

    def spans(self, number: int, text: str) -> list[tuple[int, int]]:
        """The spans of set ``number``'s plain phrases in ``text`` (in matching form)."""
        with self.lock:
            automaton = self._automaton()
            hits = self.hits.get(text)
            if hits is None:
                hits = self.hits[text] = {} if automaton is None else self._find(automaton, text)
                if len(self.hits) > 64:
                    self.hits.popitem(last=False)
            return list(hits.get(number, ()))

    @staticmethod
    def _find(automaton: Any, text: str) -> dict[int, list[tuple[int, int]]]:
        hits: dict[int, list[tuple[int, int]]] = {}
        size = len(text)
        for last, variants in automaton.iter(text):
            for owner, length, prefix, start_bound, end_bound in variants:
                start, end = last + 1 - length, last + 1
                if start_bound and start > 0 and _is_word(text[start - 1]):
                    continue
                if prefix:
                    while end < size and _is_word(text[end]):
                        end += 1
                elif end_bound and end < size and _is_word(text[end]):
                    continue
                hits.setdefault(owner, []).append((start, end))
        return hits


_SHARED = _Shared()


@dataclass(frozen=True)
class PhraseSet:
    """A named list of cue phrases with a weight, compiled once.

    Plain phrases are found with one Aho-Corasick automaton (``pyahocorasick``)
    shared by every set, in one pass over a text for all of them, and checked
    for word boundaries; the few ``re:``
    phrases are one compiled alternation. Overlapping hits are resolved as a
    regular expression alternation would: leftmost first, then longest.
    """

    name: str
    phrases: tuple[str, ...]
    weight: float = 1.0

    def __post_init__(self) -> None:
        if not self.phrases:
            raise ValueError(f"phrase set {self.name!r} is empty")
        shared = ahocorasick is not None
        plain = tuple(p for p in self.phrases if shared and not p.startswith("re:"))
        rest = [p for p in self.phrases if not shared or p.startswith("re:")]
        patterns = sorted((_phrase_pattern(p) for p in rest), key=len, reverse=True)
        object.__setattr__(self, "plain", plain)
        object.__setattr__(self, "_number", _SHARED.register(self) if plain else None)
        joined = "|".join(patterns)
        object.__setattr__(self, "_regex", re.compile(joined, re.I) if patterns else None)
        # the matching form of an ASCII text is lower case: there a pattern that matches the same either way
        # runs case-sensitively, which ``re`` searches faster
        object.__setattr__(self, "_exact", re.compile(joined) if patterns and caseless_on_lower_ascii(joined)
                           else None)
        object.__setattr__(self, "_last", ("", []))  # the last text found and its cues: rules ask twice

    def __reduce__(self) -> tuple[Any, ...]:  # made again where unpickled: its number is this process's
        return PhraseSet, (self.name, self.phrases, self.weight)

    def _spans(self, text: str) -> list[tuple[int, int]]:
        number = self._number  # type: ignore[attr-defined]
        spans = [] if number is None else _SHARED.spans(number, text)
        regex = self._regex  # type: ignore[attr-defined]
        if regex is not None:
            if self._exact is not None and text.isascii():  # type: ignore[attr-defined]
                regex = self._exact  # type: ignore[attr-defined]
            spans.extend(m.span() for m in regex.finditer(text) if m.end() > m.start())
        return spans

    def find(self, text: str) -> list[str]:
        """Every non-overlapping cue occurrence in ``text`` (leftmost, then longest)."""
        last, cues = self._last  # type: ignore[attr-defined]
        if text == last and last:
            return list(cues)
        found = self._find(text)
        object.__setattr__(self, "_last", (text, found))
        return list(found)

    def _find(self, text: str) -> list[str]:
        text = _matching_form(text)
        found, reached = [], -1
        for start, end in sorted(self._spans(text), key=lambda span: (span[0], -span[1])):
            if start >= reached:
                found.append(text[start:end])
                reached = end
        return found

    def score(self, text: str) -> float:
        """``weight`` times the number of occurrences."""
        return self.weight * len(self.find(text))


def phrases(name: str, words: Iterable[str], weight: float = 1.0) -> PhraseSet:
    """Build a :class:`PhraseSet` from any iterable of phrases (duplicates dropped)."""
    return PhraseSet(name, tuple(dict.fromkeys(w for w in words if w.strip())), weight)

"""Text clean-up and phrase matching shared by the rule classifiers.

Real customer messages carry Twitter handles, hashtags, t.co links, HTML
entities (``&amp;``), form headers (``Topic: Billing``), call-note shorthand
(``Cust called re:``) and emoji. :func:`normalise` turns them into plain,
lower-case prose that keyword lists can match, without losing the signals:
hashtags become words (``#CSFail`` -> ``cs fail``), emoji are kept (VADER and
the cue lists read them), handles and links become neutral tokens.

:class:`PhraseSet` compiles a list of phrases into one Aho-Corasick automaton.
A phrase is matched on word boundaries, case-insensitively; a trailing ``*``
matches any word ending (``refund*`` matches refund, refunds, refunded); a
phrase starting with ``re:`` is a raw regular expression for the few cues
that need one.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from openledger import patterns

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

#: call-centre shorthand expanded so the cue lists can stay in plain words
_SHORTHAND = {
    r"\bcust\b": "customer",
    r"\bcllr\b": "caller",
    r"\bpax\b": "passenger",
    r"\bacct\b": "account",
    r"\btxns?\b": "transactions",
    r"\bre:": "about",
    r"\bu\b": "you",
    r"\bpls\b|\bplz\b": "please",
    r"\bthx\b|\bty\b": "thanks",
    r"\bcan't\b|\bcant\b": "cannot",
    r"\bwon't\b|\bwont\b": "will not",
    r"n't\b": " not",
    r"\b(did|does|do|is|was|were|are|has|have|had|could|would|should)nt\b": r"\1 not",
}
_SHORTHAND_RE = [(re.compile(k, re.I), v) for k, v in _SHORTHAND.items()]
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
    text = _FORM_HEADER.sub("", text)
    if "\n" in text:  # only multi-line messages (letters, e-mails) have sign-offs
        text = _SIGN_OFF.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _EMAIL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _HASHTAG.sub(_hashtag_words, text)
    for pattern, repl in _SHORTHAND_RE:
        text = pattern.sub(repl, text)
    text = text.lower()
    lines = [_SPACE.sub(" ", line).strip() for line in text.splitlines()]
    return " ".join(line for line in lines if line)


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


def _variants(plain: Iterable[str]) -> dict[str, tuple[tuple[int, bool, bool, bool], ...]]:
    """Each plain phrase's matching key (lower case, single spaces) and its variants
    ``(length, prefix, start_bound, end_bound)``: the word-boundary rules :func:`_phrase_pattern` writes as a regex."""
    variants: dict[str, set[tuple[int, bool, bool, bool]]] = {}
    for phrase in plain:
        prefix = phrase.endswith("*")
        body = " ".join(phrase.rstrip("*").strip().lower().split())
        if not body:
            continue
        variants.setdefault(body, set()).add(
            (len(body), prefix, body[:1].isalnum(), not prefix and body[-1:].isalnum()))
    return {key: tuple(sorted(found)) for key, found in variants.items()}


class _Scanner:
    """One Aho-Corasick automaton over the plain phrases of every :class:`PhraseSet` of the process.

    The rules ask some fifty phrase sets about the same text; scanning it once
    for all of them, instead of once per set, is most of what matching costs.
    Each set gets a number (sets with the same phrases share one); the
    automaton is built again, lazily, when a set with new phrases appears.
    The last text's spans are kept, per set number.
    """

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, ...], int] = {}
        self._keys: list[dict[str, tuple[tuple[int, bool, bool, bool], ...]]] = []
        self._automaton = None
        self._last: tuple[str, list[list[tuple[int, int]]]] | None = None
        self._lock = threading.Lock()

    def number(self, plain: tuple[str, ...]) -> int | None:
        """The number of the set of these plain phrases (None if no phrase has a key, or no pyahocorasick)."""
        keys = _variants(plain)
        if ahocorasick is None or not keys:
            return None
        with self._lock:
            number = self._numbers.get(plain)
            if number is None:
                number = self._numbers[plain] = len(self._keys)
                self._keys.append(keys)
                self._automaton, self._last = None, None
            return number

    def _built(self):
        with self._lock:
            if self._automaton is None:
                entries: dict[str, list[tuple[int, tuple[tuple[int, bool, bool, bool], ...]]]] = {}
                for number, keys in enumerate(self._keys):
                    for key, variants in keys.items():
                        entries.setdefault(key, []).append((number, variants))
                automaton = ahocorasick.Automaton()
                for key, found in entries.items():
                    automaton.add_word(key, tuple(found))
                automaton.make_automaton()
                self._automaton = automaton
            return self._automaton, len(self._keys)

    def spans(self, text: str, number: int) -> list[tuple[int, int]]:
        """The spans of set ``number``'s plain phrases in ``text`` (its matching form)."""
        last = self._last
        if last is not None and last[0] == text:
            return last[1][number]
        automaton, count = self._built()
        found: list[list[tuple[int, int]]] = [[] for _ in range(count)]
        size = len(text)
        for end_index, entries in automaton.iter(text):
            for owner, variants in entries:
                spans = found[owner]
                for length, prefix, start_bound, end_bound in variants:
                    start, end = end_index + 1 - length, end_index + 1
                    if start_bound and start > 0 and _is_word(text[start - 1]):
                        continue
                    if prefix:
                        while end < size and _is_word(text[end]):
                            end += 1
                    elif end_bound and end < size and _is_word(text[end]):
                        continue
                    spans.append((start, end))
        if len(found) == len(self._keys):  # not built again meanwhile by another thread
            self._last = (text, found)
        return found[number]


_SCANNER = _Scanner()


@dataclass(frozen=True)
class PhraseSet:
    """A named list of cue phrases with a weight, compiled once.

    Plain phrases are found with one Aho-Corasick automaton (``pyahocorasick``)
    shared by every set, one pass over a text for all of them, and checked
    for word boundaries; the few ``re:`` phrases are one compiled alternation. Overlapping hits are resolved as a
    regular expression alternation would: leftmost first, then longest.
    """

    name: str
    phrases: tuple[str, ...]
    weight: float = 1.0

    def __post_init__(self) -> None:
        if not self.phrases:
            raise ValueError(f"phrase set {self.name!r} is empty")
        number = _SCANNER.number(tuple(p for p in self.phrases if not p.startswith("re:")))
        rest = [p for p in self.phrases if number is None or p.startswith("re:")]
        patterns = sorted((_phrase_pattern(p) for p in rest), key=len, reverse=True)
        object.__setattr__(self, "_number", number)
        object.__setattr__(self, "_regex", re.compile("|".join(patterns), re.I) if patterns else None)
        object.__setattr__(self, "_last", ("", []))  # the last text found and its cues: rules ask twice

    def _spans(self, text: str) -> list[tuple[int, int]]:
        number = self._number  # type: ignore[attr-defined]
        spans = [] if number is None else list(_SCANNER.spans(text, number))
        if self._regex is not None:  # type: ignore[attr-defined]
            spans.extend(m.span() for m in self._regex.finditer(text) if m.end() > m.start())  # type: ignore[attr-defined]
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

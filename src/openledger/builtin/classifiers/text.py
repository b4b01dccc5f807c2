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


def _compile_plain(plain: list[str]):
    """An Aho-Corasick automaton over the plain phrases (None without pyahocorasick).

    Each key maps to its variants ``(length, prefix, start_bound, end_bound)``,
    the same word-boundary rules :func:`_phrase_pattern` writes as a regex.
    """
    if ahocorasick is None or not plain:
        return None
    variants: dict[str, set[tuple[int, bool, bool, bool]]] = {}
    for phrase in plain:
        prefix = phrase.endswith("*")
        body = " ".join(phrase.rstrip("*").strip().lower().split())
        if not body:
            continue
        variants.setdefault(body, set()).add(
            (len(body), prefix, body[:1].isalnum(), not prefix and body[-1:].isalnum()))
    automaton = ahocorasick.Automaton()
    for key, found in variants.items():
        automaton.add_word(key, tuple(found))
    automaton.make_automaton()
    return automaton


@dataclass(frozen=True)
class PhraseSet:
    """A named list of cue phrases with a weight, compiled once.

    Plain phrases are found in one pass with an Aho-Corasick automaton
    (``pyahocorasick``) and checked for word boundaries; the few ``re:``
    phrases are one compiled alternation. Overlapping hits are resolved as a
    regular expression alternation would: leftmost first, then longest.
    """

    name: str
    phrases: tuple[str, ...]
    weight: float = 1.0

    def __post_init__(self) -> None:
        if not self.phrases:
            raise ValueError(f"phrase set {self.name!r} is empty")
        plain = [p for p in self.phrases if not p.startswith("re:")]
        automaton = _compile_plain(plain)
        rest = [p for p in self.phrases if automaton is None or p.startswith("re:")]
        patterns = sorted((_phrase_pattern(p) for p in rest), key=len, reverse=True)
        object.__setattr__(self, "_automaton", automaton)
        object.__setattr__(self, "_regex", re.compile("|".join(patterns), re.I) if patterns else None)
        object.__setattr__(self, "_last", ("", []))  # the last text found and its cues: rules ask twice

    def _spans(self, text: str) -> list[tuple[int, int]]:
        spans = []
        automaton = self._automaton  # type: ignore[attr-defined]
        if automaton is not None:
            size = len(text)
            for last, variants in automaton.iter(text):
                for length, prefix, start_bound, end_bound in variants:
                    start, end = last + 1 - length, last + 1
                    if start_bound and start > 0 and _is_word(text[start - 1]):
                        continue
                    if prefix:
                        while end < size and _is_word(text[end]):
                            end += 1
                    elif end_bound and end < size and _is_word(text[end]):
                        continue
                    spans.append((start, end))
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

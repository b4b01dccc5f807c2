"""The leak scan of a built site: the last line of defence of the privacy rules.

It searches every file of a built site for the raw identifiers held in the
database (authors, customers, external ids, e-mail addresses and phone numbers
found in messages) and the instance's secrets, and reports where each kind was
found, never the value. The rules:

- every escaped form of an identifier (HTML, JSON, CSV, URLs: :func:`variants`),
  case-insensitive, as a whole token only (:func:`whole_token`), except beside
  a character of those scripts, where words run together ("李明様", "김민수님");
- values shorter than four characters are skipped (they would match
  everywhere), except in the scripts written without spaces between words
  (Chinese, Japanese, Korean, Thai and their neighbours: :func:`unspaced`),
  where a name is two or three characters ("李明", "佐藤") and is matched from
  two; and so are four-digit numbers from 1900 to 2099
  (:func:`is_year`): the site writes years in its dates, periods ("January to
  March 2026", "2026") and markup (the SVG namespace ``.../2000/svg``), and no
  scan can tell a customer numbered 2026 from the year;
- numbers of four to eight digits only in files that carry text (pages,
  Markdown, summaries: :func:`carries_text`), because the site's own counts,
  durations, entry indices and chart coordinates would match them by chance
  elsewhere;
- phone-like numbers of nine to fifteen digits are matched on their last nine
  digits whatever the separators or prefix, but not inside decimals in files
  that do not carry text, nor where the digits run on from or into letters
  (inside a hash or an id, as for every other identifier);
- only where customer data could be rendered: the generated pages and data
  files and the log, not the theme's and the site's own scripts, styles,
  images and fonts under ``assets/`` (:func:`rendered_from_data`);
- a person's name (kinds ``author``, ``customer``, ``actor``) that is one
  everyday word ("Mark", "Will", "Hope", "Page", "Case": a Zipf frequency of
  3 or more in English, :func:`is_everyday_word`) is matched in context only:
  as written, capitalised, in the middle of a sentence of a file that carries
  text ("thanks Will, we" but not "we will", "Case" starting a heading, or the
  theme's code). So no customer's choice of name can block a build, and a
  name written as a name is still found. Names of two words or more, and rare
  one-word names, are matched as whole tokens in any letter case.

Every file is read once and searched for all identifiers together with an
Aho-Corasick automaton (``pyahocorasick``), so the cost grows with the site's
size plus the number of identifiers, not their product. The automaton holds
the first :data:`KEY_CHARS` characters of a longer form, and a hit is
confirmed on the whole form: its memory grows with the identifiers' number,
not their length (a customer key of 64 characters was 60 nodes of it).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_plus

import ahocorasick

from openledger import patterns
from openledger.errors import OpenLedgerError
from openledger.progress import Staged, counted


@dataclass(frozen=True, slots=True)
class Leak:
    """A raw identifier found in a built site: which file and which kind (never the value)."""

    file: str
    kind: str


def variants(value: str) -> set[str]:
    """The forms an identifier can take in HTML, JSON, CSV and URLs."""
    forms = {value, html.escape(value), json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
    forms |= {quote(value), quote_plus(value), value.replace("/", "\\/")}
    return {f for f in forms if f}


SHORT_NUMBER = patterns.anchored(r"\d{4,8}")
# the kinds that hold people's names (the others are addresses, numbers, ids and secrets)
NAME_KINDS = frozenset({"author", "customer", "actor"})
# files under assets/ that the site copies from the theme and its own template: no customer data reaches them
ASSET_SUFFIXES = (".js", ".css", ".map", ".png", ".jpg", ".svg", ".ico", ".gif", ".woff", ".woff2", ".ttf", ".eot")
EVERYDAY_ZIPF = 3.0
# a capitalised word, and what comes before it back to the previous non-space character
_WORD = patterns.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_START = frozenset(".!?>:;\"“‘(*#|[")
# Files that carry words (pages, Markdown, summaries): the only places a short
# number can be told apart from the site's own counts, minutes and coordinates.
TEXT_SUFFIXES = (".html", ".htm", ".md", ".txt")


def is_short_number(value: str) -> bool:
    """A value of 4 to 8 digits only (longer ones are phone-like and matched by their tail)."""
    return SHORT_NUMBER.fullmatch(value) is not None


def is_year(value: str) -> bool:
    """A four-digit number from 1900 to 2099: read as a year, never as an identifier."""
    return len(value) == 4 and value.isdigit() and value[:2] in ("19", "20")


def rendered_from_data(rel: str) -> bool:
    """Whether a site file (path relative to the root) could hold customer data: everything but the assets."""
    return not (rel.startswith("assets/") and rel.lower().endswith(ASSET_SUFFIXES))


def is_everyday_word(value: str) -> bool:
    """Whether a one-word name is also an everyday English word (Zipf frequency of 3 or more)."""
    if not value.isalpha():
        return False
    from wordfreq import zipf_frequency  # a fifth of a second to load: only when a scan needs it

    return zipf_frequency(value.lower(), "en") >= EVERYDAY_ZIPF


def in_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` is inside a sentence: the previous non-space character ends no sentence,
    heading, cell or element and is not the start of the text or of a line."""
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i >= 0 and text[i] != "\n" and text[i] not in _SENTENCE_START


def carries_text(rel: str) -> bool:
    """Whether a site file (path relative to the root) holds free text rather than generated numbers."""
    return rel.endswith(TEXT_SUFFIXES) or rel.startswith("data/summaries/")


# the scripts written without spaces between words, or with particles and honorifics joined to names: Thai, Lao,
# Myanmar, Khmer, Hangul Jamo, CJK punctuation to Katakana, CJK extension A, CJK ideographs, Yi, Hangul syllables,
# CJK compatibility ideographs, half-width Katakana
_UNSPACED = patterns.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u1100-\u11ff\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua000-\ua4cf\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]")


def unspaced(char: str) -> bool:
    """Whether ``char`` belongs to a script written without spaces between words (a name runs into the next
    word: "李明様", "김민수님"), where a token's edges say nothing."""
    return _UNSPACED.match(char) is not None


def min_length(value: str) -> int:
    """The shortest value searched: four characters, two in the scripts of :func:`unspaced` (where a name is two
    or three characters)."""
    return 2 if _UNSPACED.search(value) else 4


def whole_token(text: str, start: int, end: int, number: bool = False) -> bool:
    """Whether ``text[start:end]`` stands alone: no letter or digit runs on at either end.

    An identifier inside a longer word or number (``jo`` in ``john``, ``4471`` in
    a hash ``a94471f3``) is another token, not that identifier. Beside a
    character of a script written without spaces (:func:`unspaced`) an edge
    says nothing, so it stands alone there ("李明" in "李明様"). A short
    ``number`` must also not be part of a decimal (``277.117099``).
    """
    if start > 0 and text[start].isalnum() and text[start - 1].isalnum() \
            and not (unspaced(text[start]) or unspaced(text[start - 1])):
        return False
    if end < len(text) and text[end - 1].isalnum() and text[end].isalnum() \
            and not (unspaced(text[end - 1]) or unspaced(text[end])):
        return False
    if number:
        if start >= 2 and text[start - 1] == "." and text[start - 2].isdigit():
            return False
        if end + 1 < len(text) and text[end] == "." and text[end + 1].isdigit():
            return False
    return True


# a public case id (:func:`openledger.privacy.secret.pseudonym`: ``C-`` and four groups of four base32 characters),
# lower-cased as the scan reads it, its dashes as written or as the pages escape them (``&#45;``)
_CASE_ID = patterns.compile(r"(?<![a-z0-9])c(?:-|&#45;)[a-z2-7]{4}(?:(?:-|&#45;)[a-z2-7]{4}){3}(?![a-z0-9])")


def in_case_id(lower: str, start: int, end: int) -> bool:
    """Whether ``lower[start:end]`` lies inside a public case id: a keyed hash, which holds no one's data but
    spells any four-letter word now and then (``c-kees-...`` for an agent called Kees: about once in 262,144
    cases for each such name)."""
    at = max(0, start - 40)
    for match in _CASE_ID.finditer(lower, at, min(len(lower), end + 40)):
        if match.start() <= start and end <= match.end():
            return True
    return False


def phone_digits(value: str) -> str | None:
    """The digits of a phone-like value: 9 to 15 of them (E.164's most) and no letter, else None.

    A longer number (a 19-digit tweet id) is an id, matched only as written.
    """
    digits = re.sub(r"\D", "", value)
    if not 9 <= len(digits) <= 15 or re.search(r"[A-Za-z]", value):
        return None
    return digits


# a run starts at a digit that does not continue an earlier run (the fixed-width look-behinds):
# otherwise every digit of "1 1 1 1 ..." would re-read the rest of the run, a quadratic scan
DIGIT_RUN = patterns.compile(
    r"(?<!\d)(?<!\d[\s().\-/])(?<!\d[\s().\-/]{2})(?<!\d[\s().\-/]{3})\d(?:[\s().\-/]{0,3}\d){8,}"
)


def phone_runs(text: str, textual: bool = True) -> Iterator[str]:
    """The runs of nine digits or more (with separators) where a phone number could hide: standing alone,
    not inside a longer token of letters and digits (a hash, an id).

    In files that do not carry text a run with a decimal point is one of the
    site's own numbers (``2495.2083333333335`` hours, ``20.79 46.0958`` chart
    coordinates), not a phone number.
    """
    for match in DIGIT_RUN.finditer(text):
        start, end = match.span()
        if (start and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
            # digits run on from or into letters: part of a longer token, as :func:`whole_token` says of every
            # other identifier (a log entry's hex commitment holds nine digits in a row in about one of four)
            continue
        if textual or "." not in match.group():
            yield match.group()


def _digit_pattern(value: str) -> re.Pattern[str] | None:
    """Phone-like numbers also match with other separators (``+44 7700 900123`` ~ ``07700900123``)."""
    digits = phone_digits(value)
    if digits is None:
        return None
    tail = digits[-9:]  # the national significant part survives a change of prefix
    return re.compile(r"[\s().\-/]{0,3}".join(tail) + r"(?!\d)")


_NON_DIGIT = patterns.compile(r"\D")
TAIL = 9
#: the characters of a form the automaton holds (see :class:`Scanner`)
KEY_CHARS = 12


def _phone_tail(value: str) -> str | None:
    digits = phone_digits(value)
    return digits[-TAIL:] if digits else None


class Scanner:
    """All identifiers compiled once; :meth:`scan` searches a folder."""

    def __init__(self, identifiers: Mapping[str, Iterable[str]] | Iterable[tuple[str, str]]):
        # each form's value is a number: the index of its (length, is a number, kinds) in ``self.values``,
        # which hold the few distinct ones once (a Python tuple and set per form took most of a large build's memory)
        self.automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self.values: list[tuple[int, bool, frozenset[str]]] = []
        self._codes: dict[tuple[int, bool, frozenset[str]], int] = {}
        # a form of KEY_CHARS characters or more enters the automaton by its first KEY_CHARS only (a trie node
        # per character of every form took most of a large build's memory, a 64-character customer key 60 of
        # them): the key's value is -1 - i, ``self.spans[i]`` the lengths of the forms it starts, and a hit is
        # confirmed by looking the text of each length up in ``self.longer`` (form -> its code)
        self.longer: dict[str, int] = {}
        self.spans: list[tuple[int, ...]] = []
        self._span_codes: dict[tuple[int, ...], int] = {}
        self.tails: dict[str, set[str]] = {}
        # everyday one-word names, as written -> kinds: matched in context only (capitalised, mid-sentence)
        self.in_context: dict[str, set[str]] = {}
        self.empty = True
        self.add(identifiers)

    def add(self, identifiers: Mapping[str, Iterable[str]] | Iterable[tuple[str, str]]) -> None:
        """Search for these identifiers too (a scanner made early from the database's, the build's own secrets
        added once it knows them)."""
        codes, span_codes = self._codes, self._span_codes
        words = 0
        for kind, value in _pairs(identifiers):
            value = value.strip()
            if len(value) < min_length(value) or is_year(value):
                continue
            if kind in NAME_KINDS and value.isalpha() and is_everyday_word(value):
                self.in_context.setdefault(value[:1].upper() + value[1:].lower(), set()).add(kind)
                continue
            number = is_short_number(value)
            for form in variants(value):
                form = form.lower()
                long = len(form) >= KEY_CHARS
                code = self.longer.get(form, -1) if long else self.automaton.get(form, -1)
                if code < 0:
                    words += 1
                    found = (len(form), number, frozenset((kind,)))
                else:
                    size, was_number, kinds = self.values[code]
                    if kind in kinds:
                        continue
                    found = (size, was_number, kinds | {kind})
                if found not in codes:
                    codes[found] = len(self.values)
                    self.values.append(found)
                if not long:
                    self.automaton.add_word(form, codes[found])
                    continue
                if code < 0:  # a new form: its length joins its key's
                    key = form[:KEY_CHARS]
                    span = self.automaton.get(key, 0)
                    lengths = tuple(sorted({len(form), *(self.spans[-1 - span] if span else ())}))
                    if lengths not in span_codes:
                        span_codes[lengths] = len(self.spans)
                        self.spans.append(lengths)
                    self.automaton.add_word(key, -1 - span_codes[lengths])
                self.longer[form] = codes[found]
            tail = _phone_tail(value)
            if tail:
                self.tails.setdefault(tail, set()).add(kind)
        if words:
            self.empty = False
        if not self.empty and (words or self.automaton.kind != ahocorasick.AHOCORASICK):
            self.automaton.make_automaton()

    def _text_leaks(self, text: str, textual: bool = True) -> set[str]:
        kinds: set[str] = set()
        if not self.empty:
            lower = text.lower()
            values, spans, longer = self.values, self.spans, self.longer
            for end, code in self.automaton.iter(lower):
                if code >= 0:
                    size, number, found = values[code]
                    if (textual or not number) and whole_token(lower, end + 1 - size, end + 1, number) \
                            and not in_case_id(lower, end + 1 - size, end + 1):
                        kinds.update(found)
                    continue
                start = end + 1 - KEY_CHARS  # the key of longer forms: each length's text, if it is one of them
                for length in spans[-1 - code]:
                    hit = longer.get(lower[start:start + length], -1)
                    if hit >= 0:
                        size, number, found = values[hit]
                        if (textual or not number) and whole_token(lower, start, start + size, number) \
                                and not in_case_id(lower, start, start + size):
                            kinds.update(found)
        if self.in_context and textual:
            for match in _WORD.finditer(text):
                found_kinds = self.in_context.get(match.group())
                if found_kinds and in_sentence(text, match.start()):
                    kinds.update(found_kinds)
        if self.tails:
            for run in phone_runs(text, textual):
                digits = _NON_DIGIT.sub("", run)
                for i in range(len(digits) - TAIL + 1):
                    kinds.update(self.tails.get(digits[i:i + TAIL], ()))
        return kinds

    def mentions(self, text: str) -> set[str]:
        """The kinds of identifier found in one piece of free text (a summary before it is published)."""
        return self._text_leaks(text, True)

    def scan(self, site_dir: str | Path, progress: Staged | None = None, own: Iterable[str] = ()) -> list[Leak]:
        """One :class:`Leak` per (file, kind) found under ``site_dir`` where customer data could be, sorted;
        ``progress`` is told of the files scanned. ``own``: texts of the log itself that pages show as they are
        (the signed checkpoint, the verifier key), skipped where they appear as written or HTML-escaped: their
        numbers are the log's (its size: 129,335 entries would match a customer's six-digit Twitter id of 129335)."""
        root = Path(site_dir)
        if not root.is_dir():
            raise OpenLedgerError("not a directory", path=root)
        skipped = sorted({form for text in own if text.strip() for form in (text, html.escape(text, quote=True))},
                         key=len, reverse=True)
        leaks = []
        paths = sorted(p for p in root.rglob("*") if p.is_file())
        for path in counted(paths, progress, "files scanned", len(paths), every=100):
            rel = path.relative_to(root).as_posix()
            if not rendered_from_data(rel):
                continue
            text = path.read_bytes().decode("utf-8", errors="ignore")
            for form in () if rel.startswith("ledger/tile/") else skipped:  # not in the entries and hashes
                if form in text:
                    text = text.replace(form, "\n")
            leaks += [Leak(rel, kind) for kind in self._text_leaks(text, carries_text(rel))]
        return sorted(leaks, key=lambda leak: (leak.file, leak.kind))


def _pairs(identifiers: Mapping[str, Iterable[str]] | Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    if isinstance(identifiers, Mapping):
        for kind, values in identifiers.items():
            for value in values:
                yield str(kind), str(value)
    else:
        for kind, value in identifiers:
            yield str(kind), str(value)


def find_leaks(site_dir: str | Path,
               identifiers: Mapping[str, Iterable[str]] | Iterable[tuple[str, str]],
               progress: Staged | None = None, own: Iterable[str] = ()) -> list[Leak]:
    """Search every file under ``site_dir`` for raw identifiers: a mapping of kind
    to values, or ``(kind, value)`` pairs. One :class:`Leak` per (file, kind), sorted.
    ``progress`` is told of the files scanned; ``own`` texts of the log are skipped (:meth:`Scanner.scan`)."""
    return Scanner(identifiers).scan(site_dir, progress, own)

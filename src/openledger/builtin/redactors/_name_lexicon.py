"""The name redactor's lexicon: which words are first names and which are everyday words.

First names come from ``gender-guesser``'s ``nam_dict.txt`` plus
:data:`._name_lists.EXTRA_FIRST_NAMES`; word frequencies from ``wordfreq``.
Both ship inside their packages; nothing is downloaded at run time.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from importlib import resources

from openledger.builtin.redactors._name_lists import (
    CLEAR_NAMES,
    EXTRA_FIRST_NAMES,
    STOP,
)


def zipf_frequency(word: str, lang: str) -> float:
    """``wordfreq.zipf_frequency``, imported on first use: loading wordfreq takes
    a fifth of a second, which every command would otherwise pay at start-up."""
    from wordfreq import zipf_frequency as frequency

    return frequency(word, lang)


@cache
def name_frequencies() -> dict[str, int]:
    """Lower-case first name -> its highest frequency class (1-13) over the dictionary's countries.

    Names of :data:`EXTRA_FIRST_NAMES` count as frequent (6).
    """
    data = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_text(encoding="utf-8")
    freq: dict[str, int] = {}
    for line in data.splitlines():
        if not line or line[0] in "#=":
            continue
        name = line[3:29].strip()
        if not name or " " in name or "+" in name or len(name) < 2:
            continue
        # frequency classes of the countries customers here write from (Europe, the Americas via GB/IE/US,
        # Turkey, the Arab world, Israel, India); East Asian columns hold romanisations like "Hang" or "Sup"
        columns = line[30:79] + line[80:81]
        level = max((int(c, 16) for c in columns if c.strip() and c in "0123456789ABCDEFabcdef"), default=0)
        for key in {name.lower(), fold(name.lower())}:
            freq[key] = max(freq.get(key, 0), level)
    for name in EXTRA_FIRST_NAMES:
        freq[name] = max(freq.get(name, 0), 6)
    return freq


@cache
def first_names() -> frozenset[str]:
    """Lower-case first names from gender-guesser's dictionary and the extra list."""
    return frozenset(name_frequencies())


def name_frequency(word: str) -> int:
    """The frequency class of a first name (0 when unknown); hyphenated names take their rarer part."""
    lower = word.lower().strip("'’")
    freq = name_frequencies()
    if lower in freq or fold(lower) in freq:
        return max(freq.get(lower, 0), freq.get(fold(lower), 0))
    parts = lower.split("-")
    if len(parts) == 2 and all(p in freq or fold(p) in freq for p in parts):
        return min(max(freq.get(p, 0), freq.get(fold(p), 0)) for p in parts)
    return 0


def fold(word: str) -> str:
    """Without accents: ``Siobhán`` -> ``Siobhan``."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def is_common_word(word: str) -> bool:
    """Whether a word is frequent as an ordinary word in English, German, French or Spanish."""
    lower = word.lower()
    if lower in STOP:
        return True
    if lower in CLEAR_NAMES or "-" in lower:
        return False
    en, other = 4.3, 4.6
    if is_first_name(lower):
        en, other = 4.8, 5.2  # a frequent name is frequent in any corpus; only very common words count
    return zipf_frequency(lower, "en") >= en or max(zipf_frequency(lower, lang) for lang in ("de", "fr", "es")) >= other


def is_first_name(word: str) -> bool:
    """Whether a word is a known first name (in any letter case)."""
    lower = word.lower().strip("'’")
    names = first_names()
    if lower in names or fold(lower) in names:
        return True
    parts = lower.split("-")
    return len(parts) == 2 and all(p in names or fold(p) in names for p in parts)


def _unknown(word: str, ceiling: float = 2.0) -> bool:
    """A word that is almost never written in English, German, French or Spanish text: in a call note, a name ("yemisi").

    ``ceiling`` is the highest Zipf frequency allowed in any of the four languages.
    """
    lower = word.lower()
    return len(lower) > 2 and lower not in STOP and max(zipf_frequency(lower, lang) for lang in ("en", "de", "fr", "es")) < ceiling

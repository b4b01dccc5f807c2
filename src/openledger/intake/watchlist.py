"""Brand monitoring: does a public message mention something the company watches?

Social sources read everything an account sees; only messages that mention
a watched term are complaints about the company. The watch list holds brand
and product names, web addresses, names of managers and officers,
competitors and @handles. :meth:`WatchList.check` says whether a text
matches and why (term, matched text, score), for ``ingest --dry-run``.

Three kinds of term, told apart by their form:

- ``@handle``: matches the same handle in the text, case-insensitively;
- a web address (``example-shop.com``, ``https://www.example-shop.com/``):
  matches the domain (and its subdomains) in URLs or bare in the text;
- a name (one or more words): matches the same words, ignoring case,
  punctuation and spacing ("T-Mobile", "tmobile", "T Mobile"), a word
  that is the name with a possessive ("Amazon's"), a handle or hashtag
  that contains it (``@AskPlayStation``), or a misspelling. A misspelling
  counts when the rapidfuzz ratio (normalised Indel similarity, 0-100) of
  the compacted words reaches the threshold (default 85) *and* it keeps
  the first letter *and* it is at most one edit (Levenshtein) per five
  letters away. The last two guards keep ordinary words out ("version" is
  not "Verizon", "Salisbury" is not "Sainsbury"). Names shorter than five
  letters only match exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from openledger import patterns
from openledger.errors import ConfigError

DEFAULT_THRESHOLD = 85.0
#: Config keys of the ``[watch]`` table that hold terms, and the kind each names.
KINDS = {
    "brands": "brand",
    "products": "product",
    "web": "web",
    "people": "person",
    "competitors": "competitor",
    "handles": "handle",
}
MIN_FUZZY_LENGTH = 5

_URL = patterns.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_HANDLE = patterns.compile(r"(?<![\w@])[@#]([A-Za-z0-9_]{1,50})")
_WORD = patterns.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_DOMAIN_LIKE = patterns.anchored(r"^(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(/\S*)?$", re.IGNORECASE)


def _compact(text: str) -> str:
    """Lower-case letters and digits only: 'T-Mobile' -> 'tmobile'."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a text matched: the watched term, its kind, what was found, how well."""

    term: str
    kind: str
    found: str
    score: float


@dataclass(frozen=True, slots=True)
class Verdict:
    """The result of :meth:`WatchList.check`; true when anything matched."""

    matched: bool
    reasons: tuple[Reason, ...] = ()

    def __bool__(self) -> bool:
        return self.matched


@dataclass(frozen=True, slots=True)
class _Term:
    text: str
    kind: str
    form: str  # handle, web, name
    key: str  # the normalised form compared
    words: int


def _term(text: str, kind: str) -> _Term:
    stripped = text.strip()
    if not stripped:
        raise ConfigError(f"an empty term in the watch list ({kind})")
    if stripped.startswith("@"):
        return _Term(stripped, kind, "handle", stripped[1:].lower(), 1)
    domain = _DOMAIN_LIKE.match(stripped)
    if domain and " " not in stripped and "." in stripped:
        return _Term(stripped, kind, "web", domain.group(1).lower(), 1)
    words = _WORD.findall(stripped)
    if not words:
        raise ConfigError(f"a watch list term without letters or digits: {text!r}")
    return _Term(stripped, kind, "name", _compact(stripped), len(words))


class WatchList:
    """A set of watched terms and the fuzzy-match threshold."""

    def __init__(self, terms: Mapping[str, Iterable[str]], threshold: float = DEFAULT_THRESHOLD):
        """``terms`` maps a kind (``brands``, ``products``, ``web``, ``people``,
        ``competitors``, ``handles``; other keys are kinds of their own) to terms."""
        if not 0 < float(threshold) <= 100:
            raise ConfigError(f"watch threshold must be in (0, 100], not {threshold!r}")
        self.threshold = float(threshold)
        self.terms = tuple(
            _term(str(text), KINDS.get(key, key)) for key, values in terms.items() for text in values
        )

    @classmethod
    def from_config(cls, config: Mapping) -> WatchList:
        """Build from the ``[watch]`` table: term lists and ``threshold``."""
        table = dict(config.get("watch", config) or {})
        threshold = table.pop("threshold", DEFAULT_THRESHOLD)
        lists = {}
        for key, values in table.items():
            if isinstance(values, str):
                values = [values]
            if not isinstance(values, (list, tuple)):
                raise ConfigError(f"watch.{key} must be a list of terms")
            lists[key] = values
        return cls(lists, threshold)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def check(self, text: str) -> Verdict:
        """Whether ``text`` mentions a watched term, with every reason found."""
        rest = _URL.sub(" ", text)
        tags = [(m.group(0), m.group(1).lower()) for m in _HANDLE.finditer(rest)]
        words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(rest)]
        reasons: list[Reason] = []
        for term in self.terms:
            reason = (
                self._handle(term, tags)
                if term.form == "handle"
                else self._web(term, text)
                if term.form == "web"
                else self._name(term, rest, tags, words)
            )
            if reason is not None:
                reasons.append(reason)
        return Verdict(bool(reasons), tuple(reasons))

    @staticmethod
    def _handle(term: _Term, tags) -> Reason | None:
        for shown, name in tags:
            if shown.startswith("@") and name == term.key:
                return Reason(term.text, term.kind, shown, 100.0)
        return None

    @staticmethod
    def _web(term: _Term, text: str) -> Reason | None:
        pattern = r"(?<![\w-])(?:[\w-]+\.)*" + re.escape(term.key) + r"(?![\w-])"
        match = re.search(pattern, text, re.IGNORECASE)
        return Reason(term.text, term.kind, match.group(0), 100.0) if match else None

    def _name(self, term: _Term, rest: str, tags, words) -> Reason | None:
        best: Reason | None = None
        for size in {max(1, term.words - 1), term.words, term.words + 1}:
            for index in range(len(words) - size + 1):
                window = words[index : index + size]
                found = rest[window[0][0] : window[-1][1]]
                candidate = _compact(found)
                if candidate.endswith("s") and candidate[:-1] == term.key and "'" in found.replace("’", "'"):
                    candidate = term.key  # a possessive: "Amazon's"
                score = self._score(term.key, candidate)
                if score is not None and (best is None or score > best.score):
                    best = Reason(term.text, term.kind, found, score)
                    if score == 100.0:
                        return best
        if len(term.key) >= MIN_FUZZY_LENGTH or term.words > 1:
            for shown, name in tags:
                if term.key in name:
                    return Reason(term.text, term.kind, shown, 100.0)
        return best

    def _score(self, key: str, candidate: str) -> float | None:
        if candidate == key:
            return 100.0
        if len(key) < MIN_FUZZY_LENGTH or not candidate or candidate[0] != key[0]:
            return None
        score = fuzz.ratio(key, candidate, score_cutoff=self.threshold)
        if not score:
            return None
        if Levenshtein.distance(key, candidate) > max(1, len(key) // 5):
            return None
        return round(score, 1)


#: Channels whose public messages are screened against the watch list.
SOCIAL_CHANNELS = ("twitter", "facebook", "instagram", "mastodon", "tiktok", "youtube")


def screened(record, channels: Iterable[str] = SOCIAL_CHANNELS) -> bool:
    """Whether a message must mention a watched term to be kept.

    Only public, incoming messages on social channels are screened: the
    company's own messages, private messages (DMs, e-mail, calls) and reviews
    on the company's own page are about the company by construction.
    """
    return record.direction == "in" and record.visibility == "public" and record.channel in tuple(channels)


def keep(record, watch: WatchList, kept_ids: set[str], channels: Iterable[str] = SOCIAL_CHANNELS) -> Verdict:
    """Decide whether to keep one message, and say why (for ``--dry-run``).

    A message is kept when it is not screened, when it replies to a message
    already kept (a customer's follow-up need not repeat the brand), or when
    its subject or text mentions a watched term. Kept ids are added to
    ``kept_ids``, which the caller keeps across one ingest run; a reply read
    before its parent is judged on its own words.
    """
    if not screened(record, channels):
        verdict = Verdict(True, (Reason("", "not-screened", record.channel, 100.0),))
    elif record.reply_to is not None and record.reply_to in kept_ids:
        verdict = Verdict(True, (Reason("", "thread", record.reply_to, 100.0),))
    elif not watch:
        verdict = Verdict(True, (Reason("", "no-watch-list", "", 100.0),))
    else:
        verdict = watch.check(" ".join(t for t in (record.subject or "", record.text) if t))
    if verdict:
        kept_ids.add(record.id)
    return verdict

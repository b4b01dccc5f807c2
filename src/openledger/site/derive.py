"""What the site says, derived from the log's entries alone.

The published outcomes table (one row per case, the audit's input and the
rows of the Outcomes page), the case index of the Check-your-case page and the
"as of" date are functions of the entries that the signed checkpoint commits
to, nothing else: ``openledger build`` writes them from the entries it has
just sealed, and ``openledger verify`` computes them again from the published
entries and refuses any difference.

How a case's row is folded from its entries (in log order):

- ``channel``, ``visibility``: of every entry of the case;
- ``opened``: the period of the ``opened`` entry; ``category``, ``severity``,
  ``audience``: of the ``opened`` entry, a later ``classified`` entry
  replacing category and severity;
- ``responded``: any ``responded`` entry; ``first_response_hours``: the middle
  of the band in ``after`` of the first response, every case's written at the
  coarsest precision any case of the table is published at (so whole hours
  and bands are compared at one resolution; NaN when ``hidden``; for a
  ``late`` one, published after its case under the period of its own time,
  the band of the time from the middle of the opening period to the middle of
  the response's, so the slow answers published late count as slow instead
  of being left out; ``response_late`` says which); ``response_level``: 3
  within the hour, 2 within the day, 1 later, 0 no response, -1 unknown;
  ``resolved_elsewhere``: a response in another channel;
- ``resolved``, ``outcome``, ``remedy``, ``amount``, ``resolution_days``: the
  last ``resolved`` entry not followed by ``reopened`` (``after_h`` + half an
  hour, in days); ``escalated``, ``reopened``: any such entry;
- ``leverage``, ``moved_private``, ``tone``: the values of the labels
  ``leverage``, ``moves_private`` and ``tone`` of the last ``classified``
  entry that has them with a value of the label's vocabulary ('' if none has),
  except that a ``yes`` stays (a later reply that asks nothing does not undo
  a move to a private channel);
  ``followed_up``: a ``responded`` entry other than the first response (no
  ``after``) on the case's own channel (no ``channel`` in its data) after the
  ``resolved`` entry, none of them followed by ``reopened``;
- ``censor_hours``, ``censor_days``: from the middle of the opening period to
  the *as of* date, the end of the latest period any case was opened in.

A case whose last ``classified`` entry with a ``spam`` label labels it spam by
the audit's published rule (:func:`openledger.audit.exclusion.excluded_as_spam`)
has no row: it is in the case index, and counted in ``spam``, but not in the
table the audit reads. A ``classified`` entry of a reply (only ``moves_private``
and ``gag``) changes nothing else.

``gags``: every ``classified`` entry with ``gag`` = ``yes``, in log order, as a
:class:`GagRequest` (the case, its channel, the entry's period and the
salted digest of its sentence or why it is withheld; the sentence itself is
published off the log, :func:`with_sentences`).
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from operator import attrgetter
from typing import Any

import numpy as np

from openledger import periods
from openledger.audit.exclusion import excluded_as_spam
from openledger.audit.groups import AUDIENCE_BUCKETS
from openledger.audit.table import INFLUENCE, validate
from openledger.errors import OpenLedgerError
from openledger.ledger.aside import gc_paused
from openledger.ledger.errors import LedgerFormatError
from openledger.privacy.hiding import FirstResponse
from openledger.privacy.linkage import LATE, Signature
from openledger.privacy.projection import UNKNOWN, gag_digest

AUDIENCE_FLOOR = {name: low for name, low, _ in AUDIENCE_BUCKETS}
#: the published table's columns, in order (the audit's columns plus the site's)
COLUMNS = (
    "case", "channel", "visibility", "category", "severity", "opened", "first_response_hours", "resolution_days",
    "resolved", "responded", "outcome", "remedy", "amount", "escalated", "reopened", "audience", "censor_hours",
    "censor_days", "response_level", "resolved_elsewhere", "leverage", "moved_private", "tone", "followed_up",
    "response_late",
)


@dataclass(frozen=True)
class GagRequest:
    """A reply that asked the customer for silence, as its ``classified`` entry publishes it."""

    case: str  # the case's public id
    channel: str  # the case's channel
    period: str  # the entry's period
    digest: str | None  # the salted SHA-256 of the redacted sentence that asks; None when withheld
    withheld: str = ""  # why the log has no sentence (``public-reply``, ``names``, ...), else ""
    sentence: str | None = None  # the sentence, once published beside the log and matching ``digest``
    salt: str | None = None  # its salt (hex)


@dataclass
class Derived:
    """The outcomes table, the case index, the as-of date and the cases' signatures of a log."""

    table: dict[str, np.ndarray]
    case_entries: dict[str, list[int]]
    as_of: date | None
    cases: dict[str, _Case] = field(repr=False)
    spam: int = 0  # cases left out of the table as spam
    gags: list[GagRequest] = field(default_factory=list)  # every gag request, in log order

    def first_responses(self) -> Iterator[FirstResponse]:
        """Each public case's first response released with its case (a band or ``hidden``), for
        :func:`openledger.privacy.hiding.problems`."""
        for pid, c in self.cases.items():
            if c.visibility != "public" or c.first is None or c.first == LATE:
                continue
            yield FirstResponse(pid, c.channel, c.opened, c.category, c.audience_band, c.first, c.seal, c.first_at,
                                c.entries[0])

    @functools.cached_property
    def signatures(self) -> dict[str, Signature]:
        """What the published entries say of each case that an attacker can match (made when first asked)."""
        return {pid: Signature(c.channel, c.visibility, c.opened, c.category, c.audience_band, c.first)
                for pid, c in self.cases.items()}


def _level(band: str | None) -> int:
    if band is None:
        return 0
    if band in (periods.HIDDEN, LATE):
        return -1
    low, high = periods.band_span(band)
    if high <= 1.0:
        return 3
    if high <= 24.0:
        return 2
    return 1 if low >= 24.0 else -1


class _Case:
    __slots__ = ("amount", "audience", "audience_band", "category", "channel", "elsewhere", "entries", "escalated",
                 "first", "first_at", "followed_up", "late", "leverage", "moved_private", "opened", "outcome", "remedy",
                 "reopened", "resolution_h", "resolved", "responded", "seal", "severity", "spam", "tone", "visibility")

    def __init__(self, channel: str, visibility: str) -> None:
        self.channel, self.visibility = channel, visibility
        self.entries: list[int] = []
        self.opened = ""
        self.category = "uncategorised"
        self.severity = 2
        self.audience = math.nan
        self.audience_band = UNKNOWN
        self.first: str | None = None
        self.seal: Any = None  # the first response's ``seal`` (None: none)
        self.first_at = -1  # the log index of the first response's entry
        self.late = ""  # the period of a first response published after its case (``late``)
        self.responded = self.escalated = self.reopened = self.elsewhere = self.resolved = False
        self.outcome, self.remedy, self.amount = "", "none", 0.0
        self.resolution_h = math.nan
        self.spam = False
        self.leverage = self.moved_private = self.tone = ""
        self.followed_up = False


#: (case attribute, label, values): the influence columns a ``classified`` entry's labels set (a value outside the
#: label's vocabulary, a plugin's own, sets nothing: the audit's columns hold closed vocabularies)
_INFLUENCE = tuple((column, label, frozenset(values)) for column, (label, values) in INFLUENCE.items())


# An entry exactly as the ledger writes it (canonical JSON, schema v2, strings without escapes): its
# fields are read with two matches instead of a JSON parse. Anything else (escapes, other spacing,
# another version) takes the JSON parser, so both give the same fields for every entry. ``data`` and
# ``deciders`` try the flat form first (no nested object or list: one scan to the closing brace); where
# that fails the lazy form finds the same first closing brace followed by the next field.
#
# The match is split in two where the entry's own values end: the head (case, channel and the salted
# commitment, different in every entry) and the tail (data, deciders, period, type, visibility), which
# many entries share byte for byte. A tail is matched, parsed and folded into its facts once, and each
# entry with the same bytes reuses them; the two parts match exactly where the one pattern of both did.
_PLAIN = rb'"([^"\\\x00-\x1f]*)"'
_HEAD = re.compile(rb'\{"case":' + _PLAIN + rb',"channel":' + _PLAIN + rb',"commitment":"[0-9a-f]{64}",')
_TAIL = re.compile(
    rb'"data":(\{[^{}]*\}|\{.*?\}),"deciders":(\[[^\[\]]*\]|\[.*?\]),"period":' + _PLAIN + rb',"type":' + _PLAIN
    + rb',"v":2,"visibility":' + _PLAIN + rb'\}')

#: a ``resolved`` entry's data as the ledger writes it (whole hours and cents, strings without escapes): read
#: without the JSON parser, the same four facts as :func:`_facts` makes of the parsed data (a log's resolutions
#: are mostly distinct tails, read once each); any other spelling takes the parser
_RESOLVED = re.compile(rb'\{"after_h":(0|[1-9][0-9]*),"amount_cents":(0|[1-9][0-9]*),"outcome":' + _PLAIN
                       + rb',"remedy":' + _PLAIN + rb'\}')

_DECODER = json.JSONDecoder()


def _json(raw: bytes) -> Any:
    """``json.loads(raw)`` for bytes that open with ``{`` or ``[`` (UTF-8 to the parser, as it detects), without
    its detection of the encoding."""
    return _DECODER.decode(raw.decode("utf-8", "surrogatepass"))


#: how many distinct tails the reader keeps at most: a log's resolutions (an amount and hours each) are mostly
#: distinct, and keeping them all would hold a few hundred bytes per case until the fold ends
TAILS_KEPT = 65_536

#: a field the entry's data does not have (so the case keeps what it has)
_ABSENT: Any = object()


def _facts(kind: str, data: Any) -> Any:
    """What an entry of type ``kind`` with ``data`` does to its case, worked out once per distinct entry tail:
    the same expressions, in the same order, as the fold applied to each entry before (so a malformed entry
    raises the same error)."""
    if kind == "opened":
        band = data.get("audience", UNKNOWN)
        return (data.get("category", _ABSENT), data.get("severity", _ABSENT), band,
                AUDIENCE_FLOOR.get(band, math.nan))
    if kind == "responded":
        return ("after" in data, data["after"] if "after" in data else None, "channel" in data, data.get("seal"))
    if kind == "resolved":
        return data["outcome"], data["remedy"], data["amount_cents"] / 100.0, data["after_h"] + 0.5
    if kind == "classified":
        labels = data.get("labels", {})
        label = labels.get("category")
        category = label["value"] if label else _ABSENT
        spam = excluded_as_spam(labels) if "spam" in labels else None
        influence = []
        for column, name, values in _INFLUENCE:
            stated = labels.get(name)
            if stated and stated.get("value") in values:
                influence.append((column, stated["value"]))
        gag = labels.get("gag")
        request = None
        if gag and gag.get("value") == "yes":
            asked = data.get("gag") or {}
            digest = asked.get("sentence_sha256")
            request = ((digest, "") if isinstance(digest, str)
                       else (None, str(asked.get("withheld", "unknown"))))
        return category, spam, tuple(influence), request, data.get("severity", _ABSENT)
    return None


class _Reader:
    """Reads the fields derive needs from entry bytes: (case, channel, and the shared facts of the entry's
    tail: visibility, type, period and :func:`_facts` of its data)."""

    def __init__(self) -> None:
        self.tails: dict[bytes, tuple[str, str, str, Any]] = {}
        self.text: dict[bytes, str] = {}
        self.deciders: set[bytes] = set()  # the deciders' texts found to be JSON

    def _str(self, raw: bytes) -> str:
        value = self.text.get(raw)
        if value is None:
            value = self.text[raw] = raw.decode("utf-8")
        return value

    def _tail(self, raw: bytes, at: int) -> tuple[str, str, str, Any] | None:
        match = _TAIL.fullmatch(raw, at)
        if match is None:
            return None
        data, deciders, period, kind, visibility = match.groups()
        if deciders not in self.deciders:  # never used here, but they must be JSON as in the parsed path
            _json(deciders)
            self.deciders.add(deciders)
        kind_text = self._str(kind)
        plain = _RESOLVED.fullmatch(data) if kind_text == "resolved" else None
        if plain is not None:
            after, cents, outcome, remedy = plain.groups()
            facts = (self._str(outcome), self._str(remedy), int(cents) / 100.0, int(after) + 0.5)
        else:
            parsed = _json(data)
            if isinstance(parsed, dict):  # one object per distinct text value: the table's columns compare fast
                parsed = {key: self.text.setdefault(v.encode("utf-8"), v) if type(v) is str else v
                          for key, v in parsed.items()}
            facts = _facts(kind_text, parsed)
        if len(self.tails) >= TAILS_KEPT:  # most tails that repeat are among the first seen again soon after
            self.tails.clear()
        tail = self.tails[raw[at:]] = (self._str(visibility), kind_text, self._str(period), facts)
        return tail

    def fields(self, raw: bytes) -> tuple[str, str, tuple[str, str, str, Any]]:
        """(case, channel, (visibility, type, period, facts)) of one entry."""
        head = _HEAD.match(raw)
        if head is not None:
            case, channel = head.groups()
            at = head.end()
            try:
                tail = self.tails.get(raw[at:]) or self._tail(raw, at)
                if tail is not None:
                    return case.decode("utf-8"), self.text.get(channel) or self._str(channel), tail
            except ValueError:  # not UTF-8, or data that is not JSON: the parser says what is wrong
                pass
        e = json.loads(raw)
        case, channel, visibility, kind, period, data = (e["case"], e["channel"], e["visibility"], e["type"],
                                                         e["period"], e["data"])
        return case, channel, (visibility, kind, period, _facts(kind, data))


def case_of(raw: bytes) -> str:
    """The public case id of one entry's bytes, read as :func:`derive` reads it (ValueError, KeyError or
    TypeError for bytes that are not an entry with one)."""
    head = _HEAD.match(raw)
    case = head.group(1).decode("utf-8") if head is not None else json.loads(raw)["case"]
    if type(case) is not str:
        raise TypeError(f"the case is {type(case).__name__}, not text")
    return case


def derive(entries: Iterable[tuple[int, bytes]]) -> Derived:
    """Fold entries (log index, bytes) into the published table, case index and as-of date."""
    cases: dict[str, _Case] = {}
    gags: list[GagRequest] = []
    opened: set[str] = set()
    fields = _Reader().fields
    with gc_paused():
        index = -1
        try:  # the log is the company's word: an entry it could not have written is named, not a crash
            for index, raw in entries:
                pid, channel, (visibility, kind, period, facts) = fields(raw)
                case = cases.get(pid)
                if case is None:
                    case = cases[pid] = _Case(channel, visibility)
                case.entries.append(index)
                if kind == "opened":
                    category, severity, case.audience_band, case.audience = facts
                    case.opened = period
                    opened.add(period)
                    if category is not _ABSENT:
                        case.category = category
                    if severity is not _ABSENT:
                        case.severity = severity
                elif kind == "responded":
                    first, after, elsewhere, seal = facts
                    case.responded = True
                    if first:
                        case.first = after
                        if after == LATE:
                            case.late = period
                        case.seal, case.first_at = seal, index
                    if elsewhere:
                        case.elsewhere = True
                    elif case.resolved and not first:  # not the first response, on the case's own channel,
                        case.followed_up = True  # after its resolution
                elif kind == "resolved":
                    case.resolved = True
                    case.outcome, case.remedy, case.amount, case.resolution_h = facts
                elif kind == "classified":
                    category, spam, influence, request, severity = facts
                    if category is not _ABSENT:
                        case.category = category
                    if spam is not None:  # a reply's classification (moves_private, gag) leaves the others alone
                        case.spam = spam
                    for column, value in influence:
                        if getattr(case, column) != "yes":  # a reply that moved the case private stays so
                            setattr(case, column, value)
                    if request is not None:
                        gags.append(GagRequest(pid, channel, period, *request))
                    if severity is not _ABSENT:
                        case.severity = severity
                elif kind == "reopened":
                    case.reopened = True
                    case.resolved, case.outcome, case.remedy, case.amount = False, "", "none", 0.0
                    case.followed_up = False
                    case.resolution_h = math.nan
                elif kind == "escalated":
                    case.escalated = True
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise LedgerFormatError(f"log entry {index + 1 if index < 0 else index:,}: not an entry openledger "
                                    f"writes ({type(exc).__name__}: {exc})") from None
        as_of = max((periods.span(p)[1] for p in opened), default=None)
        audited = {pid: c for pid, c in cases.items() if not c.spam}
        table: dict[str, np.ndarray] = _table(audited, as_of)
        try:  # checked once here, for the three audits and outcomes.csv
            table = validate(table, "the outcomes table")
        except OpenLedgerError:
            pass  # each audit and outcomes.csv say what is wrong, as they would alone
    return Derived(table, {pid: c.entries for pid, c in cases.items()}, as_of, cases,
                   spam=len(cases) - len(audited), gags=gags)


def _middle(period: str) -> datetime:
    """The middle of a period (UTC)."""
    start, end = periods.span(period)
    return datetime.combine(start, datetime.min.time(), tzinfo=UTC) + (end - start) / 2


def _table(cases: dict[str, _Case], as_of: date | None) -> dict[str, np.ndarray]:
    rows = list(cases.values())
    now = datetime.combine(as_of, datetime.min.time(), tzinfo=UTC) if as_of else None

    def censor(opened: str) -> float:
        if now is None or not opened:
            return math.nan
        return max(0.0, (now - _middle(opened)).total_seconds() / 3600.0)

    # one resolution for every case: a private case's whole hours beside a public case's band would compare
    # a band's middle (14 h for "4-24h") with the hour itself and make fair treatment look unequal
    common = periods.coarsest({case.first for case in rows})

    def first_hours(first: str | None, opened: str, late: str) -> float:
        if first == LATE and late and opened and common is not None:
            # answered after its case was published, under the period of the answer: the time from the middle
            # of the opening period to the middle of the answer's, in the band it falls in
            waited = (_middle(late) - _middle(opened)).total_seconds() / 3600.0
            return periods.band_hours(periods.band(max(0.0, waited), common))
        if first is None or common is None or periods.precision_of(first) is None:
            return math.nan
        return periods.band_hours(periods.at_precision(first, common))

    def level(responded: bool, first: str | None) -> int:
        return (-1 if first is None else _level(first)) if responded else 0

    def column(name: str) -> list[Any]:
        return list(map(attrgetter(name), rows))

    def each(fn: Callable[..., Any], *names: str) -> list[Any]:
        """``fn`` of the named attributes of every case, computed once per distinct value."""
        memo: dict[Any, Any] = {}
        out = []
        for key in zip(*(column(n) for n in names)):
            value = memo.get(key, memo)
            if value is memo:
                value = memo[key] = fn(*key)
            out.append(value)
        return out

    censor_h = np.array(each(censor, "opened"), dtype=float)
    return {
        "case": np.array(list(cases), dtype=object),
        "channel": np.array(column("channel"), dtype=object),
        "visibility": np.array(column("visibility"), dtype=object),
        "category": np.array(column("category"), dtype=object),
        "severity": np.array(column("severity"), dtype=np.int64),
        "opened": np.array(column("opened"), dtype=object),
        "first_response_hours": np.array(each(first_hours, "first", "opened", "late"), dtype=float),
        "resolution_days": np.array(column("resolution_h"), dtype=float) / 24.0,
        "resolved": np.array(column("resolved"), dtype=bool),
        "responded": np.array(column("responded"), dtype=bool),
        "outcome": np.array(column("outcome"), dtype=object),
        "remedy": np.array(column("remedy"), dtype=object),
        "amount": np.array(column("amount"), dtype=float),
        "escalated": np.array(column("escalated"), dtype=bool),
        "reopened": np.array(column("reopened"), dtype=bool),
        "audience": np.array(column("audience"), dtype=float),
        "censor_hours": censor_h,
        "censor_days": censor_h / 24.0,
        "response_level": np.array(each(level, "responded", "first"), dtype=np.int64),
        "resolved_elsewhere": np.array(column("elsewhere"), dtype=bool),
        "leverage": np.array(column("leverage"), dtype=object),
        "moved_private": np.array(column("moved_private"), dtype=object),
        "tone": np.array(column("tone"), dtype=object),
        "followed_up": np.array(column("followed_up"), dtype=bool),
        "response_late": np.array([bool(late) for late in column("late")], dtype=bool),
    }


def with_sentences(gags: Iterable[GagRequest], sentences: Mapping[str, tuple[str, str]]) -> list[GagRequest]:
    """The gag requests with the sentences of ``sentences`` (digest -> (salt, sentence)) that match their
    entry's digest; a request whose sentence is not given, or does not match, is ``withdrawn``."""
    out = []
    for gag in gags:
        if gag.digest is None:
            out.append(gag)
            continue
        salt, sentence = sentences.get(gag.digest, ("", ""))
        try:
            matches = bool(sentence) and gag_digest(salt, sentence) == gag.digest
        except ValueError:  # a salt that is not hex
            matches = False
        out.append(replace(gag, sentence=sentence, salt=salt) if matches
                   else replace(gag, sentence=None, salt=None, withheld="withdrawn"))
    return out

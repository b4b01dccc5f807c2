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
  and bands are compared at one resolution; NaN when ``hidden`` or
  ``late``); ``response_level``: 3 within the hour, 2 within the day, 1 later,
  0 no response, -1 unknown; ``resolved_elsewhere``: a response in another
  channel;
- ``resolved``, ``outcome``, ``remedy``, ``amount``, ``resolution_days``: the
  last ``resolved`` entry not followed by ``reopened`` (``after_h`` + half an
  hour, in days); ``escalated``, ``reopened``: any such entry;
- ``censor_hours``, ``censor_days``: from the middle of the opening period to
  the *as of* date, the end of the latest period any case was opened in.

A case whose ``classified`` entry labels it spam by the audit's published rule
(:func:`openledger.audit.exclusion.excluded_as_spam`) has no row: it is in the
case index, and counted in ``spam``, but not in the table the audit reads.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np

from openledger import periods
from openledger.audit.exclusion import excluded_as_spam
from openledger.audit.groups import AUDIENCE_BUCKETS
from openledger.privacy.linkage import Signature
from openledger.privacy.projection import UNKNOWN

AUDIENCE_FLOOR = {name: low for name, low, _ in AUDIENCE_BUCKETS}
#: the published table's columns, in order (the audit's columns plus the site's)
COLUMNS = (
    "case", "channel", "visibility", "category", "severity", "opened", "first_response_hours", "resolution_days",
    "resolved", "responded", "outcome", "remedy", "amount", "escalated", "reopened", "audience", "censor_hours",
    "censor_days", "response_level", "resolved_elsewhere",
)


@dataclass
class Derived:
    """The outcomes table, the case index, the as-of date and the cases' signatures of a log."""

    table: dict[str, np.ndarray]
    case_entries: dict[str, list[int]]
    as_of: date | None
    signatures: dict[str, Signature]
    spam: int = 0  # cases left out of the table as spam


def _level(band: str | None) -> int:
    if band is None:
        return 0
    if band in (periods.HIDDEN, "late"):
        return -1
    low, high = periods.band_span(band)
    if high <= 1.0:
        return 3
    if high <= 24.0:
        return 2
    return 1 if low >= 24.0 else -1


class _Case:
    __slots__ = ("amount", "audience", "audience_band", "category", "channel", "elsewhere", "entries", "escalated",
                 "first", "opened", "outcome", "remedy", "reopened", "resolution_h", "resolved", "responded",
                 "severity", "spam", "visibility")

    def __init__(self, channel: str, visibility: str) -> None:
        self.channel, self.visibility = channel, visibility
        self.entries: list[int] = []
        self.opened = ""
        self.category = "uncategorised"
        self.severity = 2
        self.audience = math.nan
        self.audience_band = UNKNOWN
        self.first: str | None = None
        self.responded = self.escalated = self.reopened = self.elsewhere = self.resolved = False
        self.outcome, self.remedy, self.amount = "", "none", 0.0
        self.resolution_h = math.nan
        self.spam = False


def derive(entries: Iterable[tuple[int, bytes]]) -> Derived:
    """Fold entries (log index, bytes) into the published table, case index and as-of date."""
    cases: dict[str, _Case] = {}
    as_of: date | None = None
    for index, raw in entries:
        e = json.loads(raw)
        case = cases.get(e["case"])
        if case is None:
            case = cases[e["case"]] = _Case(e["channel"], e["visibility"])
        case.entries.append(index)
        kind, data = e["type"], e["data"]
        if kind == "opened":
            case.opened = e["period"]
            end = periods.span(e["period"])[1]
            as_of = end if as_of is None or end > as_of else as_of
            case.category = data.get("category", case.category)
            case.severity = data.get("severity", case.severity)
            case.audience_band = data.get("audience", UNKNOWN)
            case.audience = AUDIENCE_FLOOR.get(case.audience_band, math.nan)
        elif kind == "classified":
            labels = data.get("labels", {})
            label = labels.get("category")
            if label:
                case.category = label["value"]
            case.spam = excluded_as_spam(labels)
            case.severity = data.get("severity", case.severity)
        elif kind == "responded":
            case.responded = True
            if "after" in data:
                case.first = data["after"]
            if "channel" in data:
                case.elsewhere = True
        elif kind == "resolved":
            case.resolved = True
            case.outcome, case.remedy = data["outcome"], data["remedy"]
            case.amount = data["amount_cents"] / 100.0
            case.resolution_h = data["after_h"] + 0.5
        elif kind == "reopened":
            case.reopened = True
            case.resolved, case.outcome, case.remedy, case.amount = False, "", "none", 0.0
            case.resolution_h = math.nan
        elif kind == "escalated":
            case.escalated = True
    signatures = {pid: Signature(c.channel, c.visibility, c.opened, c.category, c.audience_band, c.first)
                  for pid, c in cases.items()}
    audited = {pid: c for pid, c in cases.items() if not c.spam}
    return Derived(_table(audited, as_of), {pid: c.entries for pid, c in cases.items()}, as_of, signatures,
                   spam=len(cases) - len(audited))


def _table(cases: dict[str, _Case], as_of: date | None) -> dict[str, np.ndarray]:
    rows = list(cases.items())
    now = datetime.combine(as_of, datetime.min.time(), tzinfo=UTC) if as_of else None

    def censor(c: _Case) -> float:
        if now is None or not c.opened:
            return math.nan
        start, end = periods.span(c.opened)
        middle = datetime.combine(start, datetime.min.time(), tzinfo=UTC) + (end - start) / 2
        return max(0.0, (now - middle).total_seconds() / 3600.0)

    # one resolution for every case: a private case's whole hours beside a public case's band would compare
    # a band's middle (14 h for "4-24h") with the hour itself and make fair treatment look unequal
    common = periods.coarsest(c.first for _, c in rows)
    first = np.array([math.nan if c.first is None or periods.precision_of(c.first) is None or common is None
                      else periods.band_hours(periods.at_precision(c.first, common)) for _, c in rows], dtype=float)
    censor_h = np.array([censor(c) for _, c in rows], dtype=float)
    return {
        "case": np.array([pid for pid, _ in rows], dtype=object),
        "channel": np.array([c.channel for _, c in rows], dtype=object),
        "visibility": np.array([c.visibility for _, c in rows], dtype=object),
        "category": np.array([c.category for _, c in rows], dtype=object),
        "severity": np.array([c.severity for _, c in rows], dtype=np.int64),
        "opened": np.array([c.opened for _, c in rows], dtype=object),
        "first_response_hours": first,
        "resolution_days": np.array([c.resolution_h / 24.0 for _, c in rows], dtype=float),
        "resolved": np.array([c.resolved for _, c in rows], dtype=bool),
        "responded": np.array([c.responded for _, c in rows], dtype=bool),
        "outcome": np.array([c.outcome for _, c in rows], dtype=object),
        "remedy": np.array([c.remedy for _, c in rows], dtype=object),
        "amount": np.array([c.amount for _, c in rows], dtype=float),
        "escalated": np.array([c.escalated for _, c in rows], dtype=bool),
        "reopened": np.array([c.reopened for _, c in rows], dtype=bool),
        "audience": np.array([c.audience for _, c in rows], dtype=float),
        "censor_hours": censor_h,
        "censor_days": censor_h / 24.0,
        "response_level": np.array([(-1 if c.first is None else _level(c.first)) if c.responded else 0
                                    for _, c in rows], dtype=np.int64),
        "resolved_elsewhere": np.array([c.elsewhere for _, c in rows], dtype=bool),
    }

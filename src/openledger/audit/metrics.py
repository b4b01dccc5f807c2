"""Audit metric objects, in the shape the ``register_audit_metrics`` hook expects.

A metric is one of three kinds; each kind is compared in its own way (see
:mod:`openledger.audit.stats`). ``values(table)`` always returns a pair of
arrays of the table's length:

- ``rate``: ``(hit, eligible)``, booleans: the metric is the share
  of eligible cases with ``hit``;
- ``time``: ``(duration, observed)``: time to the event, or to the
  build's "now" when it has not happened yet (``observed`` False: censored);
  cases with a NaN duration are left out;
- ``amount``: ``(amount, eligible)``: the mean of ``amount`` over
  eligible cases.

The built-in metrics are defined here and registered by the built-in plugin
:mod:`openledger.builtin.audit_metrics` through the hook, like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from openledger.audit.table import Table
from openledger.records import MONEYLESS_REMEDIES

Pair = tuple[np.ndarray, np.ndarray]
KINDS = ("rate", "time", "amount")


class AuditMetric(Protocol):
    """What the audit uses of a metric object: a :class:`Metric`, or any object a
    plugin registers with these attributes (``unit`` and ``scale`` are optional)."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def description(self) -> str: ...

    def values(self, cases: Table, /) -> tuple[npt.ArrayLike, npt.ArrayLike]: ...


@dataclass(frozen=True)
class Metric:
    """A named, versioned audit metric. ``unit`` labels values in the table."""

    name: str
    version: str
    kind: str
    description: str
    compute: Callable[[Table], Pair]
    unit: str = ""
    #: how a rate's groups are compared: ``ratio`` (risk ratio) or ``difference`` (risk difference,
    #: in percentage points: the right scale for a share near 100 %, where a ratio of 99 % to 95 %
    #: hides a difference and one of non-responses turns 0 % against 1.6 % into "0.0")
    scale: str = "ratio"

    def values(self, cases: Table) -> Pair:
        """Per-case arrays for ``cases`` (see the module docstring)."""
        return self.compute(cases)


def rate_metric(name: str, description: str, compute: Callable[[Table], Pair], version: str = "1",
                scale: str = "ratio") -> Metric:
    """A share of cases (compared by Mantel-Haenszel risk ratio, or risk difference)."""
    return Metric(name, version, "rate", description, compute, "share", scale)


def time_metric(
    name: str, description: str, compute: Callable[[Table], Pair], unit: str, version: str = "1"
) -> Metric:
    """A right-censored duration (compared by stratified log-rank)."""
    return Metric(name, version, "time", description, compute, unit)


def amount_metric(
    name: str, description: str, compute: Callable[[Table], Pair], unit: str, version: str = "1"
) -> Metric:
    """A non-negative quantity (compared by stratified ratio of means)."""
    return Metric(name, version, "amount", description, compute, unit)


FAVOURABLE = ("upheld", "partly-upheld")
DECIDED = ("upheld", "partly-upheld", "explained", "declined")


def _everyone(t: Table) -> np.ndarray:
    return np.ones(len(t["channel"]), dtype=bool)


def _response_rate(t: Table) -> Pair:
    return t["responded"], _everyone(t)


def _first_response(t: Table) -> Pair:
    done = t["responded"]
    return np.where(done, t["first_response_hours"], t["censor_hours"]), done


def _resolution_rate(t: Table) -> Pair:
    decided = t["resolved"] & np.isin(t["outcome"], DECIDED)
    return np.isin(t["outcome"], FAVOURABLE) & decided, decided


def _resolution_days(t: Table) -> Pair:
    done = t["resolved"]
    return np.where(done, t["resolution_days"], t["censor_days"]), done


def _remedy_rate(t: Table) -> Pair:
    return ~np.isin(t["remedy"], MONEYLESS_REMEDIES) & t["resolved"], t["resolved"]


def _remedy_amount(t: Table) -> Pair:
    return t["amount"], t["resolved"] & (t["amount"] > 0)


def _escalation_rate(t: Table) -> Pair:
    return t["escalated"], _everyone(t)


def _reopen_rate(t: Table) -> Pair:
    ever = t["resolved"] | t["reopened"]
    return t["reopened"] & ever, ever


BUILTIN_METRICS: tuple[Metric, ...] = (
    rate_metric(
        "response_rate",
        "Share of cases that received at least one response; compared as a difference in percentage "
        "points, since near 100 % a ratio of shares either hides a difference or inflates a small one.",
        _response_rate,
        version="2",
        scale="difference",
    ),
    time_metric(
        "first_response_hours",
        "Hours from opening to the first response (cases not yet answered count as waiting).",
        _first_response,
        "hours",
    ),
    rate_metric(
        "resolution_rate",
        "Share of decided cases resolved in the customer's favour (upheld or partly upheld).",
        _resolution_rate,
    ),
    time_metric(
        "resolution_days",
        "Days from opening to resolution (open cases count as still waiting).",
        _resolution_days,
        "days",
    ),
    rate_metric(
        "remedy_rate",
        "Share of resolved cases given a remedy other than none or an apology.",
        _remedy_rate,
    ),
    amount_metric(
        "remedy_amount",
        "Average amount of a remedy that had a money value.",
        _remedy_amount,
        "amount",
    ),
    rate_metric("escalation_rate", "Share of cases that were escalated.", _escalation_rate),
    rate_metric(
        "reopen_rate",
        "Share of resolved cases that were reopened.",
        _reopen_rate,
    ),
)

"""Coarse published times: period labels for dates, bands for durations.

A **period** is what the public sees of when something happened: an ISO week
(``2026-W10``), a month (``2026-03``), a quarter (``2026-Q1``) or a year
(``2026``), all in UTC. :func:`label` gives the period of a moment at a level,
:func:`span` the half-open interval ``[start, end)`` a label covers, so anyone
can tell whether a moment falls in it.

A **band** is what the public sees of a duration, at one of the precisions of
:data:`PRECISIONS` from fine to coarse: whole hours (``5h``: five hours up to
six), the bands of :data:`BANDS` (``1-4h``), the coarse bands of
:data:`COARSE` (``1-24h``), or nothing (``hidden``). Band edges fall on the
response levels of the audit (one hour, one day), so the level of a response
can be read from any precision but ``hidden``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

LEVELS = ("week", "month", "quarter", "year")
PRECISIONS = ("hours", "bands", "coarse", "hidden")
HIDDEN = "hidden"
#: the channel under which the release pools public cases too few to publish under their own channel; no
#: channel of its own, so the audit by channel compares no group by it
POOLED_CHANNEL = "other"

#: (label, lowest hours included, highest hours excluded)
BANDS: tuple[tuple[str, float, float], ...] = (
    ("<1h", 0.0, 1.0), ("1-4h", 1.0, 4.0), ("4-24h", 4.0, 24.0),
    ("1-3d", 24.0, 72.0), ("3-7d", 72.0, 168.0), (">7d", 168.0, math.inf),
)
COARSE: tuple[tuple[str, float, float], ...] = (("<1h", 0.0, 1.0), ("1-24h", 1.0, 24.0), (">1d", 24.0, math.inf))
#: the hours a band stands for in the audit's time measures (open-ended bands: a week and a half)
_MIDDLE = {"<1h": 0.5, "1-4h": 2.5, "4-24h": 14.0, "1-3d": 48.0, "3-7d": 120.0, ">7d": 252.0,
           "1-24h": 12.5, ">1d": 96.0}

_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_YEAR = re.compile(r"[0-9]{4}")
_HOURS = re.compile(r"([0-9]{1,6})h")


def _day(moment: datetime | date) -> date:
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError("a moment to coarsen must be timezone-aware")
        return moment.astimezone(UTC).date()
    return moment


def label(moment: datetime | date, level: str) -> str:
    """The period of ``moment`` at ``level`` (UTC)."""
    day = _day(moment)
    if level == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if level == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if level == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if level == "year":
        return f"{day.year:04d}"
    raise ValueError(f"unknown period level {level!r}; use one of {', '.join(LEVELS)}")


def labels(moment: datetime | date) -> tuple[str, ...]:
    """The periods of ``moment`` at every level, finest first (UTC): ``label`` at each of :data:`LEVELS`."""
    return _labels(_day(moment))


@functools.lru_cache(maxsize=4096)  # a year of cases opens on a few hundred days
def _labels(day: date) -> tuple[str, ...]:
    return tuple(label(day, level) for level in LEVELS)


def level_of(text: str) -> str:
    """The level of a period label; ValueError if it is none."""
    if _WEEK.fullmatch(text):
        return "week"
    if _QUARTER.fullmatch(text):
        return "quarter"
    if _MONTH.fullmatch(text):
        return "month"
    if _YEAR.fullmatch(text):
        return "year"
    raise ValueError(f"not a period label: {text!r}")


def span(text: str) -> tuple[date, date]:
    """The days a period label covers, as ``[start, end)``; ValueError for a bad label."""
    if not isinstance(text, str):
        raise ValueError(f"not a period label: {text!r}")
    return _span(text)


@functools.lru_cache(maxsize=8192)  # a log holds few distinct periods and many entries
def _span(text: str) -> tuple[date, date]:
    level = level_of(text)
    if level == "week":
        m = _WEEK.fullmatch(text)
        assert m is not None
        try:
            start = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            raise ValueError(f"not a period label: {text!r}") from None
        return start, start + timedelta(days=7)
    if level == "month":
        m = _MONTH.fullmatch(text)
        assert m is not None
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"not a period label: {text!r}")
        return date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)
    if level == "quarter":
        m = _QUARTER.fullmatch(text)
        assert m is not None
        year, quarter = int(m.group(1)), int(m.group(2))
        first = 3 * (quarter - 1) + 1
        return date(year, first, 1), date(year + (first + 3) // 13, (first + 2) % 12 + 1, 1)
    year = int(text)
    return date(year, 1, 1), date(year + 1, 1, 1)


def contains(text: str, moment: datetime | date) -> bool:
    """Whether ``moment`` falls in the period ``text``."""
    start, end = span(text)
    return start <= _day(moment) < end


@functools.lru_cache(maxsize=8192)  # asked for millions of cases of a few hundred periods
def end_of(text: str) -> datetime:
    """The first moment after the period (UTC midnight)."""
    return datetime.combine(span(text)[1], datetime.min.time(), tzinfo=UTC)


@functools.lru_cache(maxsize=8192)  # one text per whole hour, shared by the millions of cases a seal describes
def _whole_hours(hours: int) -> str:
    return f"{hours}h"


def band(hours: float, precision: str) -> str:
    """The published form of a duration of ``hours`` (>= 0) at ``precision``."""
    if precision == HIDDEN:
        return HIDDEN
    if hours < 0 or math.isnan(hours):
        raise ValueError(f"a duration must be a number of hours >= 0, not {hours!r}")
    if precision == "hours":
        return _whole_hours(int(math.floor(hours)))
    table = BANDS if precision == "bands" else COARSE if precision == "coarse" else None
    if table is None:
        raise ValueError(f"unknown precision {precision!r}; use one of {', '.join(PRECISIONS)}")
    for name, low, high in table:
        if low <= hours < high:
            return name
    raise AssertionError("the bands cover every duration")  # pragma: no cover


def precision_of(text: str) -> str | None:
    """The precision a published duration is written at (``5h``: hours, ``1-4h``: bands, ``1-24h``: coarse);
    None for ``hidden`` and anything that is not a duration (``late``)."""
    if _HOURS.fullmatch(text):
        return "hours"
    for table, precision in ((BANDS, "bands"), (COARSE, "coarse")):
        if any(name == text for name, _, _ in table):
            return precision
    return None


def coarsest(texts: Iterable[str | None]) -> str | None:
    """The coarsest precision among published durations (None when none is a duration)."""
    found = {precision_of(t) for t in texts if t}
    return next((p for p in reversed(PRECISIONS[:-1]) if p in found), None)


def at_precision(text: str, precision: str) -> str:
    """A published duration written at an equal or coarser ``precision`` (``5h`` -> ``4-24h`` -> ``1-24h``).

    The bands nest (every edge of a coarser table is an edge of the finer
    ones), so the coarser band holding the start of ``text`` holds all of it.
    """
    own = precision_of(text)
    if own is None or PRECISIONS.index(own) > PRECISIONS.index(precision):
        raise ValueError(f"cannot write {text!r} at the finer precision {precision!r}")
    return band(band_span(text)[0], precision)


def band_span(text: str) -> tuple[float, float]:
    """The hours ``[low, high)`` a band covers; ``hidden`` covers every duration."""
    if text == HIDDEN:
        return 0.0, math.inf
    m = _HOURS.fullmatch(text)
    if m:
        low = float(m.group(1))
        return low, low + 1.0
    for name, low, high in BANDS + COARSE:
        if name == text:
            return low, high
    raise ValueError(f"not a duration band: {text!r}")


def band_hours(text: str) -> float:
    """The hours a band stands for in the audit (its middle); NaN for ``hidden``."""
    if text == HIDDEN:
        return math.nan
    m = _HOURS.fullmatch(text)
    if m:
        return float(m.group(1)) + 0.5
    try:
        return _MIDDLE[text]
    except KeyError:
        raise ValueError(f"not a duration band: {text!r}") from None


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def in_words(label: str) -> str:
    """A period label in words: ``2026-W10`` -> "the week of 2 March 2026", ``2026-03`` -> "March 2026",
    ``2026-Q1`` -> "January to March 2026", ``2026`` -> "2026"; anything else as it is."""
    try:
        level = level_of(label)
        start, _ = span(label)
    except ValueError:
        return label
    if level == "week":
        return f"the week of {start.day} {_MONTHS[start.month - 1]} {start.year}"
    if level == "month":
        return f"{_MONTHS[start.month - 1]} {start.year}"
    if level == "quarter":
        return f"{_MONTHS[start.month - 1]} to {_MONTHS[start.month + 1]} {start.year}"
    return str(start.year)

"""Coarse published times: dates at the day, ISO week or month, durations in
whole hours or days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np

from openledger.errors import ConfigError, OpenLedgerError

TIME_UNITS = ("day", "week", "month")
DURATION_UNITS = ("hours", "days")


def coarsen_time(moment: datetime | date, unit: str = "day") -> str:
    """A published time: ``2026-03-05`` (day), ``2026-W10`` (ISO week) or ``2026-03`` (month).

    Aware datetimes are converted to UTC first, so the same instant always
    gives the same published value.
    """
    if unit not in TIME_UNITS:
        raise ConfigError(f"unknown time coarsening {unit!r}; use one of {', '.join(TIME_UNITS)}")
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        moment = moment.date()
    if unit == "day":
        return moment.isoformat()
    if unit == "week":
        year, week, _ = moment.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{moment.year:04d}-{moment.month:02d}"


def round_duration(duration: timedelta | float | None, unit: str = "hours") -> float | None:
    """A published duration in whole hours or days (``duration`` in seconds or a timedelta).

    Rounds half up, so 90 minutes publish as 2 hours and 30 minutes as 1 hour:
    only durations of exactly zero publish as zero.
    """
    if duration is None:
        return None
    if unit not in DURATION_UNITS:
        raise ConfigError(f"unknown duration rounding {unit!r}; use one of {', '.join(DURATION_UNITS)}")
    seconds = duration.total_seconds() if isinstance(duration, timedelta) else float(duration)
    if seconds < 0:
        raise OpenLedgerError(f"a negative duration cannot be published: {seconds} s")
    size = 3600.0 if unit == "hours" else 86400.0
    if seconds == 0:
        return 0.0
    return float(max(1.0, np.floor(seconds / size + 0.5)))

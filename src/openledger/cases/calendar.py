"""Business calendar: opening hours in a time zone, minus public holidays.

Service targets count either in calendar hours or in business hours (when
the company is open). The calendar comes from the ``[calendar]`` table of
``openledger.toml``::

    [calendar]
    timezone = "Europe/London"          # an IANA zone name (zoneinfo)
    country = "GB"                      # public holidays from the `holidays` package
    subdivision = "ENG"                 # optional: state, province, nation
    closed = ["2026-12-24"]             # optional extra closing days (ISO dates)

    [calendar.hours]                    # per weekday "HH:MM-HH:MM", several ranges
    mon = "09:00-17:30"                 # separated by commas; "" or absent = closed
    sat = "10:00-13:00"

Without a ``[calendar]`` table the calendar is UTC, Monday to Friday
09:00-17:00, with no public holidays. Opening hours are wall-clock times in
the zone, so they follow daylight saving time; arithmetic is done on UTC
instants, so a day with a DST change has the right number of open hours.
All functions take and return timezone-aware datetimes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib

from openledger import patterns
from openledger.errors import ConfigError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_HOURS = dict.fromkeys(WEEKDAYS[:5], "09:00-17:00")
_RANGE = patterns.anchored(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
#: never look further than this for an open hour (guards against a calendar closed forever)
_MAX_DAYS = 3660


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening hours per weekday in ``tz``, closed on ``holiday_dates`` and ``closed``."""

    tz: ZoneInfo
    hours: Mapping[int, tuple[tuple[time, time | None], ...]]
    country: str | None = None
    subdivision: str | None = None
    closed: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not any(self.hours.get(d) for d in range(7)):
            raise ConfigError("the calendar has no opening hours on any weekday",
                              location="[calendar.hours]")
        holiday_table = None
        if self.country:
            try:
                holiday_table = holidays_lib.country_holidays(self.country, subdiv=self.subdivision)
            except NotImplementedError as error:
                raise ConfigError(f"unknown holiday country or subdivision: {error}",
                                  location="[calendar]") from error
        object.__setattr__(self, "_holidays", holiday_table)

    def is_holiday(self, day: date) -> bool:
        """True when ``day`` is a public holiday or an extra closing day."""
        table = self._holidays  # type: ignore[attr-defined]
        return day in self.closed or (table is not None and day in table)

    def open_intervals(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open intervals (UTC, in order) from the local day of ``start`` onwards."""
        _require_aware(start)
        day = start.astimezone(self.tz).date()
        for offset in range(_MAX_DAYS):
            current = day + timedelta(days=offset)
            if self.is_holiday(current):
                continue
            for opens, closes in self.hours.get(current.weekday(), ()):
                begin = datetime.combine(current, opens, self.tz)
                if closes is None:  # "24:00": until the next local midnight
                    end = datetime.combine(current + timedelta(days=1), time(0), self.tz)
                else:
                    end = datetime.combine(current, closes, self.tz)
                begin, end = begin.astimezone(UTC), end.astimezone(UTC)
                if end > begin:
                    yield begin, end

    def is_open(self, moment: datetime) -> bool:
        """True when ``moment`` falls within opening hours."""
        moment = moment.astimezone(UTC)
        for begin, end in self.open_intervals(moment - timedelta(days=1)):
            if begin > moment:
                return False
            if begin <= moment < end:
                return True
        return False

    def add_business_hours(self, start: datetime, hours: float) -> datetime:
        """The instant when ``hours`` open hours have passed since ``start``.

        ``hours`` = 0 returns ``start``. The result is in the calendar's zone.
        """
        _require_aware(start)
        if hours < 0:
            raise ValueError("hours must not be negative")
        if hours == 0:
            return start.astimezone(self.tz)
        remaining = timedelta(hours=hours)
        moment = start.astimezone(UTC)
        for begin, end in self.open_intervals(moment - timedelta(days=1)):
            if end <= moment:
                continue
            begin = max(begin, moment)
            if end - begin >= remaining:
                return (begin + remaining).astimezone(self.tz)
            remaining -= end - begin
        raise ConfigError(f"no {hours} business hours within {_MAX_DAYS} days of {start.isoformat()}",
                          location="[calendar]")

    def business_hours_between(self, start: datetime, end: datetime) -> float:
        """Open hours between ``start`` and ``end`` (negative when ``end`` is earlier)."""
        _require_aware(start)
        _require_aware(end)
        if end < start:
            return -self.business_hours_between(end, start)
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        total = timedelta(0)
        for begin, close in self.open_intervals(start - timedelta(days=1)):
            if begin >= end:
                break
            overlap = min(close, end) - max(begin, start)
            if overlap > timedelta(0):
                total += overlap
        return total.total_seconds() / 3600


def add_hours(calendar: BusinessCalendar, start: datetime, hours: float, business: bool) -> datetime:
    """``start`` plus ``hours``, counted in business hours or in calendar (wall) hours."""
    if business:
        return calendar.add_business_hours(start, hours)
    _require_aware(start)
    # in UTC: Python adds and subtracts same-zone datetimes as wall-clock times
    return (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(calendar.tz)


def hours_between(calendar: BusinessCalendar, start: datetime, end: datetime, business: bool) -> float:
    """Hours from ``start`` to ``end``, in business or calendar hours."""
    if business:
        return calendar.business_hours_between(start, end)
    _require_aware(start)
    _require_aware(end)
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 3600


def parse_hours(spec: str, where: str) -> tuple[tuple[time, time | None], ...]:
    """Parse ``"09:00-12:30, 13:30-17:00"``; ``24:00`` closes at midnight."""
    ranges = []
    for part in (p for p in spec.split(",") if p.strip()):
        match = _RANGE.match(part)
        if not match:
            raise ConfigError(f"opening hours must look like 09:00-17:30, not {part.strip()!r}",
                              location=where)
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
            raise ConfigError(f"no such time in {part.strip()!r}", location=where)
        opens = time(h1, m1)
        closes = None if h2 == 24 else time(h2, m2)
        if closes is not None and closes <= opens:
            raise ConfigError(f"closing time must be after opening time in {part.strip()!r}",
                              location=where)
        ranges.append((opens, closes))
    ranges.sort(key=lambda r: r[0])
    for (_, close_a), (open_b, _) in zip(ranges, ranges[1:]):
        if close_a is None or close_a > open_b:
            raise ConfigError(f"opening hours overlap in {spec!r}", location=where)
    return tuple(ranges)


def calendar_from_config(config: Mapping | None) -> BusinessCalendar:
    """Build the calendar from ``config['calendar']`` (defaults documented above)."""
    table = (config or {}).get("calendar") or {}
    if not isinstance(table, Mapping):
        raise ConfigError("calendar must be a table", location="[calendar]")
    zone_name = table.get("timezone", "UTC")
    try:
        tz = ZoneInfo(str(zone_name))
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"unknown time zone {zone_name!r}", location="[calendar] timezone") from error
    hours_table = table.get("hours", DEFAULT_HOURS)
    if not isinstance(hours_table, Mapping):
        raise ConfigError("hours must be a table of weekday = \"HH:MM-HH:MM\"",
                          location="[calendar.hours]")
    unknown = set(hours_table) - set(WEEKDAYS)
    if unknown:
        raise ConfigError(f"unknown weekday(s) {sorted(unknown)}; use {', '.join(WEEKDAYS)}",
                          location="[calendar.hours]")
    hours = {i: parse_hours(str(hours_table.get(day) or ""), f"[calendar.hours] {day}")
             for i, day in enumerate(WEEKDAYS)}
    closed = set()
    for item in table.get("closed", ()):
        try:
            closed.add(item if isinstance(item, date) else date.fromisoformat(str(item)))
        except ValueError as error:
            raise ConfigError(f"closed days must be ISO dates, not {item!r}",
                              location="[calendar] closed") from error
    return BusinessCalendar(tz, hours, table.get("country"), table.get("subdivision"),
                            frozenset(closed))


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"datetime {moment.isoformat()} has no time zone")

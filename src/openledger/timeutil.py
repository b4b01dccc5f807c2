"""Time conventions: timezone-aware UTC datetimes everywhere."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import Any, overload

from openledger import patterns


@overload
def to_utc(dt: datetime) -> datetime: ...
@overload
def to_utc(dt: None) -> None: ...


def to_utc(dt: datetime | None) -> datetime | None:
    """Any datetime as aware UTC (a naive one is taken as UTC)."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _parse_iso(value: Any) -> datetime:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("empty timestamp")
    text = value.strip()
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an ISO 8601 timestamp: {value!r}") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


_TWITTER_FORMAT = "%a %b %d %H:%M:%S %z %Y"
_SLASH_DATE = patterns.anchored(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_time(value: Any, *, strict: bool = False) -> datetime:
    """Parse a timestamp as written by common exports into an aware datetime.

    The one time parser of openledger. With ``strict`` (the generic record
    formats, ``docs/formats.md``) only ISO 8601 is accepted and the result is
    in UTC; a bad value raises ValueError ("empty timestamp", "not an ISO 8601
    timestamp: ..."). Otherwise it accepts ISO 8601 / RFC 3339 (``2024-03-08T05:40:39.000Z``, a bare date
    ``2019-09-24``), the Twitter API form (``Tue Oct 31 22:10:47 +0000 2017``),
    US dates ``M/D/YYYY``, and Unix epoch seconds or milliseconds (int, float
    or digit string; a number above 10^11 is milliseconds, so seconds work up
    to the year 5138 and milliseconds from March 1973). Times without a zone
    are taken as UTC.
    Raises ValueError for anything else.
    """
    if strict:
        return _parse_iso(value)
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        result = datetime.fromtimestamp(seconds, tz=UTC)
    elif isinstance(value, str):
        return _parse_text(value)
    else:
        raise ValueError(f"unrecognised date {value!r}")
    if result.tzinfo is None:
        result = result.replace(tzinfo=UTC)
    return result


@functools.lru_cache(maxsize=4096)
def _parse_text(value: str) -> datetime:
    """parse_time for strings; cached, because exports repeat the same dates."""
    text = value.strip()
    if not text:
        raise ValueError("empty date")
    if text.isdigit():
        return parse_time(int(text))
    match = _SLASH_DATE.match(text)
    if match:
        month, day, year = (int(g) for g in match.groups())
        result = datetime(year, month, day)
    else:
        try:
            result = datetime.fromisoformat(text)
        except ValueError:
            try:
                result = datetime.strptime(text, _TWITTER_FORMAT)
            except ValueError:
                raise ValueError(f"unrecognised date {text!r}") from None
    if result.tzinfo is None:
        result = result.replace(tzinfo=UTC)
    return result


def now() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime | None) -> str | None:
    """Aware UTC ISO 8601 with ``Z``, seconds precision."""
    if dt is None:
        return None
    if dt.tzinfo is not UTC:
        dt = to_utc(dt)
    return dt.replace(microsecond=0, tzinfo=None).isoformat() + "Z"

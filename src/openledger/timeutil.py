"""Time conventions: timezone-aware UTC datetimes everywhere."""

from __future__ import annotations

from datetime import UTC, datetime


def to_utc(dt: datetime | None) -> datetime | None:
    """Any datetime as aware UTC (a naive one is taken as UTC)."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)




def parse_timestamp(value: str) -> datetime:
    """Parse ISO 8601 (``Z`` allowed; a missing offset means UTC) to aware UTC.

    Raises ValueError with a short reason.
    """
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


def now() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime | None) -> str | None:
    """Aware UTC ISO 8601 with ``Z``, seconds precision."""
    if dt is None:
        return None
    if dt.tzinfo is not UTC:
        dt = to_utc(dt)
    return dt.replace(microsecond=0, tzinfo=None).isoformat() + "Z"

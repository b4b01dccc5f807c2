"""Response level 0-6 of a case, computed from its events (a pure function).

Each event is a mapping ``{"type", "at", "channel", "data"}`` (``at`` a
timezone-aware datetime or an ISO 8601 string). The levels:

=====  ==============================================================
0      no response at all
1      first response days later (more than 24 hours after opening)
2      first response hours later (within 24 hours)
3      first response within minutes (60 minutes), counted in calendar
       time, so also outside business hours
4      the response was followed by a direct contact
5      the response was followed in another channel the company sought out
6      resolved in person, or the company went beyond the case
=====  ==============================================================

What the events must say (``data`` fields are booleans unless stated):

- the case opened: ``type == "opened"`` (else the earliest event counts);
- a company response: ``type`` in ``responded``, ``replied``, ``contacted``
  or ``data["direction"] == "out"``;
- level 4: a later company event with ``data["direct"]``: a phone call, a
  personal e-mail or message from a named person to the customer;
- level 5: a later company event with ``data["sought_out"]`` whose
  ``channel`` differs from the channel the case opened in: the company
  found the customer elsewhere (called the tweeter, wrote to the reviewer);
- level 6: any event with ``data["in_person"]`` (a visit, a meeting) or
  ``data["beyond"]`` (a follow-up or gesture beyond what the case needed).

Levels 4-6 need a response first; the level is the highest reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from openledger.errors import BadRecordError

RESPONSE_TYPES = frozenset({"responded", "replied", "contacted"})
MINUTES = timedelta(minutes=60)
HOURS = timedelta(hours=24)
LEVEL_NAMES = ("no response", "days later", "hours later", "minutes later", "direct contact",
               "sought out in another channel", "in person / beyond")


@dataclass(frozen=True)
class LevelResult:
    """The level, its name, and the event times it rests on."""

    level: int
    name: str
    opened_at: datetime | None
    first_response_at: datetime | None


def _at(event: Mapping, index: int) -> datetime:
    value = event.get("at")
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            value = None
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise BadRecordError(f"event has no timezone-aware 'at': {event.get('at')!r}",
                             location=f"event {index}")
    return value


def _is_response(event: Mapping) -> bool:
    data = event.get("data") or {}
    return event.get("type") in RESPONSE_TYPES or data.get("direction") == "out"


def assess_level(events: Iterable[Mapping]) -> LevelResult:
    """The response level of a case and the times it rests on."""
    timed = sorted(((_at(e, i), i, e) for i, e in enumerate(events)), key=lambda t: (t[0], t[1]))
    if not timed:
        return LevelResult(0, LEVEL_NAMES[0], None, None)
    opened = next(((at, e) for at, _, e in timed if e.get("type") == "opened"), None)
    opened_at, opened_event = opened if opened else (timed[0][0], timed[0][2])
    first_channel = opened_event.get("channel")
    response_at = next((at for at, _, e in timed if _is_response(e) and at >= opened_at), None)
    if response_at is None:
        return LevelResult(0, LEVEL_NAMES[0], opened_at, None)
    delay = response_at - opened_at
    level = 3 if delay <= MINUTES else 2 if delay <= HOURS else 1
    for at, _, event in timed:
        data = event.get("data") or {}
        if data.get("in_person") or data.get("beyond"):
            level = max(level, 6)
        if at < response_at:
            continue
        if data.get("sought_out") and event.get("channel") not in (None, first_channel):
            level = max(level, 5)
        elif data.get("direct"):
            level = max(level, 4)
    return LevelResult(level, LEVEL_NAMES[level], opened_at, response_at)


def response_level(events: Iterable[Mapping]) -> int:
    """The response level (0-6) of a case from its events."""
    return assess_level(events).level

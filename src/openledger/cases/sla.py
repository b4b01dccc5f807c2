"""Service-level target tracking: met, breached or pending, with due times.

A pure function of the case's times: when it opened, the targets (hours,
counted in business or calendar hours on a
:class:`~openledger.cases.calendar.BusinessCalendar`), when the first response and
the resolution happened (None if not yet) and the current time.

- ``met``: it happened at or before the due time;
- ``breached``: it happened after the due time, or has not happened and the
  due time has passed (``at`` is then None);
- ``pending``: not happened, due time still ahead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from openledger.cases.calendar import BusinessCalendar, add_hours, hours_between

STATES = ("met", "breached", "pending")


@dataclass(frozen=True)
class Targets:
    """Service targets in hours; ``None`` means no target."""

    first_response_hours: float | None
    resolution_hours: float | None
    business_hours: bool = True


@dataclass(frozen=True)
class TargetStatus:
    """The state of one target."""

    name: str  # "first_response" or "resolution"
    state: str
    due: datetime
    at: datetime | None
    hours_taken: float | None  # in the target's own hours, None while pending

    def as_dict(self) -> dict:
        return {"name": self.name, "state": self.state, "due": self.due.isoformat(),
                "at": self.at.isoformat() if self.at else None, "hours_taken": self.hours_taken}


def target_status(name: str, calendar: BusinessCalendar, opened_at: datetime, hours: float,
                  business: bool, done_at: datetime | None, now: datetime, measure: bool = True) -> TargetStatus:
    """The state of a single target of ``hours`` from ``opened_at``.

    ``measure=False`` leaves ``hours_taken`` None: counting business hours
    over a long time is the costly part, and a list of states does not need it.
    """
    due = add_hours(calendar, opened_at, hours, business)
    if done_at is not None:
        taken = round(hours_between(calendar, opened_at, done_at, business), 4) if measure else None
        return TargetStatus(name, "met" if done_at <= due else "breached", due, done_at, taken)
    if now > due:
        taken = round(hours_between(calendar, opened_at, now, business), 4) if measure else None
        return TargetStatus(name, "breached", due, None, taken)
    return TargetStatus(name, "pending", due, None, None)


def track_sla(calendar: BusinessCalendar, opened_at: datetime, targets: Targets,
              first_response_at: datetime | None, resolved_at: datetime | None,
              now: datetime, measure: bool = True) -> tuple[TargetStatus, ...]:
    """The status of each target the case has (first response, then resolution)."""
    statuses = []
    if targets.first_response_hours is not None:
        statuses.append(target_status("first_response", calendar, opened_at,
                                      targets.first_response_hours, targets.business_hours,
                                      first_response_at, now, measure))
    if targets.resolution_hours is not None:
        statuses.append(target_status("resolution", calendar, opened_at, targets.resolution_hours,
                                      targets.business_hours, resolved_at, now, measure))
    return tuple(statuses)


def breached(statuses: tuple[TargetStatus, ...]) -> bool:
    """True when any target is breached (for ``cases list --breached``)."""
    return any(s.state == "breached" for s in statuses)


def targets_from_data(data) -> Targets | None:
    """The targets of a ``drafted`` event's data (``{"targets": {...}}``), or None without any."""
    targets: object = (data or {}).get("targets") if hasattr(data or {}, "get") else None
    if not hasattr(targets, "get"):
        return None

    def hours(key: str) -> float | None:
        value = targets.get(key)
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 else None

    first, resolution = hours("first_response_hours"), hours("resolution_hours")
    if first is None and resolution is None:
        return None
    business = targets.get("business_hours")
    return Targets(first, resolution, business if isinstance(business, bool) else True)

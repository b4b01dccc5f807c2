"""Cases as agents look them up: ``cases list``, ``cases show`` and finding the
case a command names (its id, or the public id on the customer's receipt)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from openledger.cases.calendar import BusinessCalendar
from openledger.cases.levels import assess_level
from openledger.cases.sla import TargetStatus, targets_from_data, track_sla
from openledger.errors import NotFoundError
from openledger.store.models import cases_table as cases_t
from openledger.store.models import events_table as events_t
from openledger.store.models import messages_table as messages_t
from openledger.timeutil import iso, to_utc

CASE_FIELDS = ("id", "status", "channel", "visibility", "kind", "category", "severity", "tier", "opened_at",
               "first_response_at", "resolved_at", "outcome", "remedy", "amount", "escalated", "reopened")


def case_named(case: str):
    """Which case a command-line argument names: its id, or the public id (C-...) on the customer's receipt."""
    case = case.strip()
    return cases_t.c.id == int(case) if case.isdigit() else cases_t.c.public_id == case.upper()


def find_case(conn: Connection, case: str) -> tuple[int, str]:
    """(id, public id) of the case named by ``case``; NotFoundError if there is none."""
    row = conn.execute(select(cases_t.c.id, cases_t.c.public_id).where(case_named(case))).first()
    if row is None or row.public_id is None:
        raise NotFoundError(f"no case {case}")
    return row.id, row.public_id


def case_count(conn: Connection) -> int:
    """How many cases the database holds."""
    return conn.execute(select(func.count()).select_from(cases_t)).scalar_one()


def unprocessed_count(conn: Connection) -> int:
    """How many cases ``process`` has still to process (never processed yet): the total of its progress bar."""
    return conn.execute(select(func.count()).select_from(cases_t).where(cases_t.c.processed_at.is_(None))).scalar_one()


def case_dict(row) -> dict[str, Any]:
    out = {}
    for name in CASE_FIELDS:
        value = getattr(row, name)
        out[name] = iso(value) if name.endswith("_at") else value
    return out


def sla_of(row, drafted_data: Mapping | None, calendar: BusinessCalendar, at: datetime,
           measure: bool = True) -> tuple[TargetStatus, ...]:
    """Each service target of a case (from its latest ``drafted`` event) with its state at ``at``."""
    targets = targets_from_data(drafted_data)
    if targets is None:
        return ()
    return track_sla(calendar, to_utc(row.opened_at), targets, to_utc(row.first_response_at),
                     to_utc(row.resolved_at), at, measure)


def target_dict(status: TargetStatus) -> dict[str, Any]:
    out: dict[str, str | float | None] = {
        "name": status.name, "state": status.state, "due": iso(status.due), "at": iso(status.at)
    }
    if status.hours_taken is not None or status.state == "pending":
        out["hours_taken"] = status.hours_taken
    return out


def latest_drafted():
    """A subquery: the id of each case's latest ``drafted`` event."""
    return (
        select(events_t.c.case_id, func.max(events_t.c.id).label("event_id"))
        .where(events_t.c.type == "drafted")
        .group_by(events_t.c.case_id)
        .subquery()
    )


def list_cases(conn: Connection, *, status: str | None = None, channel: str | None = None, breached: bool = False,
               limit: int = 100, calendar: BusinessCalendar | None = None,
               at: datetime | None = None) -> list[dict[str, Any]]:
    """Cases newest first, as dicts; with ``breached``, only those with a breached
    service target at ``at`` (each with its ``breached`` targets)."""
    order = (cases_t.c.opened_at.desc(), cases_t.c.id.desc())
    if breached:
        latest = latest_drafted()
        query = (
            select(cases_t, events_t.c.data.label("drafted_data"))
            .join(latest, latest.c.case_id == cases_t.c.id)
            .join(events_t, events_t.c.id == latest.c.event_id)
            .order_by(*order)
            .execution_options(yield_per=1000)
        )
    else:
        query = select(cases_t).order_by(*order).limit(limit)
    if status:
        query = query.where(cases_t.c.status == status)
    if channel:
        query = query.where(cases_t.c.channel == channel.lower())
    if not breached:
        return [case_dict(r) for r in conn.execute(query)]
    if calendar is None or at is None:
        raise ValueError("listing breached cases needs the business calendar and a time")
    rows = []
    for r in conn.execute(query):
        late = [s for s in sla_of(r, r.drafted_data, calendar, at, measure=False) if s.state == "breached"]
        if late:
            rows.append({**case_dict(r), "breached": [target_dict(s) for s in late]})
            if len(rows) >= limit:
                break
    return rows


def show_case(conn: Connection, case: str, calendar: BusinessCalendar, at: datetime) -> dict[str, Any]:
    """One case with its events, messages, response level and service targets at ``at``."""
    row = conn.execute(select(cases_t).where(case_named(case))).first()
    if row is None:
        raise NotFoundError(f"no case {case}")
    case_id = row.id
    shown = case_dict(row)
    events = list(conn.execute(select(events_t).where(events_t.c.case_id == case_id).order_by(events_t.c.id)))
    shown["events"] = [
        {"id": e.id, "type": e.type, "at": iso(e.at), "actor": e.actor, "data": e.data, "private": e.private}
        for e in events
    ]
    shown["messages"] = [
        {"id": m.external_id, "source": m.source, "channel": m.channel, "visibility": m.visibility,
         "direction": m.direction, "timestamp": iso(m.timestamp), "author": m.author, "text": m.text}
        for m in conn.execute(
            select(messages_t).where(messages_t.c.case_id == case_id).order_by(messages_t.c.timestamp, messages_t.c.id)
        )
    ]
    level = assess_level(
        {"type": e.type, "at": to_utc(e.at), "data": e.data or {},
         "channel": (e.data or {}).get("channel") if isinstance((e.data or {}).get("channel"), str) else row.channel}
        for e in events
    )
    shown["response_level"] = {"level": level.level, "name": level.name}
    drafted = [e.data for e in events if e.type == "drafted"]
    shown["targets"] = [target_dict(s) for s in sla_of(row, drafted[-1] if drafted else None, calendar, at)]
    return shown

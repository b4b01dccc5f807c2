"""``process`` and ``cases list|show``."""

from __future__ import annotations

import json

import click
from sqlalchemy import func, select

from openledger.calendar import BusinessCalendar, calendar_from_config
from openledger.cli import App, main, pass_app
from openledger.cli.ingest import progress_counter
from openledger.errors import NotFoundError
from openledger.levels import assess_level
from openledger.models import Case, Event, Message
from openledger.process import process_cases
from openledger.sla import TargetStatus, targets_from_data, track_sla
from openledger.timeutil import iso, now, to_utc

cases_t = Case.__table__
events_t = Event.__table__
messages_t = Message.__table__


def case_named(case: str):
    """Which case a command-line argument names: its id, or the public id (C-...) on the customer's receipt."""
    case = case.strip()
    return cases_t.c.id == int(case) if case.isdigit() else cases_t.c.public_id == case.upper()


CASE_FIELDS = ("id", "status", "channel", "visibility", "kind", "category", "severity", "tier", "opened_at",
               "first_response_at", "resolved_at", "outcome", "remedy", "amount", "escalated", "reopened")


def case_dict(row) -> dict:
    out = {}
    for name in CASE_FIELDS:
        value = getattr(row, name)
        out[name] = iso(value) if name.endswith("_at") else value
    return out


def business_calendar(app: App) -> BusinessCalendar:
    """The instance's business calendar (``[calendar]`` in the config)."""
    return calendar_from_config(app.config.data)


def sla_of(row, drafted_data, calendar: BusinessCalendar, at, measure: bool = True) -> tuple[TargetStatus, ...]:
    """Each service target of a case (from its latest ``drafted`` event) with its state at ``at``."""
    targets = targets_from_data(drafted_data)
    if targets is None:
        return ()
    return track_sla(calendar, to_utc(row.opened_at), targets, to_utc(row.first_response_at),
                     to_utc(row.resolved_at), at, measure)


def target_dict(status: TargetStatus) -> dict:
    out = {"name": status.name, "state": status.state, "due": iso(status.due), "at": iso(status.at)}
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


@main.command()
@click.option("--limit", type=click.IntRange(min=1), help="Process at most this many cases.")
@pass_app
def process(app: App, limit: int | None) -> None:
    """Classify new cases, draft replies, set tiers, targets and remedy proposals."""
    with progress_counter("processing") as progress:
        report = process_cases(app.store, app.config, limit=limit, progress=progress)
    click.echo(
        f"processed {report.cases} cases: {report.drafted} replies drafted, "
        f"{report.escalated} escalated, {report.remedies} remedies proposed"
    )


@main.group()
def cases() -> None:
    """Inspect cases."""


@cases.command(name="list")
@click.option("--status", type=click.Choice(["new", "open", "resolved"]), help="Only cases in this state.")
@click.option("--channel", help="Only cases opened in this channel.")
@click.option("--breached", is_flag=True, help="Only cases whose first-response or resolution target is breached.")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of cases.")
@pass_app
def list_cases(app: App, status: str | None, channel: str | None, breached: bool, limit: int, as_json: bool) -> None:
    """List cases, newest first."""
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
    rows = []
    with app.store.engine.connect() as conn:
        if not breached:
            rows = [case_dict(r) for r in conn.execute(query)]
        else:
            calendar, at = business_calendar(app), now()
            for r in conn.execute(query):
                late = [s for s in sla_of(r, r.drafted_data, calendar, at, measure=False) if s.state == "breached"]
                if late:
                    rows.append({**case_dict(r), "breached": [target_dict(s) for s in late]})
                    if len(rows) >= limit:
                        break
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no breached cases" if breached else "no cases")
        return
    extra = "  breached" if breached else ""
    click.echo(f"{'id':>6}  {'status':8}  {'channel':10}  {'vis':7}  {'kind':10}  {'category':14}  sev  opened{extra}")
    for r in rows:
        late = ""
        if breached:
            late = "  " + ", ".join(f"{t['name'].replace('_', ' ')} (due {t['due']})" for t in r["breached"])
        click.echo(
            f"{r['id']:>6}  {r['status']:8}  {r['channel'][:10]:10}  {r['visibility']:7}  {(r['kind'] or '-')[:10]:10}  "
            f"{(r['category'] or '-')[:14]:14}  {r['severity']:>3}  {r['opened_at']}{late}"
        )


@cases.command(name="show")
@click.argument("case")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: the case with its events and messages.")
@pass_app
def show_case(app: App, case: str, as_json: bool) -> None:
    """Show one case (its id, or the public id C-... on the customer's receipt) with its messages and events."""
    with app.store.engine.connect() as conn:
        row = conn.execute(select(cases_t).where(case_named(case))).first()
        if row is None:
            raise NotFoundError(f"no case {case}")
        case_id = row.id
        case = case_dict(row)
        events = list(conn.execute(select(events_t).where(events_t.c.case_id == case_id).order_by(events_t.c.id)))
        case["events"] = [
            {"id": e.id, "type": e.type, "at": iso(e.at), "actor": e.actor, "data": e.data, "private": e.private}
            for e in events
        ]
        case["messages"] = [
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
    case["response_level"] = {"level": level.level, "name": level.name}
    drafted = [e.data for e in events if e.type == "drafted"]
    case["targets"] = [target_dict(s) for s in sla_of(row, drafted[-1] if drafted else None, business_calendar(app), now())]
    if as_json:
        click.echo(json.dumps(case, indent=2, ensure_ascii=False))
        return
    click.echo(f"case {case['id']}  {case['status']}  {case['channel']} ({case['visibility']})  opened {case['opened_at']}")
    click.echo(f"  kind {case['kind'] or '-'}  category {case['category'] or '-'}  severity {case['severity']}  tier {case['tier']}")
    if case["resolved_at"]:
        click.echo(f"  resolved {case['resolved_at']}: {case['outcome']}, remedy {case['remedy']} {case['amount']:g}")
    click.echo(f"  response level {level.level} ({level.name})")
    for t in case["targets"]:
        when = f"at {t['at']}, " if t["at"] else ""
        click.echo(f"  {t['name'].replace('_', ' ')} target: {t['state']} ({when}due {t['due']})")
    click.echo("messages:")
    for m in case["messages"]:
        arrow = "<-" if m["direction"] == "in" else "->"
        text = " ".join(m["text"].split())
        click.echo(f"  {m['timestamp']} {arrow} {m['channel']}: {text[:100]}")
    click.echo("events:")
    for e in case["events"]:
        detail = ", ".join(f"{k}={v}" for k, v in e["data"].items() if k not in ("deciders",))
        click.echo(f"  #{e['id']} {e['at']} {e['type']} by {e['actor']}  {detail[:120]}")

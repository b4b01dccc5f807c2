"""``process`` and ``cases list|show``."""

from __future__ import annotations

import json

import click

from openledger.cases import queries
from openledger.cases.calendar import calendar_from_config
from openledger.cli.main import main, pass_app
from openledger.instance import Instance
from openledger.progress import counter
from openledger.timeutil import now


@main.command()
@click.option("--limit", type=click.IntRange(min=1), help="Process at most this many cases.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes that classify and draft (0: one per core; 1: this process only).")
@pass_app
def process(app: Instance, limit: int | None, jobs: int) -> None:
    """Classify new cases, draft replies, set tiers, targets and remedy proposals."""
    from openledger.cases.process import process_cases  # the processing engine: not loaded by 'cases list'

    with app.store.engine.connect() as conn:
        total = queries.unprocessed_count(conn)
    with counter("processing", total=total if limit is None else min(total, limit), unit="cases") as progress:
        report = process_cases(app.store, app.config, limit=limit, progress=progress, jobs=jobs)
    click.echo(
        f"processed {report.cases} cases: {report.drafted} replies drafted, "
        f"{report.escalated} escalated, {report.remedies} remedies proposed"
        + (f"; {report.replies} replies that arrived later labelled" if report.replies else "")
    )
    if report.relabelled:
        click.echo(f"note: {report.relabelled} label values held personal data (an e-mail address, a number) "
                   "and were stored redacted", err=True)
    failed = report.error()
    if failed is not None:
        raise failed


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
def list_command(
    app: Instance, status: str | None, channel: str | None, breached: bool, limit: int, as_json: bool
) -> None:
    """List cases, newest first (at most --limit; a note on stderr says when more match)."""
    with app.store.engine.connect() as conn:  # one more than the limit, to know whether more match
        rows = queries.list_cases(conn, status=status, channel=channel, breached=breached, limit=limit + 1,
                          calendar=calendar_from_config(app.config.data) if breached else None,
                          at=now() if breached else None)
    more, rows = len(rows) > limit, rows[:limit]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    else:
        _print_cases(rows, breached)
    if more:
        narrow = "" if status and channel else " or narrow it with " + " or ".join(
            name for name, given in (("--status", status), ("--channel", channel)) if not given)
        click.echo(f"note: stopped at --limit {limit}; more cases match: see more with --limit {limit * 10}"
                   f"{narrow}", err=True)


def _print_cases(rows: list[dict], breached: bool) -> None:
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
            f"{r['id']:>6}  {r['status']:8}  {r['channel'][:10]:10}  {r['visibility']:7}  "
            f"{(r['kind'] or '-')[:10]:10}  {(r['category'] or '-')[:14]:14}  {r['severity']:>3}  "
            f"{r['opened_at']}{late}"
        )


@cases.command(name="show")
@click.argument("case")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: the case with its events and messages.")
@pass_app
def show_command(app: Instance, case: str, as_json: bool) -> None:
    """Show one case (its id, or the public id C-... on the customer's receipt) with its messages and events."""
    with app.store.engine.connect() as conn:
        info = queries.show_case(conn, case, calendar_from_config(app.config.data), now())
    level = info["response_level"]
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    click.echo(
        f"case {info['id']}  {info['status']}  {info['channel']} ({info['visibility']})  opened {info['opened_at']}"
    )
    click.echo(
        f"  kind {info['kind'] or '-'}  category {info['category'] or '-'}  severity {info['severity']}  "
        f"tier {info['tier']}"
    )
    if info["resolved_at"]:
        click.echo(f"  resolved {info['resolved_at']}: {info['outcome']}, remedy {info['remedy']} {info['amount']:g}")
    click.echo(f"  response level {level['level']} ({level['name']})")
    for t in info["targets"]:
        when = f"at {t['at']}, " if t["at"] else ""
        click.echo(f"  {t['name'].replace('_', ' ')} target: {t['state']} ({when}due {t['due']})")
    click.echo("messages:")
    for m in info["messages"]:
        arrow = "<-" if m["direction"] == "in" else "->"
        text = " ".join(m["text"].split())
        click.echo(f"  {m['timestamp']} {arrow} {m['channel']}: {text[:100]}")
    click.echo("events:")
    for e in info["events"]:
        detail = ", ".join(f"{k}={v}" for k, v in e["data"].items() if k not in ("deciders",))
        click.echo(f"  #{e['id']} {e['at']} {e['type']} by {e['actor']}  {detail[:120]}")

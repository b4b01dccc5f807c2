"""``intake``: live intake: the webhook receiver (``serve``), the pollers (``poll``) and their health (``status``)."""

from __future__ import annotations

import json

import click

from openledger.cli.main import main, on_interrupt, pass_app
from openledger.errors import OpenLedgerError
from openledger.instance import Instance
from openledger.progress import step


@main.group()
def intake() -> None:
    """Live intake: receive webhooks, poll mailboxes and APIs (see docs/running.md)."""


@intake.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (put a TLS proxy in front for the internet).")
@click.option("--port", type=click.IntRange(1, 65535), default=8025, show_default=True)
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]), default="info",
              show_default=True, help="'info' logs one line per request.")
@pass_app
def serve_command(app: Instance, host: str, port: int, log_level: str) -> None:
    """Receive webhooks: POST /intake/SOURCE, signed with HOME/intake.key.

    Answers 201 with the case's public id once the record is committed, 200
    for a retry of a record already stored, 400 for a payload that cannot be
    read, 401 without a valid signature, 413 over [intake] max_body.
    """
    from openledger.service.webhook import serve  # starlette and uvicorn load only here

    serve(app, host, port, log_level=log_level, announce=lambda line: click.echo(line, err=True))


@intake.command(name="poll")
@click.argument("name", required=False)
@pass_app
def poll_command(app: Instance, name: str | None) -> None:
    """Run the configured pollers once (or only NAME): one line each.

    Each page a poller fetches is stored with its cursor in one transaction,
    so an interrupted poll resumes where it stopped, without loss or
    duplicates. Exits 1 when a poller failed.
    """
    from openledger.intake.polling import poll, select

    chosen = select(app.config, name)
    if not chosen:
        raise OpenLedgerError("no poller is configured (add a [pollers.NAME] table; see docs/running.md)",
                              path=app.config.path)
    store = app.store
    done: list[str] = []
    on_interrupt(lambda: f"pollers done: {', '.join(done) or 'none'}; the one running kept every page it had stored")
    failed = 0
    for item in chosen:
        with step(f"poll {item.name}", unit="payloads") as progress:
            report = poll(store, app.config, item, progress=progress.advance)
        click.echo(report.line())
        for target in report.quarantine_files:
            click.echo(f"  bad records written to {target}", err=True)
        done.append(item.name)
        failed += not report.ok
    if failed:
        raise OpenLedgerError(f"{failed} of {len(chosen)} poller(s) failed (see above; their cursors kept the "
                              "last page stored)")


@intake.command(name="status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def status_command(app: Instance, as_json: bool) -> None:
    """Each poller's cursor and last run: when it last succeeded, and its last error."""
    from openledger.intake.polling import configured
    from openledger.store.cursors import states

    with app.store.engine.connect() as conn:
        known = {s.name: s for s in states(conn)}
    rows = []
    for item in configured(app.config):
        state = known.get(item.name)
        rows.append({
            "name": item.name, "type": item.kind, "enabled": item.enabled,
            "cursor": dict(state.cursor) if state and state.cursor else None,
            "stored": state.stored if state else 0,
            "last_run": state.run_at.isoformat() if state and state.run_at else None,
            "last_ok": state.ok_at.isoformat() if state and state.ok_at else None,
            "error": state.error if state else None,
        })
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no poller is configured")
    for row in rows:
        health = "never run" if row["last_run"] is None else "FAILING" if row["error"] else "ok"
        click.echo(f"{row['name']} ({row['type']}{'' if row['enabled'] else ', disabled'}): {health}; "
                   f"{row['stored']} records stored; last run {row['last_run'] or '-'}, last success "
                   f"{row['last_ok'] or '-'}")
        if row["error"]:
            click.echo(f"  error: {row['error']}")

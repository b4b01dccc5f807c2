"""``run``: poll, process, build, verify and publish, at an interval (see docs/running.md)."""

from __future__ import annotations

from pathlib import Path

import click

from openledger.cli.main import main, pass_app
from openledger.errors import OpenLedgerError
from openledger.instance import Instance
from openledger.progress import stages


@main.command(name="run")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The published site folder, replaced atomically by each good round.")
@click.option("--every", default="15m", show_default=True, metavar="INTERVAL",
              help="Time from the start of one round to the next: 90s, 15m, 1h.")
@click.option("--once", is_flag=True, help="One round, then exit (status 1 when a step failed): for cron.")
@pass_app
def run_command(app: Instance, out: Path, every: str, once: bool) -> None:
    """Keep the public site following the log: poll every configured poller,
    process new cases, build the site aside, verify it (a consistent extension
    of the published checkpoint) and swap it in atomically.

    A failed step keeps the last good site and logs one line; each round
    writes HOME/run/status.json for monitoring. SIGTERM or Ctrl-C ends after
    the running round.
    """
    from openledger.service.loop import exclusive, parse_interval, run_forever, run_round

    try:
        seconds = parse_interval(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from None

    def echo(line: str) -> None:
        click.echo(line, err=True)

    with exclusive(app):
        if once:
            with stages("run") as progress:
                outcome = run_round(app, out, echo=echo, progress=progress)
            click.echo(outcome.line())
            if not outcome.ok:
                raise OpenLedgerError("the round did not complete (see above); the published site is the last "
                                      "good one")
            return
        echo(f"running every {every} into {out}; SIGTERM or Ctrl-C stops after the running round")
        run_forever(app, out, seconds, echo=lambda line: click.echo(line, err=True), progress=lambda: stages("run"))

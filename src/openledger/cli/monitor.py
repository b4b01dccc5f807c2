"""``monitor [check] URL...`` and ``monitor serve``: keep watch over published logs."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path

import click

from openledger.cli.main import main, on_interrupt

STATE_HELP = "The monitor's folder: monitor.db (SQLite) and evidence/ [default: ./monitor]."
DB_HELP = "Database URL (SQLite or PostgreSQL) [default: STATE/monitor.db]."


class _DefaultCheck(click.Group):
    """``openledger monitor URL...`` means ``openledger monitor check URL...``."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["check", *args]
        return super().resolve_command(ctx, args)


@main.group(cls=_DefaultCheck)
def monitor() -> None:
    """Keep every checkpoint of published logs and raise a fork or rollback (``monitor URL...``)."""


def _engine(state: Path, db_url: str | None):
    from openledger.monitor.db import open_engine

    return open_engine(db_url or f"sqlite:///{(state / 'monitor.db').resolve()}")


def _site_differences(site, entries: Iterable[tuple[int, bytes]], checkpoint: str, key: str) -> list[str]:
    """What ``openledger verify`` finds: the site derived again from the verified log's entries and compared."""
    from openledger.site.check import check_site

    return list(check_site(site, entries, checkpoint, key).differences)


@monitor.command(name="check")
@click.argument("sites", nargs=-1, required=True, metavar="URL_OR_DIR...")
@click.option("--state", type=click.Path(file_okay=False, path_type=Path), default=Path("monitor"),
              show_default=True, help=STATE_HELP)
@click.option("--db", "db_url", metavar="URL", help=DB_HELP)
@click.option("--peer", "peers", multiple=True, metavar="URL",
              help="Another monitor (monitor serve) or a witness to exchange checkpoints with (repeatable).")
@click.option("--key", "keys", multiple=True, metavar="VERIFIER_KEY",
              help="A log's verifier key to pin (repeatable) [default: the published one, pinned on first sight].")
@click.option("--every", type=click.FloatRange(min=1), metavar="SECONDS",
              help="Check again every SECONDS, until Ctrl-C.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per site and round.")
@click.option("--log-only", is_flag=True,
              help="Check the log only; skip deriving the site's pages and files from it (as `verify` does).")
def check_command(sites: tuple[str, ...], state: Path, db_url: str | None, peers: tuple[str, ...],
                  keys: tuple[str, ...], every: float | None, as_json: bool, log_only: bool) -> None:
    """Check each site: verify its log, exchange checkpoints with peers, prove every checkpoint seen
    consistent, record the audit verdicts, and derive everything the site says from its log and compare
    (as `openledger verify` does); one line per site, an ALARM line per fork, rollback or site that
    says what its log does not.

    Exit status 1 when an alarm fired or a site could not be verified.
    """
    from openledger.monitor.watch import check_site
    from openledger.witness.client import WitnessClient

    engine = _engine(state, db_url)
    rounds = [0]
    on_interrupt(lambda: f"stopped after {rounds[0]} round(s); every checkpoint seen is kept in the database")
    trouble = False
    with WitnessClient() as client:
        while True:
            for site in sites:
                report = check_site(engine, site, state / "evidence", peers, keys, client,
                                    None if log_only else _site_differences)
                trouble = trouble or report.status != "ok"
                if as_json:
                    click.echo(json.dumps(report.as_json(), sort_keys=True))
                else:
                    click.echo(report.line(), err=report.status == "error")
            rounds[0] += 1
            if every is None:
                break
            time.sleep(every)
    engine.dispose()
    if trouble:
        raise SystemExit(1)


@monitor.command(name="serve")
@click.option("--state", type=click.Path(file_okay=False, path_type=Path), default=Path("monitor"),
              show_default=True, help=STATE_HELP)
@click.option("--db", "db_url", metavar="URL", help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=7381, show_default=True)
def serve_command(state: Path, db_url: str | None, host: str, port: int) -> None:
    """Serve this monitor's checkpoints to its peers: GET /<origin hash>/checkpoint, GET /checkpoints."""
    import uvicorn

    from openledger.monitor.server import app

    engine = _engine(state, db_url)
    click.echo(f"monitor {state} on http://{host}:{port}/", err=True)
    uvicorn.run(app(engine), host=host, port=port, log_level="warning", access_log=False)

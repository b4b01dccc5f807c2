"""The root command group, its global options and the one place errors become exit statuses."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from typing import NoReturn

import click

from openledger import __version__
from openledger.errors import OpenLedgerError
from openledger.instance import Instance

#: what an interrupted command had done, for the Ctrl-C message (see :func:`on_interrupt`)
INTERRUPT_NOTE = "openledger.interrupted"
EXIT_INTERRUPTED = 130

pass_app = click.make_pass_decorator(Instance)


def on_interrupt(describe: Callable[[], str]) -> None:
    """Let the running command say what it had done if Ctrl-C stops it."""
    click.get_current_context().meta[INTERRUPT_NOTE] = describe


def _one_line(exc: BaseException) -> tuple[str, int] | None:
    """The message and exit status of an error the user can act on; None for a bug."""
    if isinstance(exc, OpenLedgerError):
        return str(exc), exc.exit_code
    database = sys.modules.get("sqlalchemy.exc")  # not loaded: the command opened no database
    if database is not None and isinstance(exc, database.DBAPIError):  # it refused or is unreachable
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        return f"database: {reason}", 1
    return None


def _during_interrupt(exc: BaseException) -> bool:
    """Whether ``exc`` was raised while a Ctrl-C was stopping the command: for example the database driver's
    clean-up of a query the interrupt cut short (psycopg: "can't change 'autocommit' now: connection in
    transaction status ACTIVE", from SQLAlchemy's ping of a pooled connection)."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        pending += [current.__cause__, current.__context__]
    return False


def debugging(ctx: click.Context) -> bool:
    return bool(ctx.meta.get("openledger.debug")) or os.environ.get("OPENLEDGER_DEBUG", "") not in ("", "0")


#: each command of the root group -> the module of :mod:`openledger.cli` that defines it, imported when the
#: command is asked for: a command line imports its own command's module only (``--help`` imports them all)
COMMANDS = {
    "audit": "audit", "build": "site", "cases": "cases", "checkpoint": "ledger", "classify": "text",
    "demo": "demo", "erase": "erasure", "escalate": "actions", "export-log": "ledger", "ingest": "ingest",
    "init": "instance", "intake": "intake", "monitor": "monitor", "new-plugin": "newplugin",
    "plugins": "instance", "process": "cases", "receipt": "ledger", "redact": "text", "reopen": "actions",
    "resolve": "actions", "respond": "actions", "run": "run", "serve": "site", "verify": "ledger",
    "verify-receipt": "ledger", "witness": "witness",
}


class Main(click.Group):
    """The root group: loads a command's module when the command is asked for (:data:`COMMANDS`); maps errors
    to one line and an exit status (see the module docstring)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(f"openledger.cli.{COMMANDS[cmd_name]}")  # its decorators add it to this group
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            self._interrupted(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise  # click's own: a usage error, or a question left unanswered ("Aborted!", exit 1)
        except Exception as exc:
            found = _one_line(exc)
            if debugging(ctx):
                raise
            if _during_interrupt(exc):  # clean-up that Ctrl-C cut short failed: the interrupt is the news
                self._interrupted(ctx)
            if found is None:
                message = (f"internal error: {type(exc).__name__}: {exc} "
                           "(run with --debug or OPENLEDGER_DEBUG=1 for the traceback)")
                found = message.splitlines()[0], 1
            click.echo(f"Error: {found[0]}", err=True)
            sys.exit(found[1])

    @staticmethod
    def _interrupted(ctx: click.Context) -> NoReturn:
        describe = ctx.meta.get(INTERRUPT_NOTE)
        click.echo(f"interrupted; {describe() if describe else 'the command did not finish'}", err=True)
        sys.exit(EXIT_INTERRUPTED)


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="openledger")
@click.option(
    "--home",
    type=click.Path(file_okay=False),
    envvar="OPENLEDGER_HOME",
    help="Instance home folder [default: ./ledger, or $OPENLEDGER_HOME].",
)
@click.option(
    "--db",
    metavar="URL",
    help="Database URL (SQLAlchemy), e.g. postgresql+psycopg://user@host/db [default: $OPENLEDGER_DATABASE_URL, "
    "the config, or SQLite in the home].",
)
@click.option("--debug", is_flag=True, help="Show the traceback behind an error [or OPENLEDGER_DEBUG=1].")
@click.pass_context
def main(ctx: click.Context, home: str | None, db: str | None, debug: bool) -> None:
    """openledger: record every complaint and its resolution in a
    tamper-evident ledger and show that every channel is treated alike."""
    ctx.meta["openledger.debug"] = debug
    ctx.obj = Instance(home, db)

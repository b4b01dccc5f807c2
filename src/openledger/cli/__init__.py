"""The ``openledger`` command line. Commands live in modules by topic and stay
thin over the engine; errors a user can fix are one line and exit status 1."""

from __future__ import annotations

import sys
from functools import cached_property
from pathlib import Path

import click
from sqlalchemy.exc import DBAPIError, OperationalError

from openledger import __version__
from openledger.config import Config, load_config, resolve_home
from openledger.errors import OpenLedgerError
from openledger.store import Store


class App:
    """What commands share: the instance home, its config and its database."""

    def __init__(self, home: str | None, db: str | None):
        self.home: Path = resolve_home(home)
        self.db_option = db

    @cached_property
    def config(self) -> Config:
        return load_config(self.home)

    @cached_property
    def store(self) -> Store:
        store = Store(self.config.database_url(self.db_option))
        store.check()
        return store


pass_app = click.make_pass_decorator(App)


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


class Main(click.Group):
    """The root group: turns user-fixable errors into one line, exit 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except OpenLedgerError as exc:
            fail(str(exc))
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            fail(f"database: {reason}")
        except DBAPIError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            fail(f"database: {reason}")
        except KeyboardInterrupt:
            click.echo("interrupted; nothing of the current file was imported", err=True)
            sys.exit(130)


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
@click.pass_context
def main(ctx: click.Context, home: str | None, db: str | None) -> None:
    """openledger: record every complaint and its resolution in a
    tamper-evident ledger and show that every channel is treated alike."""
    ctx.obj = App(home, db)


from openledger.cli import (  # noqa: E402,F401  (registers commands)
    actions, audit, cases, demo, erasure, ingest, instance, ledger, site, text,
)

"""``audit``: the fair treatment audit, from the database or from a published site."""

from __future__ import annotations

from pathlib import Path

import click

from openledger import plugins
from openledger.audit.groups import DIMENSIONS
from openledger.cli.main import main, pass_app
from openledger.errors import ConfigError, OpenLedgerError
from openledger.instance import Instance
from openledger.timeutil import now

OUTCOMES_CSV = Path("data") / "outcomes.csv"


def published_csv(where: Path) -> Path:
    """The outcomes CSV of a built site (its root or the CSV itself)."""
    if where.is_file():
        return where
    for candidate in (where / OUTCOMES_CSV, where / "outcomes.csv"):
        if candidate.is_file():
            return candidate
    raise OpenLedgerError(f"no published outcomes here (looked for {OUTCOMES_CSV})", path=where)


@main.command(name="audit")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("--by", "dimension", type=click.Choice(DIMENSIONS), default="visibility", show_default=True,
              help="Compare channels, public vs private, or public authors by audience size.")
@click.option("--reference", metavar="GROUP", help="Compare every group with this one group.")
@click.option("--from-site", "site", type=click.Path(exists=True, path_type=Path),
              help="Audit a published site (its data/outcomes.csv) instead of this instance's database.")
@pass_app
def audit_command(app: Instance, as_json: bool, dimension: str, reference: str | None, site: Path | None) -> None:
    """Are complaints resolved equally whichever channel the customer used?"""
    from openledger.audit import (  # SciPy loads only when auditing
        Settings,
        read_csv,
        render_text,
        run_audit,
    )
    from openledger.store.outcomes import table_from_db

    source: Path | str
    if site is not None:
        source = published_csv(site)
        table = read_csv(source)
        try:
            config = app.config.plugin_view()
        except ConfigError:  # an auditor needs no instance of their own
            config = {}
    else:
        config = app.config.plugin_view()
        source = "database"
        with app.store.engine.connect() as conn:
            table = table_from_db(conn, now())
    metrics = plugins.audit_metrics(config)
    with plugins.blamed(metrics):
        result = run_audit(
            table,
            metrics=metrics,
            dimension=dimension,
            reference=reference,
            settings=Settings.from_config(config),
            source=source,
        )
    click.echo(result.to_json() if as_json else render_text(result))

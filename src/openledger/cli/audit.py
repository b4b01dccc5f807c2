"""``audit``: the fair treatment audit, from the database or from a published site."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from openledger import plugins
from openledger.audit.groups import DIMENSIONS
from openledger.cases.categories import unmapped_categories, unmapped_table
from openledger.cli.main import main, pass_app
from openledger.errors import ConfigError, NotFoundError, OpenLedgerError
from openledger.instance import Instance
from openledger.ledger.published import open_published
from openledger.progress import stages
from openledger.timeutil import now

OUTCOMES_CSV = "data/outcomes.csv"


def published_csv(where: str) -> tuple[bytes, str]:
    """The outcomes CSV of a published site (its root, the CSV itself, or an http(s) URL): bytes and name."""
    if not where.startswith(("http://", "https://")):
        path = Path(where)
        if path.is_file():
            return path.read_bytes(), str(path)
        if not path.exists():
            raise OpenLedgerError("no such file or folder", path=where)
    files = open_published(where)
    for candidate in (OUTCOMES_CSV, "outcomes.csv"):
        try:
            return files.read(candidate), files.where(candidate)
        except NotFoundError:
            continue
    raise OpenLedgerError(f"no published outcomes here (looked for {OUTCOMES_CSV})", path=where)


def _rows(table) -> int:
    """How many rows (cases) an audit table holds."""
    return len(next(iter(table.values()), ()))


def _unsealed(conn, sealed: int) -> tuple[int, int]:
    """(the database's cases the log does not publish yet, the database's cases): the audit of the log cannot
    see the first, and an audit of a new instance would otherwise find no case at all without saying why."""
    from openledger.cases.queries import case_count

    stored = case_count(conn)
    return max(0, stored - sealed), stored


@main.command(name="audit")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("--by", "dimension", type=click.Choice(DIMENSIONS), default="visibility", show_default=True,
              help="Compare public vs private, channels, public authors by audience size, private cases that "
                   "threatened (publicity, press, regulator, legal) vs those that did not (leverage), public cases "
                   "moved private vs kept public and vs private (deflection), or hostile/negative vs "
                   "neutral/positive customers within channel (tone).")
@click.option("--reference", metavar="GROUP", help="Compare every group with this one group.")
@click.option("--from-site", "site", metavar="DIR_OR_URL",
              help="Audit a published site (its data/outcomes.csv; a folder or an http(s) URL) instead of this "
                   "instance.")
@click.option("--exact", is_flag=True,
              help="Audit the exact times and categories in the database (for the company's own use) instead "
                   "of what the log publishes.")
@pass_app
def audit_command(app: Instance, as_json: bool, dimension: str, reference: str | None, site: str | None,
                  exact: bool) -> None:
    """Are complaints resolved equally whichever channel the customer used?

    By default the audit runs on what the log publishes (as the site and
    anyone re-auditing it do): periods, response bands and generalised
    values, not the exact data. Cases whose category is outside the
    taxonomy (no category map decided it) are listed under the findings
    (``unmapped_categories`` in ``--json``; not for ``--from-site``).
    """
    from openledger.audit import Settings, read_csv, render_text, run_audit  # SciPy loads only when auditing

    source: str
    if site is not None:
        with stages("audit") as progress:
            if progress is not None:  # one download and one read: their time, then the rows read
                progress("rows read", 0, None)
            raw, source = published_csv(site)
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "outcomes.csv"
                path.write_bytes(raw)
                try:
                    table = read_csv(path)
                except OpenLedgerError as exc:
                    raise OpenLedgerError(exc.message, path=source) from None
            if progress is not None:
                progress("rows read", _rows(table), None)
        try:
            config = app.config.plugin_view()
        except ConfigError:  # an auditor needs no instance of their own
            config = {}
    elif exact:
        from openledger.store.outcomes import table_from_db

        config = app.config.plugin_view()
        source = "database (exact)"
        with stages("audit") as progress, app.store.engine.connect() as conn:
            if progress is not None:
                progress("cases read", 0, None)
            table = table_from_db(conn, now())
            if progress is not None:
                progress("cases read", _rows(table), None)
    else:
        from openledger.site.gather import published_derivation

        config = app.config.plugin_view()
        source = "the published log"
        with stages("audit") as progress:
            derived = published_derivation(app, progress)
            table = derived.table
    unmapped = None  # the published data names no source: an auditor's audit lists none
    unsealed: tuple[int, int] | None = None
    if site is None:
        with app.store.engine.connect() as conn:
            unmapped = unmapped_categories(conn, config)
            unsealed = None if exact else _unsealed(conn, len(derived.case_entries))
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
    if as_json:
        text = result.to_json()
        if unmapped is not None:
            data = json.loads(text)
            data["unmapped_categories"] = [u.as_json() for u in unmapped]
            if unsealed is not None:
                data["cases_not_on_the_log"] = unsealed[0]
            text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
        click.echo(text)
    else:
        click.echo(render_text(result) + ("" if unmapped is None else "\n" + unmapped_table(unmapped)))
        if unsealed is not None and unsealed[0]:
            click.echo(f"note: {unsealed[0]:,} of the database's {unsealed[1]:,} cases are not on the log yet, so "
                       "not in this audit, which reads what the log publishes: 'openledger checkpoint' (or 'build') "
                       "seals them, some held back until the release allows; '--exact' audits the database", err=True)

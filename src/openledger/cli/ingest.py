"""``ingest``: run a source plugin over files."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.exc import DBAPIError

from openledger import plugins
from openledger.cases.outbox import deliver
from openledger.cli.main import main, on_interrupt, pass_app
from openledger.errors import NotFoundError, OpenLedgerError
from openledger.instance import Instance
from openledger.intake.ingest import Ingestor
from openledger.intake.quarantine import write_quarantine
from openledger.progress import stages


def parse_options(pairs: tuple[str, ...]) -> dict:
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.UsageError(f"--option must be KEY=VALUE, not {pair!r}")
        options[key.strip()] = value
    return options


def describe(verdict) -> str:
    """Why the watch list kept or dropped a message, in a few words."""
    if not verdict.reasons:
        return "mentions no watched term"
    parts = []
    for r in verdict.reasons:
        if r.kind in ("not-screened", "thread", "no-watch-list"):
            parts.append({"not-screened": f"not screened ({r.found} private, outgoing or not social)",
                          "thread": f"replies to kept {r.found}", "no-watch-list": "no watch list"}[r.kind])
        else:
            parts.append(f"{r.kind} {r.term!r} as {r.found!r} ({r.score:g})")
    return "; ".join(parts)


@main.command()
@click.argument("source_name", metavar="SOURCE")
@click.argument("paths", metavar="PATH...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--option", "pairs", multiple=True, metavar="KEY=VALUE",
              help="A source option, added to the config's [sources.SOURCE] table (repeatable).")
@click.option("--skip-bad", is_flag=True, help="Quarantine bad records into a report file and import the rest.")
@click.option("--dry-run", is_flag=True,
              help="Read and check everything, show what would be imported and every bad record, store nothing.")
@pass_app
def ingest(
    app: Instance, source_name: str, paths: tuple[Path, ...], pairs: tuple[str, ...], skip_bad: bool, dry_run: bool
) -> None:
    """Import files with a SOURCE plugin (csv, jsonl, ...; see 'openledger plugins').

    Each file is read and checked whole first: a bad record (without
    --skip-bad) imports nothing of it. Its records are then written in
    batches of whole records, each committed on its own, so agent commands
    wait at most for one batch. Records already imported (same source and
    id) are skipped, so re-running is safe, and after an interruption the
    same command imports exactly the rest.
    Then the case_opened hooks are called for the new cases (and any calls
    still owed from an earlier run).
    """
    config = app.config
    sources = plugins.sources(config.plugin_view())
    if source_name not in sources:
        raise NotFoundError(f"no source named {source_name!r} (available: {', '.join(sorted(sources))})")
    source = sources[source_name]
    options = {**dict(config.get("sources").get(source_name, {})), **parse_options(pairs)}
    store = app.store
    done: list[str] = []
    reading: list[str] = []
    current: list[Ingestor] = []

    def partly() -> str:
        """What an interrupted write of the current file left: whole batches, and how to finish."""
        committed = current[-1].committed if current else 0
        if not committed:
            return ""
        return (f"{committed:,} records of {reading[-1]} were committed in whole batches; run the same command "
                "again to import the rest")

    def interrupted() -> str:
        if dry_run:
            return "a dry run imports nothing"
        imported = f"imported whole: {', '.join(done)}; " if done else ""
        if partly():
            return f"{imported}{partly()}"
        return f"{imported}nothing from {reading[-1] if reading else 'the first file'} or later files was imported"

    on_interrupt(interrupted)
    for path in paths:
        reading.append(str(path))
        with stages(f"{source_name}: {path.name}") as progress:
            # a dry run reads on past bad records, so that it can list them all
            ingestor = Ingestor(store, config, source, options=options, skip_bad=skip_bad or dry_run, dry_run=dry_run,
                                stages=progress)
            current.append(ingestor)
            try:
                report = ingestor.ingest(path)
            except OpenLedgerError as exc:
                raise OpenLedgerError(f"{exc} ({partly() or 'nothing from this file was imported'})") from exc
            except DBAPIError as exc:  # the database refused a batch (a full disk, say)
                reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
                raise OpenLedgerError(f"database: {reason} ({partly() or 'nothing from this file was imported'})",
                                      path=path) from None
        if not dry_run:
            done.append(str(path))
        if dry_run:
            for location, record_id, verdict in ingestor.decisions:
                click.echo(f"  {'keep' if verdict else 'drop'} {record_id} ({location}): {describe(verdict)}")
        click.echo(report.summary())
        if report.rejected and dry_run:
            for item in report.rejected:
                click.echo(f"  bad {item.location}: {item.reason}", err=True)
            if not skip_bad:
                first = report.rejected[0]
                raise OpenLedgerError(
                    f"{len(report.rejected)} bad record(s), first {first.location}: {first.reason}; without --skip-bad "
                    "nothing from this file would be imported", path=path)
        elif report.rejected:
            try:
                target = write_quarantine(app.home, report)
            except OpenLedgerError as exc:
                raise OpenLedgerError(f"the file was imported, but its {len(report.rejected)} bad records could not "
                                      f"be quarantined: {exc}", path=path) from None
            for item in report.rejected[:5]:
                click.echo(f"  skipped {item.location}: {item.reason}", err=True)
            click.echo(f"  bad records written to {target}", err=True)
    if not dry_run:  # case_opened for the new cases, and any owed from earlier runs
        on_interrupt(lambda: f"imported whole: {', '.join(done)}; the event hook calls not made yet stay owed "
                             "and are made on the next run")
        failed = deliver(store).error()
        if failed is not None:
            raise failed

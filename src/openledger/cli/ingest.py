"""``ingest``: run a source plugin over files."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from openledger import plugins
from openledger.cli import App, main, pass_app
from openledger.errors import NotFoundError, OpenLedgerError
from openledger.ingest import Ingestor, notify_opened
from openledger.quarantine import write_quarantine


def parse_options(pairs: tuple[str, ...]) -> dict:
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.UsageError(f"--option must be KEY=VALUE, not {pair!r}")
        options[key.strip()] = value
    return options


@contextmanager
def progress_counter(label: str):
    """A live record counter on a terminal; silent otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} records"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda n: bar.advance(task, n)


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
def ingest(app: App, source_name: str, paths: tuple[Path, ...], pairs: tuple[str, ...], skip_bad: bool, dry_run: bool) -> None:
    """Import files with a SOURCE plugin (csv, jsonl, ...; see 'openledger plugins').

    Each file is imported in one transaction: whole, or not at all. Records
    already imported (same source and id) are skipped, so re-running is safe.
    """
    config = app.config
    sources = plugins.sources(config.plugin_view())
    if source_name not in sources:
        raise NotFoundError(f"no source named {source_name!r} (available: {', '.join(sorted(sources))})")
    source = sources[source_name]
    options = {**dict(config.get("sources").get(source_name, {})), **parse_options(pairs)}
    store = app.store
    for path in paths:
        with progress_counter(f"{source_name}: {path.name}") as progress:
            # a dry run reads on past bad records, so that it can list them all
            ingestor = Ingestor(store, config, source, options=options, skip_bad=skip_bad or dry_run, dry_run=dry_run,
                                progress=progress)
            try:
                report = ingestor.ingest(path)
            except OpenLedgerError as exc:
                raise OpenLedgerError(f"{exc} (nothing from this file was imported)") from None
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
            target = write_quarantine(app.home, report)
            for item in report.rejected[:5]:
                click.echo(f"  skipped {item.location}: {item.reason}", err=True)
            click.echo(f"  bad records written to {target}", err=True)
        if not dry_run:
            notify_opened(store, report.new_case_ids)

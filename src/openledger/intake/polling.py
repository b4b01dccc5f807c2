"""Running pollers: fetch after the cursor, store each page with its cursor, keep the outcome.

The pollers configured in ``[pollers.NAME]`` tables (see ``register_pollers``)
are run by :func:`poll`: each :class:`~openledger.records.Page` a poller
yields is read by its source's ``read_payload`` and stored through the ingest
engine (:meth:`~openledger.intake.ingest.Ingestor.ingest_records`) together
with the page's cursor, in one transaction. So a crash at any moment loses
nothing and stores nothing twice: the poller resumes after the last page
stored, and a page fetched again adds no record (ids are de-duplicated).

A record that cannot be read is quarantined (``HOME/quarantine/``) and the
poller goes on, so one bad mail cannot stop a mailbox forever; with
``skip_bad = false`` in its table it stops the run instead, without moving
the cursor. The outcome of every run (time, error line) is kept in
``poller_state`` for ``openledger intake status``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from openledger import plugins
from openledger.errors import ConfigError, NotFoundError, OpenLedgerError, PollError
from openledger.intake.ingest import Ingestor, notify_opened
from openledger.intake.payloads import read_payload
from openledger.intake.quarantine import IngestReport, write_quarantine
from openledger.records import Page
from openledger.store import cursors

RESERVED = ("type", "enabled", "skip_bad")


@dataclass(frozen=True)
class Configured:
    """One poller as the config sets it up: its name, the registered poller and its options."""

    name: str
    poller: Any
    options: Mapping[str, Any]
    enabled: bool = True
    skip_bad: bool = True

    @property
    def kind(self) -> str:
        return str(self.poller.name)


def configured(config) -> list[Configured]:
    """The pollers of the ``[pollers.NAME]`` tables, by name; an unknown ``type`` is a ConfigError."""
    tables = config.get("pollers")
    if not isinstance(tables, Mapping):
        raise ConfigError("[pollers] must be a table of tables ([pollers.NAME])", path=config.path)
    available = plugins.pollers(config.plugin_view())
    found = []
    for name, table in sorted(tables.items()):
        if not isinstance(table, Mapping):
            raise ConfigError(f"[pollers.{name}] must be a table", path=config.path)
        kind = str(table.get("type", name))
        if kind not in available:
            raise ConfigError(f"[pollers.{name}]: no poller of type {kind!r} (available: "
                              f"{', '.join(sorted(available)) or 'none'})", path=config.path)
        for flag in ("enabled", "skip_bad"):
            if not isinstance(table.get(flag, True), bool):
                raise ConfigError(f"[pollers.{name}] {flag} must be true or false", path=config.path)
        options = MappingProxyType({k: v for k, v in table.items() if k not in RESERVED})
        found.append(Configured(name, available[kind], options, table.get("enabled", True),
                                table.get("skip_bad", True)))
    return found


def select(config, name: str | None) -> list[Configured]:
    """Every enabled poller, or the one named ``name`` (enabled or not)."""
    every = configured(config)
    if name is None:
        return [c for c in every if c.enabled]
    chosen = [c for c in every if c.name == name]
    if not chosen:
        raise NotFoundError(f"no poller named {name!r} in the config (configured: "
                            f"{', '.join(c.name for c in every) or 'none; add a [pollers.NAME] table'})")
    return chosen


@dataclass
class PollReport:
    """What one run of one poller did."""

    name: str
    kind: str
    pages: int = 0
    payloads: int = 0
    messages: int = 0
    cases: int = 0
    duplicates: int = 0
    quarantined: int = 0
    seconds: float = 0.0
    error: str | None = None
    quarantine_files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None

    def line(self) -> str:
        label = self.name if self.name == self.kind else f"{self.name} ({self.kind})"
        text = (f"{label}: {self.payloads} fetched in {self.pages} pages, {self.messages} messages stored "
                f"into {self.cases} new cases ({self.duplicates} already stored")
        if self.quarantined:
            text += f", {self.quarantined} bad records quarantined"
        text += f") in {self.seconds:.1f} s"
        return text + (f"; FAILED: {self.error}" if self.error else "")


def poll(store, config, item: Configured, *, progress: Callable[[int], None] | None = None) -> PollReport:
    """Run one configured poller once: every page after its cursor, each stored with the cursor."""
    started = time.perf_counter()
    report = PollReport(item.name, item.kind)
    try:
        _run(store, config, item, report, progress)
    except OpenLedgerError as exc:
        report.error = str(exc)
    except Exception as exc:  # noqa: BLE001 (a poller plugin's bug or a network failure: one line, kept in the health view)
        report.error = f"{type(exc).__name__}: {exc}"
    report.seconds = time.perf_counter() - started
    with store.engine.begin() as conn:
        cursors.record_run(conn, item.name, item.kind, report.error)
    return report


def _run(store, config, item: Configured, report: PollReport, progress) -> None:
    sources = plugins.sources(config.plugin_view())
    source_name = str(getattr(item.poller, "source", ""))
    if source_name not in sources:
        raise PollError(f"poller {item.kind!r} reads its payloads with the source {source_name!r}, "
                        "which is not registered")
    source = sources[source_name]
    source_options = dict(config.get("sources").get(source_name, {}))
    ingestor = Ingestor(store, config, source, options=source_options, skip_bad=item.skip_bad)
    with store.engine.connect() as conn:
        cursor = cursors.load_cursor(conn, item.name)
    pages = item.poller.poll(MappingProxyType(dict(cursor)) if cursor is not None else None, item.options)
    try:
        for page in pages:
            if not isinstance(page, Page):
                raise PollError(f"poller {item.kind!r} yielded {type(page).__name__}, not a Page")
            _store_page(store, config, ingestor, item, page, report, source, source_options)
            if progress is not None:
                progress(len(page.payloads))
    finally:
        close = getattr(pages, "close", None)
        if close is not None:
            close()  # a generator's finally: (logging out of IMAP) runs now, also after an error


def _store_page(store, config, ingestor: Ingestor, item: Configured, page: Page, report: PollReport,
                source, source_options) -> None:
    try:
        cursor = json.loads(json.dumps(dict(page.cursor)))
    except (TypeError, ValueError) as exc:
        raise PollError(f"poller {item.kind!r} gave a cursor that is not JSON: {exc}") from None
    records = [r for payload in page.payloads
               for r in read_payload(source, payload, source_options, lenient=item.skip_bad)]

    def save(conn, stored: IngestReport) -> None:
        cursors.save_cursor(conn, item.name, item.kind, cursor, stored.messages)

    done = ingestor.ingest_records(records, where=item.name, before_commit=save)
    report.pages += 1
    report.payloads += len(page.payloads)
    report.messages += done.messages
    report.cases += done.cases
    report.duplicates += done.duplicates
    report.quarantined += len(done.rejected)
    target = write_quarantine(Path(config.home), done)
    if target is not None:
        report.quarantine_files.append(target)
    notify_opened(store, done.new_case_ids)

"""The ingest engine: what every source shares.

A source plugin only reads its format and yields records. This module
validates them, skips ones already imported (idempotent on source + id),
threads replies into cases, writes messages, cases and events with
set-based statements. The file is read and checked first, into a temporary
staging file, with no lock held: on a bad record (without ``--skip-bad``)
nothing of it is written. Then the staged records are written in batches of
whole records, each its own short transaction under the append lock, so an
agent command waits at most for one batch; an interrupted import leaves whole
batches, and running it again (records are idempotent on source + id) adds
exactly the rest. Records already read (a webhook's payload, a poller's page) go
through the same engine with :meth:`Ingestor.ingest_records`.

Bad input is what a source yields as :class:`~openledger.records.Rejected`:
``--skip-bad`` quarantines it. A source that raises, yields something that is
not a record, or yields a record breaking the record contract
(:mod:`openledger.intake.contract`) has a bug: that is a plugin fault, which
stops the file whatever ``--skip-bad`` says (nothing of it is imported, no
good record is quarantined for it), names the plugin and is recorded
(:mod:`openledger.store.faults`). The ``case_opened`` calls owed for the new
cases are written to the outbox in the transaction that stores them
(:mod:`openledger.cases.outbox`).
"""

from __future__ import annotations

import copyreg
import csv
import json
import pickle
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import datetime
from itertools import islice
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from openledger import plugins
from openledger.cases import outbox
from openledger.cases.categories import mapper_for
from openledger.cases.events import append_events, event_row
from openledger.errors import BadRecordError, OpenLedgerError, PluginError, SourceError
from openledger.intake.contract import declared_problem, first_problem, vouched
from openledger.intake.history import write_case_records
from openledger.intake.linking import customers_of
from openledger.intake.quarantine import IngestReport, as_raw
from openledger.intake.rows import (
    LOOKUP_CHUNK,
    existing_ids,
    insert_cases,
    message_row,
    next_case_id,
)
from openledger.intake.watchlist import WatchList, keep
from openledger.privacy.labels import LabelCleaner, label_finder
from openledger.progress import Staged
from openledger.records import CaseRecord, MessageRecord, Rejected
from openledger.store import ledger, turns
from openledger.store.bulk import insert_rows
from openledger.store.faults import record_fault_now
from openledger.store.models import cases_table as cases_t
from openledger.store.models import messages_table as messages_t
from openledger.timeutil import now


# records carry read-only mappings (meta); staged as plain dicts and read back as read-only again
def _read_only(values: dict) -> MappingProxyType:
    return MappingProxyType(values)


def _by_fields(cls: type) -> Callable:
    """Pickle a record as its class called with its field values (a slotted dataclass's own
    ``__getstate__`` and ``__setstate__`` look its fields up for every record)."""
    names = tuple(field.name for field in fields(cls))  # records take every field in __init__
    return lambda record: (cls, tuple([getattr(record, name) for name in names]))


_STAGING_TABLE = {**copyreg.dispatch_table, MappingProxyType: lambda m: (_read_only, (dict(m),)),
                  MessageRecord: _by_fields(MessageRecord), CaseRecord: _by_fields(CaseRecord)}

COMMIT_SECONDS = 0.25  # a batch of a file's import holds the append lock about this long
FIRST_CHUNK = 200  # records written by the first round of set-based statements (then sized by time)

_CLAIMED = object()  # read from this file, case not decided yet
_UNKNOWN = object()  # neither in this file nor in the database


class _FileState:
    """Threading state for one file: which case each id and thread went to."""

    def __init__(self) -> None:
        self.case_of_id: dict[str, object] = {}  # id -> case id, None (no case) or _CLAIMED
        self.case_of_thread: dict[str, int] = {}
        self.known_ids: dict[str, int | None] = {}  # parents found in the database
        self.known_threads: dict[str, int] = {}
        self.pending: list[MessageRecord] = []


class Ingestor:
    """Runs one source over files into a store."""

    def __init__(
        self,
        store,
        config,
        source,
        *,
        options=None,
        skip_bad: bool = False,
        dry_run: bool = False,
        progress: Callable[[int], None] | None = None,
        public_ids: bool = False,
        stages: Staged | None = None,
    ):
        self.store = store
        self.config = config
        self.source = source
        self.options = MappingProxyType(dict(options or {}))
        self.skip_bad = skip_bad
        self.dry_run = dry_run
        self.progress = progress  # told of the records read
        self.stages = stages  # told of the records read, then written (of the records read)
        self.public_ids = public_ids  # keep each new case's public id in the report (a webhook answers with it)
        self.secret = config.secret()
        self.batch_size = config.batch_size
        self.region = config.get("identity").get("default_region")
        self.watch = WatchList.from_config(config.data) if "watch" in config.data else None
        self.kept_ids: set[str] = set()
        self.decisions: list[tuple[str, str, object]] = []  # (location, id, verdict) for --dry-run
        self.actor = f"source:{source.name}@{source.version}"
        self.labels = LabelCleaner(label_finder(plugins.redactors(config.plugin_view())))
        self.categories = mapper_for(source.name, config.plugin_view(), self.labels)
        self.plugin = plugins.owner_of(source)
        self.read = 0  # records of the current file written in committed batches (or waiting in state.pending)
        self.committed = 0  # records of the current file committed

    def _fault(self, what: str, path: Path | str, location: str) -> PluginError:
        """A plugin fault of the source, in one line naming the plugin, the file and the record."""
        skip = " (--skip-bad skips bad input, not a plugin's faults)" if self.skip_bad and not self.dry_run else ""
        return PluginError(f"{plugins.describe(self.plugin)}: source {self.source.name!r} {what}; a fault of the "
                           f"plugin, not bad input{skip}", plugin=self.plugin, path=path, location=location)

    # reading -----------------------------------------------------------------

    def _records(self, path: Path, report: IngestReport) -> Iterator[MessageRecord | CaseRecord]:
        return self._checked(lambda: self.source.read(path, self.options), report, path)

    def _checked(self, read: Callable[[], Iterable[Any]], report: IngestReport,
                 path: Path | str) -> Iterator[MessageRecord | CaseRecord]:
        """The valid records of ``read()``; a bad one stops everything, or is set aside with ``skip_bad``."""
        location = "start of file"
        try:
            for item in read():
                reason: str | None
                if isinstance(item, Rejected):
                    if not isinstance(item.location, str) or not item.location or not item.reason:
                        raise self._fault("yielded a Rejected without a location and a reason", path,
                                          f"after {location}")
                    reason, location = item.reason, item.location
                elif isinstance(item, (MessageRecord, CaseRecord)):
                    location = item.location or f"record {item.id!r}"
                    # checked once: a record vouched for when it was built needs only the source's declarations
                    problem = (declared_problem(item, self.source) if vouched(item)
                               else first_problem(item, self.source))
                    if problem is not None:
                        raise self._fault(f"yielded a record that breaks the record contract: {problem}", path,
                                          location)
                    reason = None
                else:
                    raise self._fault(f"yielded {type(item).__name__}, not a record", path, f"after {location}")
                if reason is None:
                    if isinstance(item, MessageRecord) and (self.watch or self.dry_run):
                        verdict = keep(item, self.watch or WatchList({}), self.kept_ids)
                        if self.dry_run:
                            self.decisions.append((location, item.id, verdict))
                        if not verdict:
                            report.filtered += 1
                            continue
                    yield item
                    continue
                if not self.skip_bad:
                    raise BadRecordError(reason, path=path, location=location)
                raw = item.raw if isinstance(item, Rejected) else as_raw(item)
                report.rejected.append(Rejected(location, reason, raw))
        except OpenLedgerError:
            raise
        except FileNotFoundError:
            raise SourceError("no such file", path=path) from None
        except IsADirectoryError:
            raise SourceError("is a directory, not a file", path=path) from None
        except PermissionError:
            raise SourceError("permission denied", path=path) from None
        except UnicodeDecodeError as exc:
            raise SourceError(
                f"not valid {exc.encoding} text ({exc.reason})", path=path, location=f"after {location}"
            ) from None
        except (ValueError, csv.Error, json.JSONDecodeError, OSError) as exc:
            raise SourceError(f"cannot read: {exc}", path=path, location=f"after {location}") from None
        except Exception as exc:  # a source plugin's bug must not look like a traceback of ours
            raise self._fault(f"failed: {type(exc).__name__}: {exc}", path, f"after {location}") from exc

    # writing -----------------------------------------------------------------

    def _stage(self, path: Path, report: IngestReport, spool: IO[bytes]) -> int:
        """Read, check and filter the whole file into ``spool`` (pickled batches); no database work.

        The file's bad records are in ``report`` once this returns (or it
        raised on the first one, without ``--skip-bad``): nothing has been
        written anywhere yet.
        """
        count = 0
        pickler = pickle.Pickler(spool, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = _STAGING_TABLE
        records = self._records(path, report)
        while batch := list(islice(records, self.batch_size)):
            pickler.dump(batch)
            pickler.clear_memo()
            count += len(batch)
            if self.progress:
                self.progress(len(batch))
            if self.stages:
                self.stages("records read", len(batch), None)
        return count

    def ingest(self, path: Path) -> IngestReport:
        """Import one file or folder: every good record, or (a bad record without ``--skip-bad``) none.

        Two phases (see docs/sources.md, "Transactions"): the file is first
        read, checked and staged in a temporary file, with no lock held and
        nothing written, so a slow or broken file costs other commands
        nothing; then the staged records are written with set-based
        statements in batches of whole records, each its own transaction
        under the ledger's append lock, held well under a second: agent
        commands (``respond``, ``resolve``) wait at most for one batch. An
        interrupted write leaves whole batches committed (:attr:`committed`
        records); the same import run again adds exactly the rest.
        """
        report = IngestReport(path=path, source=self.source.name, dry_run=self.dry_run)
        self.read = self.committed = 0
        with self._recording_faults(report), tempfile.TemporaryFile(prefix="openledger-ingest-") as spool:
            try:
                staged = self._stage(path, report, spool)
                spool.seek(0)
            except OSError as exc:  # a full disk (or a file size limit) under the temporary folder
                raise OpenLedgerError(
                    f"cannot stage the records in a temporary file ({tempfile.gettempdir()}): {exc.strerror}; "
                    "free some space or set TMPDIR", path=path) from None
            self._write(report, _unstaged(spool), in_batches=not self.dry_run, total=staged)
        return self._done(report)

    def ingest_records(self, records: Iterable[Any], *, where: Path | str = "payload",
                       before_commit: Callable[[Connection, IngestReport], None] | None = None) -> IngestReport:
        """Import records already read (a webhook's payload, a poller's page) in one transaction (not batched).

        They are checked, de-duplicated, threaded and logged exactly as the
        records of a file (``where`` names them in errors and reports).
        ``before_commit(conn, report)`` runs inside the transaction once the
        records are written, so what it writes (a poller's cursor) commits
        with them or not at all.
        """
        records = list(records)
        report = IngestReport(path=where, source=self.source.name, dry_run=self.dry_run)
        checked = self._checked(lambda: records, report, where)
        with self._recording_faults(report):
            self._write(report, iter(lambda: list(islice(checked, self.batch_size)), []), before_commit)
        return self._done(report)

    def _done(self, report: IngestReport) -> IngestReport:
        if self.dry_run:
            report.new_case_ids, report.stored = [], {}
        return report

    @contextmanager
    def _recording_faults(self, report: IngestReport) -> Iterator[None]:
        """A plugin fault (while reading or writing) is recorded before it stops the command."""
        try:
            yield
        except PluginError as exc:
            if not self.dry_run:
                record_fault_now(self.store.engine, exc.plugin or "?", f"{report.path}: {exc.location or ''}",
                                 str(exc))
            raise

    def _write(self, report: IngestReport, batches: Iterator[list[MessageRecord | CaseRecord]],
               before_commit: Callable[[Connection, IngestReport], None] | None = None, *,
               in_batches: bool = False, total: int | None = None) -> None:
        """Write the batches under the ledger's append lock, with the outbox's calls.

        In one transaction; or, ``in_batches``, in transactions of whole
        records that each hold the lock for about :data:`COMMIT_SECONDS`
        (at most ``[ingest] batch_size`` records), letting the writers that
        waited meanwhile in between (:func:`openledger.store.turns.let_waiters_in`).
        A round of statements costs a dozen round trips whatever its size, so
        rounds are sized to take a batch's whole time (usually one round a
        batch). :attr:`committed` counts the records committed so far;
        :attr:`stages` is told of the records written (of ``total``).
        """
        state = _FileState()
        chunks = _Chunks(batches, self.batch_size, COMMIT_SECONDS if in_batches else None)
        done, first = False, True
        while not done:
            if not first:
                turns.let_waiters_in(self.store.engine)
            first = False
            opened = len(report.new_case_ids)
            written = 0
            with self.store.engine.connect() as conn:
                trans = conn.begin()
                try:
                    ledger.lock(conn)  # one appender at a time, taken before any write
                    start = last = time.perf_counter()
                    while True:
                        chunk = chunks.next()
                        if not chunk:
                            self._write_pending(conn, state, report)
                            done = True
                            break
                        self._write_batch(conn, chunk, state, report)
                        written += len(chunk)
                        if self.stages:
                            self.stages("records written", len(chunk), total)
                        clock = time.perf_counter()
                        chunks.took(len(chunk), clock - last)
                        # stop before the next chunk would take the batch past COMMIT_SECONDS
                        if in_batches and (written >= self.batch_size
                                           or 2 * clock - last - start >= COMMIT_SECONDS):
                            break
                        last = clock
                    if before_commit is not None:
                        before_commit(conn, report)
                    if self.dry_run:
                        trans.rollback()
                    else:
                        outbox.enqueue(conn, "opened", report.new_case_ids[opened:])
                        trans.commit()
                except BaseException:
                    trans.rollback()
                    raise
            if not self.dry_run:
                self.read += written
                self.committed = self.read - len(state.pending)
            report.commits += 1

    def _lookup_cases(self, conn: Connection, column, keys: Iterable[str]) -> dict[str, int | None]:
        keys = list(keys)
        found: dict[str, int | None] = {}
        for i in range(0, len(keys), LOOKUP_CHUNK):
            chunk = keys[i : i + LOOKUP_CHUNK]
            rows = conn.execute(
                select(column, messages_t.c.case_id).where(
                    messages_t.c.source == self.source.name, column.in_(chunk)
                )
            )
            for key, case_id in rows:
                if case_id is not None or key not in found:
                    found[key] = case_id
        return found

    def _write_batch(self, conn, batch, state: _FileState, report: IngestReport) -> None:
        messages = [r for r in batch if isinstance(r, MessageRecord)]
        cases = [r for r in batch if isinstance(r, CaseRecord)]
        if cases:
            write_case_records(conn, cases, report, source=self.source.name, secret=self.secret,
                               region=self.region, actor=self.actor, labels=self.labels,
                               categories=self.categories)
        if not messages:
            return
        seen_before = existing_ids(conn, messages_t, self.source.name, {r.id for r in messages})
        fresh: list[MessageRecord] = []
        for r in messages:
            if r.id in seen_before or r.id in state.case_of_id:
                report.duplicates += 1
                continue
            state.case_of_id[r.id] = _CLAIMED
            fresh.append(r)
        # where do replies and thread members go?
        want_ids = {
            r.reply_to
            for r in fresh
            if r.reply_to and r.reply_to not in state.case_of_id and r.reply_to not in state.known_ids
        }
        want_threads = {
            r.thread
            for r in fresh
            if r.thread and r.thread not in state.case_of_thread and r.thread not in state.known_threads
        }
        known_ids = self._lookup_cases(conn, messages_t.c.external_id, want_ids)
        known_threads = {
            k: v for k, v in self._lookup_cases(conn, messages_t.c.thread, want_threads).items() if v
        }
        state.known_ids.update(known_ids)
        state.known_threads.update(known_threads)
        self._place_rounds(conn, fresh, state, report, final=False)

    def _place_rounds(self, conn, todo: list[MessageRecord], state, report, *, final: bool) -> None:
        """Store every message whose case is decided; repeat while that decides more.

        A reply waits while its parent is still undecided; at the end of the
        file (``final``) a reply whose parent never came starts a case. Of
        several messages that start the same new thread in one round, the
        first opens the case and the others wait to join it.
        """
        while todo:
            ready: list[tuple[MessageRecord, int | None]] = []
            waiting: list[MessageRecord] = []
            opening: set[str] = set()
            for r in todo:
                decided, case_id = self._place(r, state, final)
                if decided and case_id is None and r.thread:
                    if r.thread in opening:
                        decided = False
                    elif r.direction == "in":
                        opening.add(r.thread)
                if decided:
                    ready.append((r, case_id))
                else:
                    waiting.append(r)
            if not ready:
                if final:  # a cycle of replies: the earliest starts the case
                    ready, waiting = [(waiting[0], None)], waiting[1:]
                else:
                    break
            self._store_messages(conn, ready, state, report)
            todo = waiting
        else:
            return
        state.pending.extend(todo)

    def _place(self, r: MessageRecord, state: _FileState, final: bool) -> tuple[bool, int | None]:
        """(decided, case id): the case a message joins, None to start one."""
        if r.reply_to:
            parent = state.case_of_id.get(r.reply_to, _UNKNOWN)
            if parent is _UNKNOWN:
                parent = state.known_ids.get(r.reply_to, _UNKNOWN)
            if parent is _CLAIMED:
                return False, None
            if isinstance(parent, int):
                return True, parent
            if parent is _UNKNOWN and not final and not r.thread:
                return False, None
        if r.thread:
            case_id = state.case_of_thread.get(r.thread) or state.known_threads.get(r.thread)
            if case_id:
                return True, case_id
        return True, None

    def _write_pending(self, conn, state: _FileState, report: IngestReport) -> None:
        """Replies whose parent came later in the file, or never, in time order."""
        pending = sorted(state.pending, key=lambda r: r.timestamp)
        state.pending = []
        before = report.cases
        self._place_rounds(conn, pending, state, report, final=True)
        report.unthreaded += report.cases - before

    def _store_messages(self, conn, placed, state: _FileState, report: IngestReport) -> None:
        """Insert messages, opening a case for each inbound message that starts one."""
        if not placed:
            return
        openers = [r for r, case_id in placed if case_id is None and r.direction == "in"]
        new_ids = self._open_cases(conn, openers, report)
        opened = dict(zip((r.id for r in openers), new_ids))
        stamp = now()
        message_rows: list[dict[str, Any]] = []
        event_rows: list[dict[str, Any]] = []
        first_responses: dict[int, datetime] = {}
        for r, case_id in placed:
            if case_id is None:
                case_id = opened.get(r.id)
            state.case_of_id[r.id] = case_id
            report.stored[r.id] = case_id
            if r.thread and case_id is not None:
                state.case_of_thread.setdefault(r.thread, case_id)
            message_rows.append(message_row(
                self.source.name, r.id, case_id, r.channel, r.visibility, r.timestamp, r.text, direction=r.direction,
                author=r.author, subject=r.subject, reply_to=r.reply_to, thread=r.thread, meta=r.meta))
            if case_id is None:
                continue
            kind = "opened" if r.id in opened else ("responded" if r.direction == "out" else "message")
            public = {"channel": r.channel.strip().lower(), "visibility": r.visibility}
            event_rows.append(
                event_row(case_id, kind, r.timestamp, self.actor, public, {"message": r.id}, stamp)
            )
            if r.direction == "out":
                previous = first_responses.get(case_id)
                if previous is None or r.timestamp < previous:
                    first_responses[case_id] = r.timestamp
        insert_rows(conn, messages_t, message_rows)
        append_events(conn, event_rows)
        if first_responses:
            conn.execute(
                update(cases_t)
                .where(cases_t.c.id == bindparam("cid"))
                .where((cases_t.c.first_response_at.is_(None)) | (cases_t.c.first_response_at > bindparam("t")))
                .values(first_response_at=bindparam("t")),
                [{"cid": k, "t": v} for k, v in first_responses.items()],
            )
        report.messages += len(message_rows)
        report.cases += len(new_ids)
        report.new_case_ids.extend(new_ids)

    def _open_cases(self, conn, openers: list[MessageRecord], report: IngestReport) -> list[int]:
        if not openers:
            return []
        customers = customers_of(conn, openers, self.secret, self.region)
        first = next_case_id(conn)
        rows = [
            {
                "id": first + offset,
                "source": self.source.name,
                "external_id": r.id,
                "status": "new",
                "channel": r.channel.strip().lower(),
                "visibility": r.visibility,
                "customer": customer,
                "audience": _audience(r.meta),
                "opened_at": r.timestamp,
            }
            for offset, (r, customer) in enumerate(zip(openers, customers))
        ]
        ids = insert_cases(conn, rows, self.secret)
        if self.public_ids:
            report.public_ids.update((row["id"], row["public_id"]) for row in rows)
        return ids


Records = list[MessageRecord | CaseRecord]


class _Chunks:
    """The records of staged batches, each batch in thread time order, in chunks sized by time.

    A chunk is what one round of set-based statements writes; its size
    follows the measured time per record so that writing one takes about
    ``seconds`` (the database and the records decide: a message, a whole
    case, SQLite or PostgreSQL), at most ``most`` records; without
    ``seconds``, every chunk is ``most`` records.
    """

    def __init__(self, batches: Iterator[Records], most: int, seconds: float | None):
        self.batches, self.most, self.seconds = batches, most, seconds
        self.size = most if seconds is None else min(most, FIRST_CHUNK)
        self.held: Records = []

    def next(self) -> Records:
        """The next chunk; empty at the end."""
        while len(self.held) < self.size:
            batch = next(self.batches, None)
            if batch is None:
                break
            self.held.extend(_threads_in_time_order(batch))
        chunk, self.held = self.held[: self.size], self.held[self.size :]
        return chunk

    def took(self, count: int, seconds: float) -> None:
        """Writing ``count`` records took ``seconds``: size the next chunk (at most doubling it)."""
        if self.seconds is not None and count and seconds > 0:
            wanted = int(self.seconds * count / seconds)
            self.size = max(1, min(self.most, 2 * self.size, wanted))


def _threads_in_time_order(records: Records) -> Records:
    """The batch with each thread's messages in time order, in the places they held.

    Exports that list a conversation newest first (Messenger, X direct
    messages, many chat exports) would otherwise open the case at the newest
    message. Only within a batch: a source whose threads can be longer sorts
    each thread itself (as ``twitter`` and ``facebook`` do).
    """
    places: dict[str, list[tuple[int, MessageRecord]]] = {}
    for i, r in enumerate(records):
        if isinstance(r, MessageRecord) and r.thread:
            places.setdefault(r.thread, []).append((i, r))
    out = list(records)
    for members in places.values():
        if len(members) > 1:
            in_order = sorted((r for _, r in members), key=lambda r: r.timestamp)
            for (i, _), r in zip(members, in_order, strict=True):
                out[i] = r
    return out


def _audience(meta) -> int | None:
    value = meta.get("audience") if meta else None
    return int(value) if isinstance(value, (int, float)) and value >= 0 else None


def notify_opened(store, case_ids: list[int]) -> None:
    """Make the event hook calls owed for newly stored cases (``case_opened``), through the outbox.

    The calls were queued in the transaction that stored the cases; a
    plugin that fails keeps its calls queued for the next run
    (:func:`openledger.cases.outbox.deliver`), so a webhook or a poller page
    is never refused for a plugin's bug. When no loaded plugin implements
    ``case_opened`` nothing was queued, and nothing is read: calls still owed
    from an earlier run wait for the next command that changes cases.
    """
    if case_ids and plugins.implementers("case_opened"):
        outbox.deliver(store)


def _unstaged(spool: IO[bytes]) -> Iterator[list[MessageRecord | CaseRecord]]:
    """The batches :meth:`Ingestor._stage` pickled into ``spool``, in order."""
    while True:
        try:
            yield pickle.load(spool)  # noqa: S301 - our own temporary file, written just before
        except EOFError:
            return

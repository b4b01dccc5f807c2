"""Storing records that arrive one payload at a time (webhooks), with group commit.

A :class:`Receiver` owns one writer thread. Each delivery (the records of one
payload) is queued with :meth:`Receiver.submit`; the writer takes every
delivery waiting and stores them through the ingest engine
(:meth:`~openledger.intake.ingest.Ingestor.ingest_records`) in one
transaction per source, then answers each delivery's future with the public
id of the case of each of its records. So many senders at once cost one
commit, not one each; a delivery is answered only once its transaction has
committed; one writer (under the ledger's append lock, like every writer)
can never fork the log; and a retried delivery finds its records already
stored and gets the same cases back, adding nothing.

When a transaction of several deliveries fails, each delivery is tried alone,
so a failure is answered to its own sender only.

Durability is the last step before an answer. Given ``sync`` (on SQLite, an
fsync of the write-ahead log, see :func:`openledger.service.webhook.durability`),
the writer commits without waiting for the disk and hands the group to a
second thread, which calls ``sync`` once for every group committed since its
last call and only then answers them. So the disk's flush (milliseconds on
a virtual disk) overlaps with the next group's work instead of stopping the
writer, and one flush covers every group committed while the last one ran.
When no delivery waits and no committed group waits for the second thread,
there is nothing to overlap with: the writer flushes and answers itself,
saving a thread's wake-up on the way to the answer.
Without ``sync`` (PostgreSQL, whose commit is durable) the writer answers
after its commit.

How long a transaction waits for more deliveries: while they keep coming
(one at least every ``GAP``, ``LINGER`` at most), unless every sender that
could post waits already. Given ``senders`` (the number of connections open
to the server), a transaction starts as soon as the deliveries not yet
answered are as many: each sender waits for its answer before it posts
again (HTTP/1.1 answers a connection's requests in order), so waiting longer
would only delay them.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from openledger.intake.ingest import Ingestor, notify_opened
from openledger.intake.rows import cases_of
from openledger.privacy.secret import pseudonym
from openledger.records import CaseRecord, MessageRecord, Rejected
from openledger.timeutil import now

MAX_BATCH = 256  # deliveries stored in one transaction at most
LINGER = 0.005  # seconds a transaction waits at most for more deliveries...
GAP = 0.001  # ...while they keep coming at least this often


@dataclass(frozen=True)
class Stored:
    """The answer to one delivery: the case of each record, and what was new."""

    cases: list[str | None]
    stored: int
    duplicates: int


@dataclass
class _Delivery:
    source: Any
    records: list[MessageRecord | CaseRecord]
    future: Future = field(default_factory=Future)


@dataclass
class Health:
    """What the writer has done, for the health endpoint."""

    started_at: str = field(default_factory=lambda: now().isoformat())
    deliveries: int = 0
    records: int = 0
    commits: int = 0
    syncs: int = 0
    failures: int = 0
    last_commit_at: str | None = None
    last_error: str | None = None


class Receiver:
    """One writer thread storing deliveries through the ingest engine (see the module docstring)."""

    def __init__(self, store, config, *, on_stored: Callable[[list[int]], None] | None = None,
                 sync: Callable[[], None] | None = None, senders: Callable[[], int | None] | None = None):
        self.store = store
        self.config = config
        self.on_stored = on_stored if on_stored is not None else (lambda ids: notify_opened(store, ids))
        self.health = Health()
        self._queue: queue.Queue[_Delivery | None] = queue.Queue()
        self._ingestors: dict[str, Ingestor] = {}
        self._thread = threading.Thread(target=self._loop, name="openledger-intake-writer", daemon=True)
        self._sync = sync
        self._committed: queue.Queue[list[tuple[_Delivery, Stored]] | None] = queue.Queue()
        self._syncer = None if sync is None else threading.Thread(
            target=self._sync_loop, name="openledger-intake-sync", daemon=True)
        self._senders = senders
        self._unanswered = 0  # deliveries submitted and not answered yet
        self._counting = threading.Lock()

    def start(self) -> None:
        if self._syncer is not None:
            self._syncer.start()
        self._thread.start()

    def stop(self) -> None:
        """Store what is queued, answer what is stored, then end the writer (and the syncer)."""
        self._queue.put(None)
        self._thread.join()
        if self._syncer is not None:
            self._committed.put(None)
            self._syncer.join()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @property
    def waiting(self) -> int:
        return self._queue.qsize()

    def submit(self, source, records: Sequence[MessageRecord | CaseRecord | Rejected]) -> Future:
        """Queue one delivery; its future gives a :class:`Stored` once committed (or the error).

        Its records have passed :func:`openledger.intake.payloads.first_problem`:
        a :class:`Rejected` among them is a caller's mistake (ValueError).
        """
        checked = [r for r in records if not isinstance(r, Rejected)]
        if len(checked) != len(records):
            raise ValueError("a delivery holds a Rejected record: refuse the payload instead")
        delivery = _Delivery(source, checked)
        with self._counting:
            self._unanswered += 1
        self._queue.put(delivery)
        return delivery.future

    def _answer(self, delivery: _Delivery, answer: Stored | BaseException) -> None:
        with self._counting:
            self._unanswered -= 1
        if isinstance(answer, BaseException):
            delivery.future.set_exception(answer)
        else:
            delivery.future.set_result(answer)

    def _everyone_waits(self) -> bool:
        """Every connection open to the server waits for the answer to a delivery: none can post now."""
        open_now = None if self._senders is None else self._senders()
        return open_now is not None and self._unanswered >= open_now

    # the writer thread ----------------------------------------------------------

    def _loop(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            deadline = time.monotonic() + LINGER
            while len(batch) < MAX_BATCH:
                try:  # senders answered together post again together: wait a moment for the rest, unless
                    # none can post before it is answered (then take what is queued, without waiting)
                    more = (self._queue.get_nowait() if self._everyone_waits()
                            else self._queue.get(timeout=max(0.0, min(GAP, deadline - time.monotonic()))))
                except queue.Empty:
                    break
                if more is None:
                    stopping = True
                    break
                batch.append(more)
            groups: dict[str, list[_Delivery]] = {}
            for delivery in batch:
                groups.setdefault(delivery.source.name, []).append(delivery)
            for group in groups.values():
                self._store(group)

    def _ingestor(self, source) -> Ingestor:
        if source.name not in self._ingestors:
            options = dict(self.config.get("sources").get(source.name, {}))
            self._ingestors[source.name] = Ingestor(self.store, self.config, source, options=options,
                                                   public_ids=True)
        return self._ingestors[source.name]

    def _store(self, group: list[_Delivery]) -> None:
        try:
            answers, new_cases = self._commit(group)
        except BaseException as exc:  # noqa: BLE001 (every failure goes back to its sender)
            self.health.failures += 1
            self.health.last_error = f"{type(exc).__name__}: {exc}".splitlines()[0]
            if len(group) > 1:
                for delivery in group:
                    self._store([delivery])
            else:
                self._answer(group[0], exc)
            return
        if self._syncer is None:  # the commit was durable
            for delivery, answer in zip(group, answers):
                self._answer(delivery, answer)
        elif self._queue.empty() and self._committed.empty():
            self._flush([list(zip(group, answers))])  # no other work to overlap the flush with: flush here
        else:
            self._committed.put(list(zip(group, answers)))
        if new_cases:
            try:
                self.on_stored(new_cases)
            except Exception as exc:  # noqa: BLE001 (a plugin's case_opened failing must not stop the writer)
                self.health.last_error = f"case_opened: {type(exc).__name__}: {exc}".splitlines()[0]

    def _commit(self, group: list[_Delivery]) -> tuple[list[Stored], list[int]]:
        source = group[0].source
        records = [r for d in group for r in d.records]
        ingestor = self._ingestor(source)
        known: dict[str, str | None] = {}

        def look_up(conn, report) -> None:
            # stored now: the case's public id follows from its id; already stored (a retry): looked up
            new = report.public_ids
            known.update((key, None if case is None else new.get(case) or pseudonym(case, ingestor.secret))
                         for key, case in report.stored.items())
            missing = [r.id for r in records if r.id not in known]
            if missing:
                known.update(cases_of(conn, source.name, missing))

        report = ingestor.ingest_records(records, where=f"webhook {source.name}", before_commit=look_up)
        self.health.commits += 1
        self.health.deliveries += len(group)
        self.health.records += len(records)
        self.health.last_commit_at = now().isoformat()
        answers = []
        fresh = set(report.stored)
        for delivery in group:
            new = [r.id for r in delivery.records if r.id in fresh]
            fresh.difference_update(new)  # the same record in two deliveries: new for the first only
            answers.append(Stored([known.get(r.id) for r in delivery.records], len(new),
                                  len(delivery.records) - len(new)))
        return answers, list(report.new_case_ids)

    # the syncer thread ------------------------------------------------------------

    def _sync_loop(self) -> None:
        """Make durable every group committed so far with one ``sync``, then answer them."""
        assert self._sync is not None
        stopping = False
        while not stopping:
            first = self._committed.get()
            if first is None:
                return
            groups = [first]
            while True:  # everything committed before the sync starts: it is covered by it
                try:
                    more = self._committed.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stopping = True
                    break
                groups.append(more)
            self._flush(groups)

    def _flush(self, groups: list[list[tuple[_Delivery, Stored]]]) -> None:
        """One ``sync`` for committed groups, then their answers (or the sync's error)."""
        assert self._sync is not None
        try:
            self._sync()
        except BaseException as exc:  # noqa: BLE001 (committed, but not known to be on disk: retry)
            self.health.failures += 1
            self.health.last_error = f"sync: {type(exc).__name__}: {exc}".splitlines()[0]
            for group in groups:
                for delivery, _ in group:
                    self._answer(delivery, exc)
            return
        self.health.syncs += 1
        for group in groups:
            for delivery, answer in group:
                self._answer(delivery, answer)

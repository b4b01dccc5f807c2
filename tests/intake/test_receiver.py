"""The receiver's writer and flusher, in-process: a delivery is answered only after the flush that covers it."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest

from openledger import plugins
from openledger.instance import Instance
from openledger.intake.receiver import Receiver
from openledger.records import MessageRecord
from openledger.service.webhook import durability
from openledger.testing import InstanceRunner


def record(n: int) -> MessageRecord:
    return MessageRecord(id=f"r-{n}", channel="email", visibility="private",
                         timestamp=datetime(2026, 3, 1, 10, n, tzinfo=UTC), text=f"complaint {n}",
                         author=f"customer{n}@example.com")


def _wait(condition, what: str) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def test_answers_wait_for_the_flush_and_a_failed_flush_is_retried_as_a_duplicate(instance: InstanceRunner):
    app = Instance(instance.home, instance.db_url)
    source = plugins.payload_sources(app.config.plugin_view())["jsonl"]
    release = threading.Event()
    failures: list[OSError] = []

    def sync() -> None:
        release.wait(30)
        if failures:
            raise failures.pop()

    receiver = Receiver(app.store, app.config, sync=sync)
    receiver.start()
    try:
        futures = [receiver.submit(source, [record(n)]) for n in range(3)]
        _wait(lambda: instance.count("cases") == 3, "the commit")
        time.sleep(0.05)
        assert not any(f.done() for f in futures)  # committed, not yet flushed: nobody answered
        release.set()
        answers = [f.result(timeout=30) for f in futures]
        assert [(a.stored, a.duplicates) for a in answers] == [(1, 0)] * 3
        assert len({a.cases[0] for a in answers}) == 3
        assert receiver.health.syncs >= 1

        failures.append(OSError(5, "Input/output error"))
        with pytest.raises(OSError):
            receiver.submit(source, [record(7)]).result(timeout=30)
        again = receiver.submit(source, [record(7)]).result(timeout=30)  # the sender retries
        assert (again.stored, again.duplicates) == (0, 1) and again.cases[0].startswith("C-")
        assert instance.count("cases") == 4
    finally:
        release.set()
        receiver.stop()
        app.store.engine.dispose()


def test_durability_flushes_the_sqlite_log(instance: InstanceRunner):
    store = Instance(instance.home, instance.db_url).store
    sync = durability(store)
    if store.dialect == "sqlite":
        assert sync is not None
        sync()  # the log (or, without one, the database file) is flushed without error
    else:
        assert sync is None  # PostgreSQL's commit is durable
    store.engine.dispose()


def test_the_writer_stops_waiting_for_more_once_every_sender_waits(instance: InstanceRunner, monkeypatch):
    """Given how many connections are open, a transaction starts as soon as each of them has a delivery
    waiting for its answer, however long the writer would otherwise wait for more."""
    monkeypatch.setattr("openledger.intake.receiver.GAP", 10.0)
    monkeypatch.setattr("openledger.intake.receiver.LINGER", 10.0)
    app = Instance(instance.home, instance.db_url)
    source = plugins.payload_sources(app.config.plugin_view())["jsonl"]
    receiver = Receiver(app.store, app.config, sync=durability(app.store), senders=lambda: 2)
    receiver.start()
    try:
        first = receiver.submit(source, [record(1)])
        time.sleep(0.3)
        assert not first.done()  # one of two senders waits: the writer waits for the other
        second = receiver.submit(source, [record(2)])
        answers = [first.result(timeout=5), second.result(timeout=5)]  # both wait now: no more waiting
        assert [a.stored for a in answers] == [1, 1]
        assert receiver.health.commits == 1 and receiver.health.deliveries == 2
    finally:
        receiver.stop()
        app.store.engine.dispose()

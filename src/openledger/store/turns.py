"""Turns at the append lock: a writer that waits for it gets in between a long import's batches.

On PostgreSQL the append lock is the row lock on ``ledger_head``, and the
server queues its waiters: a writer waiting for it holds the row's tuple lock,
so an import that commits a batch and asks for the row again queues behind it.

On SQLite the lock is the database's write lock, and a waiter is not queued:
SQLite's busy handler sleeps and polls (1, 2, 5 ... then every 100 ms), so a
writer that releases the lock and takes it again at once (an import going
from one batch to the next) can starve it until its ``busy_timeout`` ends in
"database is locked". So on SQLite a writer says that it waits: while it
takes the lock (:func:`waiting`, in :func:`openledger.store.ledger.lock`) it
holds a shared ``flock`` on a file beside the database
(``openledger.db-writers``), and an import between two batches
(:func:`let_waiters_in`) sees that lock and does not take the database lock
again until every writer that was waiting has got it. A writer killed while
waiting leaves nothing behind (the kernel drops its ``flock``).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection, Engine

SUFFIX = "-writers"
POLL = 0.001  # seconds between two looks at the waiters' file
LONGEST = 5.0  # an import lets waiters go first for at most this long between two batches


def writers_file(bind: Connection | Engine) -> str | None:
    """The waiters' file of a SQLite database file; None on PostgreSQL or for an in-memory database."""
    url = bind.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return url.database + SUFFIX


def _open(path: str) -> int | None:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:  # a read-only folder, say: no turns, SQLite's busy handler alone
        return None


@contextmanager
def waiting(bind: Connection | Engine) -> Iterator[None]:
    """Say, while the block runs, that this writer is waiting for the append lock (SQLite only)."""
    path = writers_file(bind)
    fd = _open(path) if path else None
    if fd is None:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)  # only ever blocked for the instant of a let_waiters_in look
        yield
    finally:
        os.close(fd)  # drops the lock


def let_waiters_in(bind: Connection | Engine, longest: float = LONGEST) -> float:
    """Wait (at most ``longest`` seconds) until no writer waits for the append lock; the seconds waited.

    Called by a writer that holds the lock for long stretches (an import)
    between two of them, with no transaction open: a writer that was waiting
    has taken the lock when this returns, and the caller's next
    :func:`~openledger.store.ledger.lock` waits for it to commit. Without
    waiters it costs one ``flock`` call. PostgreSQL queues its waiters
    itself: nothing to do.
    """
    path = writers_file(bind)
    fd = _open(path) if path else None
    if fd is None:
        return 0.0
    start = time.perf_counter()
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                waited = time.perf_counter() - start
                if waited >= longest:
                    return waited
                time.sleep(POLL)
                continue
            fcntl.flock(fd, fcntl.LOCK_UN)
            return time.perf_counter() - start
    finally:
        os.close(fd)

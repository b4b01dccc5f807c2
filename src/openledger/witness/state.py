"""A witness's database: per log origin, the latest checkpoint it cosigned.

One row per origin in ``witness_logs`` (tree size, root hash, the cosigned
note). A new checkpoint replaces it only by compare-and-swap::

    UPDATE witness_logs SET size = :new, root = :root, note = :note
     WHERE origin = :origin AND size = :old AND root = :old_root

in one committed transaction *before* the cosignature is returned, so a
witness killed at any moment (kill -9, power loss: SQLite runs with
``synchronous=FULL``) either kept the new checkpoint or never let its
cosignature out; and of two racing requests from the same stored size, only
one can win: the other gets 409 and the size that won. The tree size only
grows and a size's root never changes, so two inconsistent checkpoints are
never both cosigned.

``witness_refusals`` keeps the checkpoints the witness refused for a failed
consistency check, signed by the log: evidence of a fork attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from openledger.ledger.merkle import EMPTY_ROOT
from openledger.store.engines import open_tables

metadata = sa.MetaData()

logs_table = sa.Table(
    "witness_logs", metadata,
    sa.Column("origin", sa.String(500), primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("root", sa.LargeBinary(32), nullable=False),
    sa.Column("note", sa.Text, nullable=True),  # the cosigned checkpoint (log signature + ours)
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
)

refusals_table = sa.Table(
    "witness_refusals", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("origin", sa.String(500), nullable=False, index=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.Integer, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("old_size", sa.BigInteger, nullable=False),
    sa.Column("checkpoint", sa.Text, nullable=False),
)


#: each SQLite connection: a commit survives power loss, not only kill -9
PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=30000")


def open_engine(url: str) -> Engine:
    """An engine on the witness database, its tables created if missing (its SQLite folder must exist)."""
    return open_tables(url, metadata, "witness", PRAGMAS)


@dataclass(frozen=True)
class Latest:
    """The latest checkpoint a witness cosigned for one origin (size 0: none yet)."""

    origin: str
    size: int
    root: bytes
    note: bytes | None


def latest(engine: Engine, origin: str) -> Latest:
    """The stored state of ``origin``; size 0 and the empty root when it never cosigned one."""
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(logs_table.c.size, logs_table.c.root, logs_table.c.note).where(logs_table.c.origin == origin)
        ).first()
    if row is None:
        return Latest(origin, 0, EMPTY_ROOT, None)
    return Latest(origin, int(row.size), bytes(row.root), row.note.encode("utf-8") if row.note else None)


def compare_and_swap(engine: Engine, old: Latest, size: int, root: bytes, note: bytes) -> bool:
    """Replace ``old`` by the new checkpoint, committed; False if another request changed it first."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        if old.note is None and old.size == 0:
            try:
                with conn.begin_nested():
                    conn.execute(sa.insert(logs_table).values(
                        origin=old.origin, size=size, root=root, note=note.decode("utf-8"), updated_at=now))
                return True
            except sa.exc.IntegrityError:
                pass  # someone stored a first checkpoint meanwhile: swap against it like any other
        done = conn.execute(
            sa.update(logs_table)
            .where(logs_table.c.origin == old.origin, logs_table.c.size == old.size, logs_table.c.root == old.root)
            .values(size=size, root=root, note=note.decode("utf-8"), updated_at=now)
        )
        return done.rowcount == 1


def record_refusal(engine: Engine, origin: str, status: int, reason: str, old_size: int, checkpoint: bytes) -> None:
    """Keep a refused, validly signed checkpoint as evidence."""
    with engine.begin() as conn:
        conn.execute(sa.insert(refusals_table).values(
            origin=origin, at=datetime.now(UTC), status=status, reason=reason[:2000], old_size=old_size,
            checkpoint=checkpoint.decode("utf-8", errors="replace")))

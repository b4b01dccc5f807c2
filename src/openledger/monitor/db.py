"""The monitor's database: checkpoints seen, pinned keys, audit verdicts, alarms.

Tables (created on first use, SQLite or PostgreSQL through SQLAlchemy):

* ``monitor_logs``: origin -> the log's verifier key, pinned on first sight;
* ``monitor_checkpoints``: every distinct signed checkpoint (origin, size,
  root) seen, the note as served, where it was first seen (``site`` or
  ``peer``, and the location), whether it is proven consistent with the log
  the site showed, and whether it is part of an alarm;
* ``monitor_verdicts``: the site's published audit verdicts per checkpoint
  (overall and per finding);
* ``monitor_alarms``: forks and rollbacks, each with its evidence folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from openledger.store.engines import open_tables

metadata = sa.MetaData()

logs_table = sa.Table(
    "monitor_logs", metadata,
    sa.Column("origin", sa.String(500), primary_key=True),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
)

checkpoints_table = sa.Table(
    "monitor_checkpoints", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("origin", sa.String(500), nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("root", sa.LargeBinary(32), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),  # "site" or "peer"
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("proven", sa.Boolean, nullable=False, default=False),
    sa.Column("conflict", sa.Boolean, nullable=False, default=False),
    sa.UniqueConstraint("origin", "size", "root", name="uq_monitor_checkpoint"),
)

verdicts_table = sa.Table(
    "monitor_verdicts", metadata,
    sa.Column("origin", sa.String(500), primary_key=True),
    sa.Column("size", sa.BigInteger, primary_key=True),
    sa.Column("dimension", sa.String(100), primary_key=True),
    sa.Column("metric", sa.String(200), primary_key=True),  # "" for the overall verdict
    sa.Column("grp", sa.String(200), primary_key=True),
    sa.Column("verdict", sa.String(50), nullable=False),
)

alarms_table = sa.Table(
    "monitor_alarms", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("origin", sa.String(500), nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("line", sa.Text, nullable=False),
    sa.Column("evidence", sa.Text, nullable=False),
)


PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA busy_timeout=30000")


def open_engine(url: str) -> Engine:
    """An engine on the monitor database, its tables created if missing (and its SQLite folder)."""
    return open_tables(url, metadata, "monitor", PRAGMAS, make_folder=True)


@dataclass(frozen=True)
class Seen:
    """A stored checkpoint."""

    id: int
    origin: str
    size: int
    root: bytes
    note: bytes
    kind: str
    source: str
    seen_at: datetime
    proven: bool
    conflict: bool


def _seen(row) -> Seen:
    return Seen(row.id, row.origin, int(row.size), bytes(row.root), row.note.encode("utf-8"), row.kind, row.source,
                row.seen_at, bool(row.proven), bool(row.conflict))


def now() -> datetime:
    return datetime.now(UTC)


def pinned_key(conn: Connection, origin: str) -> str | None:
    return conn.execute(sa.select(logs_table.c.key).where(logs_table.c.origin == origin)).scalar()


def pin_key(conn: Connection, origin: str, key: str) -> None:
    conn.execute(sa.insert(logs_table).values(origin=origin, key=key, first_seen=now()))


def remember(conn: Connection, origin: str, size: int, root: bytes, note: bytes, kind: str, source: str) -> Seen:
    """Store a checkpoint unless the same (origin, size, root) is stored; return the stored one."""
    found = conn.execute(sa.select(checkpoints_table).where(
        checkpoints_table.c.origin == origin, checkpoints_table.c.size == size, checkpoints_table.c.root == root)
    ).first()
    if found is None:
        conn.execute(sa.insert(checkpoints_table).values(
            origin=origin, size=size, root=root, note=note.decode("utf-8"), kind=kind, source=source,
            seen_at=now(), proven=False, conflict=False))
        found = conn.execute(sa.select(checkpoints_table).where(
            checkpoints_table.c.origin == origin, checkpoints_table.c.size == size,
            checkpoints_table.c.root == root)).first()
    elif kind == "site" and found.kind != "site":
        conn.execute(sa.update(checkpoints_table).where(checkpoints_table.c.id == found.id)
                     .values(kind="site", source=source))
        found = conn.execute(sa.select(checkpoints_table).where(checkpoints_table.c.id == found.id)).first()
    return _seen(found)


def checkpoints(conn: Connection, origin: str) -> list[Seen]:
    rows = conn.execute(sa.select(checkpoints_table).where(checkpoints_table.c.origin == origin)
                        .order_by(checkpoints_table.c.size, checkpoints_table.c.id))
    return [_seen(r) for r in rows]


def mark(conn: Connection, ids: list[int], **values: bool) -> None:
    if ids:
        conn.execute(sa.update(checkpoints_table).where(checkpoints_table.c.id.in_(ids)).values(**values))


def latest_proven(conn: Connection, origin_hash_of, digest: str) -> bytes | None:
    """The largest proven checkpoint of the origin whose hash is ``digest`` (for ``monitor serve``)."""
    origins = conn.execute(sa.select(logs_table.c.origin)).scalars()
    for origin in origins:
        if origin_hash_of(origin) == digest:
            row = conn.execute(sa.select(checkpoints_table.c.note).where(
                checkpoints_table.c.origin == origin, checkpoints_table.c.proven.is_(True),
                checkpoints_table.c.conflict.is_(False)).order_by(checkpoints_table.c.size.desc()).limit(1)).first()
            return row.note.encode("utf-8") if row else None
    return None


def all_latest(conn: Connection) -> dict[str, dict]:
    """origin -> {size, note} of the largest proven checkpoint of every log."""
    out: dict[str, dict] = {}
    rows = conn.execute(sa.select(checkpoints_table.c.origin, checkpoints_table.c.size, checkpoints_table.c.note)
                        .where(checkpoints_table.c.proven.is_(True), checkpoints_table.c.conflict.is_(False))
                        .order_by(checkpoints_table.c.origin, checkpoints_table.c.size))
    for origin, size, note in rows:
        out[origin] = {"size": int(size), "note": note}
    return out


def verdicts(conn: Connection, origin: str, size: int) -> dict[tuple[str, str, str], str]:
    rows = conn.execute(sa.select(verdicts_table).where(verdicts_table.c.origin == origin,
                                                        verdicts_table.c.size == size))
    return {(r.dimension, r.metric, r.grp): r.verdict for r in rows}


def previous_verdicts(conn: Connection, origin: str, size: int) -> tuple[int | None, dict[tuple[str, str, str], str]]:
    """The verdicts recorded for the largest checkpoint below ``size`` (its size, or None)."""
    before = conn.execute(sa.select(sa.func.max(verdicts_table.c.size)).where(
        verdicts_table.c.origin == origin, verdicts_table.c.size < size)).scalar()
    if before is None:
        return None, {}
    return int(before), verdicts(conn, origin, int(before))


def record_verdicts(conn: Connection, origin: str, size: int, found: dict[tuple[str, str, str], str]) -> None:
    conn.execute(sa.delete(verdicts_table).where(verdicts_table.c.origin == origin, verdicts_table.c.size == size))
    if found:
        conn.execute(sa.insert(verdicts_table), [
            {"origin": origin, "size": size, "dimension": d, "metric": m, "grp": g, "verdict": v}
            for (d, m, g), v in found.items()])


def record_alarm(conn: Connection, origin: str, kind: str, line: str, evidence: str) -> None:
    conn.execute(sa.insert(alarms_table).values(origin=origin, kind=kind, at=now(), line=line, evidence=evidence))


def alarms(conn: Connection, origin: str) -> list[tuple[str, str, str]]:
    rows = conn.execute(sa.select(alarms_table.c.kind, alarms_table.c.line, alarms_table.c.evidence)
                        .where(alarms_table.c.origin == origin).order_by(alarms_table.c.id))
    return [(r.kind, r.line, r.evidence) for r in rows]

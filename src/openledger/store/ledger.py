"""The ledger in the database: every event becomes a log entry in the same
transaction that records it.

Writers call :func:`lock` first in their transaction: it takes the row lock on
``ledger_head`` (on SQLite, the database write lock), so appends are
serialized, event ids are assigned in log order and two writers can never
fork the tree. :func:`sync` then appends an entry for every event not yet in
the log: the event's public projection (see ``docs/ledger-format.md``) and a
commitment to its private details, and stores the new complete-subtree hashes.
A crash before commit leaves neither the events nor their entries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.engine import Connection

from openledger.errors import StoreError
from openledger.ledger.canonical import commit
from openledger.ledger.checkpoint import Checkpoint, sign_checkpoint
from openledger.ledger.entry import build_entry
from openledger.ledger.merkle import Appender, Node, root_from_store
from openledger.ledger.note import Signer
from openledger.ledger.receipt import make_receipt
from openledger.privacy.projection import project
from openledger.privacy.secret import pseudonym
from openledger.store.bulk import insert_rows
from openledger.store.models import cases_table as cases_t
from openledger.store.models import events_table as events_t
from openledger.store.models import ledger_checkpoints_table as checkpoints_t
from openledger.store.models import ledger_entries_table as entries_t
from openledger.store.models import ledger_hashes_table as hashes_t
from openledger.store.models import ledger_head_table as head_t
from openledger.timeutil import iso, now

READ_CHUNK = 200  # nodes per query: well inside SQLite's expression depth limit (1,000)
EVENT_COLUMNS = ("id", "case_id", "type", "at", "actor", "data", "private", "recorded_at")


class DbHashReader:
    """Reads stored subtree hashes for proofs and roots (O(log n) rows per call)."""

    def __init__(self, conn: Connection):
        self.conn = conn

    def read_hashes(self, nodes: Sequence[Node]) -> list[bytes]:
        found: dict[tuple[int, int], bytes] = {}
        nodes = list(nodes)
        marker = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"
        for i in range(0, len(nodes), READ_CHUNK):
            chunk = nodes[i : i + READ_CHUNK]
            # one primary-key search per node, written out: SQLite plans a row-value
            # IN, (level, idx) IN (...), as a scan of the whole table, and building
            # the statement through SQLAlchemy costs more than running it
            where = " OR ".join([f"(level = {marker} AND idx = {marker})"] * len(chunk))
            rows = self.conn.exec_driver_sql(
                f"SELECT level, idx, hash FROM ledger_hashes WHERE {where}",
                tuple(value for node in chunk for value in node),
            )
            found.update(((level, idx), bytes(value)) for level, idx, value in rows)
        try:
            return [found[node] for node in nodes]
        except KeyError as exc:
            raise StoreError(f"ledger hash {exc.args[0]} is missing from the database") from None

    def read_range(self, level: int, start: int, stop: int) -> list[bytes]:
        rows = self.conn.execute(
            select(hashes_t.c.hash)
            .where(hashes_t.c.level == level, hashes_t.c.idx >= start, hashes_t.c.idx < stop)
            .order_by(hashes_t.c.idx)
        ).scalars()
        values = list(rows)
        if len(values) != stop - start:
            raise StoreError(f"ledger hashes ({level}, {start}..{stop - 1}) are incomplete in the database")
        return values


def lock(conn: Connection) -> tuple[int, int]:
    """Take the append lock for this transaction; return (size, last event id)."""
    conn.execute(update(head_t).where(head_t.c.id == 1).values(size=head_t.c.size))
    row = conn.execute(select(head_t.c.size, head_t.c.last_event_id).where(head_t.c.id == 1)).first()
    if row is None:
        raise StoreError("the ledger head row is missing (database not initialised by openledger)")
    return int(row.size), int(row.last_event_id)


def _deciders(data: Mapping) -> list[dict]:
    deciders = []
    for d in data.get("deciders") or ():
        if isinstance(d, Mapping) and d.get("name") and d.get("version"):
            deciders.append({"name": str(d["name"]), "version": str(d["version"])})
    return deciders


def sync(conn: Connection, secret: bytes) -> int:
    """Append every event not yet logged (in event id order). Returns how many.

    Events normally reach the log through :func:`append`; this catches up
    events stored by versions before the ledger existed.
    """
    size, last = lock(conn)
    rows = conn.execute(
        select(events_t.c.id, events_t.c.case_id, events_t.c.type, events_t.c.at, events_t.c.actor,
               events_t.c.data, events_t.c.private)
        .where(events_t.c.id > last)
        .order_by(events_t.c.id)
    ).mappings().all()
    return _log(conn, secret, size, [dict(r) for r in rows])


def append(conn: Connection, secret: bytes, rows: list[dict]) -> int:
    """Give events their ids under the lock, insert them and log them, set-based.

    The ids are assigned here, in log order, because only the lock holder
    appends. Events stored by versions before the ledger existed are logged
    first.
    """
    if not rows:
        return 0
    size, last = lock(conn)
    highest = conn.execute(select(func.max(events_t.c.id))).scalar() or 0
    if highest > last:
        sync(conn, secret)
        size, _ = lock(conn)
    for offset, row in enumerate(rows, start=1):
        row["id"] = highest + offset
    insert_rows(conn, events_t, rows, EVENT_COLUMNS)
    if conn.dialect.name == "postgresql":  # ids were given explicitly: keep the sequence ahead
        conn.execute(text("select setval(pg_get_serial_sequence('events', 'id'), :v)"), {"v": rows[-1]["id"]})
    return _log(conn, secret, size, rows)


def _appender(conn: Connection, size: int) -> Appender:
    """The appender for this transaction: its frontier is read once, then kept.

    Only within one transaction, which holds the lock, can nobody else have
    appended in between.
    """
    transaction = conn.get_transaction()
    cached = conn.info.get("openledger.appender")
    if cached is not None and cached[0] is transaction and cached[1].size == size:
        return cached[1]
    appender = Appender.resume(size, DbHashReader(conn))
    conn.info["openledger.appender"] = (transaction, appender)
    return appender


def _log(conn: Connection, secret: bytes, size: int, rows: list[dict]) -> int:
    if not rows:
        return 0
    case_ids = sorted({r["case_id"] for r in rows})
    cases: dict[int, tuple] = {}
    for i in range(0, len(case_ids), READ_CHUNK):
        for c in conn.execute(
            select(cases_t.c.id, cases_t.c.channel, cases_t.c.visibility, cases_t.c.opened_at, cases_t.c.public_id)
            .where(cases_t.c.id.in_(case_ids[i : i + READ_CHUNK]))
        ):
            cases[c.id] = (c.channel, c.visibility, c.opened_at, c.public_id)
    missing_ids: dict[int, str] = {}
    for case_id, (_, _, _, public_id) in cases.items():
        if public_id is None:
            missing_ids[case_id] = pseudonym(case_id, secret)
    appender = _appender(conn, size)
    entry_rows: list[dict[str, Any]] = []
    for r in rows:
        channel, visibility, opened_at, public_id = cases[r["case_id"]]
        public_id = public_id or missing_ids[r["case_id"]]
        at = r["at"]
        data = r["data"] or {}
        details = {
            "event": r["id"], "case": r["case_id"], "type": r["type"], "at": iso(at), "actor": r["actor"],
            "data": data, "private": r["private"],
        }
        salt, commitment = commit(details)
        entry = build_entry(
            case=public_id,
            type=r["type"],
            channel=channel,
            visibility=visibility,
            at=at.date(),
            data=project(r["type"], data, at, opened_at, channel),
            deciders=_deciders(data),
            commitment=commitment,
        )
        entry_rows.append(
            {"idx": size + len(entry_rows), "event_id": r["id"], "case_id": r["case_id"], "entry": entry,
             "commitment": commitment, "salt": salt}
        )
    hash_rows = appender.extend(row["entry"] for row in entry_rows)
    insert_rows(conn, entries_t, entry_rows)
    insert_rows(conn, hashes_t, [{"level": lv, "idx": i, "hash": h} for lv, i, h in hash_rows])
    conn.execute(
        update(head_t).where(head_t.c.id == 1).values(size=appender.size, last_event_id=rows[-1]["id"])
    )
    if missing_ids:
        conn.execute(
            update(cases_t).where(cases_t.c.id == bindparam("cid")).values(public_id=bindparam("pid")),
            [{"cid": k, "pid": v} for k, v in missing_ids.items()],
        )
    return len(entry_rows)


def size(conn: Connection) -> int:
    return int(conn.execute(select(head_t.c.size).where(head_t.c.id == 1)).scalar_one())


def iter_entries(conn: Connection, count: int) -> Iterator[bytes]:
    """The first ``count`` entry bytes in log order, streamed."""
    result = conn.execute(
        select(entries_t.c.entry)
        .where(entries_t.c.idx < count)
        .order_by(entries_t.c.idx)
        .execution_options(yield_per=5000)
    )
    for (entry,) in result:
        yield bytes(entry)


def sign(conn: Connection, signer, origin: str) -> tuple[Checkpoint, bytes]:
    """Sign and store a checkpoint over the current tree."""
    n = size(conn)
    checkpoint = Checkpoint(origin, n, root_from_store(n, DbHashReader(conn)))
    signed = sign_checkpoint(checkpoint, signer)
    remember_checkpoint(conn, checkpoint, signed)
    return checkpoint, signed


def remember_checkpoint(conn: Connection, checkpoint: Checkpoint, signed: bytes) -> None:
    conn.execute(
        insert(checkpoints_t).values(size=checkpoint.size, root=checkpoint.root, note=signed.decode("utf-8"),
                                     created_at=now())
    )


def latest_checkpoint(conn: Connection) -> bytes | None:
    row = conn.execute(select(checkpoints_t.c.note).order_by(checkpoints_t.c.id.desc()).limit(1)).first()
    return row.note.encode("utf-8") if row else None


def case_entries(conn: Connection, case_id: int) -> list[tuple[int, bytes]]:
    rows = conn.execute(
        select(entries_t.c.idx, entries_t.c.entry).where(entries_t.c.case_id == case_id).order_by(entries_t.c.idx)
    )
    return [(int(i), bytes(e)) for i, e in rows]


def receipt(conn: Connection, case_id: int, public_id: str, signer: Callable[[], Signer],
            origin: str) -> tuple[dict[str, Any], bytes, bool]:
    """A customer's receipt for a case: (receipt, its signed checkpoint, whether that checkpoint is new).

    The latest checkpoint is used when it covers every entry of the case;
    otherwise a new one is signed (with ``signer()``) and kept, and the
    receipt verifies against the site only once the site is published again.
    """
    entries = case_entries(conn, case_id)
    signed = latest_checkpoint(conn)
    if signed is None or max(i for i, _ in entries) >= int(signed.decode().splitlines()[1]):
        fresh = True
        _, signed = sign(conn, signer(), origin)
    else:
        fresh = False
    return make_receipt(public_id, entries, signed, DbHashReader(conn)), signed, fresh

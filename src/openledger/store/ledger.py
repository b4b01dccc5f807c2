"""The ledger in the database: events are recorded at once, and sealed into the log.

Writers call :func:`lock` first in their transaction: it takes the row lock on
``ledger_head`` (on SQLite, the database write lock), so event ids are
assigned in recording order and two writers can never fork the tree.
:func:`append` records events; :func:`seal` appends to the log the recorded
events whose publication keeps every customer among k others (the release
planner, :mod:`openledger.privacy.release`, decides which and how coarsely):
each becomes an entry (its public projection, see ``docs/ledger-format.md``,
and a commitment to its exact time and private details), with the new
complete-subtree hashes. A crash before commit leaves nothing of a seal.
"""

from __future__ import annotations

import base64
import hmac
import sys
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection

from openledger.audit.groups import AUDIENCE_BUCKETS
from openledger.errors import StoreError
from openledger.ledger.canonical import EVENT_SALT_SIZE, SALT_SIZE, commit_event, new_salts, opening
from openledger.ledger.checkpoint import Checkpoint, open_checkpoint, sign_checkpoint
from openledger.ledger.entry import build_entry
from openledger.ledger.errors import LedgerFormatError, VerificationError
from openledger.ledger.merkle import Appender, Node, consistency_proof, root_from_store, verify_consistency
from openledger.ledger.note import Signer
from openledger.ledger.receipt import make_receipt
from openledger.privacy.linkage import Knowledge, Signature
from openledger.privacy.projection import UNKNOWN
from openledger.privacy.release import CaseFacts, PendingEvent, Policy, Released, plan, public_data
from openledger.privacy.secret import pseudonym
from openledger.store import turns
from openledger.store.bulk import driver_json, driver_rows, driver_time, insert_rows, scalar, select_in
from openledger.store.models import cases_table as cases_t
from openledger.store.models import events_table as events_t
from openledger.store.models import ledger_checkpoints_table as checkpoints_t
from openledger.store.models import ledger_entries_table as entries_t
from openledger.store.models import ledger_hashes_table as hashes_t
from openledger.store.models import ledger_head_table as head_t
from openledger.store.models import published_cases_table as published_t
from openledger.timeutil import iso, now, to_utc

READ_CHUNK = 200  # nodes per query: well inside SQLite's expression depth limit (1,000)
WRITE_CHUNK = 20_000  # released events projected and written at a time by a seal
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


# a no-op update of the head row, in plain SQL: taken by every small transaction (a webhook's group)
_LOCK = "UPDATE ledger_head SET size = size WHERE id = 1 RETURNING size, last_event_id"
_HOLDER = "openledger.ledger.lock"  # conn.info: the transaction that holds the append lock


def lock(conn: Connection) -> tuple[int, int]:
    """Take the append lock for this transaction; return (size, last event id).

    One statement: a no-op update of the head row (its row lock; on SQLite
    the database write lock) that returns the row. On SQLite the writer says
    meanwhile that it waits (:mod:`openledger.store.turns`), so that a long
    import lets it in between two batches.
    """
    with turns.waiting(conn):
        row = conn.exec_driver_sql(_LOCK).first()
    if row is None:
        raise StoreError("the ledger head row is missing (database not initialised by openledger)")
    conn.info[_HOLDER] = conn.get_transaction()
    return int(row.size), int(row.last_event_id)


def holding(conn: Connection) -> bool:
    """Whether this connection's current transaction has taken the append lock."""
    transaction = conn.get_transaction()
    return transaction is not None and conn.info.get(_HOLDER) is transaction


def _deciders(data: Mapping) -> list[dict]:
    deciders = []
    for d in data.get("deciders") or ():
        if isinstance(d, Mapping) and d.get("name") and d.get("version"):
            deciders.append({"name": str(d["name"]), "version": str(d["version"])})
    return deciders


def append(conn: Connection, rows: list[dict[str, Any]]) -> int:
    """Give events their ids under the lock and insert them, set-based. Returns the count.

    The ids are assigned here, in recording order, because only the lock
    holder appends. The events enter the public log at a later :func:`seal`.
    """
    if not rows:
        return 0
    if not holding(conn):
        lock(conn)
    highest = int(scalar(conn, "SELECT max(id) FROM events") or 0)
    for offset, row in enumerate(rows, start=1):
        row["id"] = highest + offset
    insert_rows(conn, events_t, rows, EVENT_COLUMNS)
    if conn.dialect.name == "postgresql":  # ids were given explicitly: keep the sequence ahead
        conn.execute(text("select setval(pg_get_serial_sequence('events', 'id'), :v)"), {"v": rows[-1]["id"]})
    return len(rows)


@dataclass(frozen=True)
class SealReport:
    """What a seal appended: entries released, events held back, the cutoff and the new log size."""

    released: int
    held: int
    cutoff: datetime
    size: int
    unresolved: int = 0

    def line(self) -> str:
        held = f"; {self.held:,} recorded events wait to be published with their period" if self.held else ""
        return f"sealed the log up to {self.cutoff:%Y-%m-%d}: {self.released:,} new entries, {self.size:,} in all{held}"


def _audience(value: float | None, visibility: str) -> str:
    if value is None or visibility != "public":
        return UNKNOWN
    for name, low, high in AUDIENCE_BUCKETS:
        if low <= value < high:
            return name
    return UNKNOWN


def _fact_rows(conn: Connection) -> Iterator[tuple]:
    """(id, public id, channel, visibility, opened at, category, audience band, first response at) of every
    case, in one query, the few distinct texts once each (sys.intern), not per case."""
    first = (
        select(events_t.c.case_id, func.min(events_t.c.at).label("first"))
        .where(events_t.c.type == "responded")
        .group_by(events_t.c.case_id)
        .subquery()
    )
    rows = driver_rows(conn, (  # a row per case: read through the driver
        select(cases_t.c.id, cases_t.c.public_id, cases_t.c.channel, cases_t.c.visibility, cases_t.c.opened_at,
               cases_t.c.category, cases_t.c.audience, first.c.first)
        .outerjoin(first, first.c.case_id == cases_t.c.id)
    ))
    for case, public_id, channel, visibility, opened_at, category, audience, first_at in rows:
        yield (case, public_id, sys.intern(channel), sys.intern(visibility), driver_time(opened_at),
               sys.intern((category or "uncategorised")[:100]), _audience(audience, visibility),
               driver_time(first_at))


def case_facts(conn: Connection, secret: bytes) -> dict[int, CaseFacts]:
    """The exact facts of every case that the publication depends on, in one query."""
    out = {}
    for case, public_id, channel, visibility, opened_at, category, audience, first_at in _fact_rows(conn):
        out[case] = CaseFacts(case, public_id or pseudonym(case, secret), channel, visibility, opened_at, category,
                              audience, first_at)
    return out


def case_knowledge(conn: Connection, secret: bytes, public_ids: Container[str]) -> dict[str, Knowledge]:
    """What the stated attacker knows of each case whose public id is in ``public_ids`` (by public id): the
    :meth:`CaseFacts.knowledge` of :func:`case_facts`, without holding every case's facts at once."""
    out = {}
    for case, public_id, *rest in _fact_rows(conn):
        public_id = public_id or pseudonym(case, secret)
        if public_id in public_ids:
            out[public_id] = CaseFacts(case, public_id, *rest).knowledge()
    return out


def published_signatures(conn: Connection) -> dict[int, Signature]:
    """What the log already says of each published case."""
    rows = conn.execute(select(published_t))
    return {r.case_id: Signature(r.channel, r.visibility, r.period, r.category, r.audience, r.first) for r in rows}


def pending_events(conn: Connection) -> list[PendingEvent]:
    """Every recorded event that is not in the log yet."""
    rows = driver_rows(conn, (  # millions of rows at a large seal: read through the driver
        select(events_t.c.id, events_t.c.case_id, events_t.c.type, events_t.c.at)
        .outerjoin(entries_t, entries_t.c.event_id == events_t.c.id)
        .where(entries_t.c.event_id.is_(None))
        .order_by(events_t.c.id)
    ))
    # without their data: the released ones are projected as they are written, a chunk at a time (_write);
    # each case's id once (a case has several events), not an int object per event
    same: dict[int, int] = {}
    return [PendingEvent(event, same.setdefault(case, case), sys.intern(kind), driver_time(at), None)
            for event, case, kind, at in rows]


def waiting(conn: Connection) -> int:
    """How many recorded events are not in the log yet (two counts: every entry is one event)."""
    return int(scalar(conn, "SELECT count(*) FROM events") or 0) - size(conn)


def order_key(secret: bytes) -> Callable[[str], str]:
    """A keyed hash of a public case id: the order of cases within a period of the log."""
    key = hmac.digest(secret, b"openledger log order", "sha256")
    return lambda public_id: hmac.digest(key, public_id.encode("utf-8"), "sha256").hex()


def seal(conn: Connection, secret: bytes, now: datetime, policy: Policy) -> SealReport:
    """Append to the log every recorded event whose publication keeps everyone among k.

    The decisions are :func:`openledger.privacy.release.plan`'s; this writes
    them: each released event becomes an entry (its public projection and the
    commitment to its exact time and private details), in the plan's order,
    with the new complete-subtree hashes, and the cases' signatures are kept
    for the next seal. A crash before commit leaves nothing of it.
    """
    log_size, _ = lock(conn)
    waiting = [pending_events(conn)]
    if not waiting[0]:
        return SealReport(0, 0, now - policy.settle, log_size)
    facts = case_facts(conn, secret)
    published = published_signatures(conn)
    # the pending events (every one's id, case, type and time) handed over: the plan lets go of them once
    # it has what it releases, before it works out the log's order
    decided = plan(waiting.pop(), facts, published, policy, now, order_key(secret), seal=log_size)
    if decided.released:
        _write(conn, log_size, decided.released, facts)
        unnamed = conn.execute(select(cases_t.c.id).where(cases_t.c.public_id.is_(None)))
        released = {r.case_id for r in decided.released}
        missing = [{"cid": c, "pid": facts[c].public_id} for (c,) in unnamed if c in released]
        if missing:  # cases of versions before public ids: named as the entries name them
            conn.execute(update(cases_t).where(cases_t.c.id == bindparam("cid")).values(public_id=bindparam("pid")),
                         missing)
    if decided.signatures:
        changed = [c for c in decided.signatures if c in published]
        for i in range(0, len(changed), READ_CHUNK):
            conn.execute(delete(published_t).where(published_t.c.case_id.in_(changed[i : i + READ_CHUNK])))
        ordered = sorted(decided.signatures.items())
        for i in range(0, len(ordered), WRITE_CHUNK):  # a chunk of rows at a time, as the entries are written
            insert_rows(conn, published_t, [
                {"case_id": c, "channel": sig.channel, "visibility": sig.visibility, "period": sig.period,
                 "category": sig.category, "audience": sig.audience, "first": sig.first}
                for c, sig in ordered[i : i + WRITE_CHUNK]
            ])
    return SealReport(len(decided.released), decided.held, decided.cutoff, log_size + len(decided.released),
                      len(decided.unresolved))


def _details(event: int, case: int, type: str, actor: str, data: Any, private: Any) -> dict[str, Any]:
    """The private details an entry commits to (besides the exact time)."""
    return {"event": event, "case": case, "type": type, "actor": actor, "data": data or {}, "private": private}


def _write(conn: Connection, log_size: int, released: list[Released], facts: Mapping[int, CaseFacts]) -> None:
    """Append the released events as entries, a chunk at a time: the events are read, projected
    (:func:`~openledger.privacy.release.public_data`) and written chunk by chunk, so a first seal of
    millions of events holds one chunk of them in memory, not all."""
    erased = set(conn.execute(select(events_t.c.case_id).where(events_t.c.type == "erased")).scalars())
    appender = _appender(conn, log_size)
    written = 0
    for start in range(0, len(released), WRITE_CHUNK):
        chunk = released[start:start + WRITE_CHUNK]
        events = {row[0]: row for row in select_in(  # through the driver: millions of rows at a first seal
            conn, events_t, ("id", "at", "actor", "data", "private"), {}, "id", [r.event_id for r in chunk])}
        fresh = new_salts(len(chunk))  # one draw for the chunk, a slice per event
        entry_rows: list[dict[str, Any]] = []
        for n, r in enumerate(chunk):
            _, stored_at, actor, stored_data, stored_private = events[r.event_id]
            at = driver_time(stored_at)
            data = driver_json(stored_data) or {}
            details = _details(r.event_id, r.case_id, r.type, actor, data, driver_json(stored_private))
            own = fresh[n * EVENT_SALT_SIZE:(n + 1) * EVENT_SALT_SIZE]
            salts: bytes | None
            # keys known: the details and data were decoded from the database's JSON
            salts, commitment = commit_event(iso(at) or "", details, salts=own, keys_known=True)
            if r.case_id in erased:  # an erased customer's entries can never be opened, even by the company
                salts = None
            entry = build_entry(
                case=facts[r.case_id].public_id, type=r.type, channel=r.channel, visibility=r.visibility,
                period=r.period, data=public_data(r, data, facts[r.case_id], at),
                deciders=_deciders(data), commitment=commitment, keys_known=True,
            )
            entry_rows.append({"idx": log_size + written + len(entry_rows), "event_id": r.event_id,
                               "case_id": r.case_id, "entry": entry, "commitment": commitment, "salt": salts})
        hash_rows = appender.extend(row["entry"] for row in entry_rows)
        insert_rows(conn, entries_t, entry_rows)
        insert_rows(conn, hashes_t, [{"level": lv, "idx": i, "hash": h} for lv, i, h in hash_rows])
        written += len(entry_rows)
    conn.execute(update(head_t).where(head_t.c.id == 1).values(size=appender.size,
                                                               last_event_id=max(r.event_id for r in released)))


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


def check_continuity(conn: Connection, previous: bytes | None, signer: Signer, where: str) -> None:
    """Refuse to sign a tree that does not extend ``previous``, the last checkpoint this instance signed.

    A log whose head was rolled back, or whose history was rewritten in the
    database, raises :class:`StoreError` in one line (``where`` names the kept
    checkpoint); nothing is signed.
    """
    if previous is None:
        return
    try:
        old, _ = open_checkpoint(previous, [signer.verifier()], path=where)
    except (LedgerFormatError, VerificationError) as exc:
        raise StoreError(f"{exc}; refusing to sign a new checkpoint") from None
    n = size(conn)
    if old.size > n:
        raise StoreError(f"the log has {n:,} entries but the last checkpoint this instance signed ({where}) has "
                         f"{old.size:,}: the log was rolled back or truncated; refusing to sign")
    reader = DbHashReader(conn)
    try:
        verify_consistency(old.size, n, old.root, root_from_store(n, reader), consistency_proof(old.size, n, reader))
    except (LedgerFormatError, VerificationError) as exc:
        raise StoreError(f"the log is not an extension of the last checkpoint this instance signed ({where}, "
                         f"{old.size:,} entries): its history was changed ({exc.message}); refusing to sign") from None


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


def case_openings(conn: Connection, case_id: int) -> dict[int, dict[str, str]]:
    """The openings of a case's entries (log index -> salt, exact time, inner commitment).

    For the case's own customer only, through their receipt; an erased case
    has no salts left and no openings.
    """
    rows = conn.execute(
        select(entries_t.c.idx, entries_t.c.salt, events_t.c.id, events_t.c.case_id, events_t.c.type,
               events_t.c.at, events_t.c.actor, events_t.c.data, events_t.c.private)
        .join(events_t, events_t.c.id == entries_t.c.event_id)
        .where(entries_t.c.case_id == case_id)
    )
    out = {}
    for r in rows:
        if r.salt is None or len(r.salt) != EVENT_SALT_SIZE:
            continue
        salts = bytes(r.salt)
        opened = opening(salts, iso(to_utc(r.at)) or "", _details(r.id, r.case_id, r.type, r.actor, r.data, r.private))
        out[int(r.idx)] = {"salt": base64.b64encode(salts[:SALT_SIZE]).decode("ascii"), **opened}
    return out


def case_pending(conn: Connection, case_id: int) -> list[dict[str, str]]:
    """The case's recorded events that are not in the log yet (type and exact time)."""
    rows = conn.execute(
        select(events_t.c.type, events_t.c.at)
        .outerjoin(entries_t, entries_t.c.event_id == events_t.c.id)
        .where(events_t.c.case_id == case_id, entries_t.c.event_id.is_(None))
        .order_by(events_t.c.id)
    )
    return [{"type": r.type, "at": iso(to_utc(r.at)) or ""} for r in rows]


def receipt(conn: Connection, case_id: int, public_id: str,
            sign_new: Callable[[Connection], bytes]) -> tuple[dict[str, Any], bytes, bool]:
    """A customer's receipt for a case: (receipt, its signed checkpoint, whether that checkpoint is new).

    The latest checkpoint is used when it covers every entry of the case;
    otherwise a new one is signed (``sign_new(conn)``) and kept, and the
    receipt verifies against the site only once the site is published again.
    Events not yet in the log are listed as pending.
    """
    entries = case_entries(conn, case_id)
    signed = latest_checkpoint(conn)
    if entries and (signed is None or max(i for i, _ in entries) >= int(signed.decode().splitlines()[1])):
        fresh = True
        signed = sign_new(conn)
    else:
        fresh = False
    if signed is None:
        signed = sign_new(conn)
        fresh = True
    made = make_receipt(public_id, entries, signed, DbHashReader(conn), case_openings(conn, case_id),
                        case_pending(conn, case_id))
    return made, signed, fresh

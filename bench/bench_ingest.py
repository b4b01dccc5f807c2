"""Benchmark: ingest N messages through the real engine, every event appended
to the ledger, on SQLite, against a floor doing the same work in plain
sqlite3 + hashlib.

    PYTHONPATH=src python bench/bench_ingest.py [--n 1000000] [--quick] [--json]

The engine path: a JSON Lines file of N customer messages (each opens a case,
so N messages, N cases and N ``opened`` events, each event a ledger entry
with its Merkle hashes) read by the ``jsonl`` source and written by
``openledger.intake.ingest.Ingestor`` in one transaction.

Two floors, both in plain ``sqlite3`` + ``hashlib``, one transaction,
``executemany`` per 2,000 records, measured in the same run:

- the same work (the floor the target is set against): the same file read
  with ``json.loads`` and the same rows written into the same tables and
  indexes (created by the migrations before the clock starts) with the same
  settings (WAL, synchronous NORMAL): per message an identity (keyed hash of
  the address), a case with its public id, the message, its ``opened``
  event, the ledger entry (canonical JSON, salted SHA-256 commitment) and
  the RFC 6962 leaf and completed subtree hashes. It is openledger's
  storage work, hand-written with nothing else: no validation, no
  threading, no plugins, no framework.
- one row: each record, canonicalised, inserted as one row beside its
  SHA-256 into a table without indexes: the least work any durable, hashed
  ingest does, printed for context.

Throughputs are printed with their ratios (target: engine >= 1/3 of the
same-work floor).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import secrets
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openledger import plugins
from openledger.config import create_instance
from openledger.intake.ingest import Ingestor
from openledger.store.database import Store
from protocol import Figures, split_flags

CHANNELS = (("email", "private"), ("twitter", "public"), ("phone", "private"), ("webform", "private"),
            ("review", "public"), ("facebook", "public"), ("letter", "private"))
TEXTS = (
    "I was charged twice for my March bill, please refund the $49.99 duplicate charge.",
    "No signal at home for three days now. Account 4471-2290. Please send someone.",
    "@NorthwindHelp your app logs me out every five minutes, fix it",
    "Thank you to the engineer who fixed my broadband so quickly yesterday!",
    "Still waiting for the replacement router you promised two weeks ago.",
)


def write_messages(path: Path, n: int) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            channel, visibility = CHANNELS[i % len(CHANNELS)]
            f.write(json.dumps({
                "id": f"m-{i:08d}", "channel": channel, "visibility": visibility,
                "timestamp": (start + timedelta(seconds=31 * i)).isoformat(),
                "author": f"customer-{i % 50_000}@example.com",
                "text": TEXTS[i % len(TEXTS)], "direction": "in",
            }) + "\n")


def engine(folder: Path, path: Path) -> float:
    config = create_instance(folder / "home", name="Bench", origin="bench.example/ledger")
    store = Store(config.database_url())
    store.upgrade()
    source = plugins.sources(config.plugin_view())["jsonl"]
    start = time.perf_counter()
    report = Ingestor(store, config, source).ingest(path)
    elapsed = time.perf_counter() - start
    assert report.cases == report.messages, report.summary()
    store.engine.dispose()
    return elapsed


def _utc_text(moment: str) -> str:
    return datetime.fromisoformat(moment).astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _canonical(value) -> bytes:
    return _CANONICAL.encode(value).encode()


def floor_same_work(folder: Path, path: Path) -> float:
    """The engine's storage work for the same file, hand-written (see the module doc)."""
    db = folder / "floor-same.db"
    Store(f"sqlite:///{db}").upgrade()  # the same schema and indexes, before the clock starts
    secret = secrets.token_bytes(32)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    stamp = _utc_text(datetime.now(UTC).isoformat())
    frontier: list[tuple[int, int, bytes]] = []  # RFC 6962: roots of the completed subtrees
    n = 0
    start = time.perf_counter()
    conn.execute("BEGIN")
    with open(path, encoding="utf-8") as f:
        while True:
            lines = [line for _, line in zip(range(2000), f)]
            if not lines:
                break
            identities, cases, messages, events, entries, hashes = [], [], [], [], [], []
            for line in lines:
                r = json.loads(line)
                case_id, idx = n + 1, n
                n += 1
                at = _utc_text(r["timestamp"])
                customer = hmac.digest(secret, ("email:" + r["author"].strip().lower()).encode(), "sha256").hex()
                code = base64.b32encode(hmac.digest(secret, str(case_id).encode(), "sha256")[:10]).decode()
                public_id = "C-" + "-".join(code[i : i + 4] for i in range(0, 16, 4))
                identities.append((customer, customer))
                cases.append((case_id, "jsonl", r["id"], "new", r["channel"], r["visibility"], customer, at, public_id))
                messages.append(("jsonl", r["id"], case_id, r["channel"], r["visibility"], "in", r["author"], at,
                                 r["text"]))
                data = {"channel": r["channel"], "visibility": r["visibility"]}
                events.append((case_id, case_id, "opened", at, "source:jsonl", json.dumps(data),
                               json.dumps({"message": r["id"]}), stamp))
                salt = secrets.token_bytes(32)
                details = {"event": case_id, "case": case_id, "type": "opened", "at": r["timestamp"],
                           "actor": "source:jsonl", "data": data, "private": {"message": r["id"]}}
                commitment = hashlib.sha256(salt + _canonical(details)).hexdigest()
                entry = _canonical({"at": at[:10], "case": public_id, "channel": r["channel"], "commitment": commitment,
                                    "data": {}, "deciders": [], "type": "opened", "v": 1,
                                    "visibility": r["visibility"]})
                entries.append((idx, case_id, case_id, entry, commitment, salt))
                node = (0, idx, hashlib.sha256(b"\x00" + entry).digest())
                hashes.append(node)
                while frontier and frontier[-1][0] == node[0]:  # merge equal-sized subtrees
                    left = frontier.pop()
                    node = (node[0] + 1, left[1] // 2, hashlib.sha256(b"\x01" + left[2] + node[2]).digest())
                    hashes.append(node)
                frontier.append(node)
            conn.executemany("insert into identities (key, customer) values (?, ?) on conflict do nothing", identities)
            conn.executemany("insert into cases (id, source, external_id, status, channel, visibility, customer,"
                             " opened_at, public_id, severity, tier, amount, escalated, reopened)"
                             " values (?, ?, ?, ?, ?, ?, ?, ?, ?, 2, 0, 0, 0, 0)", cases)
            conn.executemany("insert into messages (source, external_id, case_id, channel, visibility, direction,"
                             " author, timestamp, text) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", messages)
            conn.executemany("insert into events (id, case_id, type, at, actor, data, private, recorded_at)"
                             " values (?, ?, ?, ?, ?, ?, ?, ?)", events)
            conn.executemany("insert into ledger_entries (idx, event_id, case_id, entry, commitment, salt)"
                             " values (?, ?, ?, ?, ?, ?)", entries)
            conn.executemany("insert into ledger_hashes (level, idx, hash) values (?, ?, ?)", hashes)
            conn.execute("update ledger_head set size = ?, last_event_id = ? where id = 1", (n, n))
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def floor(folder: Path, path: Path) -> float:
    conn = sqlite3.connect(folder / "floor.db")
    conn.execute("create table records (id integer primary key, body text not null, hash blob not null)")
    start = time.perf_counter()
    with open(path, encoding="utf-8") as f, conn:
        rows = []
        for line in f:
            record = json.loads(line)
            body = json.dumps(record, sort_keys=True, separators=(",", ":"))
            rows.append((body, hashlib.sha256(b"\x00" + body.encode()).digest()))
            if len(rows) == 2000:
                conn.executemany("insert into records (body, hash) values (?, ?)", rows)
                rows = []
        conn.executemany("insert into records (body, hash) values (?, ?)", rows)
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def main() -> None:
    as_json, quick, rest = split_flags()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2_000 if quick else 1_000_000, help="messages (default 1,000,000)")
    n = parser.parse_args(rest).n
    figures = Figures("ingest")
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        folder = Path(tmp)
        path = folder / "messages.jsonl"
        write_messages(path, n)
        t_floor = floor(folder, path)
        t_same = floor_same_work(folder, path)
        t_engine = engine(folder, path)
    print(f"messages: {n:,} (each opens a case: {n:,} events appended to the ledger)")
    print(f"floor, same work (sqlite3 + hashlib) : {n / t_same:12,.0f} records/s  ({t_same:.1f} s)")
    print(f"floor, one row   (sqlite3 + hashlib) : {n / t_floor:12,.0f} records/s  ({t_floor:.1f} s)")
    print(f"engine ingest + ledger               : {n / t_engine:12,.0f} records/s  ({t_engine:.1f} s)")
    print(f"ratio  engine / same-work floor      : {t_same / t_engine:12.3f}  (target >= 0.333)")
    print(f"ratio  engine / one-row floor        : {t_floor / t_engine:12.3f}")
    figures.add(f"ingest with ledger append, {n:,} msgs (vs same work)", n / t_engine, "records/s", n / t_same,
                "target ratio >= 0.333")
    figures.add(f"ingest with ledger append, {n:,} msgs (vs one row)", n / t_engine, "records/s", n / t_floor)
    figures.emit(as_json)


if __name__ == "__main__":
    main()

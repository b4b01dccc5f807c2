"""Benchmark of the ledger library against a floor of plain hashlib, in one run.

    PYTHONPATH=src python bench/bench_ledger.py [--n 1000000] [--quick] [--json]

(a) verify: time for ``verify_log`` to check an exported N-entry tlog-tiles
    directory (read and decode every bundle, hash every entry, compare every
    tile byte for byte, recompute the root, check the signature), against the
    floor: hashlib alone computing the same N leaf hashes and N-1 node hashes
    over entries already in memory. Target: ratio <= 3.
(b) append: incremental appends of N entries into the in-memory hash store
    (the appender's rows written as a store would write them), one at a time
    and in batches of 1,000, against the same floor.
(c) proofs: stored hashes read per inclusion / consistency proof.
(d) proofs from the database: the same hashes stored in a SQLite
    ``ledger_hashes`` table (the migrations' schema), an inclusion proof read
    through openledger's ``DbHashReader`` (what ``openledger receipt`` does),
    against the floor: the same stored hashes fetched with one primary-key
    ``SELECT`` each in plain ``sqlite3``. Shows every read is an index search
    (a table scan would grow with N).

Entries are realistic schema-v1 entries (about 330 bytes of canonical JSON).
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from hashlib import sha256

from openledger.ledger.canonical import canonical_json
from openledger.ledger.export import export_log
from openledger.ledger.merkle import (
    Appender,
    MemoryHashStore,
    consistency_proof,
    inclusion_proof,
    reduce_level,
    root_from_store,
)
from openledger.ledger.note import generate_key
from openledger.ledger.verify import verify_log
from protocol import Figures, split_flags

CHANNELS = ["twitter", "facebook", "review", "email", "phone", "letter", "webform"]
TYPES = ["opened", "responded", "escalated", "resolved"]
CATEGORIES = ["billing", "delivery", "product-defect", "service", "account", "refund"]


def make_entries(n: int) -> list[bytes]:
    """N schema-v1 entries in canonical JSON."""
    rnd = random.Random(6962)
    out = []
    for i in range(n):
        kind = TYPES[i % 4]
        data = {"category": CATEGORIES[i % 6], "severity": 1 + i % 3}
        if kind == "resolved":
            data.update(outcome="upheld", remedy="refund", amount_cents=rnd.randrange(100, 50000))
        out.append(
            canonical_json(
                {
                    "case": f"c-{rnd.getrandbits(48):012x}",
                    "type": kind,
                    "channel": CHANNELS[i % 7],
                    "visibility": "public" if i % 7 < 3 else "private",
                    "at": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    "data": data,
                    "deciders": [{"name": "openledger.builtin.responders.hierarchy", "version": "0.1.0"}],
                    "commitment": f"{rnd.getrandbits(256):064x}",
                    "v": 1,
                }
            )
        )
    return out


def floor_hashes(entries: list[bytes]) -> bytes:
    """hashlib alone: every leaf hash, then every node hash, level by level."""
    level = [sha256(b"\x00" + e).digest() for e in entries]
    tops = []
    while level:
        if len(level) & 1:
            tops.append(level[-1])
        level = reduce_level(level)
    return tops[-1] if tops else b""


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def append_one_by_one(entries: list[bytes]) -> MemoryHashStore:
    store, appender = MemoryHashStore(), Appender()
    write, append = store.write_hashes, appender.append
    for entry in entries:
        write(append(entry))
    return store


def append_batches(entries: list[bytes]) -> MemoryHashStore:
    store, appender = MemoryHashStore(), Appender()
    for start in range(0, len(entries), 1000):
        store.write_hashes(appender.extend(entries[start : start + 1000]))
    return store


def main() -> None:
    as_json, quick, rest = split_flags()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000 if quick else 1_000_000,
                        help="number of entries (default 1,000,000)")
    args = parser.parse_args(rest)
    n = args.n
    figures = Figures("ledger")

    t, entries = timed(make_entries, n)
    size_mb = sum(map(len, entries)) / 1e6
    print(f"entries: {n:,} ({size_mb:.0f} MB of canonical JSON, made in {t:.1f} s)")

    floor = min(timed(floor_hashes, entries)[0] for _ in range(2))
    print(f"floor (hashlib: {n:,} leaf + {n - 1:,} node hashes): {floor:.2f} s")

    t_one, store = timed(append_one_by_one, entries)
    t_batch, store2 = timed(append_batches, entries)
    assert root_from_store(n, store) == root_from_store(n, store2)
    print(f"(b) append one at a time:  {t_one:.2f} s = {n / t_one:,.0f} entries/s, ratio to floor {t_one / floor:.2f}x")
    print(f"(b) append in batches:     {t_batch:.2f} s = {n / t_batch:,.0f} entries/s, "
          f"ratio to floor {t_batch / floor:.2f}x")
    figures.add(f"append one at a time, {n:,} entries", t_one, "s", floor, "floor: hashlib alone")
    figures.add(f"append in batches, {n:,} entries", t_batch, "s", floor, "floor: hashlib alone")
    del store2

    directory = tempfile.mkdtemp(prefix="bench-ledger-")
    try:
        t_export, result = timed(export_log, directory, entries, n, store, generate_key("bench.example/ledger"))
        print(f"export: {result.files:,} files in {t_export:.2f} s")
        t_verify, summary = timed(verify_log, directory)
        assert summary.root == root_from_store(n, store)
        print(f"(a) verify of the export:  {t_verify:.2f} s, ratio to floor {t_verify / floor:.2f}x (target <= 3x)")
        figures.add(f"verify an exported log, {n:,} entries", t_verify, "s", floor,
                    "floor: hashlib alone; target ratio <= 3")
    finally:
        shutil.rmtree(directory)

    rnd = random.Random(9162)
    reads, start = [], time.perf_counter()
    for _ in range(1000):
        store.reads = 0
        inclusion_proof(rnd.randrange(n), n, store)
        reads.append(store.reads)
    per_proof = (time.perf_counter() - start) / 1000
    creads = []
    for _ in range(1000):
        store.reads = 0
        consistency_proof(rnd.randrange(1, n + 1), n, store)
        creads.append(store.reads)
    print(
        f"(c) inclusion proof: max {max(reads)} stored hashes read (log2 n = {n.bit_length()}), "
        f"{per_proof * 1e6:.0f} us each; "
        f"consistency proof: max {max(creads)} reads"
    )
    db_proofs(store, n, figures)
    figures.emit(as_json)


def db_proofs(store: MemoryHashStore, n: int, figures: Figures) -> None:
    """(d): inclusion proofs read from SQLite by openledger against plain point lookups."""
    import sqlite3

    from openledger.store.database import Store
    from openledger.store.ledger import DbHashReader

    folder = tempfile.mkdtemp(prefix="bench-ledger-db-")
    try:
        path = f"{folder}/ledger.db"
        db = Store(f"sqlite:///{path}")
        db.upgrade()
        rows = [(level, idx, value) for level, values in enumerate(store.levels) for idx, value in enumerate(values)]
        with sqlite3.connect(path) as plain:
            plain.executemany("insert into ledger_hashes (level, idx, hash) values (?, ?, ?)", rows)
        rnd = random.Random(6962)
        picks = [rnd.randrange(n) for _ in range(500)]
        nodes = []

        class Recorder:  # the nodes each proof reads, for the floor
            def read_hashes(self, wanted):
                nodes.append(list(wanted))
                return store.read_hashes(wanted)

        for i in picks:
            inclusion_proof(i, n, Recorder())
        with db.engine.connect() as conn:
            reader = DbHashReader(conn)
            start = time.perf_counter()
            for i in picks:
                inclusion_proof(i, n, reader)
            engine_time = (time.perf_counter() - start) / len(picks)
        with sqlite3.connect(path) as plain:
            start = time.perf_counter()
            for wanted in nodes:
                for level, idx in wanted:
                    plain.execute("select hash from ledger_hashes where level = ? and idx = ?", (level, idx)).fetchone()
            floor = (time.perf_counter() - start) / len(picks)
        db.engine.dispose()
        print(f"(d) inclusion proof from SQLite ({len(rows):,} stored hashes): {engine_time * 1e6:.0f} us each; "
              f"floor, the same hashes by primary key in plain sqlite3: {floor * 1e6:.0f} us, "
              f"ratio {engine_time / floor:.2f}x")
        figures.add(f"inclusion proof from SQLite, {n:,} entries", engine_time * 1e6, "us", floor * 1e6,
                    "floor: one primary-key select per stored hash, plain sqlite3")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()

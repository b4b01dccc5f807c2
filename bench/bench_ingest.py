"""Benchmark: ingest N messages through the real engine, every event appended
to the ledger, on SQLite, against a floor doing the same work in plain
sqlite3 + hashlib.

    PYTHONPATH=src python bench/bench_ingest.py [--n 1000000] [--quick] [--json]

The engine path: a JSON Lines file of N customer messages (each opens a case,
so N messages, N cases and N ``opened`` events, each event a ledger entry
with its Merkle hashes) read by the ``jsonl`` source and written by
``openledger.ingest.Ingestor`` in one transaction.

The floor: the same file read line by line with ``json.loads``, each record
inserted as one row holding the record and its SHA-256 into a plain sqlite3
table with ``executemany`` in one transaction: the least work any durable,
hashed ingest does. Both throughputs are printed with their ratio
(target: engine >= 1/3 of the floor).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from protocol import Figures, split_flags

from openledger import plugins
from openledger.config import create_instance
from openledger.ingest import Ingestor
from openledger.store import Store

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
                "timestamp": (start + timedelta(seconds=31 * i)).isoformat(), "author": f"customer-{i % 50_000}@example.com",
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
        t_engine = engine(folder, path)
    print(f"messages: {n:,} (each opens a case: {n:,} events appended to the ledger)")
    print(f"floor  sqlite3 + hashlib : {n / t_floor:12,.0f} records/s  ({t_floor:.1f} s)")
    print(f"engine ingest + ledger   : {n / t_engine:12,.0f} records/s  ({t_engine:.1f} s)")
    print(f"ratio  engine / floor    : {t_floor / t_engine:12.3f}  (target >= 0.333)")
    figures.add(f"ingest with ledger append, {n:,} msgs", n / t_engine, "records/s", n / t_floor, "target ratio >= 0.333")
    figures.emit(as_json)


if __name__ == "__main__":
    main()

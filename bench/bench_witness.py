"""Benchmark of witnesses and monitors, each beside a floor measured in the same run.

    PYTHONPATH=src python bench/bench_witness.py [--n 1000000] [--requests 200] [--quick] [--json]

(a) cosign latency: the round trip of ``POST /add-checkpoint`` to an
    ``openledger witness serve`` process on 127.0.0.1 (SQLite, synchronous=FULL:
    every cosignature waits for its state to reach the disk), one request at a
    time over a keep-alive connection, the log growing by 1 to 64 entries
    between requests; against the floor: the same work without HTTP nor
    database, in this process (parse the note, verify the log's Ed25519
    signature and the consistency proof, Ed25519-sign the cosignature).
(b) monitor check: ``openledger monitor`` checking a published log of N
    entries that grew by 1,000 since its previous check (verify the whole
    log, keep the checkpoint, prove the previous one consistent from the
    tiles); against the peer: ``verify_log`` alone on the same folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench_ledger import make_entries
from openledger.ledger.checkpoint import Checkpoint, sign_checkpoint
from openledger.ledger.cosignature import Cosigner
from openledger.ledger.export import export_log
from openledger.ledger.merkle import Appender, MemoryHashStore, consistency_proof, root_from_store, verify_consistency
from openledger.ledger.note import generate_key, open_note
from openledger.ledger.verify import verify_log
from openledger.monitor import db
from openledger.monitor.watch import check_site
from openledger.witness.client import WitnessClient
from openledger.witness.server import create_home
from protocol import Figures, split_flags

ROOT = Path(__file__).resolve().parent.parent


def grow(store: MemoryHashStore, appender: Appender, entries: list[bytes]) -> None:
    for start in range(0, len(entries), 1000):
        store.write_hashes(appender.extend(entries[start: start + 1000]))


def start_witness(home: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "openledger", "witness", "serve", str(home), "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/0/checkpoint", timeout=1)
        except urllib.error.HTTPError:
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("the witness did not start")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_cosign(requests: int, work: Path, figures: Figures) -> None:
    signer = generate_key("bench.example/log")
    entries = make_entries(requests * 64 + 1000)
    store, appender = MemoryHashStore(), Appender()
    grow(store, appender, entries[:1000])
    home = create_home(work / "witness", "bench.example/witness")
    home.add_log(signer.verifier().encode())
    port = free_port()
    proc = start_witness(home.path, port)
    url = f"http://127.0.0.1:{port}/"
    sizes, at = [], 1000
    for i in range(requests):
        at += 1 + (i * 37) % 64
        sizes.append(at)
    try:
        with WitnessClient() as client:
            first = sign_checkpoint(Checkpoint(signer.name, 1000, root_from_store(1000, store)), signer)
            assert client.add_checkpoint(url, 0, [], first).status == 200
            old, times, jobs = 1000, [], []
            for size in sizes:
                grow(store, appender, entries[store.size: size])
                signed = sign_checkpoint(Checkpoint(signer.name, size, root_from_store(size, store)), signer)
                proof = consistency_proof(old, size, store)
                jobs.append((old, size, signed, proof))
                start = time.perf_counter()
                reply = client.add_checkpoint(url, old, proof, signed)
                times.append(time.perf_counter() - start)
                assert reply.status == 200, reply.first_line()
                old = size
    finally:
        proc.terminate()
        proc.wait(10)
    cosigner = Cosigner(generate_key("bench.example/floor"))
    verifier = signer.verifier()
    floors = []
    for old, size, signed, proof in jobs:
        start = time.perf_counter()
        note = open_note(signed, [verifier])
        checkpoint = Checkpoint.parse(note.text)
        verify_consistency(old, size, root_from_store(old, store), checkpoint.root, proof)
        cosigner.cosign(note.text, 1_700_000_000)
        floors.append(time.perf_counter() - start)
    commits = durable_commits(work / "floor.db", len(jobs))
    median, floor = statistics.median(times), statistics.median(floors)
    commit = statistics.median(commits)
    p90 = sorted(times)[int(len(times) * 0.9)]
    print(f"(a) cosign round trip over localhost: median {median * 1e3:.2f} ms, p90 {p90 * 1e3:.2f} ms "
          f"({len(times)} requests); floor in-process (note + proof checks + Ed25519 sign): {floor * 1e3:.3f} ms")
    print(f"    floor with a durable commit (plain sqlite3, WAL, synchronous=FULL, one UPDATE): "
          f"{(floor + commit) * 1e3:.3f} ms")
    figures.add("cosign latency (add-checkpoint round trip, localhost, SQLite FULL sync), median", median * 1e3,
                "ms", floor * 1e3, "floor: the same checks and signature in-process, no HTTP nor database")
    figures.add("cosign latency, median, beside checks + one durable commit", median * 1e3, "ms",
                (floor + commit) * 1e3, "floor: in-process checks + plain sqlite3 UPDATE and commit, synchronous=FULL")


def durable_commits(path: Path, count: int) -> list[float]:
    """The time of one small durable write, as the witness's state update needs it."""
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (origin TEXT PRIMARY KEY, size INTEGER, note TEXT)")
    conn.execute("INSERT INTO t VALUES ('o', 0, '')")
    out = []
    for i in range(count):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE t SET size = ?, note = ? WHERE origin = 'o' AND size = ?", (i + 1, "x" * 300, i))
        conn.execute("COMMIT")
        out.append(time.perf_counter() - start)
    conn.close()
    return out


def bench_monitor(n: int, work: Path, figures: Figures) -> None:
    t0 = time.perf_counter()
    entries = make_entries(n + 1000)
    signer = generate_key("bench.example/log")
    store, appender = MemoryHashStore(), Appender()
    grow(store, appender, entries[:n])
    site = work / "site"
    export_log(site, entries, n, store, signer)
    print(f"log of {n:,} entries made and exported in {time.perf_counter() - t0:.1f} s")
    engine = db.open_engine(f"sqlite:///{work / 'monitor.db'}")
    first = check_site(engine, str(site), work / "evidence")
    assert first.status == "ok", first.line()
    grow(store, appender, entries[n:])
    export_log(site, entries, n + 1000, store, signer)
    verifies = []
    start = time.perf_counter()
    verify_log(site)  # the peer before and after, the best of the two (the files are as warm for both)
    verifies.append(time.perf_counter() - start)
    start = time.perf_counter()
    report = check_site(engine, str(site), work / "evidence")
    t_monitor = time.perf_counter() - start
    assert report.status == "ok" and report.consistent_with == 1, report.line()
    start = time.perf_counter()
    verify_log(site)
    verifies.append(time.perf_counter() - start)
    t_verify = min(verifies)
    engine.dispose()
    print(f"(b) monitor check of {n + 1000:,} entries (1,000 new): {t_monitor:.2f} s; "
          f"verify_log alone: {t_verify:.2f} s; ratio {t_monitor / t_verify:.2f}")
    figures.add(f"monitor check, {n + 1000:,} entries (1,000 new since the last check)", t_monitor, "s", t_verify,
                "peer: verify_log alone on the same folder")


def main() -> None:
    as_json, quick, rest = split_flags()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000 if quick else 1_000_000, help="log size for (b)")
    parser.add_argument("--requests", type=int, default=30 if quick else 200, help="cosign requests for (a)")
    args = parser.parse_args(rest)
    figures = Figures("witness")
    work = Path(tempfile.mkdtemp(prefix="bench-witness-"))
    try:
        bench_cosign(args.requests, work, figures)
        bench_monitor(args.n, work, figures)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures.emit(as_json)


if __name__ == "__main__":
    main()

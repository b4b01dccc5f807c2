"""Benchmark: webhook throughput (signed posts/s, 8 concurrent clients over localhost) beside
``ingest jsonl`` of the same records, measured in the same run.

    PYTHONPATH=src python bench/bench_intake.py [--n 4000] [--clients 8] [--quick] [--json]

Both paths store the same N messages (each opens a case, so N messages, N
cases, N events and N ledger entries) into a fresh SQLite instance:

- peer, ``ingest jsonl``: the file of the N records read by the ``jsonl``
  source and stored by the ingest engine in one transaction;
- webhook: ``openledger intake serve`` in its own process (uvicorn, log
  level warning), the same N records posted one each, signed with the
  intake key, by ``--clients`` threads keeping their connections open; the
  clock runs from the first post to the last answer, and every answer must
  be 201 with a case id. Each answer waits for its commit and for the flush
  (fsync) of SQLite's write-ahead log that follows it (``ingest`` commits
  once, without a flush); the receiver stores the posts waiting together in
  one transaction (group commit), and one flush covers every group
  committed before it started.

The bodies and signatures are made before the clock starts; the clients run
on the same machine as the server and take CPU from it. Goal: webhook at
least 1/4 of ``ingest jsonl``; the ratio is printed as measured.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openledger import plugins
from openledger.config import create_instance, load_intake_key
from openledger.intake.ingest import Ingestor
from openledger.store.database import Store
from protocol import Figures, split_flags

ROOT = Path(__file__).resolve().parent.parent
CHANNELS = (("email", "private"), ("twitter", "public"), ("webform", "private"), ("facebook", "public"))


def records(n: int) -> list[dict]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return [{"id": f"w-{i:08d}", "channel": CHANNELS[i % 4][0], "visibility": CHANNELS[i % 4][1],
             "timestamp": (start + timedelta(seconds=37 * i)).isoformat(), "author": f"customer-{i % 5000}@example.com",
             "text": "My refund of $49.99 has still not arrived after three weeks.", "direction": "in"}
            for i in range(n)]


def peer_ingest(folder: Path, items: list[dict]) -> float:
    config = create_instance(folder / "ingest-home", name="Bench", origin="bench.example/intake")
    store = Store(config.database_url())
    store.upgrade()
    path = folder / "messages.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in items))
    source = plugins.sources(config.plugin_view())["jsonl"]
    started, cpu = time.perf_counter(), time.process_time()
    report = Ingestor(store, config, source).ingest(path)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert report.cases == len(items), report.summary()
    store.engine.dispose()
    print(f"ingest jsonl: {cpu / len(items) * 1000:.3f} ms of CPU a record")
    return elapsed


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def webhook(folder: Path, items: list[dict], clients: int) -> tuple[float, int]:
    home = folder / "webhook-home"
    create_instance(home, name="Bench", origin="bench.example/intake")
    Store(f"sqlite:///{(home / 'openledger.db').resolve()}").upgrade()
    key = load_intake_key(home)
    bodies = [json.dumps(r).encode() for r in items]
    signed = [(body, "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()) for body in bodies]
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    server = subprocess.Popen([sys.executable, "-m", "openledger", "--home", str(home), "intake", "serve",
                               "--port", str(port), "--log-level", "warning"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"intake serve did not start: {server.stderr.read().decode()[-2000:]}") from None
                time.sleep(0.1)
        counter = itertools.count()
        failures: list[str] = []

        def client() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            while (i := next(counter)) < len(signed):
                body, signature = signed[i]
                conn.request("POST", "/intake/jsonl", body=body, headers={
                    "Content-Type": "application/json", "X-Openledger-Signature": signature})
                answer = conn.getresponse()
                data = answer.read()
                if answer.status != 201 or not json.loads(data).get("case"):
                    failures.append(f"{answer.status} {data[:200]!r}")
            conn.close()

        threads = [threading.Thread(target=client) for _ in range(clients)]
        cpu = _cpu_seconds(server.pid)
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        cpu = _cpu_seconds(server.pid) - cpu
        if failures:
            raise RuntimeError(f"{len(failures)} posts not accepted, first: {failures[0]}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/health")
        health = json.loads(conn.getresponse().read())
        conn.close()
        syncs = f", {health['syncs']:,} flushes of the log" if health.get("syncs") else ""
        print(f"webhook: {health['deliveries']:,} posts stored in {health['commits']:,} commits "
              f"({health['deliveries'] / max(1, health['commits']):.1f} posts a commit{syncs}), "
              f"{cpu / len(items) * 1000:.3f} ms of server CPU a post")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    with Store(f"sqlite:///{(home / 'openledger.db').resolve()}").engine.connect() as conn:
        cases = conn.exec_driver_sql("select count(*) from cases").scalar_one()
    return elapsed, int(cases)


def main() -> None:
    as_json, quick, rest = split_flags()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300 if quick else 4_000, help="records (default 4,000)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent posting clients (default 8)")
    args = parser.parse_args(rest)
    items = records(args.n)
    figures = Figures("intake")
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as tmp:
        folder = Path(tmp)
        t_ingest = peer_ingest(folder, items)
        t_webhook, cases = webhook(folder, items, args.clients)
    assert cases == args.n, f"{cases} cases for {args.n} posts"
    ingest_rate, webhook_rate = args.n / t_ingest, args.n / t_webhook
    print(f"records: {args.n:,}, each a new case; {args.clients} concurrent clients over localhost")
    print(f"ingest jsonl (one transaction)        : {ingest_rate:10,.0f} records/s  ({t_ingest:.2f} s)")
    print(f"webhook, signed posts, 201 each       : {webhook_rate:10,.0f} posts/s    ({t_webhook:.2f} s)")
    print(f"ratio  webhook / ingest jsonl         : {webhook_rate / ingest_rate:10.3f}  (goal >= 0.25)")
    figures.add(f"webhook posts, {args.n:,} records, {args.clients} clients (vs ingest jsonl)", webhook_rate,
                "posts/s", ingest_rate, "goal ratio >= 0.25; each post committed and flushed to disk before its answer")
    figures.emit(as_json)


if __name__ == "__main__":
    main()

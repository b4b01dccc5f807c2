"""Benchmark: how long an agent command waits while a large file is imported, and what batching costs.

    PYTHONPATH=src python bench/bench_ingest_wait.py [--n 100000] [--quick] [--json] [--no-postgres]

A file of N JSON Lines messages (``bench_ingest.write_messages``: each opens a
case) is imported by ``openledger.intake.ingest.Ingestor`` into a fresh
instance, on SQLite and (when the test server of ``tests/lib/databases.py``
answers) on PostgreSQL, in the ways compared in the same run:

- **one transaction**: the write phase as it was before batching, the whole
  file in one transaction holding the append lock (the peer);
- **batches**: as ``openledger ingest`` writes now, in transactions of whole
  records each holding the lock about 0.25 s, letting waiting writers in
  between (``openledger.store.turns``);
- on SQLite, **batches without turns**: the same batches with
  ``let_waiters_in`` switched off, to show what SQLite's busy handler alone
  gives a waiting writer.

Throughput (messages/s over the whole import, staging included) is measured
with no agent running, one transaction against batches, alternated
(``--rounds``, best of each), beside the importing process's CPU time (less
moved by the machine's other load; on PostgreSQL the server's work is not in
it). The waits are
measured with an agent beside each import: another process that records a
reply on an existing case (``openledger.cases.actions.respond``, what
``openledger respond`` runs) every 0.2 s for as long as the import runs; the
figure is its longest call, lock wait included (process start-up excluded),
printed beside its longest wait for the append lock alone.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "lib"))

from databases import fresh_schema, postgres_problem  # noqa: E402

from bench_ingest import write_messages  # noqa: E402
from openledger import plugins  # noqa: E402
from openledger.config import Config, load_config  # noqa: E402
from openledger.intake.ingest import Ingestor  # noqa: E402
from openledger.store import turns  # noqa: E402
from openledger.store.database import Store  # noqa: E402
from openledger.testing import make_instance  # noqa: E402
from protocol import Figures, split_flags  # noqa: E402

AGENT = """
import json, sys, time
from pathlib import Path
from openledger.cases.actions import respond
from openledger.store import ledger
from openledger.store.database import Store
store, stop = Store(sys.argv[1]), Path(sys.argv[2])
calls, locks = [], []
take = ledger.lock

def timed(conn):
    start = time.perf_counter()
    try:
        return take(conn)
    finally:
        locks.append(time.perf_counter() - start)

ledger.lock = timed
respond(store, 1, text="Thank you for writing.")  # warm: plugins loaded, modules imported
calls, locks = [], []
print("ready", flush=True)
failed = []
while not stop.exists():
    start = time.perf_counter()
    try:
        respond(store, 1, text="We are looking into it.")
    except Exception as exc:  # "database is locked": SQLite's busy_timeout (30 s) ran out
        failed.append(str(exc).splitlines()[0])
    calls.append(time.perf_counter() - start)
    time.sleep(0.2)
print(json.dumps([calls, locks, failed]), flush=True)
"""


class OneTransaction(Ingestor):
    """The write phase as before batching: the whole file in one transaction."""

    def _write(self, report, batches, before_commit=None, *, in_batches=False, total=None):
        super()._write(report, batches, before_commit, total=total)


@contextlib.contextmanager
def no_turns():
    kept = turns.let_waiters_in
    turns.let_waiters_in = lambda bind, longest=turns.LONGEST: 0.0
    try:
        yield
    finally:
        turns.let_waiters_in = kept


def instance(folder: Path, url: str | None) -> tuple[Store, Config]:
    first = folder / "first.jsonl"
    first.write_text(json.dumps({"id": "agent-case", "channel": "email", "visibility": "private",
                                 "timestamp": "2024-12-31T10:00:00Z", "author": "first@example.com",
                                 "text": "My router is broken."}) + "\n")
    runner = make_instance(folder / "home", db_url=url)
    runner.run("ingest", "jsonl", first)  # case 1, the agent's
    runner.close()
    config = load_config(folder / "home")
    return Store(runner.db_url), config


def run(folder: Path, fresh, path: Path, kind: str, agent: bool) -> tuple[float, list[list], int, float]:
    """(import seconds, the agent's [call durations, lock waits, failures], commits, the importer's CPU seconds)
    for one import of ``path``."""
    folder.mkdir()
    with fresh() as url:
        return _run(folder, url, path, kind, agent)


def _run(folder: Path, url: str | None, path: Path, kind: str,
         agent: bool) -> tuple[float, list[list], int, float]:
    store, config = instance(folder, url)
    source = plugins.sources(config.plugin_view())["jsonl"]
    cls = OneTransaction if kind == "one" else Ingestor
    stop = folder / "stop"
    proc = None
    if agent:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        proc = subprocess.Popen([sys.executable, "-c", AGENT, store.url, str(stop)], stdout=subprocess.PIPE,
                                text=True, env=env)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    with no_turns() if kind == "no-turns" else contextlib.nullcontext():
        start, cpu = time.perf_counter(), time.process_time()
        report = cls(store, config, source).ingest(path)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    waits: list[list] = [[], [], []]
    if proc is not None:
        stop.touch()
        out, _ = proc.communicate(timeout=120)
        waits = json.loads(out.strip().splitlines()[-1])
    assert report.cases == report.messages, report.summary()
    store.dispose()
    return elapsed, waits, report.commits, cpu


def backend(name: str, url, folder: Path, path: Path, n: int, rounds: int, figures: Figures) -> None:
    times: dict[str, list[float]] = {"one": [], "batched": []}
    cpus: dict[str, list[float]] = {"one": [], "batched": []}
    commits = 0
    for r in range(rounds):  # alternated, best of each: the machine's other load hits both alike
        for kind in ("one", "batched") if r % 2 == 0 else ("batched", "one"):
            elapsed, _, made, cpu = run(folder / f"{name}-{kind}-{r}", url, path, kind, agent=False)
            times[kind].append(elapsed)
            cpus[kind].append(cpu)
            commits = made if kind == "batched" else commits
    t_one, t_batched = min(times["one"]), min(times["batched"])
    c_one, c_batched = min(cpus["one"]), min(cpus["batched"])
    print(f"{name}: {n:,} messages, one transaction {t_one:.1f} s ({n / t_one:,.0f}/s), in {commits:,} batches "
          f"{t_batched:.1f} s ({n / t_batched:,.0f}/s): throughput ratio {t_one / t_batched:.3f} "
          f"(best of {rounds}: {', '.join(f'{t:.1f}' for t in times['one'])} s and "
          f"{', '.join(f'{t:.1f}' for t in times['batched'])} s); the importing process's CPU "
          f"{c_one:.1f} s and {c_batched:.1f} s: ratio {c_one / c_batched:.3f}", flush=True)
    figures.add(f"{name}: import throughput in batches ({n:,} messages; peer: one transaction)", n / t_batched,
                "messages/s", n / t_one)
    figures.add(f"{name}: messages per CPU second of the importing process, batches (peer: one transaction)",
                n / c_batched, "messages/s", n / c_one)
    kinds = ["one", "batched"] + (["no-turns"] if name == "sqlite" else [])
    longest = {}
    for kind in kinds:
        elapsed, (calls, locks, failed), _, _ = run(folder / f"{name}-{kind}-agent", url, path, kind, agent=True)
        longest[kind] = max(calls, default=0.0)
        median = sorted(calls)[len(calls) // 2] if calls else 0.0
        print(f"{name}: {kind:9} with an agent: import {elapsed:.1f} s; the agent's {len(calls)} replies: longest "
              f"{longest[kind]:.2f} s (longest wait for the lock {max(locks, default=0.0):.2f} s), median "
              f"{median:.3f} s" + (f"; {len(failed)} failed: {failed[0]}" if failed else ""), flush=True)
        if kind == "batched":
            figures.add(f"{name}: agent's longest reply during the import in batches (peer: the import's time)",
                        longest[kind], "s", elapsed)
    figures.add(f"{name}: agent's longest reply, batches (peer: one transaction)", longest["batched"], "s",
                longest["one"])
    if "no-turns" in longest:
        figures.add(f"{name}: agent's longest reply, batches (peer: batches without turns)", longest["batched"], "s",
                    longest["no-turns"])


def main() -> None:
    as_json, quick, rest = split_flags()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2_000 if quick else 100_000, help="messages (default 100,000)")
    parser.add_argument("--rounds", type=int, default=1 if quick else 2, help="throughput runs of each (best taken)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args(rest)
    figures = Figures("ingest_wait")
    with tempfile.TemporaryDirectory(prefix="bench-ingest-wait-") as tmp:
        folder = Path(tmp)
        path = folder / "messages.jsonl"
        write_messages(path, args.n)
        backend("sqlite", lambda: contextlib.nullcontext(None), folder, path, args.n, args.rounds, figures)
        if not args.no_postgres and not quick:  # a smoke run: SQLite only
            problem = postgres_problem()
            if problem:
                print(f"postgresql: skipped ({problem})")
            else:
                backend("postgresql", fresh_schema, folder, path, args.n, args.rounds, figures)
    figures.emit(as_json)


if __name__ == "__main__":
    main()

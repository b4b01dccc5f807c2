"""Benchmark: N messages from a JSON Lines file to a built and verified public site, stage by stage.

    PYTHONPATH=src python bench/bench_end_to_end.py [--n 1000000] [--quick] [--json]

The messages: N customer messages, each opening a case, with real texts
(customer tweets, Trustpilot reviews, CFPB narratives from ../shared/data,
each with its own order number; ``bench_process.py`` writes them), across
public and private channels. Each stage is the command a company runs, in
its own process, on a fresh SQLite instance: ``init``, ``ingest jsonl``,
``process`` (a worker process per core), ``build`` and ``verify`` of the
built site with the instance's verifier key. Printed: each stage's time,
the whole, and the peak resident memory of the largest stage.

The goal (issue 20) is set for 1,000,000 messages: under 15 minutes and
under 2 GB. For a smaller N the time goal is prorated (15 minutes x N /
1,000,000; the stages grow about linearly) and printed as such.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_process import write_cases
from protocol import Figures, split_flags

GOAL_SECONDS = 15 * 60
GOAL_MESSAGES = 1_000_000
GOAL_RSS_MB = 2048


def stage(home: Path, *args: str) -> tuple[float, float]:
    """Run ``openledger --home HOME ARGS`` in its own process; (seconds, peak RSS in MB of this stage)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "openledger", "--home", str(home), *args],
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"openledger {' '.join(args)} exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, (peak if peak > before else 0) / 1024  # the largest child so far; 0: not a new peak


def main() -> None:
    as_json, quick, rest = split_flags()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000 if quick else GOAL_MESSAGES,
                        help="messages (default 1,000,000)")
    n = parser.parse_args(rest).n
    figures = Figures("end_to_end")
    times: dict[str, float] = {}
    peak = 0.0
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp:
        folder = Path(tmp)
        data = folder / "messages.jsonl"
        write_cases(data, n)
        home, site = folder / "home", folder / "site"
        steps = [
            ("init", ("init", "--name", "Bench Wireless")),
            ("ingest", ("ingest", "jsonl", str(data))),
            ("process", ("process", "--jobs", "0")),
            ("build", ("build", "--out", str(site))),
            ("verify", ("verify", str(site), "--key", str(home / "verifier.key"))),
        ]
        for name, args in steps:
            seconds, rss = stage(home, *args)
            times[name] = seconds
            peak = max(peak, rss)
            print(f"{name:8} {seconds:9.1f} s   peak RSS so far {peak:7.0f} MB", flush=True)
    total = sum(times.values())
    goal = GOAL_SECONDS * n / GOAL_MESSAGES
    print(f"messages: {n:,} (each opens a case), {os.cpu_count()} cores")
    print(f"end to end: {total:9.1f} s  (goal at this size, 15 min prorated: {goal:.1f} s; ratio {total / goal:.2f})")
    print(f"peak RSS  : {peak:9.0f} MB (goal < {GOAL_RSS_MB} MB at 1,000,000)")
    figures.add(f"JSON Lines to a verified site, {n:,} msgs (vs the 15-min goal prorated)", total, "s", goal,
                "target ratio <= 1")
    for name, seconds in times.items():
        figures.add(f"  stage {name}", seconds, "s", None)
    figures.add("peak RSS of the largest stage (vs the 2 GB goal)", peak, "MB", GOAL_RSS_MB, "target ratio < 1")
    figures.emit(as_json)


if __name__ == "__main__":
    main()

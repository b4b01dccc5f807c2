"""Benchmark: ``openledger process`` on N cases of real customer text, on SQLite,
against the goal of 3,000 cases/s (issue 20) and against the same cases
processed with one process.

    PYTHONPATH=src python bench/bench_process.py [--n 20000] [--jobs 0] [--quick] [--json]

The cases: N inbound messages, each opening a case, whose texts are drawn in
turn from the real exports in ../shared/data (customer tweets of
twcs/twcs_sample.csv, Trustpilot reviews, CFPB narratives); each text gets a
different order number appended, so no cache sees the same text twice, as no
support desk does. They are imported with the ``jsonl`` source before the
clock starts; the clock covers ``process_cases`` with every built-in
classifier, responder and redactor (the same work as ``openledger process``):
classification, drafts, remedy proposals and every event appended to the ledger.

Printed: cases/s with ``--jobs`` worker processes (0: one per core) and with
one process (``--jobs 1``), each against the 3,000 cases/s goal; the
parallel run against the single-process one is the speed-up.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openledger import plugins
from openledger.cases.process import process_cases
from openledger.config import create_instance, load_config
from openledger.intake.ingest import Ingestor
from openledger.store.database import Store
from protocol import Figures, shared_data, split_flags

GOAL = 3_000.0
CHANNELS = {"twcs": ("twitter", "public"), "review": ("review", "public"), "cfpb": ("webform", "private")}


def real_texts() -> list[tuple[str, str]]:
    """(kind, text) of the real customer texts beside the repository, interleaved."""
    csv.field_size_limit(10_000_000)
    data = shared_data()
    found: dict[str, list[str]] = {"twcs": [], "review": [], "cfpb": []}
    with open(data / "twcs" / "twcs_sample.csv", encoding="utf-8", newline="") as f:
        found["twcs"] = [row["text"] for row in csv.DictReader(f) if row["inbound"] == "True" and row["text"]]
    for path in sorted((data / "reviews").glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            found["review"] += [row["text"] for row in csv.DictReader(f) if row.get("text")]
    for path in sorted((data / "cfpb").glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            found["cfpb"] += [text for row in csv.DictReader(f)
                              if (text := row.get("Consumer complaint narrative") or "")]
    longest = max(len(v) for v in found.values())
    return [(kind, texts[i]) for i in range(longest) for kind, texts in found.items() if i < len(texts)]


#: the messages' times: from 2025-01-01, 97 s apart, closer for large N so that all fall within 2025 (every one
#: in the past, so a build publishes every case; 1,000,000 messages 97 s apart would reach into 2028)
SPACING_SECONDS = 97
SPAN_SECONDS = 365 * 24 * 3600


def write_cases(path: Path, n: int) -> None:
    texts = real_texts()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    spacing = min(SPACING_SECONDS, SPAN_SECONDS / max(n, 1))
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            kind, text = texts[i % len(texts)]
            channel, visibility = CHANNELS[kind]
            f.write(json.dumps({
                "id": f"m-{i:08d}", "channel": channel, "visibility": visibility,
                "timestamp": (start + timedelta(seconds=round(spacing * i))).isoformat(),
                "author": f"customer-{i}@example.com",
                "text": f"{text}\nOrder {100_000 + i * 7}", "direction": "in",
            }) + "\n")


def prepared(folder: Path, path: Path) -> Path:
    """A fresh instance holding the cases of ``path``, not processed yet."""
    home = folder / "home"
    config = create_instance(home, name="Bench", origin="bench.example/ledger")
    store = Store(config.database_url())
    store.upgrade()
    source = plugins.sources(config.plugin_view())["jsonl"]
    report = Ingestor(store, config, source).ingest(path)
    assert report.cases == report.messages, report.summary()
    store.engine.dispose()
    return home


def timed(home: Path, jobs: int) -> tuple[float, int]:
    config = load_config(home)
    store = Store(config.database_url())
    start = time.perf_counter()
    report = process_cases(store, config, jobs=jobs)
    elapsed = time.perf_counter() - start
    store.engine.dispose()
    return elapsed, report.cases


def main() -> None:
    as_json, quick, rest = split_flags()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=600 if quick else 20_000, help="cases (default 20,000)")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default 0: one per core)")
    args = parser.parse_args(rest)
    jobs = args.jobs or os.cpu_count() or 1
    figures = Figures("process")
    with tempfile.TemporaryDirectory(prefix="bench-process-") as tmp:
        folder = Path(tmp)
        path = folder / "cases.jsonl"
        write_cases(path, args.n)
        home = prepared(folder, path)
        single_home = folder / "single"
        os.system(f"cp -r '{home}' '{single_home}'")  # the same instance, processed the other way
        t_single, done_single = timed(single_home, 1)
        t_jobs, done = timed(home, jobs)
    assert done == done_single == args.n, (done, done_single, args.n)
    print(f"cases: {args.n:,} (real texts: tweets, reviews, CFPB narratives), {os.cpu_count()} cores")
    print(f"process, one process       : {args.n / t_single:10,.0f} cases/s  ({t_single:.1f} s)")
    print(f"process, {jobs} worker processes: {args.n / t_jobs:10,.0f} cases/s  ({t_jobs:.1f} s)")
    print(f"speed-up                   : {t_single / t_jobs:10.2f}")
    print(f"ratio to the goal ({GOAL:,.0f}/s) : {args.n / t_jobs / GOAL:10.3f}")
    figures.add(f"process, {args.n:,} real-text cases, {jobs} workers (vs goal)", args.n / t_jobs, "cases/s", GOAL,
                "target ratio >= 1")
    figures.add(f"process, {args.n:,} cases, {jobs} workers (vs one process)", args.n / t_jobs, "cases/s",
                args.n / t_single)
    figures.emit(as_json)


if __name__ == "__main__":
    main()

"""The linkage attack on large simulated sites, on SQLite and PostgreSQL.

    PYTHONPATH=src python bench/bench_linkage.py [--sizes 100000] [--databases sqlite,postgresql]

For each size N and database it writes a simulated year of N cases as history
JSON Lines (``tests/lib/audit_sim.py``), imports it into a fresh instance
(``ingest history``), builds the site with the default guarantee (k = 10,
14 days to settle) and runs the attacker of the test suite
(``tests/lib/attacker.py``, written apart from the code it attacks) on 2,000
public and 1,000 private published cases: knowing each public case's channel,
posting and answer times, category and audience band (a private case's
channel and day), how many published cases could each be, in the log's
entries, in the Outcomes rows and in all sources joined? The floor is k:
every figure must be at least 10. Also printed: how much of the history the
site publishes and how coarsely (periods, hidden categories, pooled
channels), the cost the guarantee has for the audit.

PostgreSQL is the server of the test suite (``OPENLEDGER_TEST_POSTGRES_URL``,
default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``), in a schema
of its own dropped afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "lib"))
from attacker import attack, knowledge, published_cases  # noqa: E402
from audit_sim import history_lines  # noqa: E402
from databases import fresh_schema  # noqa: E402

from openledger import periods  # noqa: E402
from openledger.testing import make_instance  # noqa: E402
from protocol import Figures, split_flags  # noqa: E402

K = 10


def run(n: int, database: str, work: Path, figures: Figures) -> None:
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(fresh_schema()) if database == "postgresql" else None
        instance = make_instance(work / f"home-{database}-{n}", db_url=url)
        history = work / f"history-{n}.jsonl"
        if not history.exists():
            history.write_text("\n".join(history_lines(n, 7)) + "\n")
        start = time.perf_counter()
        instance.run("ingest", "history", history)
        site = work / f"site-{database}-{n}"
        instance.run("build", "--out", site)
        built = time.perf_counter() - start
        truth = knowledge(instance.engine)
        start = time.perf_counter()
        worst = attack(site, truth, public=2000, private=1000)
        attacked = time.perf_counter() - start
        instance.close()
    published = published_cases(site)
    with (site / "data" / "outcomes.csv").open(newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["visibility"] == "public"]
    levels = Counter(periods.level_of(r["opened"]) for r in rows)
    hidden = sum(r["category"] == "hidden" for r in rows)
    pooled = sum(r["channel"] == "other" for r in rows)
    no_time = sum(r["first_response_hours"] == "" and r["responded"] == "true" for r in rows)
    print(f"{n:>9,} cases on {database:<10} | published {len(published):,} ({len(published) / n:.1%}) | "
          f"attacked {worst['targets']:,} ({worst['public']:,} public): fewest candidates log {worst['log']}, "
          f"rows {worst['rows']}, joined {worst['joined']} (floor k = {K}) | public cases by "
          f"{', '.join(f'{lv} {c / len(rows):.0%}' for lv, c in sorted(levels.items()))}; category hidden "
          f"{hidden / len(rows):.1%}, channel pooled {pooled / len(rows):.1%}, answered without a published "
          f"time {no_time / len(rows):.1%} | import+build {built:.0f} s, attack {attacked:.0f} s", flush=True)
    for source in ("log", "rows", "joined"):
        figures.add(f"fewest candidates, {source}, {n:,} cases, {database}", worst[source], "cases", K,
                    "floor: k (at least 1x)")
    figures.add(f"share of cases published, {n:,} cases, {database}", round(len(published) / n, 4), "share", None)


def main() -> None:
    as_json, quick, rest = split_flags()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="3000" if quick else "100000")
    parser.add_argument("--databases", default="sqlite" if quick else "sqlite,postgresql")
    args = parser.parse_args(rest)
    figures = Figures("linkage")
    with tempfile.TemporaryDirectory(prefix="bench-linkage-") as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            for database in args.databases.split(","):
                run(n, database, Path(tmp), figures)
    figures.emit(as_json)


if __name__ == "__main__":
    main()

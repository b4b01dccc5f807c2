"""Benchmark: the fair treatment audit of 1,000,000 cases (target: under 10 s).

Prints the audit's time by visibility and by channel beside a floor measured
in the same run: a bare ``np.bincount`` aggregation of the same arrays (per
group x stratum sums of every metric's per-case values), and the ratio.

    PYTHONPATH=src python bench/bench_audit.py [N] [--quick] [--json]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "lib"))
from audit_sim import simulate  # noqa: E402

from openledger.audit import BUILTIN_METRICS, run_audit  # noqa: E402
from protocol import Figures, split_flags  # noqa: E402


def floor(table: dict) -> float:
    """The least work any audit does: one pass of bincount per metric."""
    start = time.perf_counter()
    channel, _ = pd.factorize(table["channel"])
    category, cats = pd.factorize(table["category"])
    cell = (channel * len(cats) + category) * 4 + table["severity"] - 1
    size = int(cell.max()) + 1
    for metric in BUILTIN_METRICS:
        x, flag = metric.values(table)
        np.bincount(cell, weights=np.nan_to_num(np.asarray(x, float)), minlength=size)
        np.bincount(cell, weights=np.asarray(flag, float), minlength=size)
    return time.perf_counter() - start


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    as_json, quick, args = split_flags()
    n = int(args[0]) if args else 20_000 if quick else 1_000_000
    figures = Figures("audit")
    table = simulate(n, 2024, "remedy")
    base = min(floor(table) for _ in range(3))
    print(f"cases: {n:,}")
    print(f"floor (bincount of every metric by channel x stratum): {base:.3f} s")
    for dimension in ("visibility", "channel", "audience"):
        t = best_of(2, lambda dimension=dimension: run_audit(table, dimension=dimension))
        print(f"audit --by {dimension:<10}: {t:.3f} s  ({t / base:.1f} x floor)")
        figures.add(f"audit --by {dimension}, {n:,} cases", t, "s", base)
    figures.emit(as_json)


if __name__ == "__main__":
    main()

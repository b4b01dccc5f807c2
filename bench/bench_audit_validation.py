"""Validation of the audit on simulated worlds with a known truth, on exact data and on what is published.

Each world (``tests/lib/audit_sim.py``) is audited twice: on its exact table
(times to the second, every case), and on the table the site publishes of it
(:func:`audit_sim.published`: the events released by the release planner at
k = 10 with 14 days to settle, written as log entries and folded back by
:func:`openledger.site.derive.derive`; periods instead of dates, response bands
instead of hours for public cases, the newest cases not yet released). The
published audit is the one anyone can reproduce, so it is the one that must
hold:

- false-alarm rate: over SEEDS seeds of the fair world (case mix differs by
  channel), how often any finding says ``unequal`` (target <= 5 %), by
  visibility and by channel;
- power: over SEEDS seeds of the world where public cases get remedies 1.3
  times as often, at N cases, how often ``remedy_rate`` for public is
  ``unequal`` (target >= 90 %), and how often its 95 % interval covers 1.3
  (target >= 90 %).

    PYTHONPATH=src python bench/bench_audit_validation.py [SEEDS] [N] [--quick] [--json]

The worlds are made and audited in a pool of worker processes, one per core.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "lib"))
from audit_sim import published, simulate  # noqa: E402

from openledger.audit import run_audit  # noqa: E402
from protocol import Figures, split_flags  # noqa: E402

TRUTH = 1.3
SOURCES = ("exact", "published")


def fair(job: tuple[int, int, str]) -> dict[str, dict]:
    """For one fair world: per source and dimension, (any unequal, any Holm rejection, metrics unequal)."""
    n, seed, _ = job
    tables = {"exact": simulate(n, seed, "fair"), "published": published(n, seed, "fair")}
    out: dict[str, dict] = {}
    for source, table in tables.items():
        for dimension in ("visibility", "channel"):
            result = run_audit(table, dimension=dimension)
            bad = sorted({f.metric for f in result.findings if f.verdict == "unequal"})
            rejected = any(f.p_adjusted is not None and f.p_adjusted < 0.05 for f in result.findings)
            out[f"{source} {dimension}"] = {"alarm": bool(bad), "rejected": rejected, "metrics": bad,
                                             "cases": len(table["channel"])}
    return out


def remedy(job: tuple[int, int, str]) -> dict[str, tuple[bool, bool, int]]:
    """For one biased world: per source, (remedy_rate found unequal, its interval covers the truth, cases)."""
    n, seed, _ = job
    out = {}
    for source, table in (("exact", simulate(n, seed, "remedy")), ("published", published(n, seed, "remedy"))):
        result = run_audit(table, dimension="visibility")
        (f,) = [f for f in result.findings if f.metric == "remedy_rate"]
        assert f.adjusted is not None
        low, high = f.adjusted.ci_low, f.adjusted.ci_high
        out[source] = (f.verdict == "unequal", low is not None and high is not None and low <= TRUTH <= high,
                       len(table["channel"]))
    return out


def main() -> None:
    as_json, quick, args = split_flags()
    seeds = int(args[0]) if args else 3 if quick else 100
    n = int(args[1]) if len(args) > 1 else 3_000 if quick else 20_000
    figures = Figures("audit validation")
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        fairs = list(pool.map(fair, [(n, 1000 + s, "fair") for s in range(seeds)]))
        remedies = list(pool.map(remedy, [(n, 2000 + s, "remedy") for s in range(seeds)]))
    for key in fairs[0]:
        source, dimension = key.split()
        alarms = sum(r[key]["alarm"] for r in fairs)
        rejections = sum(r[key]["rejected"] for r in fairs)
        what: dict[str, int] = {}
        for r in fairs:
            for metric in r[key]["metrics"]:
                what[metric] = what.get(metric, 0) + 1
        cases = sum(r[key]["cases"] for r in fairs) / seeds
        print(f"fair world, {n:,} cases ({source}: {cases:,.0f} audited), by {dimension}: any 'unequal' in "
              f"{alarms}/{seeds} seeds = false-alarm rate {alarms / seeds:.1%} (target <= 5%) {what or ''}; "
              f"any Holm-adjusted test rejecting: {rejections / seeds:.1%}", flush=True)
        figures.add(f"false-alarm rate, {n:,} cases by {dimension}, {source}", alarms / seeds, "share", 0.05,
                    "target: at most the floor")
    for source in SOURCES:
        found = sum(r[source][0] for r in remedies)
        covered = sum(r[source][1] for r in remedies)
        cases = sum(r[source][2] for r in remedies) / seeds
        print(f"remedy world ({TRUTH}x), {n:,} cases ({source}: {cases:,.0f} audited): remedy_rate 'unequal' in "
              f"{found}/{seeds} seeds = power {found / seeds:.1%} (target >= 90%); "
              f"95% CI covers {TRUTH} in {covered / seeds:.1%} (target >= 90%)", flush=True)
        figures.add(f"power for remedy_rate {TRUTH}x, {n:,} cases, {source}", found / seeds, "share", 0.9,
                    "target: at least the floor")
        figures.add(f"interval coverage of {TRUTH}x, {n:,} cases, {source}", covered / seeds, "share", 0.9,
                    "target: at least the floor")
    print(f"({time.perf_counter() - start:.0f} s)")
    figures.emit(as_json)


if __name__ == "__main__":
    main()

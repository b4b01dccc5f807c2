"""Validation of the audit on simulated worlds with a known truth.

- false-alarm rate: over SEEDS seeds of the fair world (case mix differs by
  channel), how often any finding says ``unequal`` (target <= 5%), by
  visibility and by channel;
- power: over SEEDS seeds of the world where public cases get remedies 1.3
  times as often, at 20,000 cases, how often ``remedy_rate`` for public is
  ``unequal`` (target >= 90%), and how often its interval covers 1.3.

    PYTHONPATH=src python bench/bench_audit_validation.py [SEEDS] [N] [--quick] [--json]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "lib"))
from audit_sim import simulate  # noqa: E402

from openledger.audit import run_audit  # noqa: E402
from protocol import Figures, split_flags  # noqa: E402


def main() -> None:
    as_json, quick, args = split_flags()
    seeds = int(args[0]) if args else 3 if quick else 100
    n = int(args[1]) if len(args) > 1 else 3_000 if quick else 20_000
    figures = Figures("audit validation")
    start = time.perf_counter()
    for size, dimension in ((n, "visibility"), (n, "channel"), (3_000, "channel")):
        alarms, rejections, what = 0, 0, {}
        for seed in range(seeds):
            result = run_audit(simulate(size, 1000 + seed, "fair"), dimension=dimension)
            bad = [f for f in result.findings if f.verdict == "unequal"]
            alarms += bool(bad)
            rejections += any(
                f.p_adjusted is not None and f.p_adjusted < 0.05 for f in result.findings
            )
            for f in bad:
                what[f.metric] = what.get(f.metric, 0) + 1
        print(f"fair world, {size:,} cases, by {dimension}: any 'unequal' in {alarms}/{seeds} "
              f"seeds = false-alarm rate {alarms / seeds:.1%} (target <= 5%) {what or ''}; "
              f"any Holm-adjusted test rejecting: {rejections / seeds:.1%}")
        figures.add(f"false-alarm rate, {size:,} cases by {dimension}", alarms / seeds, "share", 0.05,
                    "target: at most the floor")
    found = covered = 0
    for seed in range(seeds):
        result = run_audit(simulate(n, 2000 + seed, "remedy"), dimension="visibility")
        (f,) = [f for f in result.findings if f.metric == "remedy_rate"]
        found += f.verdict == "unequal"
        covered += f.adjusted.ci_low <= 1.3 <= f.adjusted.ci_high
    print(f"remedy world (1.3x), {n:,} cases: remedy_rate 'unequal' in {found}/{seeds} "
          f"seeds = power {found / seeds:.1%} (target >= 90%); "
          f"95% CI covers 1.3 in {covered / seeds:.1%}")
    print(f"({time.perf_counter() - start:.0f} s)")
    figures.add(f"power for remedy_rate 1.3x, {n:,} cases", found / seeds, "share", 0.9, "target: at least the floor")
    figures.emit(as_json)


if __name__ == "__main__":
    main()

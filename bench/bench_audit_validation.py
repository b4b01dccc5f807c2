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
  (target >= 90 %);
- the influence audits (``--by leverage``, ``deflection``, ``tone``; issue 21),
  on the same fair worlds with their labels (false alarms, target <= 5 %) and
  on SEEDS seeds of the influence world: threatening private cases get a
  remedy 1.5 times as often (``remedy_rate``, ``threat`` against ``none``),
  public cases moved private are resolved in the customer's favour 0.7 times
  as often (``resolution_rate``, ``moved-private`` against ``kept-public`` and
  against ``private``), tone changes nothing (any ``unequal`` by tone is a
  false alarm): power and interval coverage per effect, target >= 90 % each;
  and how often the Wilson interval of the public follow-up rate of the cases
  moved private (all channels) covers its truth, 0.3;
- a site that follows its log: the fair world sealed every 30 days for a year
  (:func:`audit_sim.sealed`), one answer in ten (public and private alike)
  coming 20 to 60 days after opening, so many public answers reach the log
  ``late``: the response rate and first response of public against private
  on the published table and on the truth (up to 4 seeds; about a minute a
  world).

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
from audit_sim import DEFLECTION_TRUTH, FOLLOW_UP_TRUTH, LEVERAGE_TRUTH, published, sealed, simulate  # noqa: E402

from openledger.audit import run_audit  # noqa: E402
from protocol import Figures, split_flags  # noqa: E402

TRUTH = 1.3
SOURCES = ("exact", "published")
FAIR_DIMENSIONS = ("visibility", "channel", "leverage", "deflection", "tone")
#: the influence world's effects: (name, dimension, metric, group, reference, truth)
#: the true public follow-up rate over all channels: the simulated public channels are equally common
FOLLOW_UP = sum(FOLLOW_UP_TRUTH.values()) / len(FOLLOW_UP_TRUTH)
EFFECTS = (
    ("threats get remedies", "leverage", "remedy_rate", "threat", "none", LEVERAGE_TRUTH),
    ("moved private resolved less, vs kept public", "deflection", "resolution_rate", "moved-private", "kept-public",
     DEFLECTION_TRUTH),
    ("moved private resolved less, vs private", "deflection", "resolution_rate", "moved-private", "private",
     DEFLECTION_TRUTH),
)


def fair(job: tuple[int, int, str]) -> dict[str, dict]:
    """For one fair world: per source and dimension, (any unequal, any Holm rejection, metrics unequal)."""
    n, seed, _ = job
    tables = {"exact": simulate(n, seed, "fair"), "published": published(n, seed, "fair", labels=True)}
    out: dict[str, dict] = {}
    for source, table in tables.items():
        for dimension in FAIR_DIMENSIONS:
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


def influence(job: tuple[int, int, str]) -> dict[str, dict]:
    """For one influence world: per source, each effect's (found unequal, interval covers the truth) and
    whether any tone finding says unequal (there is no tone effect)."""
    n, seed, _ = job
    out: dict[str, dict] = {}
    for source, table in (("exact", simulate(n, seed, "influence")),
                          ("published", published(n, seed, "influence"))):
        results = {d: run_audit(table, dimension=d) for d in ("leverage", "deflection", "tone")}
        found = {}
        for name, dimension, metric, group, reference, truth in EFFECTS:
            (f,) = [f for f in results[dimension].findings
                    if (f.metric, f.group, f.reference) == (metric, group, reference)]
            low, high = f.adjusted.ci_low, f.adjusted.ci_high
            found[name] = (f.verdict == "unequal", low is not None and high is not None and low <= truth <= high)
        tone = sorted({f.metric for f in results["tone"].findings if f.verdict == "unequal"})
        rate = (results["deflection"].follow_up or {}).get("all", {})
        follow = rate.get("ci_low") is not None and rate["ci_low"] <= FOLLOW_UP <= rate["ci_high"]
        out[source] = {"effects": found, "tone": tone, "follow_up": follow, "cases": len(table["channel"])}
    return out


def late(job: tuple[int, int, str]) -> dict[str, dict]:
    """For one fair world sealed monthly with slow answers: the response rate and first response of public
    against private, on the published table and on the truth beside it, and how many answers came late."""
    n, seed, _ = job
    table, truth = sealed(n, seed)
    out: dict[str, dict] = {"late answers": {"count": int(table["response_late"].sum())}}
    for source, t in (("published", table), ("truth", truth)):
        findings = {f.metric: f for f in run_audit(t, dimension="visibility").findings}
        for metric in ("response_rate", "first_response_hours"):
            f = findings[metric]
            out[f"{source} {metric}"] = {"value": f.adjusted.ratio, "p": f.p_adjusted, "verdict": f.verdict}
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
        influenced = list(pool.map(influence, [(n, 3000 + s, "influence") for s in range(seeds)]))
        late_seeds = min(seeds, 2 if quick else 4)  # a year of monthly seals: about a minute a world
        lates = list(pool.map(late, [(n, 4000 + s, "fair") for s in range(late_seeds)]))
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
    for source in SOURCES:
        cases = sum(r[source]["cases"] for r in influenced) / seeds
        for name, dimension, metric, group, reference, truth in EFFECTS:
            found = sum(r[source]["effects"][name][0] for r in influenced)
            covered = sum(r[source]["effects"][name][1] for r in influenced)
            print(f"influence world, {n:,} cases ({source}: {cases:,.0f} audited), by {dimension}: {metric} {group} "
                  f"against {reference} ({truth}x) 'unequal' in {found}/{seeds} seeds = power {found / seeds:.1%} "
                  f"(target >= 90%); 95% CI covers {truth} in {covered / seeds:.1%} (target >= 90%)", flush=True)
            figures.add(f"power for {name} ({truth}x, by {dimension}), {n:,} cases, {source}", found / seeds, "share",
                        0.9, "target: at least the floor")
            figures.add(f"interval coverage of {truth}x ({name}), {n:,} cases, {source}", covered / seeds, "share",
                        0.9, "target: at least the floor")
        alarms = sum(bool(r[source]["tone"]) for r in influenced)
        print(f"influence world, {n:,} cases ({source}), by tone (no tone effect): any 'unequal' in {alarms}/{seeds} "
              f"seeds = false-alarm rate {alarms / seeds:.1%} (target <= 5%)", flush=True)
        figures.add(f"false-alarm rate, {n:,} cases by tone in the influence world, {source}", alarms / seeds,
                    "share", 0.05, "target: at most the floor")
        covered = sum(r[source]["follow_up"] for r in influenced)
        print(f"influence world, {n:,} cases ({source}): public follow-up rate of the cases moved private, 95% "
              f"interval covers {FOLLOW_UP:.2f} in {covered}/{seeds} seeds = {covered / seeds:.1%} (target >= 90%)",
              flush=True)
        figures.add(f"interval coverage of the public follow-up rate ({FOLLOW_UP:.2f}), {n:,} cases, {source}",
                    covered / seeds, "share", 0.9, "target: at least the floor")
    counts = [r["late answers"]["count"] for r in lates]
    for source in ("published", "truth"):
        for metric in ("response_rate", "first_response_hours"):
            rows = [r[f"{source} {metric}"] for r in lates]
            alarms = sum(r["verdict"] == "unequal" for r in rows)
            rejected = sum(r["p"] is not None and r["p"] < 0.05 for r in rows)
            values = ", ".join("-" if r["value"] is None else f"{r['value']:+.3f}" if metric == "response_rate"
                               else f"{r['value']:.3f}" for r in rows)
            print(f"fair world sealed monthly, one answer in ten 20-60 days late ({min(counts):,}-{max(counts):,} "
                  f"published late), {n:,} cases, {source}: {metric} public against private {values}; 'unequal' in "
                  f"{alarms}/{len(rows)} seeds, Holm-adjusted test rejecting in {rejected}/{len(rows)}", flush=True)
            if source == "published":
                figures.add(f"false-alarm rate, {metric}, fair world sealed monthly with late answers, {n:,} cases",
                            alarms / len(rows), "share", 0.05, "target: at most the floor")
    print(f"({time.perf_counter() - start:.0f} s)")
    figures.emit(as_json)


if __name__ == "__main__":
    main()

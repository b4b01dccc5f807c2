"""Run every benchmark under bench/ and print one table of their figures.

    python bench/run.py [--quick] [NAME ...]

Each ``bench_*.py`` (or only those NAMEd: a NAME that is a benchmark's
name, with or without ``bench_``, selects that one; another selects those
whose name contains it) runs in its own process with ``--json`` (and
``--quick`` for a smoke run); its
usual output streams through, and its last line, the protocol's JSON (see
``bench/protocol.py``), is collected. The table at the end shows each
measured figure beside its floor, peer or target measured in the same run,
with the ratio value / floor. A benchmark that fails or prints no JSON is
listed as such and makes the exit status 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from protocol import UNAVAILABLE

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def scripts(names: list[str]) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    if not names:
        return found
    chosen = set()
    for name in names:
        exact = [p for p in found if p.stem in (name, f"bench_{name}")]
        chosen.update(exact or [p for p in found if name in p.stem])
    return [p for p in found if p in chosen]


def run_one(script: Path, quick: bool) -> tuple[dict | None, str, float]:
    """Run one benchmark; (its JSON report or None, a problem or "", seconds)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p)
    command = [sys.executable, str(script), "--json", *(["--quick"] if quick else [])]
    print(f"\n$ {script.relative_to(ROOT)} {' '.join(command[2:])}", flush=True)
    start = time.perf_counter()
    last = ""
    with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) as proc:
        for line in proc.stdout:
            if last:
                print(last, end="", flush=True)
            last = line
        status = proc.wait()
    elapsed = time.perf_counter() - start
    try:
        report = json.loads(last)
    except json.JSONDecodeError:
        print(last, end="")
        if status == UNAVAILABLE:
            return None, "not run: its input data is absent here (its own line says which)", elapsed
        return None, f"no --json line (exit status {status})", elapsed
    if status != 0:
        return report, f"exit status {status}", elapsed
    return report, "", elapsed


def number(value) -> str:
    if value is None:
        return "-"
    value = float(value)
    if value == 0 or 0.001 <= abs(value) < 1e15:
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.0f}"
    return f"{value:.3g}"


def table(results: list[tuple[Path, dict | None, str, float]]) -> str:
    rows = [("benchmark", "figure", "value", "unit", "floor / peer", "ratio", "note")]
    for script, report, problem, _ in results:
        name = report["name"] if report else script.stem
        for figure in (report or {}).get("figures", []):
            rows.append((name, figure["what"], number(figure["value"]), figure.get("unit", ""),
                         number(figure.get("floor")), number(figure.get("ratio")), figure.get("note", "")))
        if problem:
            rows.append((name, "FAILED", "-", "", "-", "-", problem))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    right = {2, 4, 5}
    lines = []
    for n, row in enumerate(rows):
        cells = [str(c).rjust(w) if i in right else str(c).ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    names = [a for a in argv if not a.startswith("--")]
    results = []
    for script in scripts(names):
        report, problem, elapsed = run_one(script, quick)
        results.append((script, report, problem, elapsed))
    total = sum(r[3] for r in results)
    print(f"\n== {len(results)} benchmarks{' (quick)' if quick else ''} in {total:.0f} s; "
          "ratio = value / floor, every floor measured in the same run\n")
    print(table(results))
    return 1 if any(r[2] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

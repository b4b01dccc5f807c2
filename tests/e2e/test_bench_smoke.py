"""A smoke run of every benchmark under bench/ at its smallest size.

Benchmarks are not part of the test suite; this only checks that each one
still runs and keeps the protocol of ``bench/protocol.py``: with ``--json``
its last line is ``{"name", "figures": [{"what", "value", "unit", "floor",
"ratio"}]}``, and ``bench/run.py`` turns those lines into one table.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from paths import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from protocol import UNAVAILABLE  # noqa: E402 (bench/ is not a package)

BENCHES = sorted(p.name for p in (ROOT / "bench").glob("bench_*.py"))


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, *args], check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("script", BENCHES)
def test_benchmark_quick_run_prints_its_figures(script):
    done = run(f"bench/{script}", "--quick", "--json")
    if done.returncode == UNAVAILABLE:
        # its input is absent here: the real exports, which the tests reading them skip too (paths.shared)
        pytest.skip(done.stderr.strip())
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["name"] and report["figures"]
    for figure in report["figures"]:
        assert {"what", "value", "unit", "floor", "ratio"} <= set(figure)
        assert isinstance(figure["value"], (int, float))
        if figure["floor"]:
            # figures may be rounded
            assert figure["ratio"] == pytest.approx(figure["value"] / figure["floor"], rel=0.05)


def test_the_source_fuzzer_quick_run_finds_nothing():
    """bench/fuzz_sources.py (``make fuzz``, not in the tests) in its seconds-long --quick mode."""
    done = run("bench/fuzz_sources.py", "--quick", "--json")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    figures = {f["what"]: f["value"] for f in json.loads(done.stdout.strip().splitlines()[-1])["figures"]}
    assert figures["findings (traceback, hang, half-import)"] == 0
    sources = {what.split(":")[0] for what in figures if what.endswith("records tried")}
    assert sources == {"cfpb", "csv", "email", "facebook", "history", "jsonl", "reviews", "twcs", "twitter", "zendesk"}
    assert all(figures[f"{s}: records tried"] > 0 for s in sources)


def test_run_collects_one_table():
    done = run("bench/run.py", "--quick", "bench_ledger", "bench_ingest")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    table = done.stdout[done.stdout.index("== 2 benchmarks"):]
    assert "figure" in table and "floor / peer" in table and "ratio" in table
    assert "ingest with ledger append" in table and "verify an exported log" in table

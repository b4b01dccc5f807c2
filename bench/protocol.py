"""The common protocol of the benchmarks under bench/.

Every ``bench_*.py`` accepts two flags besides its own options:

- ``--quick``: a small size, so a smoke run takes seconds (the test suite's
  ``tests/e2e/test_bench_smoke.py`` runs each one this way);
- ``--json``: after its usual output, print as the LAST line one JSON object
  ``{"name": ..., "figures": [{"what", "value", "unit", "floor", "ratio"}, ...]}``:
  each measured figure beside its floor (or peer, or target) measured in the
  same run, and ``ratio = value / floor``. ``bench/run.py`` collects these
  lines into one table.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

#: exit status of a benchmark that cannot run here (its input data is absent); the smoke test skips it
UNAVAILABLE = 77


def shared_data() -> Path:
    """The real public exports: beside the checkout in ``../shared/data``, or where ``OPENLEDGER_SHARED_DATA``
    says (as the tests read them). Where they are absent, one line on stderr and exit status 77."""
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    data = Path(os.environ.get("OPENLEDGER_SHARED_DATA", default))
    if not data.is_dir():
        print(f"{Path(sys.argv[0]).name}: the real public exports are not at {data} "
              "(put them beside the checkout in ../shared/data, or set OPENLEDGER_SHARED_DATA)", file=sys.stderr)
        raise SystemExit(UNAVAILABLE)
    return data


def split_flags(argv: list[str] | None = None) -> tuple[bool, bool, list[str]]:
    """(``--json`` given, ``--quick`` given, the remaining arguments)."""
    args = list(sys.argv[1:] if argv is None else argv)
    as_json, quick = "--json" in args, "--quick" in args
    return as_json, quick, [a for a in args if a not in ("--json", "--quick")]


class Figures:
    """The figures one benchmark measured; ``emit`` prints the protocol line."""

    def __init__(self, name: str):
        self.name = name
        self.figures: list[dict] = []

    def add(self, what: str, value: float, unit: str, floor: float | None, note: str = "") -> None:
        """A figure beside its floor (None when there is none); the ratio is value / floor."""
        ratio = value / floor if floor not in (None, 0) else None
        item = {"what": what, "value": value, "unit": unit, "floor": floor, "ratio": ratio}
        if note:
            item["note"] = note
        self.figures.append(item)

    def emit(self, as_json: bool) -> None:
        if as_json:
            print(json.dumps({"name": self.name, "figures": self.figures}), flush=True)

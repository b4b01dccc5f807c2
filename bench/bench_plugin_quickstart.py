"""Benchmark: how long a new plugin author takes from nothing to an ingested sample.

    python bench/bench_plugin_quickstart.py [--quick] [--json]

Runs the quick start of docs/plugins.md as written (``openledger new-plugin
reddit --kind source``, ``pip install -e``, the generated tests,
``openledger init``, ``openledger plugins --check``, ``openledger ingest``)
in a throwaway virtual environment that sees this one's packages (see
``tests/lib/quickstart.py``), and times each line. Issue 17 asks for it to
take under a minute; that target is the first figure's floor.

Floor measured in the same run: the same ``pip install -e`` of a package
with nothing in it (a ``pyproject.toml`` and an empty module), which is
pip's and setuptools' own cost of an editable install; and ``python -c
"import openledger.cli"``, the start-up every ``openledger`` line pays.
``--quick`` changes nothing (the quick start has one size).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "lib"))
import quickstart  # noqa: E402

from protocol import Figures, split_flags  # noqa: E402

TARGET_SECONDS = 60.0
EMPTY = """[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "empty-package"
version = "0.1.0"
"""


def main() -> None:
    as_json, _, _ = split_flags()
    figures = Figures("plugin quickstart")
    with tempfile.TemporaryDirectory(prefix="bench-quickstart-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        python = quickstart.throwaway_venv(folder / "venv")
        steps = quickstart.run(quickstart.commands(), python, folder)
        total = time.perf_counter() - start
        for step in steps:
            print(f"{step.seconds:7.1f} s  {step.line}")
        if steps[-1].done.returncode != 0:
            raise SystemExit(f"{steps[-1].line} failed:\n{steps[-1].done.stdout}{steps[-1].done.stderr}")
        (folder / "empty" / "empty_package").mkdir(parents=True)
        (folder / "empty" / "pyproject.toml").write_text(EMPTY)
        (folder / "empty" / "empty_package" / "__init__.py").write_text("")
        floor = quickstart.run(["pip install -e empty"], python, folder)[0]
        begin = time.perf_counter()
        subprocess.run([str(python), "-c", "import openledger.cli"], check=True)
        startup = time.perf_counter() - begin
    install = next(s for s in steps if s.line.startswith("pip install"))
    print(f"quick start, {len(steps)} commands      : {total:7.1f} s (target: under {TARGET_SECONDS:.0f} s)")
    print(f"pip install -e of the new plugin  : {install.seconds:7.1f} s; of an empty package: {floor.seconds:.1f} s")
    paying = sum(s.line.startswith("openledger") for s in steps)
    print(f"start-up of the openledger command: {startup:7.1f} s, paid by {paying} of the lines")
    figures.add("quick start of docs/plugins.md, new source plugin to ingested sample", round(total, 1), "s",
                TARGET_SECONDS, "floor: the target of issue 17")
    figures.add("pip install -e of the generated plugin", round(install.seconds, 2), "s", round(floor.seconds, 2),
                "floor: pip install -e of an empty package")
    figures.emit(as_json)


if __name__ == "__main__":
    main()

"""docs/plugins.md's quick start, followed to the letter: a new source plugin made with
``openledger new-plugin`` installs (``pip install -e``, into a throwaway virtual environment),
passes its generated tests, is listed by ``openledger plugins --check`` and ingests its sample
file. (How long it takes is measured by bench/bench_plugin_quickstart.py.)"""

from __future__ import annotations

import quickstart


def test_the_quickstart_of_the_plugin_guide_works(tmp_path):
    lines = quickstart.commands()
    assert lines[0] == "openledger new-plugin reddit --kind source"
    python = quickstart.throwaway_venv(tmp_path / "venv")
    steps = quickstart.run(lines, python, tmp_path)
    failed = [s for s in steps if s.done.returncode != 0]
    assert not failed, f"{failed[0].line}: {failed[0].done.stdout[-3000:]}{failed[0].done.stderr[-3000:]}"
    assert len(steps) == len(lines)
    assert "5 passed" in steps[2].done.stdout
    assert "reddit 0.1.0 (installed: openledger-reddit)\n  entry point: reddit = openledger_reddit\n" \
           "  hooks: register_sources\n  source: reddit 0.1.0\n" in steps[4].done.stdout
    assert "imported 4 messages into 2 new cases" in steps[5].done.stdout
    # installed into the throwaway environment only, not into the one running the tests
    from importlib.metadata import entry_points

    assert "reddit" not in {ep.name for ep in entry_points(group="openledger")}

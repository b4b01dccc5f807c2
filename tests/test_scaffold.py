"""``openledger new-plugin``: every kind of template gives a package whose own tests pass and that ruff finds clean.

The source kind is followed further, installed into a throwaway environment, by
tests/e2e/test_plugin_quickstart.py (the quick start of docs/plugins.md).
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from openledger.templates.scaffold import KINDS
from openledger.testing import command


def run(*args, expect: int = 0):
    result = CliRunner().invoke(command(), [str(a) for a in args])
    assert result.exit_code == expect, result.output
    return result


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "source"])  # source: tests/e2e/test_plugin_quickstart
def test_a_new_plugin_passes_its_generated_tests(tmp_path, kind):
    name = f"acme-{kind}"
    result = run("new-plugin", name, "--kind", kind, "--out", tmp_path / name)
    folder = tmp_path / name
    module = f"openledger_acme_{kind}"
    assert {"pyproject.toml", "README.md", "tests/conftest.py", f"src/{module}/__init__.py",
            f"tests/test_{module}.py"} <= {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert f"wrote {len([p for p in folder.rglob('*') if p.is_file()])} files into {folder}" in result.stdout
    # not installed: the generated conftest puts src/ on the path; the tests load only this plugin
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=folder,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "skipped" not in done.stdout
    lint = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "E,F,W,I,B,UP",
                           "--line-length", "120", str(folder)], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout


def test_bad_names_and_existing_folders_are_one_line(tmp_path):
    result = run("new-plugin", "Reddit_Source", "--kind", "source", "--out", tmp_path / "x", expect=1)
    assert result.stderr.strip() == ("Error: plugin name 'Reddit_Source': use lower-case letters and digits, words "
                                     "joined by '-' (at most 40 characters), e.g. 'reddit' or 'acme-helpdesk'")
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    result = run("new-plugin", "reddit", "--kind", "source", "--out", tmp_path / "taken", expect=1)
    assert result.stderr.strip() == f"Error: {tmp_path / 'taken'}: exists and is not an empty folder; choose " \
                                    "another --out"
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]
    result = run("new-plugin", "reddit", "--kind", "widget", expect=2)
    assert "Invalid value for '--kind'" in result.stderr

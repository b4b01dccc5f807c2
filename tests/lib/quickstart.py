"""The quick start of docs/plugins.md, run as a new plugin author runs it, in a throwaway virtual environment.

:func:`commands` reads the lines of the ``console`` block after the
``<!-- quickstart`` marker; :func:`throwaway_venv` makes a virtual
environment that sees the packages of the running one (what
``--system-site-packages`` gives on a machine-wide install: a ``.pth`` file
adding this environment's ``site-packages`` as a site directory), so ``pip install -e`` installs
the new plugin there and nowhere else; :func:`run` runs each line with that
environment's ``python`` (``openledger`` as ``python -m openledger``, ``pip``
as ``python -m pip``, offline: ``--no-build-isolation``). Used by
``tests/e2e/test_plugin_quickstart.py`` and ``bench/bench_plugin_quickstart.py``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sysconfig
import time
import venv
from dataclasses import dataclass
from pathlib import Path

from paths import DOCS

MARKER = "<!-- quickstart"


def commands(text: str | None = None) -> list[str]:
    """The command lines of the quick start in docs/plugins.md, without their ``$ ``."""
    text = text if text is not None else (DOCS / "plugins.md").read_text("utf-8")
    after = text[text.index(MARKER):]
    block = re.search(r"```console\n(.*?)```", after, re.S)
    assert block is not None, "no console block after the quickstart marker"
    return [line[2:] for line in block.group(1).splitlines() if line.startswith("$ ")]


def throwaway_venv(folder: Path) -> Path:
    """A virtual environment in ``folder`` that also sees this one's packages; returns its python."""
    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(folder)
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # what --system-site-packages does for the machine's packages: addsitedir, which also reads the .pth files
    # there (the editable install of openledger is one)
    parent = sysconfig.get_paths()["purelib"]
    Path(purelib, "openledger-parent.pth").write_text(f"import site; site.addsitedir({parent!r})\n")
    return python


def argv(line: str, python: Path) -> list[str]:
    """The command of one line, with the throwaway environment's python."""
    words = shlex.split(line)
    program, rest = words[0], words[1:]
    if program == "openledger":
        return [str(python), "-m", "openledger", *rest]
    if program == "pip":
        return [str(python), "-m", "pip", *rest[:1], "--no-build-isolation", "--no-index", "--quiet", *rest[1:]]
    if program == "python":
        return [str(python), *rest]
    raise AssertionError(f"the quick start runs only openledger, pip and python, not {program!r}")


@dataclass
class Step:
    line: str
    seconds: float
    done: subprocess.CompletedProcess


def run(lines: list[str], python: Path, cwd: Path) -> list[Step]:
    """Run each line in ``cwd``; stop at the first that fails (its step is the last)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENLEDGER_", "PYTHONPATH", "VIRTUAL_ENV"))}
    env["PATH"] = os.pathsep.join([str(python.parent), env.get("PATH", "")])
    steps = []
    for line in lines:
        start = time.perf_counter()
        done = subprocess.run(argv(line, python), cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        steps.append(Step(line, time.perf_counter() - start, done))
        if done.returncode != 0:
            break
    return steps



"""Run the demo and the main commands reproducibly and write a manifest of every output.

A refactoring that must not change behaviour is checked by running this
script before and after it and comparing the two manifests::

    .venv/bin/python scripts/demo_snapshot.py before.json
    ... change the code ...
    .venv/bin/python scripts/demo_snapshot.py after.json
    .venv/bin/python scripts/demo_snapshot.py --compare before.json after.json

The run is made deterministic: a fixed clock (``time-machine``, not ticking),
``os.urandom`` replaced by a counter-mode SHA-256 stream (so secrets, salts
and signing keys repeat), ``PYTHONHASHSEED=0``. The manifest holds the
SHA-256 of every file the demo and the build wrote (the SQLite database as a
sorted dump of its rows, not its pages), and the output of each command with
durations ("in 1.2 s") masked.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

FROZEN = "2026-06-30T12:00:00+00:00"
COMMANDS = [
    ["demo", "--cases", "300", "--seed", "7"],
    ["audit", "--json"],
    ["audit", "--by", "channel"],
    ["audit", "--by", "audience", "--json"],
    ["cases", "list", "--limit", "40"],
    ["cases", "list", "--json", "--limit", "40"],
    ["cases", "show", "5", "--json"],
    ["cases", "show", "17"],
    ["receipt", "5", "--json"],
    ["receipt", "9"],
    ["plugins", "--json"],
    ["plugins"],
    ["checkpoint"],
    ["escalate", "58", "--reason", "snapshot"],
    ["respond", "58", "--accept-draft"],
    ["resolve", "58", "--outcome", "upheld", "--remedy", "refund", "--amount", "12", "--reason", "snapshot"],
    ["reopen", "58", "--reason", "snapshot"],
    ["build"],
    ["verify", "{site}", "--key", "{home}/verifier.key"],
    ["audit", "--from-site", "{site}", "--json"],
    ["export-log", "{work}/exported"],
    ["ingest", "jsonl", "{examples}/messages.jsonl"],
    ["ingest", "csv", "{examples}/calls.csv", "-o", "columns.id=Call ID", "-o", "columns.timestamp=Started",
     "-o", "columns.author=Caller", "-o", "columns.text=Notes", "-o", "ignore=Agent", "-o", "channel=phone",
     "-o", "visibility=private"],
    ["process"],
    ["classify", "--jsonl", "{examples}/messages.jsonl"],
    ["redact", "--jsonl", "{examples}/messages.jsonl"],
    ["erase", "@dana_k", "--channel", "twitter", "--identity", "--yes"],
    ["ingest", "jsonl", "{work}/missing.jsonl"],
    ["cases", "show", "999999"],
]

DRIVER = r'''
import hashlib, os, sys, time_machine
_state = {"n": 0}
def _urandom(n):
    out = b""
    while len(out) < n:
        _state["n"] += 1
        out += hashlib.sha256(b"openledger-snapshot-%d" % _state["n"]).digest()
    return out[:n]
os.urandom = _urandom
import random
random.seed(0)
import secrets
secrets._sysrand = random.Random(0)
secrets._sysrand.randbytes = _urandom
traveller = time_machine.travel(sys.argv[1], tick=False)
traveller.start()
from importlib.metadata import entry_points
main = next(iter(entry_points(group="console_scripts", name="openledger"))).load()
sys.argv = ["openledger", *sys.argv[2:]]
try:
    main()
finally:
    traveller.stop()
'''

_DURATION = re.compile(r"\b\d+(?:\.\d+)? ?(?:s|ms|µs|seconds?)\b")
_VENV = re.compile(r"\S*/\.venv/bin/")


def _mask(text: str, work: Path) -> str:
    text = text.replace(str(work), "WORK")
    text = _VENV.sub("VENV/", text)
    return _DURATION.sub("<t>", text)


def _sqlite_dump(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        lines = sorted(conn.iterdump())
    finally:
        conn.close()
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _tree(root: Path, work: Path) -> dict[str, str]:
    out = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(work).as_posix()
        if path.suffix in (".db-wal", ".db-shm") or path.name.endswith(("-wal", "-shm")):
            continue
        if path.suffix == ".db":
            out[rel] = "rows:" + _sqlite_dump(path)
        elif path.suffix == ".jsonl" and path.parent.name == "quarantine":
            out[rel.rsplit("-", 1)[0]] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def snapshot(target: Path) -> None:
    repo = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="ol-snapshot-") as tmp:
        work = Path(tmp)
        home, site = work / "home", work / "home" / "site"
        env = {**os.environ, "PYTHONHASHSEED": "0", "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
        env.pop("OPENLEDGER_HOME", None)
        env.pop("OPENLEDGER_DATABASE_URL", None)
        outputs = []
        for command in COMMANDS:
            args = [a.format(site=site, home=home, work=work, examples=repo / "examples") for a in command]
            run = subprocess.run([sys.executable, "-c", DRIVER, FROZEN, "--home", str(home), *args],
                                 cwd=work, env=env, capture_output=True, text=True)
            outputs.append({"command": " ".join(command), "exit": run.returncode,
                            "stdout": _mask(run.stdout, work), "stderr": _mask(run.stderr, work)})
        manifest = {"outputs": outputs, "files": _tree(work, work)}
    target.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"{target}: {len(manifest['files'])} files, {len(outputs)} commands")


def compare(a: Path, b: Path) -> int:
    left, right = json.loads(a.read_text("utf-8")), json.loads(b.read_text("utf-8"))
    differences = []
    for x, y in zip(left["outputs"], right["outputs"]):
        for key in ("exit", "stdout", "stderr"):
            if x[key] != y[key]:
                differences.append(f"command '{x['command']}': {key} differs")
    files = sorted(set(left["files"]) | set(right["files"]))
    for name in files:
        if left["files"].get(name) != right["files"].get(name):
            state = "only before" if name not in right["files"] else "only after" \
                if name not in left["files"] else "content differs"
            differences.append(f"{name}: {state}")
    for line in differences:
        print(line)
    print(f"{len(differences)} differences in {len(files)} files and {len(left['outputs'])} commands")
    return 1 if differences else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest", type=Path, nargs="+")
    parser.add_argument("--compare", action="store_true", help="compare two manifests")
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare(*args.manifest))
    snapshot(args.manifest[0])

"""A full disk during an import is one line, and nothing of the file is written."""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
from pathlib import Path

from openledger.testing import make_instance

RECORD = {"channel": "email", "visibility": "private", "timestamp": "2026-02-01T10:00:00Z",
          "text": "My parcel never arrived, and nobody answers the phone. " * 10}


def small_disk(folder: Path):
    """A 1 MiB tmpfs at ``folder`` if this machine lets us mount one (root), else None."""
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True)
    return folder if done.returncode == 0 else None


def test_a_full_disk_is_one_line_and_nothing_is_imported(tmp_path):
    data = tmp_path / "many.jsonl"
    data.write_text("".join(json.dumps({**RECORD, "id": f"m{i}", "author": f"u{i}@example.com"}) + "\n"
                            for i in range(3000)))
    disk = small_disk(tmp_path / "disk")
    limit = None
    try:
        home = (disk or tmp_path) / "home"
        instance = make_instance(home)
        size = (home / "openledger.db").stat().st_size
        if disk is None:  # no mount here: a file size limit makes the database's writes fail the same way
            limit = size + 4 * data.stat().st_size

        def cap() -> None:
            if limit:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        done = subprocess.run([sys.executable, "-m", "openledger", "--home", str(home), "ingest", "jsonl", str(data)],
                              capture_output=True, text=True, preexec_fn=cap, timeout=300)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        (line,) = done.stderr.strip().splitlines()
        assert line.startswith(f"Error: {data}: database: ") and line.endswith("(nothing from this file was imported)")
        assert ("database or disk is full" in line) if disk else ("disk I/O error" in line or "full" in line)
        assert instance.count("messages") == 0 and instance.count("events") == 0
        assert instance.run("cases", "list").exit_code == 0  # the instance is intact and usable
        instance.close()
    finally:
        if disk:
            subprocess.run(["umount", "-l", str(disk)], check=False)  # lazy: an open handle must not keep it

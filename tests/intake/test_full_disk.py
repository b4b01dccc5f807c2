"""A full disk during an import is one line; it leaves whole records (batches committed before the disk
filled), says how many, and the same command run again, with space, imports exactly the rest."""

from __future__ import annotations

import json
import re
import resource
import signal
import subprocess
import sys
from pathlib import Path

from openledger.testing import make_instance

RECORD = {"channel": "email", "visibility": "private", "timestamp": "2026-02-01T10:00:00Z",
          "text": "My parcel never arrived, and nobody answers the phone. " * 10}


def small_disk(folder: Path):
    """A 2 MiB tmpfs at ``folder`` if this machine lets us mount one (root), else None."""
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], capture_output=True)
    return folder if done.returncode == 0 else None


def committed_in(line: str, data: Path) -> int:
    """The records the error line says were committed (0: it says nothing was imported)."""
    if line.endswith("(nothing from this file was imported)"):
        return 0
    found = re.search(rf"\(([\d,]+) records of {re.escape(str(data))} were committed in whole batches; run the same "
                      r"command again to import the rest\)$", line)
    assert found, line
    return int(found.group(1).replace(",", ""))


def test_a_full_disk_is_one_line_leaves_whole_records_and_a_rerun_completes(tmp_path):
    data = tmp_path / "many.jsonl"
    data.write_text("".join(json.dumps({**RECORD, "id": f"m{i}", "author": f"u{i}@example.com"}) + "\n"
                            for i in range(3000)))
    disk = small_disk(tmp_path / "disk")
    limit = None
    try:
        home = (disk or tmp_path) / "home"
        instance = make_instance(home)
        config = home / "openledger.toml"  # batches of at most 200 records: some commit before the disk fills
        config.write_text(config.read_text().replace("\nbatch_size = 2000\n", "\nbatch_size = 200\n"))
        size = (home / "openledger.db").stat().st_size
        if disk is None:  # no mount here: a file size limit makes the database's writes fail the same way
            limit = size + 2 * data.stat().st_size

        def cap() -> None:
            if limit:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        done = subprocess.run([sys.executable, "-m", "openledger", "--home", str(home), "ingest", "jsonl", str(data)],
                              capture_output=True, text=True, preexec_fn=cap, timeout=300)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        (line,) = done.stderr.strip().splitlines()
        assert line.startswith(f"Error: {data}: database: ")
        assert ("database or disk is full" in line) if disk else ("disk I/O error" in line or "full" in line)
        committed = committed_in(line, data)
        assert 0 < committed < 3000  # the disk filled after some batches (0 would say "nothing ... imported")
        # whole records: each message stored has its case and its event, and nothing else is there
        assert instance.count("messages") == committed == instance.count("cases") == instance.count("events")
        assert instance.run("cases", "list").exit_code == 0  # the instance is intact and usable
        if disk:
            subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        again = subprocess.run([sys.executable, "-m", "openledger", "--home", str(home), "ingest", "jsonl", str(data)],
                               capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
        assert f"imported {3000 - committed} messages into {3000 - committed} new cases ({committed} already " \
            "imported" in again.stdout
        assert instance.count("messages") == 3000 == instance.count("cases") == instance.count("events")
        instance.run("export-log", tmp_path / "log")
        assert "3000 entries" in instance.run("verify", tmp_path / "log").stdout
        instance.close()
    finally:
        if disk:
            subprocess.run(["umount", "-l", str(disk)], check=False)  # lazy: an open handle must not keep it

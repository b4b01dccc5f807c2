"""An import holds no lock while it reads its file: agent commands go on meanwhile, and a bad record
still means nothing of the file is written (tests/intake/test_batches.py: the write phase, in batches)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from paths import EXAMPLES

from openledger.testing import InstanceRunner

RECORD = {"channel": "email", "visibility": "private", "timestamp": "2026-02-01T10:00:00Z",
          "author": "slow@example.com", "text": "My parcel never arrived."}


def start_import(instance: InstanceRunner, fifo, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "openledger", "--home", str(instance.home), "--db", instance.db_url,
               "ingest", "jsonl", str(fifo), *extra]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def resolve(instance: InstanceRunner, case: int) -> None:
    """``resolve`` in its own process, with a time-out: if it waited for the import (as it did),
    the test fails instead of hanging (the import waits for the test to write more)."""
    done = subprocess.run(
        [sys.executable, "-m", "openledger", "--home", str(instance.home), "--db", instance.db_url, "resolve",
         str(case), "--outcome", "upheld", "--remedy", "refund", "--amount", "45", "--reason", "lost parcel"],
        capture_output=True, text=True, timeout=90,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture
def opened_case(instance: InstanceRunner) -> int:
    instance.run("ingest", "jsonl", EXAMPLES / "messages.jsonl")
    instance.run("process")
    return min(c["id"] for c in instance.json("cases", "list", "--json") if c["channel"] == "email")


def test_resolve_runs_while_an_import_is_still_reading_its_file(instance: InstanceRunner, opened_case, tmp_path):
    fifo = tmp_path / "slow.jsonl"
    os.mkfifo(fifo)
    importer = start_import(instance, fifo)
    try:
        with open(fifo, "w", encoding="utf-8") as pipe:  # the import is now reading, and waits for more
            pipe.write(json.dumps({**RECORD, "id": "slow-1"}) + "\n")
            pipe.flush()
            # the agent's command does not wait for the import (it used to fail after 30 s on SQLite)
            resolve(instance, opened_case)
            pipe.write(json.dumps({**RECORD, "id": "slow-2"}) + "\n")
        out, err = importer.communicate(timeout=120)
    finally:
        importer.kill()
    assert importer.returncode == 0, err
    assert "imported 2 messages into 2 new cases" in out
    assert instance.count("messages", "author = 'slow@example.com'") == 2


def test_a_file_that_fails_after_agents_wrote_meanwhile_leaves_nothing(instance: InstanceRunner, opened_case,
                                                                       tmp_path):
    fifo = tmp_path / "broken.jsonl"
    os.mkfifo(fifo)
    importer = start_import(instance, fifo)
    try:
        with open(fifo, "w", encoding="utf-8") as pipe:
            pipe.write(json.dumps({**RECORD, "id": "b-1"}) + "\n")
            pipe.flush()
            resolve(instance, opened_case)
            pipe.write(json.dumps({**RECORD, "id": "b-2", "timestamp": "not a time"}) + "\n")
        out, err = importer.communicate(timeout=120)
    finally:
        importer.kill()
    assert importer.returncode == 1 and err.strip().endswith("(nothing from this file was imported)"), err
    assert len(err.strip().splitlines()) == 1
    assert instance.count("messages", "author = 'slow@example.com'") == 0
    assert instance.count("events", "type = 'resolved'") == 1  # the agent's work stays

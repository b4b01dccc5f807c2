"""A long import commits in batches of whole records: agent commands get in between, and an
interrupted import leaves whole records that the same command, run again, completes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from openledger.intake.ingest import Ingestor
from openledger.testing import InstanceRunner

START = datetime(2025, 1, 1, tzinfo=UTC)


def write_messages(path: Path, n: int, first: int = 0) -> Path:
    """``n`` customer messages, each opening a case (as ``bench/bench_ingest.py`` writes them)."""
    with open(path, "w", encoding="utf-8") as f:
        for i in range(first, first + n):
            f.write(json.dumps({"id": f"m-{i:08d}", "channel": ("email", "phone", "letter")[i % 3],
                                "visibility": "private", "timestamp": (START + timedelta(seconds=31 * i)).isoformat(),
                                "author": f"customer-{i % 5000}@example.com",
                                "text": "I was charged twice for my March bill, please refund it."}) + "\n")
    return path


def command(instance: InstanceRunner, *args: str) -> list[str]:
    return [sys.executable, "-m", "openledger", "--home", str(instance.home), "--db", instance.db_url,
            *[str(a) for a in args]]


def batch_size(instance: InstanceRunner, size: int) -> None:
    config = instance.home / "openledger.toml"
    text = config.read_text(encoding="utf-8")
    assert "\nbatch_size = 2000\n" in text
    config.write_text(text.replace("\nbatch_size = 2000\n", f"\nbatch_size = {size}\n"), encoding="utf-8")


def wait_for_first_batch(instance: InstanceRunner, importer: subprocess.Popen, where: str) -> int:
    """Wait until the import has committed some records (it is then writing); their number."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        found = instance.count("messages", where)
        if found:
            return found
        assert importer.poll() is None, importer.communicate()
        time.sleep(0.05)
    raise AssertionError("the import committed nothing in 300 s")


@pytest.fixture
def agent_case(instance: InstanceRunner, tmp_path) -> int:
    write_messages(tmp_path / "first.jsonl", 1, first=10_000_000)
    instance.run("ingest", "jsonl", tmp_path / "first.jsonl")
    return 1


WARM_AGENT = """
import sys
from openledger import plugins
from openledger.cli import main
plugins.manager()  # started and warmed before the import: its wait is measured, not Python's start-up
print("ready", flush=True)
sys.stdin.readline()
sys.argv = ["openledger", *sys.argv[1:]]
main()  # the command line, as 'python -m openledger' runs it
"""


def test_an_agent_command_gets_in_while_a_large_import_writes(instance: InstanceRunner, agent_case, tmp_path):
    # big enough that writing it takes well over the agent's bound, on either database
    n = 40_000 if instance.db_url.startswith("sqlite") else 15_000
    data = write_messages(tmp_path / "big.jsonl", n)
    resolve = command(instance, "resolve", agent_case, "--outcome", "upheld", "--remedy", "refund", "--amount", "45",
                      "--reason", "charged twice")
    agent = subprocess.Popen([sys.executable, "-c", WARM_AGENT, *resolve[3:]], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    importer = None
    try:
        assert agent.stdout is not None and agent.stdout.readline().strip() == "ready"
        started = time.monotonic()
        importer = subprocess.Popen(command(instance, "ingest", "jsonl", data), stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
        before = wait_for_first_batch(instance, importer, "external_id like 'm-0%'")
        asked = time.monotonic()
        _, agent_err = agent.communicate("go\n", timeout=120)  # 'openledger resolve ...', now
        waited = time.monotonic() - asked
        assert agent.returncode == 0, agent_err
        still_writing = importer.poll() is None
        after = instance.count("messages", "external_id like 'm-0%'")
        out, err = importer.communicate(timeout=600)
    finally:
        agent.kill()
        if importer is not None:
            importer.kill()
    took = time.monotonic() - started
    assert importer.returncode == 0, err
    assert f"imported {n} messages into {n} new cases" in out
    # the agent did not wait for the import: it finished while the import went on writing
    assert waited < 10, f"resolve took {waited:.1f} s while the import wrote"
    assert still_writing and before < after < n, (before, after)
    assert took > waited
    assert instance.count("events", "type = 'resolved'") == 1
    assert instance.count("cases") == n + 1 == instance.count("events", "type = 'opened'")


def test_kill_9_mid_import_then_the_same_command_imports_exactly_the_rest(instance: InstanceRunner, tmp_path):
    n = 6_000
    batch_size(instance, 250)
    data = write_messages(tmp_path / "many.jsonl", n)
    importer = subprocess.Popen(command(instance, "ingest", "jsonl", data), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    try:
        wait_for_first_batch(instance, importer, "")
        os.kill(importer.pid, signal.SIGKILL)
        importer.communicate(timeout=60)
    finally:
        importer.kill()
    committed = instance.count("messages")
    assert 0 < committed < n
    # whole records: every message stored has its case and its event, and nothing else is there
    assert instance.count("cases") == committed == instance.count("events", "type = 'opened'")
    again = subprocess.run(command(instance, "ingest", "jsonl", data), capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"imported {n - committed} messages into {n - committed} new cases ({committed} already imported" \
        in again.stdout
    assert instance.count("cases") == n == instance.count("messages") == instance.count("events")
    out = tmp_path / "log"
    instance.run("export-log", out)
    assert f"{n} entries" in instance.run("verify", out).stdout


def thread_file(path: Path, threads: int) -> Path:
    """Conversations whose replies come much later in the file (and some before their parent)."""
    lines = []
    for t in range(threads):
        at = START + timedelta(hours=t)
        lines.append({"id": f"t{t}-open", "thread": f"th-{t}", "direction": "in", "timestamp": at.isoformat(),
                      "author": f"c{t}@example.com", "text": "My order never came."})
    for t in range(threads):
        at = START + timedelta(hours=t, minutes=30)
        lines.append({"id": f"t{t}-answer", "reply_to": f"t{t}-open", "direction": "out",
                      "timestamp": at.isoformat(), "author": "support", "text": "We are on it."})
        lines.append({"id": f"t{t}-more", "thread": f"th-{t}", "direction": "in",
                      "timestamp": (at + timedelta(minutes=5)).isoformat(), "author": f"c{t}@example.com",
                      "text": "Any news?"})
    for t in range(threads):  # a reply listed before the message it answers
        at = START + timedelta(days=10, hours=t)
        lines.append({"id": f"t{t}-late-reply", "reply_to": f"t{t}-late", "direction": "out",
                      "timestamp": (at + timedelta(minutes=1)).isoformat(), "author": "support", "text": "Sorry."})
    for t in range(threads):
        at = START + timedelta(days=10, hours=t)
        lines.append({"id": f"t{t}-late", "direction": "in", "timestamp": at.isoformat(),
                      "author": f"late{t}@example.com", "text": "Wrong bill."})
    path.write_text("".join(json.dumps({"channel": "email", "visibility": "private", **r}) + "\n" for r in lines))
    return path


def placement(instance: InstanceRunner) -> dict[str, str]:
    """Each message's id -> the id of the message that opened its case."""
    with instance.engine.connect() as conn:
        rows = conn.execute(sa.text("select m.external_id, c.external_id from messages m "
                                    "join cases c on c.id = m.case_id"))
        return {str(message): str(opener) for message, opener in rows}


def placement_in_one_go(tmp_path: Path, data: Path) -> dict[str, str]:
    """The placement of ``data``'s messages when a fresh instance imports it in one batch."""
    other = InstanceRunner(home=tmp_path / "one", db_url=f"sqlite:///{tmp_path / 'one.db'}")
    other.run("init", "--name", "Reference")
    other.run("ingest", "jsonl", data)  # at most a few hundred records: one batch
    try:
        return placement(other)
    finally:
        other.close()


def test_threads_split_across_batches_link_as_in_one(instance: InstanceRunner, tmp_path, monkeypatch):
    data = thread_file(tmp_path / "threads.jsonl", 30)
    expected = placement_in_one_go(tmp_path, data)  # 150 records: one batch
    batch_size(instance, 7)
    monkeypatch.setattr("openledger.intake.ingest.COMMIT_SECONDS", 0.0)  # a commit after every chunk of 7
    monkeypatch.setattr("openledger.intake.ingest._Chunks.took", lambda *_: None)
    commits = []
    write = Ingestor._write

    def counting(self, report, *args, **kwargs):
        write(self, report, *args, **kwargs)
        commits.append(report.commits)

    monkeypatch.setattr(Ingestor, "_write", counting)
    assert "imported 150 messages into 60 new cases" in instance.run("ingest", "jsonl", data).stdout
    assert commits[0] == 23  # 150 records in chunks of 7, then the replies listed before their parent
    assert placement(instance) == expected
    assert expected["t3-more"] == expected["t3-answer"] == "t3-open"
    assert expected["t4-late-reply"] == "t4-late"


def test_ctrl_c_while_writing_says_what_was_committed_and_a_rerun_completes(instance: InstanceRunner, tmp_path,
                                                                           monkeypatch):
    data = thread_file(tmp_path / "threads.jsonl", 30)
    expected = placement_in_one_go(tmp_path, data)
    batch_size(instance, 10)
    monkeypatch.setattr("openledger.intake.ingest.COMMIT_SECONDS", 0.0)  # a commit after every chunk of 10
    monkeypatch.setattr("openledger.intake.ingest._Chunks.took", lambda *_: None)
    calls = []
    write_batch = Ingestor._write_batch

    def interrupted(self, *args):
        calls.append(1)
        if len(calls) == 6:
            raise KeyboardInterrupt
        write_batch(self, *args)

    monkeypatch.setattr(Ingestor, "_write_batch", interrupted)
    result = instance.run("ingest", "jsonl", data, expect=130)
    assert result.stderr.strip() == (f"interrupted; 50 records of {data} were committed in whole batches; "
                                     "run the same command again to import the rest")
    # five chunks: the 30 openers, then 10 conversations' answer and next message (in their cases)
    assert instance.count("messages") == 50 and instance.count("cases") == 30
    monkeypatch.setattr(Ingestor, "_write_batch", write_batch)
    again = instance.run("ingest", "jsonl", data).stdout
    assert "imported 100 messages into 30 new cases (50 already imported)" in again
    assert placement(instance) == expected

"""``openledger run``: rounds of poll, process, build, verify and publish; the last good site kept on failure."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from paths import EXAMPLES, ROOT

from openledger.instance import Instance
from openledger.ledger.checkpoint import Checkpoint, open_checkpoint, sign_checkpoint
from openledger.ledger.note import parse_verifier_key
from openledger.service.loop import exclusive, parse_interval
from openledger.testing import InstanceRunner, make_instance


def more_messages(path, count: int, start: int = 0):
    with open(path, "w") as f:
        for n in range(start, start + count):
            f.write(json.dumps({"id": f"later-{n}", "channel": "webform", "visibility": "private",
                                "timestamp": f"2026-04-{1 + n % 28:02d}T09:00:00Z", "author": f"c{n}@example.org",
                                "text": "The technician never came."}) + "\n")
    return path


def test_run_once_twice_publishes_a_consistent_extension(instance: InstanceRunner, tmp_path):
    site = tmp_path / "public"
    instance.run("ingest", "jsonl", EXAMPLES / "messages.jsonl")
    first = instance.run("run", "--once", "--out", site)
    for step in ("poll: no poller configured", "process: 5 cases", "build: built", "verify: ok:", "publish: published"):
        assert step in first.stderr, step
    assert first.stdout.startswith("published in ")
    old = (site / "ledger" / "checkpoint").read_bytes()
    assert (instance.home / "run" / "published.checkpoint").read_bytes() == old
    old_size = int(old.decode().splitlines()[1])

    instance.run("ingest", "jsonl", more_messages(tmp_path / "later.jsonl", 3))
    second = instance.run("run", "--once", "--out", site)
    assert f"a consistent extension of size {old_size})" in second.stderr
    new = (site / "ledger" / "checkpoint").read_bytes()
    assert int(new.decode().splitlines()[1]) > old_size
    (tmp_path / "old.checkpoint").write_bytes(old)
    verified = instance.run("verify", site, "--since", tmp_path / "old.checkpoint")
    assert f"consistent with the checkpoint of size {old_size}" in verified.stdout
    assert not (tmp_path / ".public.next").exists() and sorted(p.name for p in tmp_path.iterdir()
                                                                 if p.name.startswith(".public")) == []
    status = json.loads((instance.home / "run" / "status.json").read_text())
    assert status["round"]["ok"] and [s["name"] for s in status["round"]["steps"]] == [
        "poll", "process", "build", "verify", "publish"]


def test_a_log_that_is_no_extension_is_not_published(instance: InstanceRunner, tmp_path):
    site = tmp_path / "public"
    instance.run("ingest", "jsonl", EXAMPLES / "messages.jsonl")
    instance.run("run", "--once", "--out", site)
    published = (site / "ledger" / "checkpoint").read_bytes()
    # the instance remembers a checkpoint this log does not extend (a restored backup, a rewritten history)
    app = Instance(instance.home, instance.db_url)
    verifier = parse_verifier_key(app.verifier_path.read_text())
    checkpoint, _ = open_checkpoint(published, [verifier])
    forged = sign_checkpoint(Checkpoint(checkpoint.origin, checkpoint.size, bytes(32)), app.signer())
    (instance.home / "run" / "published.checkpoint").write_bytes(forged)
    instance.run("ingest", "jsonl", more_messages(tmp_path / "later.jsonl", 2))
    result = instance.run("run", "--once", "--out", site, expect=1)
    assert "verify: FAILED: the new site failed verification, the published one was kept" in result.stderr
    assert "not an extension" in result.stderr and "Traceback" not in result.output
    assert result.stdout.startswith("round failed at verify")
    assert (site / "ledger" / "checkpoint").read_bytes() == published
    status = json.loads((instance.home / "run" / "status.json").read_text())
    assert status["round"]["failed_step"] == "verify" and status["last_published_at"]
    assert not (tmp_path / ".public.next").exists()


def test_a_failing_poller_is_reported_and_the_rest_still_publishes(tmp_path):
    inst = make_instance(tmp_path / "home")
    password = tmp_path / "password"
    password.write_text("x\n")
    password.chmod(0o600)
    with open(inst.home / "openledger.toml", "a") as f:
        f.write(f'\n[pollers.mail]\ntype = "imap"\nhost = "127.0.0.1"\nport = 1\nuser = "u"\n'
                f'password_file = "{password}"\n')
    inst.run("ingest", "jsonl", EXAMPLES / "messages.jsonl")
    result = inst.run("run", "--once", "--out", tmp_path / "site", expect=1)
    assert "poll: FAILED: 1 poller(s), 0 messages, 0 new cases; 1 failed: mail: IMAP 127.0.0.1:1: cannot connect" \
        in result.stderr
    assert result.stdout.startswith("published with 1 step(s) failing")
    assert (tmp_path / "site" / "index.html").is_file()
    inst.close()


def test_refusals(tmp_path):
    inst = make_instance(tmp_path / "home")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("not a site")
    result = inst.run("run", "--once", "--out", tmp_path / "mine", expect=1)
    assert "exists and is not an openledger site" in result.output
    assert (tmp_path / "mine" / "notes.txt").exists()
    assert "not an interval" in inst.run("run", "--every", "soon", "--out", tmp_path / "s", expect=2).output
    with exclusive(Instance(inst.home, inst.db_url)):
        busy = inst.run("run", "--once", "--out", tmp_path / "s", expect=1)
        assert f"another 'openledger run' works on this home (pid {os.getpid()})" in busy.output
    inst.close()


@pytest.mark.parametrize(("text", "seconds"), [("15m", 900), ("1h30m", 5400), ("90s", 90), ("2h", 7200),
                                               ("900", 900), ("1d", 86400)])
def test_intervals(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "0s", "m", "15x", "1h 30", "-5m"])
def test_bad_intervals(text):
    with pytest.raises(ValueError):
        parse_interval(text)


def test_run_every_keeps_going_until_sigterm(tmp_path):
    inst = make_instance(tmp_path / "home")
    inst.run("ingest", "jsonl", EXAMPLES / "messages.jsonl")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen([sys.executable, "-m", "openledger", "--home", str(inst.home), "run", "--every", "1s",
                                "--out", str(tmp_path / "site")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env, text=True)
    status = inst.home / "run" / "status.json"
    deadline = time.monotonic() + 240
    while not status.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    first = json.loads(status.read_text())["round"]["started_at"]
    while json.loads(status.read_text())["round"]["started_at"] == first and time.monotonic() < deadline:
        time.sleep(0.2)  # a second round ran
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=240)
    assert process.returncode == 0, err
    assert "stopping after this round (SIGTERM)" in err and err.count("publish: published") >= 2
    assert (tmp_path / "site" / "index.html").is_file()
    inst.close()

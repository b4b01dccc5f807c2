"""``process --jobs N``: cases decided in worker processes, written by one, on SQLite and PostgreSQL.

The cases are real customer texts (the labelled real set in tests/data:
tweets, CFPB narratives, reviews), more than one batch of them, so that
the worker processes start.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import sqlalchemy as sa
from paths import DATA

from openledger.testing import InstanceRunner, make_instance, plugin_manager

CASES = 450  # more than two batches of 200


def real_cases(path, n: int = CASES):
    """``n`` messages, each opening a case, with the texts of the labelled real set."""
    texts = [json.loads(line)["text"] for line in
             (DATA / "labelled_real_more.jsonl").read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"r{i}", "channel": ("twitter", "email", "review")[i % 3],
                                "visibility": ("public", "private", "public")[i % 3],
                                "timestamp": f"2026-03-{1 + i % 28:02d}T{i % 24:02d}:00:00Z",
                                "author": f"customer-{i}@example.com", "text": texts[i % len(texts)]}) + "\n")
    return path


def decisions(instance: InstanceRunner):
    """Every event process recorded and the cases' new state, without the times they were made."""
    with instance.engine.connect() as conn:
        events = [tuple(r) for r in conn.execute(sa.text(
            "select case_id, type, actor, data, private from events where type != 'opened' order by id"))]
        cases = [tuple(r) for r in conn.execute(sa.text(
            "select id, status, kind, category, severity, tier, escalated, replies_read from cases order by id"))]
    return events, cases


def test_worker_processes_decide_what_one_process_decides(tmp_path):
    data = real_cases(tmp_path / "cases.jsonl")
    one, two = make_instance(tmp_path / "one"), make_instance(tmp_path / "two")
    try:
        for inst, jobs in ((one, "1"), (two, "2")):
            inst.run("ingest", "jsonl", data)
            result = inst.run("process", "--jobs", jobs)
            assert f"processed {CASES} cases" in result.stdout
        assert decisions(one) == decisions(two)
        assert len(decisions(two)[0]) >= 2 * CASES  # classified and drafted at least, for every case
    finally:
        one.close()
        two.close()


def test_worker_processes_on_each_database(instance: InstanceRunner, tmp_path):
    instance.run("ingest", "jsonl", real_cases(tmp_path / "cases.jsonl"))
    assert f"processed {CASES} cases" in instance.run("process", "--jobs", "2").stdout
    assert instance.count("cases", "processed_at is null") == 0
    with instance.engine.connect() as conn:
        per_case = conn.execute(sa.text(
            "select count(*), count(distinct case_id) from events where type = 'classified'")).one()
    assert tuple(per_case) == (CASES, CASES)  # each case decided once
    assert "processed 0 cases" in instance.run("process", "--jobs", "2").stdout


def test_two_runs_at_once_process_each_case_once(instance: InstanceRunner, tmp_path):
    instance.run("ingest", "jsonl", real_cases(tmp_path / "cases.jsonl", 900))
    command = [sys.executable, "-m", "openledger", "--home", str(instance.home), "--db", instance.db_url,
               "process", "--jobs", "2"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    done = [int(out.split("processed ", 1)[1].split(" ", 1)[0]) for out, _ in outputs]
    assert sum(done) == 900  # what one run wrote, the other left alone
    with instance.engine.connect() as conn:
        per_case = conn.execute(sa.text(
            "select count(*), count(distinct case_id) from events where type = 'classified'")).one()
    assert tuple(per_case) == (900, 900)


def test_a_case_another_run_decided_between_the_reads_goes_to_the_workers(instance: InstanceRunner, tmp_path):
    """Each read of a batch sees what was committed before it: a case still unprocessed when its id was read can
    have another run's ``classified`` event (labels with their private detail) by the time its events are
    read. Such a case is shown here as every case is processed, then marked unprocessed again, as the first
    read saw it; the worker processes are sent its labels (once a pickling error: a read-only detail)."""
    instance.run("ingest", "jsonl", real_cases(tmp_path / "cases.jsonl"))
    instance.run("process")
    with instance.engine.begin() as conn:
        assert conn.execute(sa.text(
            "select count(*) from events where type = 'classified' and private is not null")).scalar() > 0
        conn.execute(sa.text("update cases set processed_at = null"))
    assert f"processed {CASES} cases" in instance.run("process", "--jobs", "2").stdout


def test_a_plugin_fault_in_a_worker_process_leaves_the_case_unprocessed(instance: InstanceRunner, tmp_path,
                                                                          install):
    instance.run("ingest", "jsonl", real_cases(tmp_path / "cases.jsonl"))
    name = install("acme", "classifiers:RANT_KIND")
    with plugin_manager(only=[name]):
        result = instance.run("process", "--jobs", "2", expect=1)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: plugin 'acme' (openledger-acme 0.1, entry point acme = "
                                                   "broken_plugins.classifiers:RANT_KIND): classifier 'rant-kind' on "
                                                   "case 1: gave kind 'rant'")
    assert lines[0].endswith(f"{CASES} cases in all are left unprocessed by plugin faults)")
    assert instance.count("cases", "processed_at is null") == CASES
    assert instance.count("plugin_faults", "plugin = 'acme'") == CASES
    assert instance.count("events", "type != 'opened'") == 0


def test_ctrl_c_stops_the_workers_with_one_line(instance: InstanceRunner, tmp_path):
    """Ctrl-C reaches the whole process group: the workers leave it to the command, which says one line;
    the batches written before it stay whole."""
    instance.run("ingest", "jsonl", real_cases(tmp_path / "cases.jsonl", 3000))
    command = [sys.executable, "-m", "openledger", "--home", str(instance.home), "--db", instance.db_url,
               "process", "--jobs", "2"]
    # as from a terminal: Ctrl-C not ignored, even when these tests run in the background (a shell without job
    # control starts background commands with SIGINT ignored, and a command rightly keeps ignoring it)
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while instance.count("cases", "processed_at is not null") < 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(run.pid, signal.SIGINT)
    _, err = run.communicate(timeout=120)
    assert run.returncode != 0
    assert err.strip().splitlines() == ["interrupted; the command did not finish"], err
    processed = instance.count("cases", "processed_at is not null")
    assert 200 <= processed < 3000 and processed % 200 == 0  # whole batches of 200
    assert instance.count("events", "type = 'classified'") == processed
    assert "processed" in instance.run("process", "--jobs", "2").stdout  # the rest on the next run
    assert instance.count("cases", "processed_at is null") == 0

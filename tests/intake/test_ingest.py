"""Ingest through the generic JSONL and CSV sources: threading, idempotence, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from paths import EXAMPLES

from openledger.testing import InstanceRunner


def write_jsonl(path: Path, records: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return path


def msg(id, text="My parcel never arrived.", **kw):
    base = {"id": id, "channel": "email", "visibility": "private", "timestamp": "2026-02-01T10:00:00Z",
            "author": "a@example.com", "text": text}
    base.update(kw)
    return base


def test_jsonl_threads_replies_into_cases(instance: InstanceRunner):
    result = instance.run("ingest", "jsonl", EXAMPLES / "messages.jsonl")
    assert "imported 8 messages into 5 new cases" in result.stdout
    cases = instance.json("cases", "list", "--json")
    assert sorted(c["channel"] for c in cases) == ["email", "facebook", "review", "twitter", "webform"]
    twitter = next(c for c in cases if c["channel"] == "twitter")
    assert twitter["visibility"] == "public" and twitter["status"] == "new"
    assert twitter["first_response_at"] == "2026-03-02T08:31:40Z"
    shown = instance.json("cases", "show", twitter["id"], "--json")
    assert [e["type"] for e in shown["events"]] == ["opened", "responded", "message"]
    assert [m["direction"] for m in shown["messages"]] == ["in", "out", "in"]
    email = next(c for c in cases if c["channel"] == "email")
    assert email["first_response_at"] is None
    assert [e["type"] for e in instance.json("cases", "show", email["id"], "--json")["events"]] == ["opened", "message"]


def test_reingest_adds_nothing(instance: InstanceRunner):
    instance.run("ingest", "jsonl", EXAMPLES / "messages.jsonl")
    counts = [instance.count(t) for t in ("cases", "messages", "events")]
    result = instance.run("ingest", "jsonl", EXAMPLES / "messages.jsonl")
    assert "imported 0 messages into 0 new cases (8 already imported)" in result.stdout
    assert [instance.count(t) for t in ("cases", "messages", "events")] == counts


def test_reply_before_its_parent_and_across_files(instance: InstanceRunner, tmp_path):
    first = write_jsonl(tmp_path / "a.jsonl", [
        msg("r1", "Any news?", reply_to="p1", timestamp="2026-02-02T10:00:00Z"),
        msg("p1", timestamp="2026-02-01T10:00:00Z"),
        msg("orphan", "Re: my claim", reply_to="never-seen", timestamp="2026-02-03T10:00:00Z"),
    ])
    instance.run("ingest", "jsonl", first)
    assert instance.count("cases") == 2  # p1 with its reply, and the orphan's own case
    second = write_jsonl(tmp_path / "b.jsonl", [
        msg("out1", "We have refunded you.", reply_to="r1", direction="out", timestamp="2026-02-04T09:00:00Z"),
    ])
    instance.run("ingest", "jsonl", second)
    assert instance.count("cases") == 2
    case = next(c for c in instance.json("cases", "list", "--json") if c["first_response_at"])
    shown = instance.json("cases", "show", case["id"], "--json")
    assert [m["id"] for m in shown["messages"]] == ["p1", "r1", "out1"]


def test_company_message_without_case_then_customer_reply(instance: InstanceRunner, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [
        msg("ann", "Planned maintenance tonight.", direction="out", channel="twitter", visibility="public"),
        msg("c1", "Maintenance again? My line is dead.", reply_to="ann", channel="twitter", visibility="public",
            timestamp="2026-02-01T11:00:00Z"),
    ])
    instance.run("ingest", "jsonl", path)
    assert instance.count("messages") == 2 and instance.count("cases") == 1
    assert instance.count("messages", "case_id is null") == 1


def test_csv_call_log_with_column_mapping(instance: InstanceRunner):
    result = instance.run(
        "ingest", "csv", EXAMPLES / "calls.csv",
        "-o", "columns.id=Call ID", "-o", "columns.timestamp=Started", "-o", "columns.author=Caller",
        "-o", "columns.text=Notes", "-o", "ignore=Agent", "-o", "channel=phone", "-o", "visibility=private",
    )
    assert "imported 3 messages into 3 new cases" in result.stdout
    cases = instance.json("cases", "list", "--json")
    assert {c["channel"] for c in cases} == {"phone"}
    # the same caller is one customer, linked by a keyed hash, never in clear
    with instance.engine.connect() as conn:
        import sqlalchemy as sa

        customers = [r[0] for r in conn.execute(sa.text("select customer from cases order by id"))]
    assert customers[0] == customers[2] != customers[1]
    assert all("+44" not in c for c in customers)


def test_csv_mapping_from_config(instance: InstanceRunner):
    config = instance.home / "openledger.toml"
    config.write_text(config.read_text() + """
[sources.csv]
columns = { id = "Call ID", timestamp = "Started", author = "Caller", text = "Notes" }
ignore = ["Agent"]
channel = "phone"
visibility = "private"
""")
    assert "into 3 new cases" in instance.run("ingest", "csv", EXAMPLES / "calls.csv").stdout


BAD_JSONL = [
    ('{"id": "x1", "channel": "email"', "line 2: invalid JSON"),
    ('["not", "an", "object"]', "line 2: not a JSON object"),
    (json.dumps({**msg("x1"), "colour": "red"}), "line 2: unknown field 'colour'"),
    (json.dumps(msg("x1", timestamp="yesterday")), "line 2: bad timestamp"),
    (json.dumps(msg("x1", visibility="secret")), "line 2: visibility must be public or private"),
    (json.dumps(msg("x1", direction="sideways")), "line 2: direction must be in or out"),
    (json.dumps({k: v for k, v in msg("x1").items() if k != "channel"}), "line 2: missing channel"),
]


@pytest.mark.parametrize("bad,expected", BAD_JSONL, ids=[e.split(": ")[1] for _, e in BAD_JSONL])
def test_bad_jsonl_record_imports_nothing(instance: InstanceRunner, tmp_path, bad, expected):
    path = write_jsonl(tmp_path / "bad.jsonl", [msg("ok-1"), bad, msg("ok-2")])
    result = instance.run("ingest", "jsonl", path, expect=1)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {path}: {expected}")
    assert lines[0].endswith("(nothing from this file was imported)")
    assert "Traceback" not in result.output
    assert instance.count("messages") == 0 and instance.count("cases") == 0 and instance.count("events") == 0


def test_bad_record_late_in_a_big_file_rolls_back_earlier_batches(instance: InstanceRunner, tmp_path):
    config = instance.home / "openledger.toml"
    config.write_text(config.read_text().replace("batch_size = 2000", "batch_size = 7"))
    records = [msg(f"m{i}", timestamp=f"2026-02-01T10:{i % 60:02d}:00Z") for i in range(50)]
    records.append(msg("late", timestamp="31/02/2026"))
    path = write_jsonl(tmp_path / "big.jsonl", records)
    result = instance.run("ingest", "jsonl", path, expect=1)
    assert f"{path}: line 51: bad timestamp" in result.stderr
    assert instance.count("messages") == 0 and instance.count("events") == 0


def test_skip_bad_quarantines_and_imports_the_rest(instance: InstanceRunner, tmp_path):
    path = write_jsonl(tmp_path / "mixed.jsonl", [msg("a"), "{broken", msg("b", visibility="hidden"), msg("c")])
    result = instance.run("ingest", "jsonl", path, "--skip-bad")
    assert "imported 2 messages" in result.stdout and "2 bad records quarantined" in result.stdout
    reports = list((instance.home / "quarantine").glob("jsonl-mixed.jsonl-*.jsonl"))
    assert len(reports) == 1
    rows = [json.loads(line) for line in reports[0].read_text().splitlines()]
    assert [(r["location"], r["file"]) for r in rows] == [("line 2", str(path)), ("line 3", str(path))]
    assert rows[0]["raw"] == "{broken"
    assert json.loads(rows[1]["raw"])["visibility"] == "hidden"  # what the engine refused, to fix and re-import


def test_quarantined_records_keep_what_was_read(instance: InstanceRunner, tmp_path):
    """A record the generic sources refuse (a bad timestamp) keeps its line in the quarantine report."""
    path = write_jsonl(tmp_path / "m.jsonl", [msg("a"), msg("b", timestamp="yesterday")])
    instance.run("ingest", "jsonl", path, "--skip-bad")
    csv_path = tmp_path / "calls.csv"
    csv_path.write_text("id,channel,visibility,timestamp,text\nc1,phone,private,2026-01-01T10:00:00Z,ok\n"
                        "c2,phone,private,yesterday,call back\n")
    instance.run("ingest", "csv", csv_path, "--skip-bad")
    raws = [json.loads(line)["raw"] for report in sorted((instance.home / "quarantine").glob("*.jsonl"))
            for line in report.read_text().splitlines()]
    assert sorted(raws) == sorted(["c2,phone,private,yesterday,call back", json.dumps(msg("b", timestamp="yesterday"))])


def test_dry_run_stores_nothing(instance: InstanceRunner):
    result = instance.run("ingest", "jsonl", EXAMPLES / "messages.jsonl", "--dry-run")
    assert "would import 8 messages into 5 new cases" in result.stdout
    assert instance.count("messages") == 0


def test_dry_run_lists_every_bad_record_and_fails_as_the_import_would(instance: InstanceRunner, tmp_path):
    path = write_jsonl(tmp_path / "mixed.jsonl", [msg("a"), "{broken", msg("b", visibility="hidden"), msg("c"),
                                                   msg("d", timestamp="31/02/2026")])
    result = instance.run("ingest", "jsonl", path, "--dry-run", expect=1)
    lines = result.stderr.strip().splitlines()
    assert [line.split(":")[0].strip() for line in lines[:3]] == ["bad line 2", "bad line 3", "bad line 5"]
    assert lines[-1].startswith(f"Error: {path}: 3 bad record(s), first line 2: invalid JSON")
    assert "would import 2 messages" in result.stdout and "3 bad records)" in result.stdout
    assert instance.count("messages") == 0 and not (instance.home / "quarantine").exists()
    # with --skip-bad the preview succeeds: the good records would be imported
    result = instance.run("ingest", "jsonl", path, "--dry-run", "--skip-bad")
    assert result.stderr.count("  bad line") == 3 and instance.count("messages") == 0


@pytest.mark.parametrize("content,expected", [
    ("Call ID,Started,Caller,Notes,Agent,Mood\n", "header: unknown column 'Mood'"),
    ("Call ID,Caller,Notes,Agent\nC1,x,y,z\n", "header: missing column 'Started' for field 'timestamp'"),
    ("Call ID,Started,Caller,Notes,Agent\nC1,2026-01-01T10:00:00Z,x\n", "line 2: 3 fields, the header has 5"),
    ("", "empty file, no header row"),
])
def test_bad_csv(instance: InstanceRunner, tmp_path, content, expected):
    path = tmp_path / "calls.csv"
    path.write_text(content)
    result = instance.run(
        "ingest", "csv", path, "-o", "columns.id=Call ID", "-o", "columns.timestamp=Started",
        "-o", "columns.author=Caller", "-o", "columns.text=Notes", "-o", "ignore=Agent", "-o", "channel=phone",
        "-o", "visibility=private", expect=1,
    )
    assert result.stderr.strip().startswith(f"Error: {path}: {expected}"), result.stderr


def test_unreadable_inputs(instance: InstanceRunner, tmp_path):
    latin = tmp_path / "latin1.jsonl"
    latin.write_bytes(
        json.dumps(msg("l1", "Réclamation: colis perdu"), ensure_ascii=False)
        .encode("utf-8")
        .replace(b"\xc3\xa9", b"\xe9")
        + b"\n"
    )
    cases = [
        (tmp_path / "missing.jsonl", "no such file"),
        (tmp_path, "is a directory"),
        (latin, "line 1: not UTF-8"),
    ]
    for path, expected in cases:
        result = instance.run("ingest", "jsonl", path, expect=1)
        line = result.stderr.strip()
        assert "\n" not in line and str(path) in line and expected in line, line
    assert instance.count("messages") == 0


def test_multiple_files_each_whole(instance: InstanceRunner, tmp_path):
    good = write_jsonl(tmp_path / "good.jsonl", [msg("g1")])
    bad = write_jsonl(tmp_path / "bad.jsonl", [msg("b1"), "nope"])
    result = instance.run("ingest", "jsonl", good, bad, expect=1)
    assert f"{good}: imported 1 messages" in result.stdout
    assert f"{bad}: line 2" in result.stderr
    assert instance.count("messages") == 1


def test_messages_of_one_new_thread_in_one_batch_share_a_case(instance: InstanceRunner, tmp_path):
    path = write_jsonl(tmp_path / "thread.jsonl", [
        msg("z1", "Ticket 1: router broken", thread="ticket-1", timestamp="2026-02-01T10:00:00Z"),
        msg("z2", "Ticket 1: any update?", thread="ticket-1", timestamp="2026-02-02T10:00:00Z"),
        msg("z3", "We will send a new router.", thread="ticket-1", direction="out", timestamp="2026-02-02T12:00:00Z"),
        msg("z4", "Ticket 2: wrong bill", thread="ticket-2", timestamp="2026-02-01T11:00:00Z"),
    ])
    instance.run("ingest", "jsonl", path)
    assert instance.count("cases") == 2
    assert instance.count("messages", "case_id is null") == 0
    assert instance.count("cases", "first_response_at is not null") == 1

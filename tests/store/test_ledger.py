"""The ledger in the database: every event is recorded at once, sealed into the log, exported,
verified and receipted."""

from __future__ import annotations

import base64
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from paths import EXAMPLES

from openledger.ledger.tiles import decode_bundle
from openledger.testing import PUBLISH_AT_ONCE, InstanceRunner, make_instance


def populate(instance: InstanceRunner) -> None:
    instance.run("ingest", "jsonl", EXAMPLES / "messages.jsonl")
    instance.run("process")
    instance.run("respond", 2, "--accept-draft")
    instance.run("resolve", 2, "--outcome", "upheld", "--remedy", "refund", "--amount", "45.10",
                 "--reason", "double charge")


def entries_of(ledger_dir: Path) -> list[bytes]:
    out = []
    for path in sorted((ledger_dir / "tile" / "entries").rglob("*")):
        if path.is_file():
            out.extend(decode_bundle(path.read_bytes()))
    return out


def test_every_event_is_an_entry_and_entries_hold_nothing_personal(instance: InstanceRunner, tmp_path):
    populate(instance)
    assert instance.count("ledger_entries") == 0  # recorded, not yet sealed
    instance.run("checkpoint")
    assert instance.count("ledger_entries") == instance.count("events") > 20
    with instance.engine.connect() as conn:
        idx = sorted(r[0] for r in conn.execute(sa.text("select idx from ledger_entries")))
    assert idx == list(range(len(idx)))  # no gaps
    key = instance.home / "ledger.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    out = tmp_path / "site" / "ledger"
    result = instance.run("export-log", out)
    assert f"exported {len(idx)} entries" in result.stdout
    entries = entries_of(out)
    blob = b"\n".join(entries).decode()
    for secret in ("dana", "Dana", "Patel", "r.patel", "example.org", "@", "refund the duplicate", "LS6", "88231",
                   "Sorry to hear"):
        assert secret not in blob, secret
    resolved = [json.loads(e) for e in entries if b'"resolved"' in e]
    assert resolved[0]["data"] == {"after_h": resolved[0]["data"]["after_h"], "amount_cents": 4510,
                                   "outcome": "upheld", "remedy": "refund", "remedy_source": "override"}
    assert all(json.loads(e)["period"] for e in entries) and b'"at"' not in b"".join(entries)
    assert not any(p.name.endswith(".key") and p.name != "verifier.key" for p in out.rglob("*"))
    assert "PRIVATE" not in (out / "verifier.key").read_text()


def test_checkpoint_export_verify_and_receipts(instance: InstanceRunner, tmp_path):
    populate(instance)
    note = instance.run("checkpoint").stdout
    origin, size, root = note.splitlines()[:3]
    assert origin == instance.json("cases", "list", "--json") and False or origin.endswith("/complaints")
    assert int(size) == instance.count("events")
    site = tmp_path / "site"
    instance.run("export-log", site / "ledger")
    verified = instance.run("verify", site).stdout  # the site root works as well as ledger/
    assert verified.startswith(f"ok: {origin}: {size} entries, tree size {size}, root {root}")
    key = (site / "ledger" / "verifier.key").read_text().strip()
    assert instance.run("verify", site / "ledger", "--key", key).exit_code == 0
    receipt_file = tmp_path / "receipt.json"
    receipt_file.write_text(instance.run("receipt", 2, "--json").stdout)
    public_id = json.loads(receipt_file.read_text())["case"]
    assert public_id.startswith("C-")
    assert "verify-receipt" in instance.run("receipt", public_id).stdout
    ok = instance.run("verify-receipt", receipt_file, site).stdout
    assert ok.startswith(f"ok: case {public_id}:")
    # the log grows; the old checkpoint proves it only grew
    old = tmp_path / "old-checkpoint"
    old.write_bytes((site / "ledger" / "checkpoint").read_bytes())
    instance.run("reopen", 2, "--reason", "refund bounced")
    instance.run("export-log", site / "ledger")
    assert "consistent with the checkpoint of size" in instance.run("verify", site, "--since", old).stdout
    assert instance.run("verify-receipt", receipt_file, site).exit_code == 0
    assert instance.run("receipt", "C-NOPE", expect=1).stderr.strip() == "Error: no case C-NOPE"


def test_tampering_is_detected_with_one_line(instance: InstanceRunner, tmp_path):
    populate(instance)
    site = tmp_path / "site"
    instance.run("export-log", site / "ledger")
    bundle = next(p for p in (site / "ledger" / "tile" / "entries").rglob("*") if p.is_file())
    data = bytearray(bundle.read_bytes())
    data[data.index(b'"upheld"') + 1] ^= 0x20 if b'"upheld"' in data else 0
    data[40] ^= 0x01
    bundle.write_bytes(bytes(data))
    result = instance.run("verify", site, expect=1)
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("Error: ") and "entries" in line


def test_backfill_after_upgrade_from_the_first_schema(tmp_path, db_url):
    """An instance made before the ledger existed gets its events logged in order."""
    from alembic import command

    from openledger.store.database import Store, _alembic_config

    inst = make_instance(tmp_path / "home", db_url=db_url, site=PUBLISH_AT_ONCE)
    store = Store(db_url)
    with store.engine.begin() as conn:  # back to the schema of version 0001, with data
        command.downgrade(_alembic_config(conn), "0001")
    with store.engine.begin() as conn:
        conn.execute(sa.text(
            "insert into cases (id, source, external_id, status, channel, visibility, opened_at, severity, tier,"
            " amount, escalated, reopened) values (1, 'jsonl', 'old-1', 'new', 'letter', 'private',"
            " '2025-05-01 09:00:00', 2, 0, 0, false, false)"))
        conn.execute(sa.text(
            "insert into events (case_id, type, at, actor, data, recorded_at) values"
            " (1, 'opened', '2025-05-01 09:00:00', 'source:jsonl', '{}', '2025-05-01 09:00:00')"))
    store.dispose()
    inst.run("export-log", tmp_path / "out")  # upgrades the schema and seals the old event into the log
    assert inst.count("ledger_entries") == 1 and inst.count("cases", "public_id is not null") == 1
    assert inst.run("verify", tmp_path / "out").stdout.startswith("ok: ")
    inst.close()


def _big_jsonl(path: Path, n: int, prefix: str) -> Path:
    with open(path, "w") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"{prefix}{i}", "channel": "email", "visibility": "private",
                                "timestamp": f"2026-01-{1 + i % 28:02d}T10:00:00Z", "author": f"c{i}@example.com",
                                "text": "Where is my refund?",
                                "reply_to": f"{prefix}{i - 1}" if i % 3 else None}) + "\n")
    return path


def _openledger(instance: InstanceRunner, *args: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "openledger", "--home", str(instance.home), "--db", instance.db_url, *map(str, args)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_until_committed(instance: InstanceRunner, proc: subprocess.Popen, where: str,
                          timeout: float = 120.0) -> None:
    """Return once ``proc`` has committed some batches of its file (it is then writing the next)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, ("the ingest ended before it could be interrupted", proc.communicate())
        if instance.count("messages", where) >= 100:
            return
        time.sleep(0.02)
    raise AssertionError("the ingest never committed a batch")


def test_kill_9_in_the_middle_of_a_bulk_ingest(instance: InstanceRunner, tmp_path):
    """kill -9 while a file is written leaves whole batches (each message with its case and its event), a
    log that verifies, and the same command imports exactly the rest, replies joining the cases stored."""
    instance.run("ingest", "jsonl", _big_jsonl(tmp_path / "first.jsonl", 300, "a"))
    instance.close()
    config = instance.home / "openledger.toml"
    original = config.read_text()
    config.write_text(original.replace("batch_size = 2000", "batch_size = 5"))  # threads of 3 split across batches
    big = _big_jsonl(tmp_path / "big.jsonl", 20000, "b")
    proc = _openledger(instance, "ingest", "jsonl", big)
    _wait_until_committed(instance, proc, "external_id like 'b%'")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stored = instance.count("messages", "external_id like 'b%'")
    assert 100 <= stored < 20000
    assert instance.count("messages", "case_id is null") == 0
    assert instance.count("events") == instance.count("messages") and instance.count("ledger_entries") == 0
    instance.run("export-log", tmp_path / "out")
    assert instance.count("ledger_entries") == instance.count("events")
    assert instance.run("verify", tmp_path / "out").stdout.startswith("ok: ")
    # the same command imports exactly the rest
    config.write_text(original)
    again = instance.run("ingest", "jsonl", big).stdout
    assert f"imported {20000 - stored} messages into " in again and f"({stored} already imported" in again
    assert instance.count("messages") == 20300 == instance.count("events")
    assert instance.count("cases") == 100 + 6667  # one a thread of three, as in one run
    assert instance.count("messages", "case_id is null") == 0


@pytest.mark.postgres
def test_concurrent_appenders_never_fork_the_log(tmp_path, postgres_url):
    instance = make_instance(tmp_path / "home", db_url=postgres_url, site=PUBLISH_AT_ONCE)
    files = [_big_jsonl(tmp_path / f"f{k}.jsonl", 1500, f"w{k}-") for k in range(3)]
    procs = [_openledger(instance, "ingest", "jsonl", f) for f in files]
    procs += [_openledger(instance, "checkpoint") for _ in range(3)]  # seals racing the ingests and each other
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    instance.run("process")
    instance.run("checkpoint")
    n = instance.count("events")
    assert instance.count("ledger_entries") == n == instance.count("ledger_hashes", "level = 0")
    with instance.engine.connect() as conn:
        idx = sorted(r[0] for r in conn.execute(sa.text("select idx from ledger_entries")))
        events = conn.execute(sa.text("select count(distinct event_id) from ledger_entries")).scalar_one()
    assert idx == list(range(n)) and events == n
    instance.run("export-log", tmp_path / "out")
    assert instance.run("verify", tmp_path / "out").stdout.startswith("ok: ")
    instance.close()


def test_reading_stored_hashes_searches_the_index_never_scans(tmp_path):
    """Proofs and appends read O(log n) hashes: each read must be an index search,
    not a scan of the whole hash table (SQLite plans a row-value IN as a scan)."""
    from openledger.store.ledger import DbHashReader

    instance = make_instance(tmp_path / "home", site=PUBLISH_AT_ONCE)
    instance.run("ingest", "jsonl", _big_jsonl(tmp_path / "m.jsonl", 300, "q"))
    instance.run("checkpoint")
    statements: list[tuple[str, tuple]] = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    sa.event.listen(instance.engine, "before_cursor_execute", remember)
    with instance.engine.connect() as conn:
        values = DbHashReader(conn).read_hashes([(0, 5), (0, 299), (3, 2), (8, 0)])
        assert len(values) == 4 and all(len(v) == 32 for v in values)
        (statement, parameters), = [s for s in statements if "ledger_hashes" in s[0]]
        plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
    assert "SCAN" not in plan and "USING INDEX" in plan, plan
    instance.close()


def test_a_receipt_newer_than_the_published_site_says_so(instance: InstanceRunner, tmp_path):
    """An agent acts after the last publication, the log is sealed again and the customer asks for a
    receipt: it is proven against a checkpoint the site does not have yet. It is never 'verified'
    there, and the events not yet sealed are listed as pending."""
    populate(instance)
    site = tmp_path / "site"
    instance.run("export-log", site / "ledger")
    instance.run("reopen", 2, "--reason", "refund bounced")
    pending = json.loads(instance.run("receipt", 2, "--json").stdout)
    assert [p["type"] for p in pending["pending"]] == ["reopened"]
    assert "pending" in instance.run("receipt", 2).stdout
    instance.run("checkpoint")  # seals the reopening and signs a checkpoint the site does not have
    made = instance.run("receipt", 2, "--json")
    receipt_file = tmp_path / "receipt.json"
    receipt_file.write_text(made.stdout)
    assert json.loads(made.stdout)["pending"] == []
    result = instance.run("verify-receipt", receipt_file, site, expect=1)
    assert "the receipt is newer than this site" in result.stdout and "publish the site again" in result.stdout
    instance.run("export-log", site / "ledger")
    assert instance.run("verify-receipt", receipt_file, site).stdout.startswith("ok: ")
    assert instance.run("receipt", 2, "--json").stderr == ""  # the checkpoint of the receipt above is reused


def test_the_seal_reads_pending_events_and_case_facts_as_the_models_read_them(tmp_path, db_url):
    """The seal reads millions of rows through the driver (store.bulk.driver_rows): the same values, times as
    aware UTC, as SQLAlchemy's models give them, on SQLite and PostgreSQL."""
    from site_fixtures import make_site_instance

    from openledger.store.ledger import case_facts, case_knowledge, pending_events
    from openledger.store.models import cases_table as cases_t
    from openledger.store.models import events_table as events_t

    inst = make_site_instance(tmp_path / "home", cases=40, db_url=db_url)
    try:
        with inst.engine.connect() as conn:
            pending = pending_events(conn)
            events = conn.execute(sa.select(events_t.c.id, events_t.c.case_id, events_t.c.type, events_t.c.at)
                                  .order_by(events_t.c.id)).all()
            assert [(e.event_id, e.case_id, e.type, e.at) for e in pending] == [tuple(r) for r in events]
            assert all(e.at.utcoffset() is not None and not e.at.utcoffset() for e in pending)
            facts = case_facts(conn, b"k" * 32)
            first: dict[int, object] = {}
            for r in events:
                if r.type == "responded":
                    first[r.case_id] = min(first.get(r.case_id, r.at), r.at)
            cases = conn.execute(sa.select(cases_t.c.id, cases_t.c.public_id, cases_t.c.opened_at)).all()
            assert {c.id: (facts[c.id].opened_at, facts[c.id].first_response_at) for c in cases} == {
                c.id: (c.opened_at, first.get(c.id)) for c in cases}
            assert sum(f.first_response_at is not None for f in facts.values()) >= 20
            some = {f.public_id for f in list(facts.values())[::2]}  # the build's linkage check asks for some
            assert case_knowledge(conn, b"k" * 32, some) == {f.public_id: f.knowledge() for f in facts.values()
                                                             if f.public_id in some}
    finally:
        inst.close()


def test_the_seal_commits_to_the_events_as_the_models_read_them(tmp_path, db_url):
    """The seal reads the released events through the driver (their JSON decoded by :func:`store.bulk.driver_json`)
    and draws the salts of a chunk at once: every entry's commitment opens, through the receipt's path (the
    models' reading of the same events), on SQLite and PostgreSQL, labels and private details included."""
    from site_fixtures import make_site_instance

    from openledger.ledger.canonical import SALT_SIZE, check_opening
    from openledger.store.ledger import case_openings
    from openledger.store.models import events_table as events_t
    from openledger.store.models import ledger_entries_table as entries_t

    inst = make_site_instance(tmp_path / "home", cases=40, db_url=db_url)
    try:
        inst.run("export-log", tmp_path / "log")  # seals first
        with inst.engine.connect() as conn:
            entries = conn.execute(sa.select(entries_t.c.idx, entries_t.c.case_id, entries_t.c.commitment,
                                             entries_t.c.salt, events_t.c.type, events_t.c.private)
                                   .join(events_t, events_t.c.id == entries_t.c.event_id)).all()
            assert len(entries) > 100
            assert {"classified", "drafted", "resolved"} <= {e.type for e in entries}
            assert any(e.private for e in entries)  # private details are committed to, not published
            assert len({bytes(e.salt) for e in entries}) == len(entries)  # a slice of its own for every event
            openings: dict[int, dict] = {}
            for case in {e.case_id for e in entries}:
                openings.update(case_openings(conn, case))
            for e in entries:
                opened = openings[e.idx]
                salt = base64.b64decode(opened["salt"])
                assert salt == bytes(e.salt)[:SALT_SIZE]
                assert check_opening(e.commitment, salt, {"at": opened["at"], "inner": opened["inner"]})
    finally:
        inst.close()


def test_a_large_seal_runs_in_a_forked_process_and_writes_the_planned_log(tmp_path, db_url, monkeypatch):
    """``Instance.seal(apart=True)`` of at least SEAL_APART waiting events seals in a forked process, which
    opens its own connection (this process's are closed first): it appends exactly the planned events in the
    planned order, with the planned signatures, on SQLite and PostgreSQL; this process's engine works after
    it, and an error of the seal is raised here as itself."""
    from site_fixtures import make_site_instance

    from openledger import instance as instance_module
    from openledger.errors import StoreError
    from openledger.instance import Instance
    from openledger.privacy.release import plan
    from openledger.store import ledger
    from openledger.store.models import ledger_entries_table as entries_t
    from openledger.store.models import published_cases_table as published_t
    from openledger.timeutil import now as utc_now

    inst = make_site_instance(tmp_path / "home", cases=40, db_url=db_url)
    try:
        app = Instance(inst.home, db=db_url)
        now = utc_now()
        with app.store.engine.connect() as conn:
            secret = app.secret()
            planned = plan(ledger.pending_events(conn), ledger.case_facts(conn, secret),
                           ledger.published_signatures(conn), app.policy, now, ledger.order_key(secret))
            assert ledger.waiting(conn) == len(ledger.pending_events(conn)) > 100
        monkeypatch.setattr(instance_module, "SEAL_APART", 1)
        sealed_in = tmp_path / "sealed-in"
        real_seal = ledger.seal

        def seal(conn, *args):
            sealed_in.write_text(str(os.getpid()))
            return real_seal(conn, *args)

        monkeypatch.setattr(ledger, "seal", seal)
        report = app.seal(now, apart=True)
        assert int(sealed_in.read_text()) != os.getpid()
        assert report.released == len(planned.released) and report.size == len(planned.released)
        with app.store.engine.connect() as conn:
            logged = conn.execute(sa.select(entries_t.c.event_id).order_by(entries_t.c.idx)).scalars().all()
            assert logged == [r.event_id for r in planned.released]
            rows = conn.execute(sa.select(published_t)).all()
            assert {r.case_id: (r.channel, r.visibility, r.period, r.category, r.audience, r.first) for r in rows} == {
                c: (s.channel, s.visibility, s.period, s.category, s.audience, s.first)
                for c, s in planned.signatures.items()}
            assert ledger.waiting(conn) == len(ledger.pending_events(conn))

        def failing(conn, *args):
            raise StoreError("the seal failed here")

        monkeypatch.setattr(ledger, "seal", failing)
        monkeypatch.setattr(instance_module, "SEAL_APART", 0)
        with pytest.raises(StoreError, match="the seal failed here"):
            app.seal(now, apart=True)
        app.store.dispose()
    finally:
        inst.close()

"""``openledger erase``: a customer is forgotten, the published log stays and verifies."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from paths import EXAMPLES

from openledger.ledger.canonical import SALT_SIZE, check_opening, opening
from openledger.testing import InstanceRunner
from openledger.timeutil import iso, to_utc

RAVI = ("r.patel@example.org", "Ravi Patel", "invoice 88231", "charged twice")

LATER = {
    "id": "em-2100", "channel": "email", "visibility": "private", "timestamp": "2026-04-01T09:00:00Z",
    "author": "R.Patel@example.org", "subject": "Broadband speed",
    "text": "Hello, my broadband drops every evening since March. Ravi Patel, 14 Elm Road, Leeds LS6 2AB",
}


def setup(instance: InstanceRunner, tmp_path: Path) -> dict:
    instance.run("ingest", "jsonl", EXAMPLES / "messages.jsonl")
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps(LATER) + "\n")
    instance.run("ingest", "jsonl", later)
    instance.run("process")
    cases = instance.json("cases", "list", "--json")
    ravi = sorted(c["id"] for c in cases if c["channel"] == "email")
    assert len(ravi) == 2  # the same customer wrote twice, in two cases
    instance.run("respond", ravi[0], "--text", "Dear Mr Patel, we refunded invoice 88231.",
                 "--reason", "personal reply")
    return {"ravi": ravi, "others": sorted(c["id"] for c in cases if c["id"] not in ravi)}


def rows(instance: InstanceRunner, sql: str) -> list:
    with instance.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql))]


def event_details(instance: InstanceRunner, case_ids) -> list[tuple[dict, str, bytes | None]]:
    """(details as committed, commitment, salt) of each logged event of these cases."""
    ids = ",".join(str(i) for i in case_ids)
    out = []
    for eid, cid, type_, at, actor, data, private, commitment, salt in rows(
        instance,
        "select e.id, e.case_id, e.type, e.at, e.actor, e.data, e.private, l.commitment, l.salt "
        f"from events e join ledger_entries l on l.event_id = e.id where e.case_id in ({ids}) order by e.id",
    ):
        data = json.loads(data) if isinstance(data, str) else data
        private = json.loads(private) if isinstance(private, str) else private
        at = to_utc(at if not isinstance(at, str) else __import__("datetime").datetime.fromisoformat(at))
        details = {"event": eid, "case": cid, "type": type_, "actor": actor, "data": data, "private": private}
        out.append(((iso(at), details), commitment, bytes(salt) if salt is not None else None))
    return out


def opens(value: str, salts: bytes | None, committed: tuple[str, dict]) -> bool:
    """Whether the two-layer commitment opens with these salts to this exact time and these details."""
    if salts is None:
        return False
    at, details = committed
    return check_opening(value, salts[:SALT_SIZE], opening(salts, at, details))


def test_erase_by_identity_forgets_the_customer_and_the_log_still_verifies(instance: InstanceRunner, tmp_path: Path):
    ids = setup(instance, tmp_path)
    before_dir = tmp_path / "before"
    instance.run("export-log", before_dir)
    entries_before = rows(instance, "select idx, event_id, case_id, entry, commitment from ledger_entries order by idx")
    public_before = rows(instance, "select id, case_id, type, at, data from events order by id")
    others = ",".join(map(str, ids["others"]))
    others_sql = f"select id, author, text from messages where case_id in ({others}) order by id"
    other_messages = rows(instance, others_sql)
    committed = event_details(instance, ids["ravi"])
    assert all(opens(c, salt, d) for d, c, salt in committed)  # openable before
    ravi_customer = rows(instance, f"select customer from cases where id = {ids['ravi'][0]}")[0][0]
    identities = instance.count("identities")
    assert instance.count("identities", f"customer = '{ravi_customer}'") == 1

    result = instance.run("erase", "r.patel@example.org", "--yes")
    assert "customer found by identity: 2 case(s)" in result.stdout
    assert "erased 2 case(s): 3 messages" in result.stdout
    # the log grew by one 'erased' entry per case; what it held before did not change
    assert result.stdout.rstrip().endswith("no earlier log entry changed, 2 'erased' entries added")

    ravi = ",".join(map(str, ids["ravi"]))
    for author, subject, text in rows(
        instance, f"select author, subject, text from messages where case_id in ({ravi})"
    ):
        assert (author, subject, text) == (None, None, "[erased]")
    privates = rows(instance, f"select private from events where case_id in ({ravi}) and type <> 'erased'")
    assert privates and all(
        json.loads(p) == {"erased": True} if isinstance(p, str) else p == {"erased": True} for (p,) in privates
    )
    assert rows(instance, f"select count(*) from ledger_entries l join events e on e.id = l.event_id "
                          f"where l.case_id in ({ravi}) and e.type <> 'erased' and l.salt is not null") == [(0,)]
    assert rows(instance, f"select count(*) from cases where id in ({ravi}) and customer is not null") == [(0,)]
    # nothing personal is left anywhere in the database
    dump = json.dumps([rows(instance, f"select * from {t}") for t in ("cases", "messages", "events")], default=str)
    for secret in RAVI + ("Elm Road", "Mr Patel"):
        assert secret.lower() not in dump.lower()
    assert instance.count("identities", f"customer = '{ravi_customer}'") == 0
    assert instance.count("identities") == identities - 1
    # the other customers are untouched
    assert rows(instance, others_sql) == other_messages

    # the public record is unchanged: every entry and every event's public data
    entries_after = rows(instance, "select idx, event_id, case_id, entry, commitment from ledger_entries order by idx")
    assert entries_after[: len(entries_before)] == entries_before
    public_after = rows(instance, "select id, case_id, type, at, data from events order by id")
    assert public_after[: len(public_before)] == public_before
    erased = rows(instance, f"select case_id, type, data from events where id > {public_before[-1][0]} order by id")
    assert [(c, t) for c, t, _ in erased] == [(i, "erased") for i in ids["ravi"]]
    assert all((json.loads(d) if isinstance(d, str) else d) == {} for _, _, d in erased)

    # the log verifies and only grew; the commitments can no longer be opened
    instance.run("export-log", tmp_path / "after")
    check = instance.run("verify", tmp_path / "after", "--since", before_dir / "checkpoint")
    assert check.stdout.startswith("ok:") and (
        f"consistent with the checkpoint of size {len(entries_before)}" in check.stdout
    )
    after = event_details(instance, ids["ravi"])
    assert [salt for d, _, salt in after if d[1]["type"] != "erased"] == [None] * len(committed)
    assert all(d[1]["private"] == {"erased": True} for d, _, _ in after if d[1]["type"] != "erased")
    shown = instance.json("cases", "show", ids["ravi"][0], "--json")
    assert shown["events"][-1]["type"] == "erased" and all(m["text"] == "[erased]" for m in shown["messages"])


def test_erase_by_case_or_public_id_and_refusals(instance: InstanceRunner, tmp_path: Path):
    ids = setup(instance, tmp_path)
    twitter = next(c for c in instance.json("cases", "list", "--json") if c["channel"] == "twitter")
    texts = rows(instance, "select id, text from messages order by id")
    # without --yes the command asks; answering no changes nothing
    result = instance.run("erase", twitter["id"], input="n\n", expect=1)
    assert "nothing erased" in result.stdout
    assert rows(instance, "select id, text from messages order by id") == texts
    # no answer at all (stdin closed, as in a script without --yes): click's one line, exit 1, nothing erased
    result = instance.run("erase", twitter["id"], input="", expect=1)
    assert result.stderr.strip().splitlines()[-1] == "Aborted!"
    assert "internal error" not in result.output
    assert rows(instance, "select id, text from messages order by id") == texts
    r = instance.run("erase", "nobody@example.org", "--yes", expect=1)
    assert r.stderr.strip() == "Error: no case and no customer found for 'nobody@example.org'"

    public_id = rows(instance, f"select public_id from cases where id = {ids['ravi'][1]}")[0][0]
    result = instance.run("erase", public_id, "--yes")
    assert "customer found by public id: 2 case(s)" in result.stdout  # both of Ravi's cases
    result = instance.run("erase", twitter["id"], input="y\n")
    assert "customer found by case: 1 case(s)" in result.stdout
    assert rows(instance, f"select distinct text from messages where case_id = {twitter['id']}") == [("[erased]",)]
    # erasing again adds no second audit event
    instance.run("erase", twitter["id"], "--yes")
    assert instance.count("events", f"type = 'erased' and case_id = {twitter['id']}") == 1
    assert instance.count("events", "type = 'erased'") == 3
    # the other customers keep their messages
    assert instance.count("messages", "text <> '[erased]'") == len(texts) - 3 - 3
    # a phone number is all digits: --identity says it is not a case id
    call = tmp_path / "call.jsonl"
    call.write_text(json.dumps({"id": "call-1", "channel": "phone", "visibility": "private", "author": "2",
                                "timestamp": "2026-03-09T09:00:00Z",
                                "text": "Caller says the engineer never came."}) + "\n")
    instance.run("ingest", "jsonl", call)
    result = instance.run("erase", "2", "--identity", "--yes")
    assert "customer found by identity: 1 case(s)" in result.stdout
    assert rows(instance, "select text, author from messages where external_id = 'call-1'") == [("[erased]", None)]


def test_erase_by_handle_is_scoped_by_channel_and_forgets_the_link(instance: InstanceRunner, tmp_path: Path):
    setup(instance, tmp_path)
    extra = tmp_path / "extra.jsonl"
    extra.write_text("".join(json.dumps(m) + "\n" for m in (
        {"id": "md-1", "channel": "mastodon", "visibility": "public", "author": "@dana_k",
         "timestamp": "2026-03-10T10:00:00Z", "text": "@northwind is your outage map broken?"},
    )))
    instance.run("ingest", "jsonl", extra)
    r = instance.run("erase", "@dana_k", "--yes", expect=1)
    assert r.stderr.strip() == "Error: '@dana_k' names customers in channels mastodon, twitter: give --channel"
    result = instance.run("erase", "@dana_k", "--channel", "twitter", "--yes")
    assert "customer found by identity: 1 case(s)" in result.stdout and "1 identity links" in result.stdout
    assert rows(instance, "select text from messages where external_id = 'md-1'") != [("[erased]",)]
    assert rows(
        instance, "select count(*) from messages where external_id like 'tw-%' and text <> '[erased]'"
    ) == [(0,)]
    # a new message from the erased customer is a new customer, not linked to the erased case
    again = tmp_path / "again.jsonl"
    again.write_text(json.dumps({"id": "tw-9000", "channel": "twitter", "visibility": "public", "author": "@dana_k",
                                 "timestamp": "2026-05-01T10:00:00Z", "text": "@NorthwindTel outage again"}) + "\n")
    instance.run("ingest", "jsonl", again)
    new_case = rows(instance, "select case_id from messages where external_id = 'tw-9000'")[0][0]
    assert instance.count("cases", f"customer = (select customer from cases where id = {new_case})") == 1
    assert instance.run("erase", "@dana_k", "--channel", "twitter", "--yes").stdout.startswith(
        "customer found by identity: 1 case(s)"
    )


def test_erase_removes_the_customers_quarantined_records_and_keeps_others(instance: InstanceRunner, tmp_path: Path):
    setup(instance, tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(json.dumps(r) for r in [
        {**LATER, "id": "em-2101", "timestamp": "not a time", "author": "R.PATEL@example.org"},
        {**LATER, "id": "em-2102", "timestamp": "not a time", "author": "someone.else@example.net",
         "text": "My router is broken."},
    ]) + "\n")
    instance.run("ingest", "jsonl", bad, "--skip-bad")
    (quarantined,) = (instance.home / "quarantine").glob("*.jsonl")
    assert oct(quarantined.stat().st_mode & 0o777) == "0o600"
    assert oct((instance.home / "quarantine").stat().st_mode & 0o777) == "0o700"
    assert "r.patel" in quarantined.read_text().lower()

    result = instance.run("erase", "r.patel@example.org", "--yes")
    assert "1 quarantined records" in result.stdout
    text = quarantined.read_text()
    assert "patel" not in text.lower() and "someone.else@example.net" in text and len(text.splitlines()) == 1
    assert oct(quarantined.stat().st_mode & 0o777) == "0o600"


def test_erase_by_case_uses_the_customers_author_identities_for_the_quarantine(instance: InstanceRunner,
                                                                               tmp_path: Path):
    ids = setup(instance, tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({**LATER, "id": "em-2103", "timestamp": "never"}) + "\n")
    instance.run("ingest", "jsonl", bad, "--skip-bad")
    result = instance.run("erase", str(ids["ravi"][0]), "--yes")
    assert "1 quarantined records" in result.stdout
    assert not list((instance.home / "quarantine").glob("*.jsonl"))  # the file held only theirs


def test_erased_text_leaves_the_database_files(instance: InstanceRunner, tmp_path: Path):
    """SQLite: no byte of the erased messages is left in the database file or its WAL.
    PostgreSQL: the rows are rewritten and VACUUM FULL rewrote the tables into new files
    (a client cannot read the server's files; the old ones are deleted by the server)."""
    ids = setup(instance, tmp_path)
    phrase = "drops every evening"
    assert instance.count("messages", f"text like '%{phrase}%'") == 1
    postgres = instance.db_url.startswith("postgresql")
    tables = ("messages", "events", "ledger_entries", "cases", "identities")
    if postgres:
        files_before = {t: rows(instance, f"select pg_relation_filenode('{t}')")[0][0] for t in tables}
    else:
        db = Path(instance.db_url.removeprefix("sqlite:///"))
        instance.close()
        assert phrase.encode() in db.read_bytes() + _read(db.with_name(db.name + "-wal"))
    result = instance.run("erase", str(ids["ravi"][0]), "--yes")
    assert instance.count("messages", f"text like '%{phrase}%'") == 0
    assert instance.count("messages", "author like '%atel%'") == 0
    if postgres:
        assert "VACUUM FULL" in result.stdout
        files_after = {t: rows(instance, f"select pg_relation_filenode('{t}')")[0][0] for t in tables}
        assert all(files_after[t] != files_before[t] for t in tables), (files_before, files_after)
    else:
        instance.close()
        on_disk = db.read_bytes() + _read(db.with_name(db.name + "-wal"))
        assert phrase.encode() not in on_disk and b"R.Patel@example.org" not in on_disk
        for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            assert not path.exists() or oct(path.stat().st_mode & 0o777) == "0o600", path


def _read(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""

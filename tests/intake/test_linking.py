"""Cross-channel memory and the brand watch list during ingest."""

from __future__ import annotations

import json

import sqlalchemy as sa

from openledger.testing import InstanceRunner


def write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def rec(id, channel, visibility, author, text, **kw):
    return {"id": id, "channel": channel, "visibility": visibility, "timestamp": "2026-04-01T10:00:00Z",
            "author": author, "text": text, **kw}


def customers(instance: InstanceRunner) -> list:
    with instance.engine.connect() as conn:
        return [r[0] for r in conn.execute(sa.text("select customer from cases order by id"))]


def test_the_same_contact_point_is_one_customer_across_channels(instance: InstanceRunner, tmp_path):
    instance.run("ingest", "jsonl", write(tmp_path / "mail.jsonl", [
        rec("m1", "email", "private", "Jo.Bloggs@Example.com", "My router is broken."),
        rec("m2", "email", "private", "someone.else@example.com", "Invoice question."),
    ]))
    calls = tmp_path / "calls.csv"
    calls.write_text("id,timestamp,author,text\nc1,2026-04-02T09:00:00Z,+44 20 7946 0958,called about router\n"
                     "c2,2026-04-03T09:00:00Z,020 7946 0958,called again\n")
    config = instance.home / "openledger.toml"
    config.write_text(config.read_text() + '\n[identity]\ndefault_region = "GB"\n')
    instance.run("ingest", "csv", calls, "-o", "channel=phone", "-o", "visibility=private")
    instance.run("ingest", "jsonl", write(tmp_path / "mail2.jsonl", [
        rec("m3", "email", "private", "jo.bloggs@example.com", "Still broken."),
    ]))
    found = customers(instance)
    assert found[0] == found[4] != found[1]  # the e-mail address, whatever its case
    assert found[2] == found[3]  # the phone number, national or international
    with instance.engine.connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(sa.text("select key, customer from identities")) for v in row)
    # keys are hex HMACs: look for the phone's digits, not a 4-digit piece a hash can hold by chance
    assert "bloggs" not in stored.lower() and "2079460958" not in stored


def test_watch_list_keeps_mentions_and_dry_run_says_why(instance: InstanceRunner, tmp_path):
    config = instance.home / "openledger.toml"
    config.write_text(config.read_text() + '\n[watch]\nbrands = ["Northwind Telecom"]\nhandles = ["@NorthwindTel"]\n'
                      'web = ["northwind.example"]\n')
    path = write(tmp_path / "social.jsonl", [
        rec("t1", "twitter", "public", "@a", "@NorthwindTel my line is dead"),
        rec("t2", "twitter", "public", "@b", "Nortwind Telecom billing is a joke"),
        rec("t3", "twitter", "public", "@c", "lovely weather in Leeds today"),
        rec("t4", "twitter", "public", "@a", "still nothing", reply_to="t1"),
        rec("t5", "email", "private", "x@example.com", "no brand named here, but e-mail is always kept"),
    ])
    dry = instance.run("ingest", "jsonl", path, "--dry-run").stdout
    assert "keep t1 (line 1): handle '@NorthwindTel'" in dry
    assert "keep t2 (line 2): brand 'Northwind Telecom' as 'Nortwind Telecom'" in dry
    assert "drop t3 (line 3): mentions no watched term" in dry
    assert "keep t4 (line 4): replies to kept t1" in dry
    assert "keep t5 (line 5): not screened" in dry
    assert instance.count("messages") == 0
    result = instance.run("ingest", "jsonl", path)
    assert "imported 4 messages" in result.stdout and "1 not mentioning the watch list" in result.stdout

"""The company's replies that arrive after their case was processed are read once by the outbound
classifiers (``process``): a later export's gag request or move to private is on the log."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from openledger.cases.gag import published_sentences
from openledger.instance import Instance
from openledger.site.derive import with_sentences
from openledger.site.gather import published_derivation

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
ASK = "We would be glad to refund you if you take down your review first."


def _line(**record) -> str:
    return json.dumps({"channel": "email", "visibility": "private", **record}) + "\n"


def test_a_reply_imported_after_process_is_labelled_once(instance, tmp_path):
    """On SQLite and PostgreSQL (``instance``)."""
    inst = instance
    first = tmp_path / "first.jsonl"
    first.write_text(
        _line(id="in-1", direction="in", author="nadia.ferreira@example.com", timestamp=START.isoformat(),
              text="The dishwasher I bought leaks everywhere and I left a one-star review.")
        + _line(id="in-2", direction="in", author="omar.haddad@example.com",
                timestamp=(START + timedelta(hours=1)).isoformat(), text="My parcel was left in the rain.")
    )
    inst.run("ingest", "jsonl", str(first))
    assert "replies that arrived later" not in inst.run("process").stdout
    before = inst.count("events", "type = 'classified'")
    later = tmp_path / "later.jsonl"
    later.write_text(
        _line(id="out-1", reply_to="in-1", direction="out", author="support",
              timestamp=(START + timedelta(days=1)).isoformat(), text=f"Sorry to hear that. {ASK}")
        + _line(id="out-2", reply_to="in-2", direction="out", author="support",
                timestamp=(START + timedelta(days=1, hours=1)).isoformat(),
                text="Sorry! Please call us on our support line so we can arrange a new parcel.")
    )
    inst.run("ingest", "jsonl", str(later))
    said = inst.run("process").stdout
    assert "processed 0 cases" in said and "2 replies that arrived later labelled" in said
    assert inst.count("events", "type = 'classified'") == before + 2
    # read once: a third run records nothing more
    assert "replies that arrived later" not in inst.run("process").stdout
    assert inst.count("events", "type = 'classified'") == before + 2
    site = tmp_path / "site"
    inst.run("build", "--out", str(site))
    instance = Instance(inst.home, db=inst.db_url)
    derived = published_derivation(instance)
    with instance.store.engine.connect() as conn:
        gags = with_sentences(derived.gags, published_sentences(conn))
    assert [g.sentence for g in gags] == [ASK]
    assert sorted(derived.table["moved_private"]) == ["no", "yes"]
    assert inst.run("verify", str(site)).stdout.startswith("ok:")

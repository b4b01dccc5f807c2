"""The record-contract checker that source tests (and plugin authors) use."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from openledger.intake import contract
from openledger.intake.sourcekit import Source
from openledger.records import CaseRecord, MessageRecord, Rejected

WHEN = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)


def test_good_records_have_no_problems():
    message = MessageRecord("1", "email", "private", WHEN, "hello", location="message 1")
    case = CaseRecord(
        "c1", "phone", "private", "Mortgage", WHEN, resolved_at=WHEN, outcome="explained", location="row 1",
    )
    assert contract.problems(message) == [] and contract.problems(case) == []
    assert contract.problems(Rejected("row 2", "bad date")) == []


def test_each_broken_field_is_reported():
    naive = datetime(2024, 5, 2, 9, 30)
    message = MessageRecord("1", "Email", "secret", naive, "x", direction="sideways", reply_to="1")
    found = contract.problems(message)
    assert found == [
        "visibility must be public or private, not 'secret'", "direction must be in or out, not 'sideways'",
        "timestamp must be a timezone-aware datetime", "reply_to must be an earlier id or null",
    ]
    case = CaseRecord(
        "c", "phone", "private", "", WHEN, resolved_at=WHEN, outcome="won", remedy="cash", location="row 1"
    )
    assert len(contract.problems(case)) == 3
    early = CaseRecord(
        "c", "phone", "private", "Mortgage", WHEN, first_response_at=WHEN.replace(day=1), location="row 1",
    )
    assert contract.problems(early) == ["first_response_at is before opened_at"]
    open_with_outcome = CaseRecord("c", "phone", "private", "Mortgage", WHEN, outcome="upheld", location="row 1")
    assert contract.problems(open_with_outcome) == ["a resolved case needs an outcome and an open case has none"]


def test_run_names_the_location_and_checks_the_declared_channel(tmp_path):
    def reader(path, options):
        yield MessageRecord("1", "email", "private", WHEN, "hi", location="line 1")
        yield MessageRecord("2", "twitter", "public", WHEN, "hi", location="line 2")

    source = Source("mixed", "1", "test", "email", "private", reader)
    with pytest.raises(AssertionError, match="line 2: channel 'twitter' differs from the source's 'email'"):
        contract.run(source, tmp_path)


def test_the_engine_and_the_source_test_keep_one_contract(instance, tmp_path):
    """A record the source test accepts is imported, and one it refuses is refused at ingest, with the same reason."""
    import json

    long_id = "x" * 600
    rows = [
        {"id": long_id, "channel": "email", "visibility": "private", "timestamp": "2026-03-01T10:00:00Z", "text": "hi"},
        {"id": "2", "channel": "Twitter", "visibility": "public", "timestamp": "2026-03-01T10:00:00Z", "text": "hi"},
    ]
    path = tmp_path / "two.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    from openledger import plugins

    records = list(plugins.sources({})["jsonl"].read(path, {}))
    # the jsonl source copies fields from its input: a record breaking the contract is bad input, Rejected
    assert records[0] == Rejected("line 1", "id longer than 500 characters", json.dumps(rows[0])[:500])
    assert contract.problems(records[1]) == []
    result = instance.run("ingest", "jsonl", path, expect=1)
    assert "line 1: id longer than 500 characters" in result.stderr
    instance.run("ingest", "jsonl", path, "--skip-bad")
    assert instance.count("cases", "channel = 'twitter'") == 1

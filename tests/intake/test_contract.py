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


# --- checked once: records vouched for by openledger's own helpers ----------------------------------------


def test_a_record_built_by_the_helper_is_vouched_for_and_no_other(tmp_path):
    import gc
    from dataclasses import replace

    from openledger.intake.sourcekit import message_from_fields

    fields = {"id": "1", "channel": "email", "visibility": "private", "timestamp": "2026-03-01T10:00:00Z",
              "text": "hi"}
    record = message_from_fields(fields, "line 1")
    assert isinstance(record, MessageRecord) and contract.vouched(record)
    # an equal record made otherwise, one changed from it, one a plugin passed through checked(): not vouched
    assert not contract.vouched(MessageRecord(**{f: getattr(record, f) for f in record.__dataclass_fields__}))
    assert not contract.vouched(replace(record, text="\x00"))
    assert not contract.vouched(contract.checked(MessageRecord("2", "email", "private", WHEN, "hi")))
    # a bad one is a Rejected, never vouched for
    assert isinstance(message_from_fields({**fields, "text": "a\x00b"}, "line 2"), Rejected)
    # the contract forgets a record when it is gone (a long-running receiver keeps nothing)
    gc.collect()
    before = len(contract._vouched)
    many = [message_from_fields({**fields, "id": str(n)}, f"line {n}") for n in range(100)]
    assert len(contract._vouched) == before + 100
    del many
    gc.collect()
    assert len(contract._vouched) == before


def test_declared_problem_is_first_problem_for_a_record_without_other_problems():
    source = Source("forum", "1", "test", "forum", "public", lambda path, options: iter(()))
    for channel, visibility in [("forum", "public"), ("twitter", "public"), ("forum", "private"),
                                ("twitter", "private"), (" Forum", "public")]:
        record = MessageRecord("1", channel, visibility, WHEN, "hi")
        assert contract.first_problem(record) is None
        assert contract.declared_problem(record, source) == contract.first_problem(record, source)
    undeclared = Source("any", "1", "test", None, None, lambda path, options: iter(()))
    assert contract.declared_problem(MessageRecord("1", "x", "public", WHEN, "hi"), undeclared) is None


@pytest.mark.parametrize("value", [
    None, 0, 1.5, True, WHEN, "", "plain", "a\x00b", "x" * (contract.MAX_TEXT + 1), (), ("a", "b"), ("a", "\x00"),
    ("a", 1), ("x" * (contract.MAX_TEXT + 1),), {}, {"k": "v"}, {"k": "\x00"}, [], ["\x00"], [[[]]],
])
def test_the_strings_fast_path_agrees_with_the_full_check(value):
    from types import MappingProxyType

    for given in (value, MappingProxyType(value)) if isinstance(value, dict) else (value,):
        if contract._plain(given):
            assert contract._string_problem(given, "f") is None
    record = MessageRecord("1", "email", "private", WHEN, "hi", meta={"deep": value})
    assert contract.first_problem(record) == contract._string_problem({"deep": value}, "meta")


def test_a_payloads_location_keeps_a_record_vouched_for_and_the_receiver_skips_only_those():
    import json

    from openledger.builtin.sources.jsonl import JsonlSource
    from openledger.intake import payloads
    from openledger.records import Payload

    body = json.dumps({"id": "1", "channel": "email", "visibility": "private", "timestamp": "2026-03-01T10:00:00Z",
                       "text": "hi"}).encode()
    (record,) = payloads.read_payload(JsonlSource(), Payload(body, "application/json", "UID 4"), {})
    assert record.location == "UID 4: record 1" and contract.vouched(record)
    by_hand = MessageRecord("2", "email", "private", WHEN.replace(tzinfo=None), "hi", location="post 2")
    assert payloads.first_problem([record, by_hand]) == ("post 2", "timestamp must be a timezone-aware datetime")

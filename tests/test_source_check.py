"""The record-contract checker that source tests (and plugin authors) use."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from openledger import sourcecheck
from openledger.records import CaseRecord, MessageRecord, Rejected
from openledger.sourcekit import Source

WHEN = datetime(2024, 5, 2, 9, 30, tzinfo=timezone.utc)


def test_good_records_have_no_problems():
    message = MessageRecord("1", "email", "private", WHEN, "hello", location="message 1")
    case = CaseRecord(
        "c1", "phone", "private", "Mortgage", WHEN, resolved_at=WHEN, outcome="explained", location="row 1",
    )
    assert sourcecheck.problems(message) == [] and sourcecheck.problems(case) == []
    assert sourcecheck.problems(Rejected("row 2", "bad date")) == []


def test_each_broken_field_is_reported():
    naive = datetime(2024, 5, 2, 9, 30)
    message = MessageRecord("1", "Email", "secret", naive, "x", direction="sideways", reply_to="1")
    found = sourcecheck.problems(message)
    assert len(found) == 6, found
    case = CaseRecord("c", "phone", "private", "", WHEN, resolved_at=WHEN, outcome="won", remedy="cash", location="row 1")
    assert len(sourcecheck.problems(case)) == 3
    early = CaseRecord(
        "c", "phone", "private", "Mortgage", WHEN, first_response_at=WHEN.replace(day=1), location="row 1",
    )
    assert sourcecheck.problems(early) == ["first_response_at is before opened_at"]
    open_with_outcome = CaseRecord("c", "phone", "private", "Mortgage", WHEN, outcome="upheld", location="row 1")
    assert sourcecheck.problems(open_with_outcome) == ["a resolved case needs an outcome and an open case has none"]


def test_run_names_the_location_and_checks_the_declared_channel(tmp_path):
    def reader(path, options):
        yield MessageRecord("1", "email", "private", WHEN, "hi", location="line 1")
        yield MessageRecord("2", "twitter", "public", WHEN, "hi", location="line 2")

    source = Source("mixed", "1", "test", "email", "private", reader)
    with pytest.raises(AssertionError, match="line 2: channel 'twitter' differs from the source's 'email'"):
        sourcecheck.run(source, tmp_path)

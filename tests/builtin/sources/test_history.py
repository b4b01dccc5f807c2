"""The ``history`` source: JSON Lines of past cases into CaseRecords or Rejected lines."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from audit_sim import NOW, history_lines, simulate
from hypothesis import given, settings
from hypothesis import strategies as st
from paths import DOCS

from openledger.audit import from_case_records, run_audit
from openledger.builtin.sources import history
from openledger.errors import SourceError
from openledger.records import CaseRecord, Rejected

GOOD = {
    "id": "A-1", "channel": "Twitter", "visibility": "public", "category": "billing",
    "severity": 2, "opened_at": "2025-03-01T09:00:00Z",
    "first_response_at": "2025-03-01T10:30:00+01:00", "resolved_at": "2025-03-04T12:00:00Z",
    "outcome": "upheld", "remedy": "refund", "amount": 25.5, "escalated": False,
    "reopened": False, "audience": 1200,
}


def _source():
    found = []
    history.register_sources(register=found.append, config={})
    (source,) = found
    return source


def _read(tmp_path, lines):
    path = tmp_path / "history.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return list(_source().read(path, {}))


def test_a_valid_line_becomes_a_case_record(tmp_path):
    (case,) = _read(tmp_path, [json.dumps(GOOD)])
    assert isinstance(case, CaseRecord)
    assert case.id == "A-1" and case.channel == "twitter" and case.severity == 2
    assert case.opened_at == datetime(2025, 3, 1, 9, tzinfo=UTC)
    assert (case.first_response_at - case.opened_at).total_seconds() == 1800
    assert case.outcome == "upheld" and case.amount == 25.5 and case.audience == 1200
    assert case.location == "line 1"


def test_the_stated_labels_are_read_and_absent_ones_stay_unknown(tmp_path):
    line = {**GOOD, "leverage": " Press", "moved_private": True, "tone": "hostile", "gag": False}
    case, bare, nulls = _read(tmp_path, [json.dumps(line), json.dumps(GOOD),
                                         json.dumps({**GOOD, "leverage": None, "moved_private": None})])
    assert (case.leverage, case.moved_private, case.tone, case.gag) == ("press", True, "hostile", False)
    for unknown in (bare, nulls):
        assert (unknown.leverage, unknown.moved_private, unknown.tone, unknown.gag) == (None, None, None, None)


def test_an_open_case_has_no_resolution(tmp_path):
    line = {**GOOD, "resolved_at": None, "outcome": None, "remedy": "none", "amount": 0}
    (case,) = _read(tmp_path, [json.dumps(line)])
    assert case.resolved_at is None and case.outcome is None


@pytest.mark.parametrize("change, reason", [
    ({"severity": 5}, "'severity' must be an integer 1 to 4"),
    ({"severity": True}, "'severity' must be an integer 1 to 4"),
    ({"visibility": "secret"}, "'visibility' must be one of public, private"),
    ({"opened_at": "yesterday"}, "'opened_at' is not an ISO 8601 timestamp"),
    ({"opened_at": "2025-03-01T09:00:00"}, "'opened_at' has no time zone offset"),
    ({"resolved_at": "2025-02-01T00:00:00Z"}, "'resolved_at' is before 'opened_at'"),
    ({"first_response_at": "2025-02-28T00:00:00Z"}, "'first_response_at' is before"),
    ({"outcome": "won"}, "'outcome' must be one of upheld"),
    ({"outcome": None}, "a resolved case needs an 'outcome'"),
    ({"resolved_at": None}, "an open case ('resolved_at' null) cannot have an 'outcome'"),
    ({"remedy": "cash"}, "'remedy' must be one of refund"),
    ({"amount": -3}, "'amount' must be a number >= 0"),
    ({"remedy": "apology"}, "'amount' must be 0 when 'remedy' is apology"),
    ({"escalated": "no"}, "'escalated' must be true or false"),
    ({"audience": -1}, "'audience' must be a whole number >= 0 or null"),
    ({"channel": " "}, "'channel' is empty"),
    ({"leverage": "lawyer"}, "'leverage' must be one of publicity, press, regulator, legal, none: got 'lawyer'"),
    ({"tone": 1}, "'tone' must be one of hostile, negative, neutral, positive: got 1"),
    ({"moved_private": "yes"}, "'moved_private' must be true, false or null: got 'yes'"),
    ({"gag": 0}, "'gag' must be true, false or null: got 0"),
])
def test_invalid_fields_are_rejected_with_the_line_and_reason(tmp_path, change, reason):
    lines = [json.dumps(GOOD), json.dumps({**GOOD, **change})]
    good, bad = _read(tmp_path, lines)
    assert isinstance(good, CaseRecord)
    assert isinstance(bad, Rejected) and bad.location == "line 2"
    assert reason in bad.reason


def test_bad_json_missing_fields_and_blank_lines(tmp_path):
    missing = {k: v for k, v in GOOD.items() if k not in ("remedy", "reopened")}
    out = _read(tmp_path, ["", "{not json", json.dumps(missing), "[1, 2]", json.dumps(GOOD)])
    assert [type(r).__name__ for r in out] == ["Rejected", "Rejected", "Rejected", "CaseRecord"]
    assert out[0].location == "line 2" and out[0].reason.startswith("invalid JSON")
    assert out[1].reason == "missing field(s): remedy, reopened"
    assert out[2].reason == "not a JSON object (an array)"
    assert out[3].location == "line 5"


def test_non_utf8_line_is_rejected_and_reading_goes_on(tmp_path):
    path = tmp_path / "h.jsonl"
    path.write_bytes(b'\xef\xbb\xbf' + json.dumps(GOOD).encode() + b"\n\xff\xfe\n"
                     + json.dumps({**GOOD, "id": "A-2"}).encode() + b"\r\n")
    out = list(_source().read(path, {}))
    assert [getattr(r, "id", None) for r in out] == ["A-1", None, "A-2"]
    assert out[1].location == "line 2" and "not UTF-8" in out[1].reason


def test_missing_file_and_empty_folder_are_source_errors(tmp_path):
    with pytest.raises(SourceError, match="nope.jsonl: file not found"):
        list(_source().read(tmp_path / "nope.jsonl", {}))
    with pytest.raises(SourceError, match="no .jsonl"):
        list(_source().read(tmp_path, {}))


def test_a_folder_is_read_file_by_file_with_names_in_locations(tmp_path):
    (tmp_path / "b.jsonl").write_text("{oops\n")
    (tmp_path / "a.jsonl").write_text(json.dumps(GOOD) + "\n")
    out = list(_source().read(tmp_path, {}))
    assert out[0].location == "a.jsonl: line 1" and out[1].location == "b.jsonl: line 1"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_records_or_rejections_never_an_exception(data):
    for item in history.read_lines(data.splitlines(keepends=True)):
        assert isinstance(item, (CaseRecord, Rejected))


@settings(max_examples=100, deadline=None)
@given(st.fixed_dictionaries({
    "severity": st.integers(1, 4),
    "amount": st.floats(0, 1e6, allow_nan=False),
    "audience": st.none() | st.integers(0, 10**9),
    "category": st.text(st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\x00"),
                        min_size=1).filter(str.strip),  # a NUL is a bad record (tests/intake/test_bad_records.py)
}))
def test_valid_values_round_trip(values):
    line = json.dumps({**GOOD, **values})
    (case,) = history.read_lines([line])
    assert isinstance(case, CaseRecord)
    assert case.severity == values["severity"] and case.amount == values["amount"]
    assert case.audience == values["audience"]
    assert case.category == values["category"].strip().lower()


def test_history_import_audits_like_the_simulated_table(tmp_path):
    lines = history_lines(3_000, 61, "remedy")
    cases = _read(tmp_path, lines)
    assert all(isinstance(c, CaseRecord) for c in cases)
    via_history = run_audit(from_case_records(cases, NOW), dimension="channel")
    direct = run_audit(simulate(3_000, 61, "remedy"), dimension="channel")
    assert {g: v["n"] for g, v in via_history.groups.items()} == {
        g: v["n"] for g, v in direct.groups.items()
    }
    for a, b in zip(via_history.findings, direct.findings):
        assert (a.metric, a.group, a.n, a.verdict) == (b.metric, b.group, b.n, b.verdict)
        if a.adjusted.ratio is not None:
            assert a.adjusted.ratio == pytest.approx(b.adjusted.ratio, rel=1e-6)


def test_the_documented_example_lines_are_valid():

    doc = DOCS / "history-format.md"
    examples = [line for line in doc.read_text().splitlines() if line.startswith('{"id"')]
    out = list(history.read_lines(examples))
    assert len(out) == 3 and all(isinstance(r, CaseRecord) for r in out)
    assert out[1].resolved_at is None and out[0].audience == 1200
    assert (out[2].leverage, out[2].tone, out[2].moved_private) == ("publicity", "hostile", None)

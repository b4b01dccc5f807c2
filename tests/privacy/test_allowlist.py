"""The publication allowlist and the scan of a built site for raw identifiers."""

from __future__ import annotations

import csv
import html
import json

import pytest
from paths import DATA
from redactor_set import builtin_redactors

from openledger.errors import ConfigError, OpenLedgerError
from openledger.privacy.allowlist import (
    PUBLICATION_SCHEMA,
    check_columns,
    check_row,
    check_rows,
    schema_from_config,
)
from openledger.privacy.leaks import Leak, find_leaks
from openledger.privacy.redaction import redact
from openledger.privacy.secret import pseudonym

OUTCOME = {
    "case": "C-ABCD-EFGH-IJKL-MNOP",
    "channel": "twitter",
    "visibility": "public",
    "category": "delivery",
    "severity": 2,
    "opened": "2026-03-05",
    "first_response_hours": 3.0,
    "resolution_hours": None,
    "resolved": False,
    "outcome": None,
    "remedy": "none",
    "amount": 0.0,
    "response_level": 1,
    "escalated": False,
    "reopened": False,
}


def _error(check, *args) -> str | None:
    try:
        check(*args)
    except OpenLedgerError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("change", [
    {}, {"severity": "high"}, {"resolved": 1}, {"severity": True}, {"amount": 3}, {"amount": None},
    {"outcome": "upheld"}, {"email": "jane@example.com"}, {"case": None},
])
def test_columns_are_checked_as_their_rows_would_be(change):
    rows = [OUTCOME, {**OUTCOME, "severity": 3}, {**OUTCOME, **change}, {**OUTCOME, **change, "remedy": 5}]
    columns = {field: [row.get(field) for row in rows] for field in rows[2]}
    complete = [{field: row.get(field) for field in rows[2]} for row in rows]
    assert _error(check_columns, "outcomes", columns) == _error(check_rows, "outcomes", complete)
    if not change:
        assert check_columns("outcomes", {f: values[:3] for f, values in columns.items()}) == 3
    assert _error(check_columns, "no-such-dataset", columns) == _error(check_rows, "no-such-dataset", complete)


def test_allowed_rows_pass():
    check_row("outcomes", OUTCOME)
    assert check_rows("outcomes", [OUTCOME, OUTCOME]) == 2


def test_a_field_not_on_the_allowlist_is_refused_by_name():
    with pytest.raises(OpenLedgerError) as error:
        check_rows("outcomes", [OUTCOME, {**OUTCOME, "email": "jane@example.com"}])
    message = str(error.value)
    assert "'email'" in message and "outcomes" in message and "row 2" in message
    assert "jane@example.com" not in message  # the error never repeats the private value


def test_wrong_types_and_unknown_datasets_are_refused():
    with pytest.raises(OpenLedgerError, match="'severity' must be int"):
        check_row("outcomes", {**OUTCOME, "severity": "high"})
    with pytest.raises(OpenLedgerError, match="'resolved' must be bool"):
        check_row("outcomes", {**OUTCOME, "resolved": 1})
    with pytest.raises(OpenLedgerError, match="'severity' must be int"):
        check_row("outcomes", {**OUTCOME, "severity": True})
    with pytest.raises(OpenLedgerError, match="may not be empty"):
        check_row("outcomes", {**OUTCOME, "channel": None})
    with pytest.raises(OpenLedgerError, match="not on the publication allowlist"):
        check_row("customers", {"name": "x"})


def test_the_allowlist_grows_only_by_a_deliberate_config_entry():
    schema = schema_from_config({"publication": {"fields": {"outcomes": {"store_region": "str?"}}}})
    check_row("outcomes", {**OUTCOME, "store_region": "north"}, schema)
    assert "store_region" not in PUBLICATION_SCHEMA["outcomes"]
    with pytest.raises(ConfigError, match="publication.fields.outcomes.x"):
        schema_from_config({"publication": {"fields": {"outcomes": {"x": "blob"}}}})


def test_find_leaks_sees_identifiers_in_every_format(tmp_path):
    (tmp_path / "cases").mkdir()
    (tmp_path / "index.html").write_text(f"<p>{html.escape('Dear O’Neill & co')}</p>", encoding="utf-8")
    (tmp_path / "cases" / "shard-0.json").write_text(
        json.dumps({"text": "mail jane.doe@example.com"}), encoding="utf-8"
    )
    with (tmp_path / "outcomes.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(["C-1", "call 07700-900-461"])
    (tmp_path / "link.html").write_text("<a href='/u?n=Siobh%C3%A1n%20Byrne'>x</a>", encoding="utf-8")
    leaks = find_leaks(
        tmp_path,
        {
            "name": ["O’Neill & co", "Siobhán Byrne"],
            "email": ["Jane.Doe@example.com"],
            "phone": ["+44 7700 900461"],
            "case_id": ["4471"],
        },
    )
    assert Leak("index.html", "name") in leaks
    assert Leak("cases/shard-0.json", "email") in leaks
    assert Leak("outcomes.csv", "phone") in leaks
    assert Leak("link.html", "name") in leaks
    assert not [leak for leak in leaks if leak.kind == "case_id"]


def test_find_leaks_needs_a_directory(tmp_path):
    with pytest.raises(OpenLedgerError, match="not a directory"):
        find_leaks(tmp_path / "missing", {})


def test_a_site_built_from_redacted_summaries_holds_no_raw_identifier(tmp_path):
    """Build a small site the way publication does (pseudonyms, redacted text, JSON/CSV/HTML shards)
    from the hand-written corpus texts, then scan it for every labelled identifier and raw case id."""
    corpus = DATA / "redaction_corpus.jsonl"
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    records = [r for r in records if r["set"] in ("holdout", "holdout2")]
    redactors = builtin_redactors()
    key = b"instance secret for the test...."
    rows = []
    identifiers: list[tuple[str, str]] = []
    for number, record in enumerate(records, start=100000):
        summary = redact(record["text"], redactors, keep=["@AcmeHelp"]).text
        rows.append({"case": pseudonym(number, key), "summary": summary})
        identifiers.append(("case_id", str(number)))
        identifiers += [(s["kind"], record["text"][s["start"] : s["end"]]) for s in record["spans"]]
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    (site / "data" / "summaries.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    with (site / "data" / "summaries.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["case", "summary"])
        writer.writeheader()
        writer.writerows(rows)
    (site / "index.html").write_text(
        "".join(f"<li>{html.escape(r['case'])}: {html.escape(r['summary'])}</li>" for r in rows), encoding="utf-8"
    )
    check_rows("summaries", rows)
    assert find_leaks(site, identifiers) == []

"""The published case rows and the case index as static JSON shards."""

import hashlib
import json
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from site_fixtures import history_lines

from openledger.audit import from_case_records
from openledger.errors import OpenLedgerError
from openledger.records import CaseRecord
from openledger.site import shards
from openledger.site.context import site_schema

NOW = datetime(2025, 12, 1, tzinfo=UTC)


def table_of(lines):
    records = [
        CaseRecord(
            id=r["id"], channel=r["channel"], visibility=r["visibility"], category=r["category"],
            opened_at=datetime.fromisoformat(r["opened_at"]), severity=r["severity"],
            first_response_at=datetime.fromisoformat(r["first_response_at"]) if r["first_response_at"] else None,
            resolved_at=datetime.fromisoformat(r["resolved_at"]) if r["resolved_at"] else None,
            outcome=r["outcome"], remedy=r["remedy"], amount=r["amount"], escalated=r["escalated"],
            reopened=r["reopened"], audience=r.get("audience"),
        )
        for r in lines
    ]
    table = from_case_records(records, NOW)
    n = len(table["channel"])
    table["case"] = np.array([f"C-{i:04d}-TEST" for i in range(n)], dtype=object)
    table["response_level"] = np.where(table["responded"], 2, 0)
    table["resolved_elsewhere"] = np.zeros(n, dtype=bool)
    return table


@pytest.fixture(scope="module")
def table():
    return table_of(history_lines(300))


def read_rows(files, index):
    rows = []
    for period in index["periods"]:
        for part in period["parts"]:
            data = json.loads(files[f"data/outcomes/{part}"])
            assert data["columns"] == index["columns"]
            rows += [dict(zip(data["columns"], r)) for r in data["rows"]]
    return rows


def test_every_case_is_published_once_under_its_period(table):
    files, index = shards.outcome_files(table, site_schema())
    rows = read_rows(files, index)
    assert sorted(r["case"] for r in rows) == sorted(table["case"].tolist())
    assert index["cases"] == len(rows) == sum(m["count"] for m in index["periods"])
    assert len(files) == 1 + sum(len(m["parts"]) for m in index["periods"])
    assert set(index["channels"]) == set(table["channel"].tolist())
    by_case = {r["case"]: r for r in rows}
    i = 5
    row = by_case[table["case"][i]]
    assert row["channel"] == table["channel"][i] and row["severity"] == int(table["severity"][i])
    assert row["opened"] == table["opened"][i] and "-W" in row["opened"]
    assert set(row) == set(shards.ROW_FIELDS)
    assert files == shards.outcome_files(table, site_schema())[0]  # the same table, the same bytes


def test_each_part_is_written_exactly_as_dumps_writes_its_rows(table):
    odd = dict(table)
    n = len(odd["case"])
    names = ['C-"quoted"', "C-back\\slash", "C-ä-中-😀", "C-tab\there", "C-nl\nhere", "C-\u2028", "C-,comma"]
    odd["case"] = np.array([f"{names[i % len(names)]}-{i}" for i in range(n)], dtype=object)
    odd["amount"] = np.where(np.arange(n) % 4 == 0, -0.0, np.round(np.arange(n) * 1.37, 2))
    odd["outcome"] = np.where(np.arange(n) % 3 == 0, "", "upheld").astype(object)
    files, index = shards.outcome_files(odd, site_schema())
    for period in index["periods"]:
        for part in period["parts"]:
            raw = files[f"data/outcomes/{part}"]
            assert raw == shards.dumps(json.loads(raw))
    rows = {r["case"]: r for r in read_rows(files, index)}
    assert set(rows) == set(odd["case"].tolist())
    assert rows[odd["case"][0]]["amount"] == 0.0 and str(rows[odd["case"][0]]["amount"]) == "-0.0"
    assert rows[odd["case"][0]]["outcome"] is None


def test_big_periods_are_split_into_parts(table, monkeypatch):
    monkeypatch.setattr(shards, "PART_ROWS", 7)
    files, index = shards.outcome_files(table, site_schema())
    assert max(len(m["parts"]) for m in index["periods"]) > 1
    assert len(read_rows(files, index)) == len(table["case"])


def test_a_field_off_the_allowlist_is_refused_before_writing(table):
    schema = site_schema()
    del schema["outcomes"]["resolved_elsewhere"]
    with pytest.raises(OpenLedgerError, match="resolved_elsewhere"):
        shards.outcome_files(table, schema)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["C-AAAA", "C-BBBB", "C-CCCC", "C-ä", "x"]),
                          st.integers(0, 10_000)), max_size=60, unique_by=lambda t: t[1]))
def test_case_index_maps_each_case_to_its_sorted_entries(pairs):
    mapping: dict[str, list[int]] = {}
    for c, i in pairs:
        mapping.setdefault(c, []).append(i)
    files = shards.case_index_files(mapping)
    found = {}
    for path, raw in files.items():
        for case, listed in json.loads(raw).items():
            assert path == f"data/cases/{hashlib.sha256(case.encode()).hexdigest()[:2]}.json"
            found[case] = listed
    assert found == {c: sorted(v) for c, v in mapping.items()}
    assert len(files) == 256
    for name in range(256):  # the bytes are those of dumps of each file's mapping, sorted by case
        members = {c: sorted(v) for c, v in sorted(mapping.items()) if shards.shard_of(c) == f"{name:02x}"}
        assert files[f"data/cases/{name:02x}.json"] == shards.dumps(members)


def test_case_index_bytes_are_those_of_dumps_for_ids_that_need_escaping():
    mapping = {'C-"q"': [3, 1], "C-\\back": [2], "C-\u00e9\n\t": [7, 5, 6], "C-ä€😀": [0], "": [9], "C-\x00": [4]}
    files = shards.case_index_files(mapping)
    for name in range(256):
        members = {c: sorted(v) for c, v in sorted(mapping.items()) if shards.shard_of(c) == f"{name:02x}"}
        assert files[f"data/cases/{name:02x}.json"] == shards.dumps(members)


def test_summaries_go_beside_their_period_parts_and_are_allowlisted(table):
    said = {c: f"summary of {c}" for c in table["case"][::3].tolist()}
    files, index = shards.outcome_files(table, site_schema(), summaries=said)
    assert index["summaries"] is True
    found = {}
    for period in index["periods"]:
        for part in period["parts"]:
            found.update(json.loads(files[f"data/summaries/{part}"]))
    assert found == said
    schema = site_schema()
    del schema["summaries"]
    with pytest.raises(OpenLedgerError, match="summaries"):
        shards.outcome_files(table, schema, summaries=said)

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


def read_rows(folder, index):
    rows = []
    for month in index["months"]:
        for part in month["parts"]:
            data = json.loads((folder / "outcomes" / part).read_text("utf-8"))
            assert data["columns"] == index["columns"]
            rows += [dict(zip(data["columns"], r)) for r in data["rows"]]
    return rows


def test_every_case_is_published_once_by_month(tmp_path, table):
    index, files = shards.write_outcome_shards(tmp_path, table, site_schema())
    rows = read_rows(tmp_path, index)
    assert sorted(r["case"] for r in rows) == sorted(table["case"].tolist())
    assert index["cases"] == len(rows) == sum(m["count"] for m in index["months"])
    assert files == 1 + sum(len(m["parts"]) for m in index["months"])
    assert set(index["channels"]) == set(table["channel"].tolist())
    by_case = {r["case"]: r for r in rows}
    i = 5
    row = by_case[table["case"][i]]
    assert row["channel"] == table["channel"][i] and row["severity"] == int(table["severity"][i])
    assert row["opened"].startswith(str(table["opened"][i])[:4]) and "-W" in row["opened"]
    assert set(row) == set(shards.ROW_FIELDS)


def test_big_months_are_split_into_parts(tmp_path, table, monkeypatch):
    monkeypatch.setattr(shards, "PART_ROWS", 7)
    index, _ = shards.write_outcome_shards(tmp_path, table, site_schema())
    assert max(len(m["parts"]) for m in index["months"]) > 1
    assert len(read_rows(tmp_path, index)) == len(table["case"])


def test_durations_are_rounded_to_whole_hours(tmp_path, table):
    index, _ = shards.write_outcome_shards(tmp_path, table, site_schema(), unit="month")
    for row in read_rows(tmp_path, index):
        for name in ("first_response_hours", "resolution_hours"):
            assert row[name] is None or float(row[name]).is_integer()
        assert len(row["opened"]) == 7


def test_a_field_off_the_allowlist_is_refused_before_writing(tmp_path, table):
    schema = site_schema()
    del schema["outcomes"]["resolved_elsewhere"]
    with pytest.raises(OpenLedgerError, match="resolved_elsewhere"):
        shards.write_outcome_shards(tmp_path, table, schema)
    assert not (tmp_path / "outcomes").exists()


def test_bad_time_unit_is_a_clear_error(tmp_path, table):
    with pytest.raises(OpenLedgerError, match="time unit"):
        shards.write_outcome_shards(tmp_path, table, site_schema(), unit="year")


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["C-AAAA", "C-BBBB", "C-CCCC", "C-ä", "x"]),
                          st.integers(0, 10_000)), max_size=60, unique_by=lambda t: t[1]))
def test_case_index_maps_each_case_to_its_sorted_entries(tmp_path_factory, pairs):
    folder = tmp_path_factory.mktemp("cases")
    cases = np.array([c for c, _ in pairs], dtype=object)
    indices = np.array([i for _, i in pairs], dtype=np.int64)
    files = shards.write_case_index(folder, cases, indices)
    found = {}
    for path in (folder / "cases").glob("*.json"):
        for case, listed in json.loads(path.read_text("utf-8")).items():
            assert path.stem == hashlib.sha256(case.encode()).hexdigest()[:2]
            found[case] = listed
    expected = {}
    for c, i in pairs:
        expected.setdefault(c, []).append(i)
    assert found == {c: sorted(v) for c, v in expected.items()}
    assert files == 256 == len(list((folder / "cases").glob("*.json")))


def test_summaries_go_beside_their_month_parts_and_are_allowlisted(tmp_path, table):
    said = {c: f"summary of {c}" for c in table["case"][::3].tolist()}
    index, _files = shards.write_outcome_shards(tmp_path, table, site_schema(), summaries=said)
    assert index["summaries"] is True
    found = {}
    for month in index["months"]:
        for part in month["parts"]:
            found.update(json.loads((tmp_path / "summaries" / part).read_text("utf-8")))
    assert found == said
    schema = site_schema()
    del schema["summaries"]
    with pytest.raises(OpenLedgerError, match="summaries"):
        shards.write_outcome_shards(tmp_path / "again", table, schema, summaries=said)

"""The influence dimensions' groups, and their columns from the log's entries to the published CSV."""

from __future__ import annotations

import numpy as np
import pytest
from audit_sim import simulate

from openledger.audit import read_csv, run_audit, write_csv
from openledger.audit.groups import group_cases
from openledger.audit.outcomes_csv import csv_bytes
from openledger.ledger.entry import build_entry
from openledger.site.derive import derive


def test_leverage_compares_private_cases_only_and_pools_the_kinds():
    table = simulate(4_000, 3, "fair")
    plan = group_cases(table, "leverage")
    private = table["visibility"] == "private"
    assert not (plan.atoms[~private] >= 0).any()  # a public case is in no leverage group
    assert plan.names[0] == "threat" and plan.reference == "none"
    assert [(c.group, c.reference) for c in plan.comparisons] == [
        ("threat", "none"), ("publicity", "none"), ("press", "none"), ("regulator", "none"), ("legal", "none")]
    one_kind = {**table, "leverage": np.where(table["leverage"] == "none", "none", "legal").astype(object)}
    plan = group_cases(one_kind, "leverage")
    assert "threat" not in plan.names and [c.group for c in plan.comparisons] == ["legal"]


def test_tone_is_compared_within_channel_and_the_others_are_not():
    table = simulate(3_000, 4, "fair")
    tone, deflection = run_audit(table, dimension="tone"), run_audit(table, dimension="deflection")
    assert tone.strata == deflection.strata * len(set(table["channel"]))
    assert tone.as_json()["method"]["strata"] == "channel x category x severity"
    assert "public_follow_up" not in tone.as_json() and "public_follow_up" in deflection.as_json()


def test_a_table_without_labels_has_no_influence_comparisons():
    table = {k: v for k, v in simulate(500, 5, "fair").items() if k not in ("leverage", "moved_private", "tone")}
    for dimension in ("leverage", "deflection", "tone"):
        result = run_audit(table, dimension=dimension)
        assert result.findings == () and result.overall == "insufficient-data"
    assert run_audit(table, dimension="visibility").to_json() == run_audit(
        simulate(500, 5, "fair"), dimension="visibility").to_json()


@pytest.mark.parametrize("column, value", [("leverage", "lawyer"), ("moved_private", "true"), ("tone", "angry")])
def test_a_value_outside_the_vocabulary_is_refused_naming_column_and_row(tmp_path, column, value):
    table = simulate(20, 6, "fair")
    table[column] = table[column].copy()
    table[column][3] = value
    with pytest.raises(Exception, match=f"column '{column}', row 4: must be .* or empty, not '{value}'"):
        run_audit(table)


def test_the_csv_holds_the_influence_columns_only_when_used_and_reads_back_the_same(tmp_path):
    table = simulate(300, 7, "influence")
    write_csv(table, tmp_path / "with.csv")
    header = (tmp_path / "with.csv").read_text().splitlines()[0].split(",")
    assert header[-4:] == ["leverage", "moved_private", "tone", "followed_up"]
    again = read_csv(tmp_path / "with.csv")
    for dimension in ("leverage", "deflection", "tone"):
        assert run_audit(again, dimension=dimension).to_json() == run_audit(table, dimension=dimension).to_json()
    bare = {**table, "leverage": np.full(300, "", dtype=object), "followed_up": np.zeros(300, dtype=bool)}
    assert csv_bytes(bare).split(b"\n")[0].endswith(b"censor_days,moved_private,tone")


def _entry(case, kind, data, n, channel="twitter", visibility="public", period="2026-04"):
    return n, build_entry(case=case, type=kind, channel=channel, visibility=visibility, period=period, data=data,
                          deciders=[], commitment=f"{n:064x}")


def test_derive_reads_the_labels_and_the_public_follow_up_from_the_entries():
    stated = {"leverage": {"value": "press", "confidence_pct": 100}, "tone": {"value": "furious",
              "confidence_pct": 90}, "moves_private": {"value": "yes", "confidence_pct": 100}}
    resolved = {"outcome": "upheld", "remedy": "none", "amount_cents": 0, "after_h": 5}
    raw = [
        ("A", "opened", {"category": "billing", "severity": 2}), ("A", "classified", {"labels": stated}),
        ("A", "responded", {"after": "1-4h"}), ("A", "resolved", resolved), ("A", "responded", {}),
        ("B", "opened", {"category": "billing", "severity": 2}), ("B", "resolved", resolved),
        ("B", "responded", {"after": "4-24h"}), ("B", "responded", {"channel": "twitter-dm"}),
        ("C", "opened", {"category": "billing", "severity": 2}), ("C", "resolved", resolved),
        ("C", "responded", {}), ("C", "reopened", {}),
    ]
    table = derive([_entry(case, kind, data, n) for n, (case, kind, data) in enumerate(raw)]).table
    row = {case: i for i, case in enumerate(table["case"])}
    a, b, c = row["A"], row["B"], row["C"]
    assert (table["leverage"][a], table["moved_private"][a], table["tone"][a]) == ("press", "yes", "")  # 'furious'
    assert table["leverage"][b] == "" and table["moved_private"][b] == ""
    # a reply after the resolution on the case's own channel is a follow-up; the first response, a reply on another
    # channel, and a follow-up undone by a reopening are not
    assert [bool(table["followed_up"][i]) for i in (a, b, c)] == [True, False, False]

"""The audit's JSON contract, text table, input checks, settings and metric plugins."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from audit_sim import simulate
from hypothesis import given, settings
from hypothesis import strategies as st

from openledger.audit import BUILTIN_METRICS, Metric, Settings, render_text, run_audit
from openledger.audit.verdict import overall, verdict
from openledger.builtin import audit_metrics
from openledger.errors import ConfigError, OpenLedgerError

FINDING_KEYS = [
    "metric", "group", "reference", "value", "reference_value", "ratio", "ci_low",
    "ci_high", "p_value", "p_adjusted", "n", "verdict",
]


def test_json_has_exactly_the_issue_contract_first():
    doc = json.loads(run_audit(simulate(3_000, 1, "remedy")).to_json())
    assert list(doc)[:5] == ["overall", "dimension", "reference", "groups", "findings"]
    assert doc["overall"] in ("unfair", "fair", "insufficient-data")
    assert doc["dimension"] == "visibility" and doc["reference"] == "private"
    assert set(doc["groups"]) == {"public", "private"}
    for group in doc["groups"].values():
        assert isinstance(group["n"], int)
        assert set(group) == {"n"} | {m.name for m in BUILTIN_METRICS}
    assert len(doc["findings"]) == len(BUILTIN_METRICS)
    for finding in doc["findings"]:
        assert list(finding)[:12] == FINDING_KEYS
        assert finding["verdict"] in ("equal", "unequal", "insufficient-data")
        assert set(finding["naive"]) == {"ratio", "ci_low", "ci_high", "p_value"}
    assert doc["tolerance"] == [0.8, 1.25] and doc["min_cases"] == 30


def test_same_input_gives_byte_identical_json():
    a = run_audit(simulate(4_000, 2, "fair"), dimension="channel").to_json()
    b = run_audit(simulate(4_000, 2, "fair"), dimension="channel").to_json()
    assert a == b


def test_undefined_numbers_are_null_never_nan():
    table = simulate(400, 3, "fair")
    table["reopened"] = np.zeros(400, dtype=bool)  # no reopenings: ratio undefined
    text = run_audit(table, dimension="channel").to_json()
    assert "NaN" not in text and "Infinity" not in text
    doc = json.loads(text)
    (reopen,) = [f for f in doc["findings"] if f["metric"] == "reopen_rate"][:1]
    assert reopen["ratio"] is None and reopen["verdict"] == "insufficient-data"


def test_groups_below_the_minimum_count_are_insufficient_data():
    result = run_audit(simulate(20_000, 4, "remedy"), settings=Settings(min_cases=20_000))
    assert {f.verdict for f in result.findings} == {"insufficient-data"}
    assert all(f.p_adjusted is None for f in result.findings)
    assert result.overall == "insufficient-data"


def test_a_named_reference_compares_every_other_group_with_it():
    result = run_audit(simulate(6_000, 5, "fair"), dimension="channel", reference="email")
    assert result.reference == "email"
    assert {f.reference for f in result.findings} == {"email"}
    assert "email" not in {f.group for f in result.findings}
    assert len({f.group for f in result.findings}) == 6


def test_unknown_reference_or_dimension_is_a_clear_error():
    with pytest.raises(OpenLedgerError, match="reference group 'fax' not found"):
        run_audit(simulate(500, 6), dimension="channel", reference="fax")
    with pytest.raises(OpenLedgerError, match="unknown audit dimension"):
        run_audit(simulate(500, 6), dimension="weekday")


def test_bad_tables_name_the_column_and_row():
    table = simulate(200, 7)
    table["severity"] = table["severity"].copy()
    table["severity"][16] = 7
    with pytest.raises(OpenLedgerError, match=r"outcomes.csv: column 'severity', row 17"):
        run_audit(table, source="outcomes.csv")
    table = simulate(200, 7)
    del table["censor_days"]
    with pytest.raises(OpenLedgerError, match="lacks column.*censor_days"):
        run_audit(table)
    table = simulate(200, 7)
    table["first_response_hours"] = np.where(table["responded"], np.nan, 1.0)
    with pytest.raises(OpenLedgerError, match="'first_response_hours', row 1"):
        run_audit(table)


def test_text_table_shows_every_finding_and_the_verdict():
    result = run_audit(simulate(20_000, 8, "remedy"))
    text = render_text(result)
    assert text.startswith("Fair treatment audit by visibility (reference: private): UNFAIR")
    lines = [line for line in text.splitlines() if line.startswith("remedy_rate")]
    assert len(lines) == 1 and lines[0].rstrip().endswith("unequal")
    assert "crude ratio" in text and "stratum-weighted" in text and "coverage" in text


def test_builtin_plugin_registers_the_eight_metrics_through_the_hook():
    found = []
    audit_metrics.register_audit_metrics(register=found.append, config={})
    names = [m.name for m in found]
    assert names == [
        "response_rate", "first_response_hours", "resolution_rate", "resolution_days",
        "remedy_rate", "remedy_amount", "escalation_rate", "reopen_rate",
    ]
    assert all(isinstance(m.version, str) and m.kind in ("rate", "time", "amount") for m in found)


def test_a_third_party_metric_is_audited_like_a_builtin():
    apology = Metric(
        name="apology_rate", version="0.1", kind="rate", unit="share",
        description="Share of resolved cases closed with an apology only.",
        compute=lambda t: (t["remedy"] == "apology", t["resolved"]),
    )
    result = run_audit(simulate(5_000, 9), metrics=(*BUILTIN_METRICS, apology))
    (finding,) = [f for f in result.findings if f.metric == "apology_rate"]
    assert finding.verdict in ("equal", "insufficient-data")
    assert 0.2 < result.groups["public"]["apology_rate"] < 0.4  # half of the unremedied
    bad = Metric("broken", "1", "rate", "", lambda t: (np.ones(3, bool), np.ones(3, bool)))
    with pytest.raises(OpenLedgerError, match="'broken' returned arrays of the wrong shape"):
        run_audit(simulate(500, 9), metrics=(bad,))


def test_verdict_rules():
    s = Settings()
    assert verdict(1.0, 0.9, 1.1, 0.5, True, s) == "equal"
    assert verdict(1.4, 1.3, 1.5, 0.001, True, s) == "unequal"
    assert verdict(1.4, 1.3, 1.5, 0.2, True, s) == "insufficient-data"  # not significant
    assert verdict(1.2, 1.1, 1.3, 0.001, True, s) == "insufficient-data"  # inside the band
    assert verdict(1.0, 0.9, 1.1, 0.5, False, s) == "insufficient-data"  # too few cases
    assert overall(["equal", "insufficient-data"], [True, False]) == "fair"
    assert overall(["equal", "insufficient-data"], [True, True]) == "insufficient-data"
    assert overall(["equal", "unequal"], [True, True]) == "unfair"
    assert overall([], []) == "insufficient-data"


def test_settings_from_config():
    config = {"audit": {"tolerance_low": 0.9, "tolerance_high": 1.1, "min_cases": 50}}
    s = Settings.from_config(config)
    assert (s.tolerance_low, s.tolerance_high, s.alpha, s.min_cases) == (0.9, 1.1, 0.05, 50)
    assert Settings.from_config({}) == Settings()
    with pytest.raises(ConfigError, match="unknown key"):
        Settings.from_config({"audit": {"tolerence": 1}})
    with pytest.raises(ConfigError, match="tolerance"):
        Settings.from_config({"audit": {"tolerance_low": 1.2}})


def test_json_numbers_are_finite_and_rounded():
    doc = json.loads(run_audit(simulate(3_000, 10, "response")).to_json())
    for finding in doc["findings"]:
        for key in ("value", "ratio", "ci_low", "ci_high", "p_value", "p_adjusted"):
            x = finding[key]
            assert x is None or (math.isfinite(x) and x == float(f"{x:.6g}"))


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    n=st.integers(0, 400),
    scenario=st.sampled_from(["fair", "remedy", "response"]),
    dimension=st.sampled_from(["visibility", "channel", "audience"]),
)
def test_small_random_tables_give_valid_json_whatever_the_row_order(seed, n, scenario, dimension):
    table = simulate(n, seed, scenario)
    order = np.random.default_rng(seed).permutation(n)
    shuffled = {k: v[order] for k, v in table.items()}
    a = run_audit(table, dimension=dimension, settings=Settings(min_cases=5))
    b = run_audit(shuffled, dimension=dimension, settings=Settings(min_cases=5))
    doc = json.loads(a.to_json())  # allow_nan=False inside: never NaN
    assert [(f.metric, f.group, f.n, f.verdict) for f in a.findings] == [
        (f.metric, f.group, f.n, f.verdict) for f in b.findings
    ]
    for fa, fb in zip(a.findings, b.findings):
        assert (fa.adjusted.ratio is None) == (fb.adjusted.ratio is None)
        if fa.adjusted.ratio is not None:
            assert math.isclose(fa.adjusted.ratio, fb.adjusted.ratio, rel_tol=1e-9)
        lo, hi = fa.adjusted.ci_low, fa.adjusted.ci_high
        if lo is not None and hi is not None:
            assert lo <= fa.adjusted.ratio <= hi
    assert doc["overall"] in ("fair", "unfair", "insufficient-data", "not-comparable")


def test_opened_is_a_period_label_and_may_be_missing():
    from openledger.audit import validate

    table = simulate(3, 90)
    table["opened"] = np.array(["2026-W10", "2026-03", ""], dtype=object)
    assert list(validate(table)["opened"]) == ["2026-W10", "2026-03", ""]
    del table["opened"]
    assert list(validate(table)["opened"]) == ["", "", ""]


def test_a_validated_table_is_not_checked_again_and_gives_the_same_audit():
    from openledger.audit import validate

    table = simulate(400, 7)
    checked = validate(table)
    assert validate(checked) is checked  # the site's three audits check their one table once
    assert validate(table) is not checked  # a plain table is checked (and copied) each time
    once = run_audit(checked, BUILTIN_METRICS, "visibility").to_json()
    assert once == run_audit(table, BUILTIN_METRICS, "visibility").to_json()

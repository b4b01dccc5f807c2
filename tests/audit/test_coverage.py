"""Coverage, the not-comparable verdict, and values that agree with their ratio.

A comparison is only like with like where both sides have cases of the same
category and severity. The worlds here are the simulated histories of
``tests/lib/audit_sim.py`` with part of the public cases moved to categories
no private case has (as a source with its own vocabulary does), so the truth
of each comparison is known.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from audit_sim import simulate
from hypothesis import given, settings
from hypothesis import strategies as st

from openledger.audit import Settings, render_text, run_audit, survival
from openledger.audit import stats as audit_stats
from openledger.audit.verdict import overall, verdict
from openledger.errors import ConfigError

BEARING = ("equal", "unequal")


def own_vocabulary(table: dict, share: float, seed: int = 0) -> dict:
    """``table`` with ``share`` of its public cases given categories that no private case has."""
    rng = np.random.default_rng(seed)
    moved = (table["visibility"] == "public") & (rng.random(len(table["category"])) < share)
    table = dict(table)
    table["category"] = np.where(moved, "regulator-" + table["category"].astype(str), table["category"]).astype(object)
    return table


def finding(result, metric, group="public"):
    (f,) = [f for f in result.findings if f.metric == metric and f.group == group]
    return f


def test_a_bias_among_too_few_shared_cases_is_not_comparable_never_unequal():
    """Public remedies 1.3 times as often, but 70% of public cases sit in categories private cases
    never have: the ratio rests on the other 30% only, so no measure bears a verdict and the audit
    is neither fair nor unfair."""
    table = own_vocabulary(simulate(20_000, 61, "remedy"), 0.7)
    result = run_audit(table)
    remedy = finding(result, "remedy_rate")
    assert 0.25 < remedy.coverage.share < 0.35 and remedy.coverage.reference_share == 1.0
    assert remedy.coverage.cases < remedy.n == remedy.coverage.of
    assert remedy.adjusted.ratio > 1.2  # the few shared strata do show the bias...
    assert remedy.verdict == "not-comparable"  # ...but they are not the groups
    assert {f.verdict for f in result.findings} == {"not-comparable"}
    assert all(f.p_adjusted is None for f in result.findings)  # outside the Holm family
    assert result.overall == "not-comparable"
    doc = json.loads(result.to_json())
    cov = next(f for f in doc["findings"] if f["metric"] == "remedy_rate")["coverage"]
    assert cov["group"]["cases"] == remedy.coverage.cases and cov["reference"]["share"] == 1.0
    assert math.isclose(cov["group"]["share"], remedy.coverage.share, rel_tol=1e-5)
    assert doc["min_coverage"] == 0.5
    text = render_text(result)
    assert "NOT-COMPARABLE" in text.splitlines()[0]
    assert "remedy_rate, public: not comparable: only 3" in text and "below the 50% needed" in text


def test_enough_shared_cases_keep_the_verdicts():
    table = own_vocabulary(simulate(20_000, 62, "remedy"), 0.3)
    result = run_audit(table)
    remedy = finding(result, "remedy_rate")
    assert 0.65 < remedy.coverage.share < 0.75
    assert remedy.verdict == "unequal" and remedy.adjusted.ci_low <= 1.3 <= remedy.adjusted.ci_high
    assert result.overall == "unfair"
    stricter = run_audit(table, settings=Settings(min_coverage=0.8))
    assert finding(stricter, "remedy_rate").verdict == "not-comparable"
    assert stricter.overall == "not-comparable"


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 10**6), share=st.floats(0, 1), min_coverage=st.sampled_from([0.3, 0.5, 0.8]),
       scenario=st.sampled_from(["fair", "remedy", "response"]),
       dimension=st.sampled_from(["visibility", "channel"]))
def test_no_measure_bears_a_verdict_below_the_coverage_threshold(seed, share, min_coverage, scenario, dimension):
    table = own_vocabulary(simulate(3_000, seed, scenario), share, seed)
    s = Settings(min_cases=20, min_coverage=min_coverage)
    result = run_audit(table, dimension=dimension, settings=s)
    for f in result.findings:
        c = f.coverage
        assert c.cases <= c.of == f.n and c.reference_cases <= c.reference_of == f.reference_n
        low = c.share is None or c.reference_share is None or min(c.share, c.reference_share) < min_coverage
        if low:
            assert f.verdict not in BEARING and f.p_adjusted is None
        if f.verdict in BEARING:
            assert min(c.share, c.reference_share) >= min_coverage
    if all(f.verdict not in BEARING for f in result.findings):
        assert result.overall not in ("fair", "unfair")


def test_values_beside_the_adjusted_ratio_are_the_ones_it_compares():
    """Shares and means: the stratum-weighted values divide to the adjusted ratio (subtract to the
    difference, for a share compared as one); the crude values to the crude ratio. Times: the
    stratum-weighted medians point the way the time ratio does."""
    for scenario, dimension in (("remedy", "visibility"), ("fair", "channel"), ("response", "visibility")):
        result = run_audit(own_vocabulary(simulate(20_000, 63, scenario), 0.2), dimension=dimension)
        for f in result.findings:
            if f.adjusted.ratio is None:
                continue
            assert f.adjusted_value is not None and f.adjusted_reference_value
            if f.scale == "difference":
                assert math.isclose(f.adjusted_value - f.adjusted_reference_value, f.adjusted.ratio, abs_tol=1e-12)
                assert math.isclose(f.value - f.reference_value, f.naive.ratio, abs_tol=1e-12)
            elif f.kind in ("rate", "amount"):
                assert math.isclose(f.adjusted_value / f.adjusted_reference_value, f.adjusted.ratio, rel_tol=1e-9)
                assert math.isclose(f.value / f.reference_value, f.naive.ratio, rel_tol=1e-9)
            elif f.adjusted.ci_high < 1 or f.adjusted.ci_low > 1:
                assert (f.adjusted_value < f.adjusted_reference_value) == (f.adjusted.ratio < 1), f
    first = finding(run_audit(simulate(10_000, 64, "response")), "first_response_hours")
    assert first.adjusted_value < 2 < 10 < first.adjusted_reference_value  # hours, public far faster
    assert first.values_note != "direction"  # (the medians differ more than the ratio: said in words)


def test_crude_and_adjusted_in_opposite_directions_are_said_in_words():
    """The fair world's trap: pooled, public amounts look a third of private ones; like with like
    they are equal. The text says so only where both point clearly."""
    table = simulate(20_000, 65, "fair")
    table["amount"] = np.where(table["visibility"] == "public", table["amount"] * 1.6, table["amount"])
    result = run_audit(table)
    amount = finding(result, "remedy_amount")
    assert amount.naive.ci_high < 1 < amount.adjusted.ci_low and amount.directions_differ
    assert "remedy_amount, public: crude and adjusted point in opposite directions" in render_text(result)
    assert not finding(result, "resolution_rate").directions_differ  # crude 1.4, adjusted about 1


def near_full_response(seed: int = 66) -> dict:
    """Public answered every time, private 98.4% of the time, in the same strata."""
    table = simulate(20_000, seed, "fair")
    rng = np.random.default_rng(seed + 1)
    public = table["visibility"] == "public"
    responded = public | (rng.random(len(public)) < 0.984)
    table["responded"] = responded
    table["first_response_hours"] = np.where(responded, np.nan_to_num(table["first_response_hours"], nan=5.0),
                                             np.nan)
    return table


def test_a_response_rate_near_100_percent_is_compared_as_a_difference():
    """100 % against 98.4 % answered reads as +1.6 points, within the equal band: never as a ratio
    of 23.5 (nor as 0.0 on the cases left unanswered)."""
    result = run_audit(near_full_response())
    meta = next(m for m in result.metrics if m["name"] == "response_rate")
    assert meta["scale"] == "difference" and meta["version"] == "2"
    rate = finding(result, "response_rate")
    assert rate.scale == "difference" and rate.value == 1.0 and 0.98 < rate.reference_value < 0.99
    assert rate.adjusted_value == 1.0
    assert math.isclose(rate.adjusted_value - rate.adjusted_reference_value, rate.adjusted.ratio, rel_tol=1e-9)
    assert 0.01 < rate.adjusted.ratio < 0.02 and rate.adjusted.ci_low > 0  # real, and small
    assert rate.verdict == "equal"  # the whole interval within +-5 points
    assert json.loads(result.to_json())["findings"][0]["scale"] == "difference"
    text = render_text(result)
    assert "response_rate: compared as a difference" in text and "+1.7 pts [+1.4 to +2.0]" in text
    far = near_full_response()
    far["responded"] = far["responded"] & ((far["visibility"] == "public") | (np.arange(20_000) % 10 != 0))
    far["first_response_hours"] = np.where(far["responded"], far["first_response_hours"], np.nan)
    gap = finding(run_audit(far), "response_rate")  # 100 % against about 88 %: 12 points
    assert gap.verdict == "unequal" and 0.09 < gap.adjusted.ci_low and gap.adjusted.ratio < 0.15
    assert run_audit(far, settings=Settings(tolerance_difference=0.2)).findings[0].verdict == "equal"


def test_the_risk_difference_matches_the_single_table_wald_interval():
    e = audit_stats.compare_rate_difference(np.array([900.0]), np.array([1000.0]), np.array([800.0]),
                                            np.array([2000.0]))
    se = math.sqrt(0.9 * 0.1 / 1000 + 0.4 * 0.6 / 2000)
    assert math.isclose(e.ratio, 0.5) and math.isclose(e.ci_high - e.ratio, 1.959963984540054 * se, rel_tol=1e-3)


def test_a_rare_event_absent_from_a_small_side_is_not_turned_around():
    """0 hits among 119 cases against 0.7% among thousands, spread over many strata: the
    zero-cell correction proportional to each side's size keeps the ratio below 1 (the plain 0.5
    correction gave 6.3)."""
    rng = np.random.default_rng(67)
    n1 = np.bincount(rng.integers(0, 40, 119), minlength=40)
    n0 = rng.integers(50, 400, 40)
    c = rng.binomial(n0, 0.007)
    result = audit_stats.compare_rate_counts(np.zeros(40), n1, c, n0)
    assert result.ratio is not None and result.ratio < 1
    assert result.strata_used == int(((n1 > 0) & (n0 > 0)).sum())


def test_the_standardised_median_of_one_stratum_is_the_kaplan_meier_median():
    rng = np.random.default_rng(68)
    time = np.sort(rng.exponential(5, 300))
    event = rng.random(300) < 0.8
    stratum = np.zeros(300, dtype=np.int64)
    assert survival.standardised_median(time, event, stratum, np.array([2.5])) == survival.km_median_sorted(time,
                                                                                                          event)
    # two strata weighted 3:1: the mix's median lies between the strata's
    fast, slow = np.sort(rng.exponential(1, 200)), np.sort(rng.exponential(10, 200))
    t = np.r_[fast, slow]
    s = np.r_[np.zeros(200), np.ones(200)].astype(np.int64)
    mixed = survival.standardised_median(t, np.ones(400, bool), s, np.array([3.0, 1.0]))
    fast_median = survival.km_median_sorted(fast, np.ones(200, bool))
    slow_median = survival.km_median_sorted(slow, np.ones(200, bool))
    assert fast_median < mixed < slow_median
    assert survival.standardised_median(t, np.zeros(400, bool), s, np.array([1.0, 1.0])) is None  # never half


def test_verdict_and_overall_rules_for_coverage():
    s = Settings()
    assert verdict(1.4, 1.3, 1.5, 0.001, True, s, comparable=False) == "not-comparable"
    assert verdict(1.0, 0.9, 1.1, 0.5, False, s, comparable=False) == "insufficient-data"  # too few cases first
    assert overall(["equal", "not-comparable"], [True, True]) == "not-comparable"
    assert overall(["not-comparable", "not-comparable"], [True, True]) == "not-comparable"
    assert overall(["equal", "not-comparable", "insufficient-data"], [True, True, True]) == "insufficient-data"
    assert overall(["unequal", "not-comparable"], [True, True]) == "unfair"
    assert overall(["equal", "insufficient-data"], [True, False]) == "fair"


@pytest.mark.parametrize("key,value,message", [
    ("min_coverage", 1.5, "audit min_coverage must lie between 0 and 1 (a share of cases), not 1.5"),
    ("min_coverage", -0.1, "audit min_coverage must lie between 0 and 1"),
    ("min_coverage", "half", "invalid value in [audit]"),
    ("tolerance_difference", 5, "audit tolerance_difference must lie between 0 and 1 (a share: 0.05 is 5 points)"),
])
def test_min_coverage_is_validated(key, value, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        Settings.from_config({"audit": {key: value}})
    assert Settings.from_config({"audit": {"min_coverage": 0.8}}).min_coverage == 0.8
    assert Settings.from_config({}).min_coverage == 0.5


def test_a_plugin_rate_may_ask_for_the_difference_scale_and_a_wrong_scale_is_named():
    from openledger.audit import Metric
    from openledger.errors import OpenLedgerError

    kept = Metric("kept_promise_rate", "1", "rate", "Share of cases whose reply came in time.",
                  lambda t: (t["responded"], np.ones(len(t["responded"]), bool)), "share", "difference")
    result = run_audit(simulate(5_000, 69), metrics=(kept,))
    (f,) = result.findings
    assert f.scale == "difference" and result.metrics[0]["scale"] == "difference"
    assert math.isclose(f.adjusted_value - f.adjusted_reference_value, f.adjusted.ratio, abs_tol=1e-12)
    odd = Metric("odd", "1", "amount", "An amount.", lambda t: (t["amount"], t["resolved"]), "", "difference")
    with pytest.raises(OpenLedgerError, match="audit metric 'odd' has unknown scale 'difference'"):
        run_audit(simulate(500, 69), metrics=(odd,))


def test_the_releases_pool_of_small_channels_is_not_compared_as_a_channel():
    """Public cases published under the pooled channel ``other`` are a mixture of channels (and of the cases
    hardest to publish): by channel they are compared with nothing; a private channel named ``other``
    still is."""
    from openledger import periods

    table = dict(simulate(4000, seed=3))
    public = np.flatnonzero(table["visibility"] == "public")
    channel = table["channel"].copy()
    channel[public[: len(public) // 3]] = periods.POOLED_CHANNEL
    table["channel"] = channel
    groups = {f.group for f in run_audit(table, dimension="channel").findings}
    assert periods.POOLED_CHANNEL not in groups and groups
    private = np.flatnonzero(table["visibility"] == "private")
    channel[private[:400]] = periods.POOLED_CHANNEL
    groups = {f.group for f in run_audit(table, dimension="channel").findings}
    assert periods.POOLED_CHANNEL in groups


def test_a_side_that_never_resolves_says_why_its_significant_test_bears_no_verdict():
    """No public case is ever resolved, private ones are: the log-rank test finds the difference, but the time
    ratio of a side without a single event has no finite estimate, so the verdict cannot be weighed against the
    equal band. The text says so instead of showing a small p beside 'insufficient-data' unexplained."""
    table = dict(simulate(4_000, 63))
    public = table["visibility"] == "public"
    table["resolved"] = np.where(public, False, table["resolved"])
    table["resolution_days"] = np.where(public, np.nan, table["resolution_days"])
    result = run_audit(table)
    days = finding(result, "resolution_days")
    assert days.adjusted.ratio is None and days.p_adjusted is not None and days.p_adjusted < 0.05
    assert days.verdict == "insufficient-data"
    text = render_text(result)
    assert "resolution_days, public: the test finds the two sides differ (p <0.001), but no time ratio can be " \
           "estimated" in text
    fair = render_text(run_audit(simulate(4_000, 63)))
    assert "no time ratio can be estimated" not in fair and "can be estimated" not in fair

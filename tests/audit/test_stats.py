"""The stratified statistics agree with statsmodels and with hand-checkable cases."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight, survdiff
from statsmodels.stats.contingency_tables import StratifiedTable

from openledger.audit import stats, survival


def _data(seed: int, n: int = 400, k: int = 4):
    rng = np.random.default_rng(seed)
    stratum = rng.integers(0, k, n)
    group = rng.random(n) < 0.4
    time = np.round(rng.exponential(5 * (1 + stratum) * np.where(group, 0.7, 1.0)))
    event = rng.random(n) < 0.8
    return stratum, group, time, event


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_stratified_logrank_equals_statsmodels_survdiff(seed):
    stratum, group, time, event = _data(seed)
    chisq, p = survdiff(time, event.astype(int), group.astype(int), strata=stratum)
    o_e, v = survival.logrank_terms(time, event, group, stratum)
    assert math.isclose(o_e * o_e / v, chisq, rel_tol=1e-9)
    result = survival.compare_times(time, event, group, stratum, 4)
    assert math.isclose(result.p_value, p, rel_tol=1e-6)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_time_ratio_is_the_inverse_stratified_cox_hazard_ratio_of_statsmodels(seed):
    stratum, group, time, event = _data(seed)
    fit = PHReg(time, group.astype(float)[:, None], status=event.astype(int),
                strata=stratum, ties="breslow").fit()
    result = survival.compare_times(time, event, group, stratum, 4)
    assert math.isclose(result.ratio, math.exp(-fit.params[0]), rel_tol=1e-6)
    low, high = np.exp(-fit.conf_int()[0][::-1])
    assert math.isclose(result.ci_low, low, rel_tol=1e-5)
    assert math.isclose(result.ci_high, high, rel_tol=1e-5)


def test_large_time_gaps_are_estimated_not_shrunk():
    # the group waits 1/20 as long: the Cox estimate finds it, the one-step would not
    rng = np.random.default_rng(9)
    group = rng.random(4000) < 0.5
    time = rng.exponential(np.where(group, 1.0, 20.0))
    result = survival.compare_times(time, np.ones(4000, bool), group, np.zeros(4000, int), 1)
    assert result.ci_low < 0.05 < result.ci_high


def test_time_ratio_below_one_means_faster():
    stratum, group, time, event = _data(3, n=3000)
    result = survival.compare_times(time, event, group, stratum, 4)
    assert result.ratio < 1 and result.ci_high < 1  # the group's times are 0.7x


def test_presorted_logrank_gives_the_same_answer():
    stratum, group, time, event = _data(5)
    order = np.lexsort((time, stratum))
    a = survival.compare_times(time, event, group, stratum, 4)
    b = survival.compare_times(time[order], event[order], group[order], stratum[order], 4, True)
    assert a == b


def test_mh_risk_ratio_matches_statsmodels_and_greenland_robins():
    rng = np.random.default_rng(7)
    stratum = rng.integers(0, 5, 5000)
    group = rng.random(5000) < 0.5
    hit = rng.random(5000) < np.where(group, 0.3, 0.2) * (1 + stratum / 5)
    result = stats.compare_rates(hit, group, stratum, 5)
    tables = np.stack([
        [[np.sum(hit & group & (stratum == k)), np.sum(~hit & group & (stratum == k))],
         [np.sum(hit & ~group & (stratum == k)), np.sum(~hit & ~group & (stratum == k))]]
        for k in range(5)
    ], axis=2)
    table = StratifiedTable(tables)
    assert math.isclose(result.ratio, table.riskratio_pooled, rel_tol=1e-12)
    expected_p = chi2.sf(table.test_null_odds().statistic, 1)  # exact where 1 - cdf is 0
    assert math.isclose(result.p_value, expected_p, rel_tol=1e-9)
    assert result.ci_low < 1.5 < result.ci_high


def test_single_stratum_risk_ratio_is_the_crude_ratio_with_katz_interval():
    # 30/100 against 20/100: RR 1.5; Greenland-Robins reduces to the Katz interval
    hit = np.r_[np.ones(30), np.zeros(70), np.ones(20), np.zeros(80)].astype(bool)
    group = np.r_[np.ones(100), np.zeros(100)].astype(bool)
    result = stats.compare_rates(hit, group, np.zeros(200, dtype=int), 1)
    se = math.sqrt(1 / 30 - 1 / 100 + 1 / 20 - 1 / 100)
    assert math.isclose(result.ratio, 1.5)
    assert math.isclose(result.ci_low, 1.5 * math.exp(-1.959963984540054 * se), rel_tol=1e-9)


def test_ratio_of_means_within_strata_ignores_case_mix():
    # group has more cases in the expensive stratum, same means within strata
    amount = np.r_[np.full(90, 10.0), np.full(10, 100.0), np.full(10, 10.0), np.full(90, 100.0)]
    amount = amount + np.tile([-1.0, 1.0], 100)
    group = np.r_[np.ones(100), np.zeros(100)].astype(bool)
    stratum = np.r_[np.zeros(90), np.ones(10), np.zeros(10), np.ones(90)].astype(int)
    adjusted = stats.compare_amounts(amount, group, stratum, 2)
    crude = stats.compare_amounts(amount, group, np.zeros(200, dtype=int), 1)
    assert math.isclose(adjusted.ratio, 1.0, rel_tol=1e-9)
    assert crude.ratio < 0.3


def test_no_overlap_gives_no_estimate():
    group = np.r_[np.ones(50), np.zeros(50)].astype(bool)
    stratum = group.astype(int)  # each group alone in its stratum
    assert stats.compare_rates(group, group, stratum, 2).ratio is None
    assert survival.compare_times(np.ones(100), group, group, stratum, 2).ratio is None
    assert stats.compare_amounts(np.ones(100), group, stratum, 2).ratio is None


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_km_median_equals_statsmodels(seed):
    rng = np.random.default_rng(seed)
    time = np.round(rng.exponential(10, 200), 1)
    event = rng.random(200) < 0.7
    expected = SurvfuncRight(time, event.astype(int)).quantile(0.5)
    order = np.argsort(time, kind="stable")
    got = survival.km_median_sorted(time[order], event[order])
    if np.isnan(expected):
        assert got is None
    else:
        assert got == expected


def test_a_group_never_answered_is_estimated_not_dropped():
    """0 of 300 answered against 290 of 300: the zero-cell correction gives a ratio far
    below the band with an interval that excludes it, and the CMH p-value stays exact."""
    group = np.r_[np.ones(300), np.zeros(300)].astype(bool)
    hit = np.r_[np.zeros(300), np.ones(290), np.zeros(10)].astype(bool)
    stratum = np.tile([0, 1, 2], 200)
    result = stats.compare_rates(hit, group, stratum, 3)
    assert result.ratio is not None and result.ratio < 0.01 and result.ci_high < 0.8
    assert result.p_value is not None and result.p_value < 1e-6
    assert stats.compare_rates(np.zeros(600, bool), group, stratum, 3).ratio is None  # 0 vs 0: nothing to compare


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 1), st.sampled_from([0.0, 0.01, 0.05, 1.0])), max_size=40))
def test_holm_gives_the_floats_of_statsmodels_multipletests(p_values):
    from statsmodels.stats.multitest import multipletests

    from openledger.audit.verdict import holm

    given_ = [p for p in p_values if p is not None]
    expected = iter(multipletests(np.array(given_), method="holm")[1].tolist() if given_ else [])
    assert holm(p_values) == [None if p is None else next(expected) for p in p_values]


def _repeated(seed: int, n: int = 300):
    """Cases with integer weights, and the same cases each repeated as often as its weight."""
    stratum, group, time, event = _data(seed, n, 3)
    weight = np.random.default_rng(seed + 1).integers(1, 4, n)
    return stratum, group, time, event, weight, np.repeat(np.arange(n), weight)


def _statsmodels_robust(stratum, group, time, event, rows, beta: float) -> tuple[PHReg, float]:
    """statsmodels' Cox model of the repeated cases, and the sum over cases of the square of the sum of
    its score residuals at ``beta`` over the case's repeats (the middle of the cluster-robust sandwich).
    statsmodels gives a case censored before the first event of its stratum no residual (NaN); it is
    never at risk at an event, so its residual is 0."""
    model = PHReg(time[rows], group[rows].astype(float)[:, None], status=event[rows].astype(int),
                  strata=stratum[rows], ties="breslow")
    residuals = model.score_residuals(np.array([beta]))[:, 0]
    first_event = {s: time[(stratum == s) & event].min() for s in np.unique(stratum[event])}
    early = np.array([not e and t < first_event.get(s, np.inf) for s, t, e in zip(stratum, time, event)])
    assert (np.isnan(residuals) <= early[rows]).all()
    return model, float(np.sum(np.bincount(rows, weights=np.nan_to_num(residuals)) ** 2))


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_weighted_time_ratio_is_the_cox_of_each_case_repeated_with_its_robust_interval(seed):
    """The weighted estimate is the Cox estimate of the cases repeated by their weights (statsmodels
    PHReg, Breslow ties), its interval the cluster-robust one with each case's repeats as a cluster."""
    stratum, group, time, event, weight, rows = _repeated(seed)
    got = survival.compare_times(time, event, group, stratum, 3, weight=weight.astype(float))
    fit = PHReg(time[rows], group[rows].astype(float)[:, None], status=event[rows].astype(int),
                strata=stratum[rows], ties="breslow").fit()
    beta = float(fit.params[0])
    model, middle = _statsmodels_robust(stratum, group, time, event, rows, beta)
    se = math.sqrt(middle) / -float(model.hessian(np.array([beta]))[0, 0])
    assert got.ratio is not None and got.ci_low is not None and got.ci_high is not None
    assert math.isclose(got.ratio, math.exp(-beta), rel_tol=1e-7)
    assert math.isclose(got.ci_low, math.exp(-beta - stats.Z95 * se), rel_tol=1e-6)
    assert math.isclose(got.ci_high, math.exp(-beta + stats.Z95 * se), rel_tol=1e-6)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_weighted_p_value_is_the_robust_score_test(seed):
    """The p-value of a weighted comparison is the score test at no difference with the robust
    variance (statsmodels' score and score residuals at 0 of the repeated cases)."""
    stratum, group, time, event, weight, rows = _repeated(seed)
    got = survival.compare_times(time, event, group, stratum, 3, weight=weight.astype(float))
    model, middle = _statsmodels_robust(stratum, group, time, event, rows, 0.0)
    score = float(model.score(np.zeros(1))[0])
    assert math.isclose(got.p_value, chi2.sf(score**2 / middle, 1), rel_tol=1e-6)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_weighted_km_median_is_the_median_of_the_repeated_cases(seed):
    _, _, time, event, weight, rows = _repeated(seed)
    order = np.argsort(time, kind="stable")
    repeated = np.argsort(time[rows], kind="stable")
    assert survival.km_median_sorted(time[order], event[order], weight[order].astype(float)) == \
        survival.km_median_sorted(time[rows][repeated], event[rows][repeated])

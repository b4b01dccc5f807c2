"""Right-censored times: stratified log-rank test, stratified Cox hazard ratio, KM median.

All three work on the distinct (stratum, time) points of the data, built with
NumPy sorts and ``reduceat``, so a million cases cost a sort, not a Python loop.
The log-rank statistic equals statsmodels ``survdiff(..., strata=...)`` and the
hazard ratio equals statsmodels ``PHReg(..., strata=..., ties="breslow")``;
the tests check both. They are recomputed here only because those functions
take minutes on a million rows.

Each also takes case weights (``weight``), for a table whose times are
partly withheld (see :func:`openledger.audit.engine.represented`): the
weighted Kaplan-Meier curve, and the weighted Cox estimate with the robust
("sandwich") variance of Lin and Wei (1989) and the robust score test in place
of the log-rank test, as in survey and inverse-probability-weighted survival
analysis; the tests check each against statsmodels ``PHReg`` on the cases
repeated by their weights (its cluster-robust covariance and its score
residuals, each case's repeats one cluster). Without weights nothing changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats as sps

from openledger.audit.result import Estimate
from openledger.audit.stats import NOTHING, finite, log_interval

MAX_LOG_HR = 30.0  # beyond this the two groups barely overlap: no estimate


@dataclass(frozen=True, slots=True)
class RiskPoints:
    """At each distinct (stratum, time) with an event: events and numbers at risk."""

    events: np.ndarray  # all events at the point
    events_group: np.ndarray  # events of the group
    at_risk: np.ndarray  # cases of the stratum still waiting (time >= t)
    at_risk_group: np.ndarray  # ... of the group


def _waiting(x: np.ndarray, heads: np.ndarray, block: np.ndarray) -> np.ndarray:
    """At each (stratum, time) point, the weight of the stratum's cases still waiting: ``x`` is what leaves
    at each point, ``heads`` the first point of each stratum, ``block`` each point's stratum."""
    before = np.cumsum(x) - x  # leavers at earlier points, all strata
    before_here = before - before[heads][block]  # ... within this stratum
    waiting: NDArray[np.float64] = np.add.reduceat(x, heads)[block] - before_here
    return waiting


def risk_points(
    time: np.ndarray,
    event: np.ndarray,
    in_group: np.ndarray,
    stratum: np.ndarray,
    presorted: bool = False,
    weight: np.ndarray | None = None,
) -> RiskPoints:
    """Aggregate cases to event points; ``presorted``: already ordered by (stratum, time).
    With ``weight``, each case counts as its weight in the events and the numbers at risk."""
    order = slice(None) if presorted else np.lexsort((time, stratum))
    s, t = stratum[order], time[order]
    d = event[order].astype(float)
    g = in_group[order].astype(float)
    if len(s) == 0:
        empty = np.zeros(0)
        return RiskPoints(empty, empty, empty, empty)
    start = np.flatnonzero(np.r_[True, (s[1:] != s[:-1]) | (t[1:] != t[:-1])])
    if weight is None:
        leave = np.diff(np.r_[start, len(s)]).astype(float)
        leave1 = np.add.reduceat(g, start)
        dd = np.add.reduceat(d, start)
    else:
        w = np.asarray(weight, dtype=float)[order]
        leave = np.add.reduceat(w, start)
        leave1 = np.add.reduceat(w * g, start)
        d = d * w
        dd = np.add.reduceat(d, start)
    d1 = np.add.reduceat(d * g, start)
    ps = s[start]
    first = np.r_[True, ps[1:] != ps[:-1]]
    block = np.cumsum(first) - 1
    heads = np.flatnonzero(first)

    ev = dd > 0
    return RiskPoints(dd[ev], d1[ev], _waiting(leave, heads, block)[ev], _waiting(leave1, heads, block)[ev])


def logrank_terms(
    time: np.ndarray,
    event: np.ndarray,
    in_group: np.ndarray,
    stratum: np.ndarray,
    presorted: bool = False,
) -> tuple[float, float]:
    """Stratified log-rank ``(O - E, V)`` for the group, summed over strata.

    ``O - E`` is the group's observed minus expected events and ``V`` its
    hypergeometric variance, as in statsmodels ``survdiff`` (same ties).
    """
    return _logrank(risk_points(time, event, in_group, stratum, presorted))


def _logrank(p: RiskPoints) -> tuple[float, float]:
    frac = p.at_risk_group / p.at_risk
    o_minus_e = float(np.sum(p.events_group - p.events * frac))
    denom = np.where(p.at_risk > 1, p.at_risk - 1, 1.0)
    v = float(np.sum(p.events * frac * (1 - frac) * (p.at_risk - p.events) / denom))
    return o_minus_e, v


def cox_log_hr(p: RiskPoints, iterations: int = 50) -> tuple[float, float] | None:
    """Stratified Cox log hazard ratio of the group (Breslow ties) and its SE.

    Newton-Raphson on the partial likelihood of one binary covariate, from
    0, with step halving; the log-likelihood is concave, so this converges
    unless the groups are separated (then None).
    """
    n1 = p.at_risk_group
    n0 = p.at_risk - n1
    d, d1 = p.events, p.events_group

    def loglik(b: float) -> float:
        return float(np.sum(d1 * b - d * np.log(n0 + n1 * math.exp(b))))

    beta, current = 0.0, loglik(0.0)
    for _ in range(iterations):
        w = n1 * math.exp(beta)
        score = float(np.sum(d1 - d * w / (n0 + w)))
        info = float(np.sum(d * w * n0 / (n0 + w) ** 2))
        if info <= 0:
            return None
        step = score / info
        while True:
            candidate = beta + step
            if abs(candidate) > MAX_LOG_HR:
                return None
            value = loglik(candidate)
            if value >= current - 1e-12 or abs(step) < 1e-12:
                break
            step /= 2
        beta, current = candidate, value
        if abs(step) < 1e-10:
            break
    w = n1 * math.exp(beta)
    info = float(np.sum(d * w * n0 / (n0 + w) ** 2))
    return (beta, 1 / math.sqrt(info)) if info > 0 else None


def compare_times(
    time: np.ndarray,
    event: np.ndarray,
    in_group: np.ndarray,
    stratum: np.ndarray,
    n_strata: int,
    presorted: bool = False,
    weight: np.ndarray | None = None,
) -> Estimate:
    """Stratified log-rank p-value and time ratio ``1 / HR`` (below 1: faster).

    HR is the stratified Cox hazard ratio of the group against the
    reference (the rate at which the awaited event happens); its inverse
    reads like a ratio of waiting times: 0.5 means the group waits about
    half as long. The interval is the Wald interval of the Cox estimate.
    With ``weight``: the weighted estimate, its robust interval and the
    robust score test (:func:`robust_terms`).
    """
    g = in_group.astype(bool)
    both = np.bincount(stratum[g], minlength=n_strata) > 0
    both &= np.bincount(stratum[~g], minlength=n_strata) > 0
    keep = both[stratum]
    k = int(both.sum())
    if k == 0:
        return NOTHING
    if weight is not None:
        return _weighted_comparison(time[keep], event[keep], g[keep], stratum[keep], weight[keep], presorted, k)
    points = risk_points(time[keep], event[keep], g[keep], stratum[keep], presorted)
    o_e, v = _logrank(points)
    if v <= 0:
        return Estimate(None, None, None, None, k)
    p = finite(float(sps.chi2.sf(o_e * o_e / v, 1)))
    fit = cox_log_hr(points)
    if fit is None:
        return Estimate(None, None, None, p, k)
    beta, se = fit
    return log_interval(-beta, se, p, k)


def _weighted_comparison(time: np.ndarray, event: np.ndarray, in_group: np.ndarray, stratum: np.ndarray,
                         weight: np.ndarray, presorted: bool, k: int) -> Estimate:
    order = slice(None) if presorted else np.lexsort((time, stratum))
    time, event, in_group, stratum, weight = (a[order] for a in (time, event, in_group, stratum, weight))
    score, variance = robust_terms(time, event, in_group, stratum, weight, 0.0)
    p = finite(float(sps.chi2.sf(score * score / variance, 1))) if variance > 0 else None
    fit = cox_log_hr(risk_points(time, event, in_group, stratum, True, weight))
    if fit is None:
        return Estimate(None, None, None, p, k)
    beta, model_se = fit
    _, robust = robust_terms(time, event, in_group, stratum, weight, beta)
    se = math.sqrt(robust) * model_se * model_se  # I^-1 (sum of squared weighted score residuals) I^-1
    return log_interval(-beta, se, p, k)


def robust_terms(time: np.ndarray, event: np.ndarray, in_group: np.ndarray, stratum: np.ndarray,
                 weight: np.ndarray, beta: float) -> tuple[float, float]:
    """The weighted Cox score of the group at ``beta`` and its robust variance.

    Cases ordered by (stratum, time). Each case's score residual (Lin and Wei
    1989, Breslow ties) is ``d_i (z_i - zbar(t_i)) - e^(beta z_i) sum over
    event times t_j <= t_i of its stratum of (z_i - zbar(t_j)) dN_j / S0_j``,
    with the weighted sums ``S0`` (at risk), ``zbar = S1 / S0`` and ``dN``
    (events); the variance is the sum of the squared weighted residuals. At
    ``beta = 0`` the score is the weighted log-rank ``O - E``.
    """
    n = len(time)
    if n == 0:
        return 0.0, 0.0
    s, t = stratum, time
    d = event.astype(float)
    z = in_group.astype(float)
    w = np.asarray(weight, dtype=float)
    new = np.r_[True, (s[1:] != s[:-1]) | (t[1:] != t[:-1])]
    start = np.flatnonzero(new)
    point = np.cumsum(new) - 1  # each case's (stratum, time) point
    risk = w * np.exp(beta * z)
    leave0 = np.add.reduceat(risk, start)
    leave1 = np.add.reduceat(risk * z, start)
    died = np.add.reduceat(w * d, start)
    ps = s[start]
    first = np.r_[True, ps[1:] != ps[:-1]]
    heads = np.flatnonzero(first)
    block = np.cumsum(first) - 1

    def so_far(x: np.ndarray) -> np.ndarray:  # sum over the points of the stratum up to and including this one
        total = np.cumsum(x)
        running: NDArray[np.float64] = total - (total[heads] - x[heads])[block]
        return running

    s0, s1 = _waiting(leave0, heads, block), _waiting(leave1, heads, block)
    zbar = s1 / s0
    hazard = died / s0
    a, b = so_far(hazard), so_far(hazard * zbar)
    residual = d * (z - zbar[point]) - np.exp(beta * z) * (z * a[point] - b[point])
    score = float(np.sum(w * d * (z - zbar[point])))
    return score, float(np.sum((w * residual) ** 2))


def km_median_sorted(time: np.ndarray, event: np.ndarray, weight: np.ndarray | None = None) -> float | None:
    """Kaplan-Meier median of right-censored times given in ascending order; None if never reached.
    With ``weight``, each case counts as its weight."""
    n = len(time)
    if n == 0:
        return None
    start = np.flatnonzero(np.r_[True, time[1:] != time[:-1]])
    if weight is None:
        leave = np.diff(np.r_[start, n])
        events = np.add.reduceat(event.astype(float), start)
        at_risk = n - np.r_[0, np.cumsum(leave)[:-1]]
    else:
        w = np.asarray(weight, dtype=float)
        leave = np.add.reduceat(w, start)
        events = np.add.reduceat(event.astype(float) * w, start)
        at_risk = float(w.sum()) - np.r_[0.0, np.cumsum(leave)[:-1]]
    surv = np.cumprod(1.0 - events / at_risk)
    below = np.flatnonzero(surv <= 0.5)
    return float(time[start[below[0]]]) if len(below) else None


def standardised_median(time: np.ndarray, event: np.ndarray, stratum: np.ndarray,
                        weight: np.ndarray, case_weight: np.ndarray | None = None) -> float | None:
    """Median of the case-mix-standardised Kaplan-Meier curve ``sum_k w_k S_k(t) / sum_k w_k``.

    ``time``, ``event`` and ``stratum`` are one side's cases, ordered by
    (stratum, time); ``weight`` gives each stratum code its weight (the same
    for both sides of a comparison, so both medians describe the same case
    mix); ``case_weight``, if given, weighs each case within its stratum's curve.
    None when the curve never falls to one half.
    """
    n = len(time)
    if n == 0:
        return None
    start = np.flatnonzero(np.r_[True, (stratum[1:] != stratum[:-1]) | (time[1:] != time[:-1])])
    if case_weight is None:
        leave = np.diff(np.r_[start, n]).astype(float)
        died = np.add.reduceat(event.astype(float), start)
    else:
        cw = np.asarray(case_weight, dtype=float)
        leave = np.add.reduceat(cw, start)
        died = np.add.reduceat(event.astype(float) * cw, start)
    s, t = stratum[start], time[start]
    first = np.r_[True, s[1:] != s[:-1]]
    heads = np.flatnonzero(first)
    block = np.cumsum(first) - 1
    factor = 1.0 - died / _waiting(leave, heads, block)
    surv = np.empty_like(factor)
    for lo, hi in zip(heads, np.r_[heads[1:], len(factor)]):  # one pass per stratum, not per case
        surv[lo:hi] = np.cumprod(factor[lo:hi])
    previous = np.where(first, 1.0, np.r_[1.0, surv[:-1]])
    w = np.asarray(weight, dtype=float)[s]
    total = float(np.sum(w[first]))
    if total <= 0:
        return None
    drop = w * (previous - surv)
    order = np.argsort(t, kind="stable")
    fallen = np.cumsum(drop[order])
    reached = np.flatnonzero(fallen >= 0.5 * total * (1 - 1e-12))
    return float(t[order][reached[0]]) if len(reached) else None

"""Stratified comparisons of one group against a reference, vectorised with NumPy.

The ``compare_*`` front ends take per-case arrays already restricted to the
cases of the group and of the reference: ``in_group`` (True for the group,
False for the reference) and ``stratum`` (a small non-negative integer code
for category x severity). The ``*_counts`` / ``*_moments`` functions take
the per-stratum aggregates the audit engine builds with ``np.bincount``.
Nothing loops over cases in Python.

A comparison per metric kind (see ``docs/audit-method.md``):

- :func:`compare_rates`: Mantel-Haenszel risk ratio with the Greenland-Robins
  confidence interval, and the Cochran-Mantel-Haenszel test
  (statsmodels ``StratifiedTable``);
- :func:`openledger.audit.survival.compare_times` for times;
- :func:`compare_amounts`: stratified ratio of means (Mantel-Haenszel style
  weights) with a delta-method confidence interval and a z-test with the
  within-stratum variance pooled over both groups.

Each returns a :class:`Estimate`; ``ratio`` is None when the data cannot
estimate it (no stratum holds both groups; for times and amounts, no events
or no amounts in one of them). A rate with no hit at all on one side is
estimated with a zero-cell correction (see :func:`compare_rate_counts`).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats
from statsmodels.stats.contingency_tables import StratifiedTable

from openledger.audit.result import Estimate

Z95 = float(stats.norm.ppf(0.975))


NOTHING = Estimate(None, None, None, None, 0)


def finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def log_interval(log_ratio: float, se: float, p: float | None, k: int) -> Estimate:
    if not (math.isfinite(log_ratio) and math.isfinite(se)):
        return Estimate(None, None, None, p, k)
    return Estimate(
        finite(math.exp(log_ratio)),
        finite(math.exp(log_ratio - Z95 * se)),
        finite(math.exp(log_ratio + Z95 * se)),
        p,
        k,
    )


def compare_rates(
    hit: np.ndarray, in_group: np.ndarray, stratum: np.ndarray, n_strata: int
) -> Estimate:
    """Mantel-Haenszel risk ratio of ``hit`` (group / reference) within strata.

    Per-case front end of :func:`compare_rate_counts`.
    """
    g = in_group.astype(bool)
    h = hit.astype(bool)
    return compare_rate_counts(
        np.bincount(stratum[g & h], minlength=n_strata),
        np.bincount(stratum[g], minlength=n_strata),
        np.bincount(stratum[~g & h], minlength=n_strata),
        np.bincount(stratum[~g], minlength=n_strata),
    )


def compare_rate_counts(
    a: np.ndarray, n1: np.ndarray, c: np.ndarray, n0: np.ndarray
) -> Estimate:
    """Mantel-Haenszel risk ratio from per-stratum counts.

    ``a`` hits among ``n1`` group cases, ``c`` hits among ``n0`` reference
    cases, one entry per stratum. The interval is the Greenland-Robins (1985)
    variance of log RR_MH; the p-value is the Cochran-Mantel-Haenszel test of
    no association (no continuity correction).
    """
    a, n1, c, n0 = _both_sides(a, n1, c, n0)
    k = len(a)
    if k == 0:
        return NOTHING
    n = n1 + n0
    r = float(np.sum(a * n0 / n))
    s = float(np.sum(c * n1 / n))
    p = _cmh_p(a, n1, c, n0)
    m1 = a + c
    if r <= 0 and s <= 0:  # no hit on either side: 0/0, nothing to compare
        return Estimate(None, None, None, p, k)
    if r <= 0 or s <= 0:
        # No hit at all on one side: RR_MH is 0 or infinite and its log has no
        # variance. In the strata with an empty cell, add a continuity
        # correction to each cell, k1 = n1 / (n1 + n0) on the group's and
        # k0 = n0 / (n1 + n0) on the reference's (Sweeting, Sutton and Lambert
        # 2004, the "treatment arm" correction; with equal sides it is the usual
        # 0.5), so that "0 of 838 answered" still gets an estimate and an
        # interval. Proportional to each side's size, it leaves a stratum with
        # no hit on either side at a ratio of 1: the plain 0.5 would turn
        # "0 of 3 against 0 of 600" into a ratio far above 1. The p-value stays
        # the uncorrected CMH.
        empty = ((a == 0) | (a == n1) | (c == 0) | (c == n0)).astype(float)
        k1, k0 = empty * n1 / n, empty * n0 / n
        a, c = a + k1, c + k0
        n1, n0 = n1 + 2 * k1, n0 + 2 * k0
        n, m1 = n1 + n0, a + c
        r = float(np.sum(a * n0 / n))
        s = float(np.sum(c * n1 / n))
    var = float(np.sum((n1 * n0 * m1 - a * c * n) / n**2)) / (r * s)
    return log_interval(math.log(r / s), math.sqrt(max(var, 0.0)), p, k)


def _both_sides(a: np.ndarray, n1: np.ndarray, c: np.ndarray, n0: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The per-stratum counts as floats, kept only where both sides have cases."""
    a, n1, c, n0 = (np.asarray(v, dtype=float) for v in (a, n1, c, n0))
    keep = (n1 > 0) & (n0 > 0)
    return a[keep], n1[keep], c[keep], n0[keep]


def _cmh_p(a: np.ndarray, n1: np.ndarray, c: np.ndarray, n0: np.ndarray) -> float | None:
    """The Cochran-Mantel-Haenszel test of no association (no continuity correction); None when every
    stratum has all hits or none."""
    m1, n = a + c, n1 + n0
    if not np.any((m1 > 0) & (m1 < n)):
        return None
    tables = np.stack([np.stack([a, n1 - a]), np.stack([c, n0 - c])])
    # statsmodels computes 1 - cdf, which rounds to 0 below ~1e-16: use sf
    statistic = StratifiedTable(tables).test_null_odds(correction=False).statistic
    return finite(float(stats.chi2.sf(statistic, 1)))


def compare_rate_difference(
    a: np.ndarray, n1: np.ndarray, c: np.ndarray, n0: np.ndarray
) -> Estimate:
    """Mantel-Haenszel risk difference (group share minus reference share) from per-stratum counts.

    For shares near 100 % (or 0 %), where a ratio either hides a difference
    (99 % against 95 % is 1.04) or blows a small one up (0 % against 1.6 % not
    answered is "0.0"). ``RD = sum w_k (p1_k - p0_k) / sum w_k`` with the
    Mantel-Haenszel weights ``w_k = n1_k n0_k / (n1_k + n0_k)``, so it is the
    difference of the two stratum-weighted shares. The interval uses Sato's
    (1989) variance, valid for many small strata as for few large ones; the
    p-value is the Cochran-Mantel-Haenszel test, as for the ratio. The
    estimate is returned in ``ratio``, ``ci_low`` and ``ci_high`` (shares,
    -1 to 1); the finding's ``scale`` says it is a difference.
    """
    a, n1, c, n0 = _both_sides(a, n1, c, n0)
    k = len(a)
    if k == 0:
        return NOTHING
    n = n1 + n0
    w = n1 * n0 / n
    total = float(np.sum(w))
    rd = float(np.sum(a * n0 / n - c * n1 / n)) / total
    p = _cmh_p(a, n1, c, n0)
    big_p = (n1**2 * c - n0**2 * a + n1 * n0 * (n0 - n1) / 2) / n**2
    big_q = (a * (n0 - c) + c * (n1 - a)) / (2 * n)
    var = max((rd * float(np.sum(big_p)) + float(np.sum(big_q))) / total**2, 0.0)
    se = math.sqrt(var)
    return Estimate(rd, max(rd - Z95 * se, -1.0), min(rd + Z95 * se, 1.0), p, k)


def weights(n1: np.ndarray, n0: np.ndarray) -> np.ndarray:
    """The Mantel-Haenszel stratum weights ``n1 n0 / (n1 + n0)`` (0 where a side is empty)."""
    n1, n0 = np.asarray(n1, dtype=float), np.asarray(n0, dtype=float)
    total = n1 + n0
    w: np.ndarray = np.divide(n1 * n0, total, out=np.zeros_like(total), where=total > 0)
    return w


def standardised(x1: np.ndarray, x0: np.ndarray, w: np.ndarray) -> tuple[float | None, float | None]:
    """Both sides' per-stratum values averaged with the same stratum weights ``w``.

    With the Mantel-Haenszel weights these are the two values whose ratio is
    the Mantel-Haenszel risk ratio (shares) or the stratified ratio of means
    (amounts): the values the adjusted ratio compares. Strata of zero weight
    are left out; None when there is none.
    """
    keep = np.asarray(w) > 0
    total = float(np.sum(w[keep]))
    if total <= 0:
        return None, None
    return float(np.sum(w[keep] * x1[keep]) / total), float(np.sum(w[keep] * x0[keep]) / total)


def compare_amounts(
    amount: np.ndarray, in_group: np.ndarray, stratum: np.ndarray, n_strata: int
) -> Estimate:
    """Stratified ratio of means; per-case front end of :func:`compare_amount_moments`."""
    g = in_group.astype(bool)
    x = amount.astype(float)

    def moments(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = np.bincount(stratum[mask], minlength=n_strata)
        s1 = np.bincount(stratum[mask], weights=x[mask], minlength=n_strata)
        s2 = np.bincount(stratum[mask], weights=x[mask] ** 2, minlength=n_strata)
        return n, s1, s2

    return compare_amount_moments(*moments(g), *moments(~g))


def compare_amount_moments(
    n1: np.ndarray, s1: np.ndarray, q1: np.ndarray,
    n0: np.ndarray, s0: np.ndarray, q0: np.ndarray,
) -> Estimate:
    """Stratified ratio of means from per-stratum counts, sums and sums of squares.

    ``R = sum w_k m1_k / sum w_k m0_k`` with ``w_k = n1_k n0_k / (n1_k + n0_k)``
    over strata holding at least two cases of each. The interval uses the
    delta method with each group's own variances (strata means are
    independent): ``Var(log R) = Var(A)/A^2 + Var(B)/B^2``, ``Var(m) = s^2/n``.
    The p-value tests ``A = B`` with the within-stratum variance pooled over
    both groups, ``Var(A - B) = sum w_k s_k^2``: exact under the null
    hypothesis and steadier than the group variances when strata are small
    and amounts skewed (a nominal 5% test rejected 7.5% of fair simulations
    with the group variances, 5% with the pooled one).
    """
    n1, s1, q1, n0, s0, q0 = (np.asarray(v, dtype=float) for v in (n1, s1, q1, n0, s0, q0))
    keep = (n1 > 1) & (n0 > 1)
    k = int(keep.sum())
    if k == 0:
        return NOTHING
    n1, s1, q1, n0, s0, q0 = (v[keep] for v in (n1, s1, q1, n0, s0, q0))
    m1, m0 = s1 / n1, s0 / n0
    ss1 = np.maximum(q1 - n1 * m1**2, 0)  # sums of squared deviations
    ss0 = np.maximum(q0 - n0 * m0**2, 0)
    w = n1 * n0 / (n1 + n0)
    a, b = float(np.sum(w * m1)), float(np.sum(w * m0))
    var_null = float(np.sum(w * (ss1 + ss0) / (n1 + n0 - 2)))
    p = finite(float(2 * stats.norm.sf(abs(a - b) / math.sqrt(var_null)))) if var_null > 0 else None
    if a <= 0 or b <= 0:
        return Estimate(None, None, None, p, k)
    va = float(np.sum(w**2 * ss1 / (n1 - 1) / n1))
    vb = float(np.sum(w**2 * ss0 / (n0 - 1) / n0))
    return log_interval(math.log(a / b), math.sqrt(va / a**2 + vb / b**2), p, k)

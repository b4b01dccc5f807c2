"""Run the fair treatment audit over a published outcomes table.

Each metric's per-case values are aggregated once per atom (group x
visibility, see :mod:`openledger.audit.groups`) and stratum; rate and amount
comparisons then work on those small tables. Time metrics are sorted once by
(stratum, time) and by time, and each comparison takes its cases from those
orders without sorting again. A time metric whose value the table withholds
for cases where the awaited event happened (a published table hides some
response bands) weighs the cases of the same release class that have one
(:func:`represented`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from openledger.audit import stats, survival
from openledger.audit.followup import follow_up_rates
from openledger.audit.groups import WITHIN_CHANNEL, Comparison, Grouping, group_cases
from openledger.audit.metrics import BUILTIN_METRICS, KINDS, AuditMetric
from openledger.audit.result import AuditResult, Coverage, Estimate, Finding
from openledger.audit.table import Source, Table, Validated, release_classes, validate
from openledger.audit.verdict import Settings, comparable, holm, overall, verdict
from openledger.errors import OpenLedgerError, PluginError


def strata_codes(table: Table, within_channel: bool = False) -> tuple[np.ndarray, int]:
    """Per-case stratum code for category x severity (channel x category x severity ``within_channel``),
    and the number of codes."""
    cat, uniques = pd.factorize(table["category"], sort=True)
    codes, count = cat.astype(np.int64) * 4 + (table["severity"] - 1), max(len(uniques), 1) * 4
    if within_channel:
        channel, channels = pd.factorize(table["channel"], sort=True)
        codes, count = channel.astype(np.int64) * count + codes, max(len(channels), 1) * count
    return codes, count


def represented(table: Table, withheld: np.ndarray, eligible: np.ndarray,
                happened: np.ndarray) -> np.ndarray | None:
    """Each eligible case's weight when a time metric's value of some cases is withheld, or None.

    A published table leaves out the response time of some answered public
    cases (``responded`` with an empty ``first_response_hours``): the release
    hides the bands of cases that would otherwise be among fewer than k
    (:mod:`openledger.privacy.release`), chosen within their release class in
    the order of their public ids, not by how fast they were answered (which
    ``verify`` checks: :mod:`openledger.privacy.hiding`). Which classes lose times
    depends on what their times are, though (a class holding a rare band
    loses most of them), so the cases with a time, counted as they are, are
    not a fair sample: the tails of the public times were thinned, and the
    public side looked 6 to 12 % slower in fair simulated worlds. A withheld
    case is known to have ``happened`` (it was answered): the answered cases
    of its class with a time stand for it, weight (answered with a time +
    withheld) / answered with a time, the inverse of the class's published
    share of answered cases; every other case weighs 1 (a class's unanswered
    cases stand only for themselves, and so do those answered after they were
    published, ``response_late``: the release hid none of those, and they are
    the slow ones). A withheld case whose class has no answered case with a
    time stays out.
    """
    lost = withheld & ~eligible & happened
    if not lost.any():
        return None
    code = table.release_classes if isinstance(table, Validated) else release_classes(table)
    size = int(code.max(initial=-1)) + 1
    shown = eligible & happened
    if "response_late" in table:  # answered after publication: not among those the release could hide
        shown &= ~np.asarray(table["response_late"], dtype=bool)
    kept = np.bincount(code[shown], minlength=size).astype(float)
    missing = np.bincount(code[lost], minlength=size).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(kept > 0, (kept + missing) / kept, 1.0)
    weight: NDArray[np.float64] = np.where(shown, factor[code], 1.0)
    return weight


def _metric_arrays(metric: AuditMetric, table: Table, n: int) -> tuple[np.ndarray, np.ndarray]:
    if metric.kind not in KINDS:
        raise OpenLedgerError(f"audit metric '{metric.name}' has unknown kind '{metric.kind}'")
    try:
        first, second = metric.values(table)
    except Exception as exc:  # a metric plugin's bug: one line naming the metric, no half-done audit
        raise PluginError(f"audit metric '{metric.name}' failed: {exc!r}", subject=metric.name) from exc
    first, second = np.asarray(first), np.asarray(second)
    if first.shape != (n,) or second.shape != (n,):
        raise OpenLedgerError(f"audit metric '{metric.name}' returned arrays of the wrong shape")
    return first, second


def scale_of(metric: AuditMetric) -> str:
    """How a metric's groups are compared: ``ratio``, or ``difference`` for a rate that asks for it."""
    scale = getattr(metric, "scale", "ratio") or "ratio"
    if scale not in ("ratio", "difference") or (scale == "difference" and metric.kind != "rate"):
        raise OpenLedgerError(f"audit metric '{metric.name}' has unknown scale '{scale}' (ratio, or difference "
                              "for a rate)")
    return str(scale)


class _Prepared:
    """One metric's values aggregated per atom x stratum (and sorted, for times)."""

    def __init__(self, metric: AuditMetric, table: Table, stratum: np.ndarray, n_strata: int,
                 grouping: Grouping) -> None:
        self.metric, self.grouping, self.n_strata = metric, grouping, n_strata
        self.scale = scale_of(metric)
        first, second = _metric_arrays(metric, table, len(stratum))
        weight = None
        self.weights: tuple[np.ndarray, np.ndarray] | None = None  # per case of each order, for a time metric
        if metric.kind == "time":
            x, flag = first.astype(float), second.astype(bool)
            eligible = np.isfinite(x) & (x >= 0)
            weight = represented(table, np.isnan(x), eligible, flag)
        else:
            x = first.astype(bool) if metric.kind == "rate" else first.astype(float)
            eligible = second.astype(bool)
            if metric.kind == "amount":
                eligible &= np.isfinite(x)
        atoms = grouping.atoms
        rows = np.flatnonzero(eligible & (atoms >= 0))
        cell = atoms[rows] * n_strata + stratum[rows]
        shape = (grouping.n_atoms, n_strata)

        def table_of(weights: NDArray[np.float64] | None = None) -> np.ndarray:
            size = shape[0] * shape[1]
            return np.bincount(cell, weights=weights, minlength=size).reshape(shape)

        self.count = table_of().astype(float)
        #: cases per cell as the comparison weighs them: the count, or the represented cases of a time metric
        self.mass = self.count if weight is None else table_of(weight[rows])
        self._described: dict[bytes, float | None] = {}
        if metric.kind == "rate":
            self.hits = table_of(x[rows].astype(float))
        elif metric.kind == "amount":
            self.sums, self.squares = table_of(x[rows]), table_of(x[rows] ** 2)
        else:
            by_stratum = rows[np.lexsort((x[rows], stratum[rows]))]
            by_time = rows[np.argsort(x[rows], kind="stable")]
            self.sorted = tuple(
                (x[o], flag[o], stratum[o], atoms[o]) for o in (by_stratum, by_time)
            )
            self.weights = None if weight is None else (weight[by_stratum], weight[by_time])

    def n(self, sel: np.ndarray) -> int:
        return int(self.count[sel].sum())

    def describe(self, sel: np.ndarray) -> float | None:
        """The plain value of a set of atoms: a share, a KM median time or a mean."""
        key = sel.tobytes()
        if key not in self._described:
            self._described[key] = self._describe(sel)
        return self._described[key]

    def _describe(self, sel: np.ndarray) -> float | None:
        count = self.count[sel].sum()
        if count == 0:
            return None
        if self.metric.kind == "rate":
            return float(self.hits[sel].sum() / count)
        if self.metric.kind == "amount":
            return float(self.sums[sel].sum() / count)
        time, event, _, atoms = self.sorted[1]
        mask = self.grouping.case_mask(sel, atoms)
        return survival.km_median_sorted(time[mask], event[mask], None if self.weights is None else
                                         self.weights[1][mask])

    def compare(self, c: Comparison) -> tuple[Estimate, Estimate]:
        """(within strata, naive pooled) comparison of the group with the reference."""
        g, r = c.group_atoms, c.reference_atoms
        if self.metric.kind == "time":
            out: list[Estimate] = []
            weights = self.weights or (None, None)
            for (time, event, stratum, atoms), k, weight in zip(self.sorted, (self.n_strata, 1), weights):
                keep = self.grouping.case_mask(g | r, atoms)
                in_group = self.grouping.case_mask(g, atoms[keep])
                s = stratum[keep] if k > 1 else np.zeros(int(keep.sum()), dtype=np.int64)
                out.append(survival.compare_times(
                    time[keep], event[keep], in_group, s, k, presorted=True,
                    weight=None if weight is None else weight[keep]))
            return out[0], out[1]
        parts: tuple[np.ndarray, ...]
        fn: Callable[..., Estimate]
        if self.metric.kind == "rate":
            parts = (self.hits[g].sum(0), self.count[g].sum(0), self.hits[r].sum(0), self.count[r].sum(0))
            fn = stats.compare_rate_difference if self.scale == "difference" else stats.compare_rate_counts
        else:
            parts = (self.count[g].sum(0), self.sums[g].sum(0), self.squares[g].sum(0),
                     self.count[r].sum(0), self.sums[r].sum(0), self.squares[r].sum(0))
            fn = stats.compare_amount_moments
        return fn(*parts), fn(*(p.sum(keepdims=True) for p in parts))

    def standardise(self, c: Comparison) -> tuple[Coverage, float | None, float | None]:
        """Coverage of the comparison, and the stratum-weighted values its adjusted ratio compares.

        A stratum is shared when it holds enough eligible cases of both sides
        for the ratio to use it (one each; two each for amounts, which need a
        spread). Both values average the same shared strata with the
        Mantel-Haenszel weights ``n1 n0 / (n1 + n0)`` (for a time with withheld
        values, of the cases as :func:`represented` weighs them): shares and
        means directly (their ratio is the adjusted ratio), times as the median
        of the weighted mix of the strata's Kaplan-Meier curves.
        """
        g, r = c.group_atoms, c.reference_atoms
        n1, n0 = self.count[g].sum(0), self.count[r].sum(0)
        least = 2 if self.metric.kind == "amount" else 1
        shared = (n1 >= least) & (n0 >= least)
        coverage = Coverage(int(n1[shared].sum()), int(n1.sum()), int(n0[shared].sum()), int(n0.sum()),
                            int(shared.sum()))
        w = np.where(shared, stats.weights(self.mass[g].sum(0), self.mass[r].sum(0)), 0.0)
        if self.metric.kind == "rate":
            with np.errstate(divide="ignore", invalid="ignore"):
                x1, x0 = self.hits[g].sum(0) / n1, self.hits[r].sum(0) / n0
            return (coverage, *stats.standardised(x1, x0, w))
        if self.metric.kind == "amount":
            with np.errstate(divide="ignore", invalid="ignore"):
                x1, x0 = self.sums[g].sum(0) / n1, self.sums[r].sum(0) / n0
            return (coverage, *stats.standardised(x1, x0, w))
        time, event, stratum, atoms = self.sorted[0]
        inside = shared[stratum]
        medians = []
        for side in (g, r):
            mask = inside & self.grouping.case_mask(side, atoms)
            medians.append(survival.standardised_median(time[mask], event[mask], stratum[mask], w, None
                                                        if self.weights is None else self.weights[0][mask]))
        return coverage, medians[0], medians[1]


def run_audit(
    table: Table,
    metrics: Sequence[AuditMetric] = BUILTIN_METRICS,
    dimension: str = "visibility",
    reference: str | None = None,
    settings: Settings | None = None,
    source: Source = None,
) -> AuditResult:
    """Audit ``table`` (see :data:`openledger.audit.table.COLUMNS`).

    ``metrics`` are metric objects as registered through
    ``register_audit_metrics`` (the built-ins by default); ``dimension`` is
    ``visibility``, ``channel``, ``audience``, ``leverage``, ``deflection`` or
    ``tone``; ``reference`` names one group
    to compare every other group with (default: see
    :mod:`openledger.audit.groups`). ``source`` names the table's origin in
    error messages.
    """
    settings = settings or Settings()
    names = [m.name for m in metrics]
    for name in names:
        if name == "n" or names.count(name) > 1:
            raise OpenLedgerError(f"audit metric name '{name}' is reserved or used twice")
    table = validate(table, source)
    stratum, n_strata = strata_codes(table, dimension in WITHIN_CHANNEL)
    grouping = group_cases(table, dimension, reference)
    per_atom = np.bincount(grouping.atoms[grouping.atoms >= 0], minlength=grouping.n_atoms)
    selections = {label: grouping.group_atoms(label) for label in grouping.names}
    groups: dict[str, dict[str, float | None]] = {
        label: {"n": int(per_atom[sel].sum())} for label, sel in selections.items()
    }
    raw: list[dict[str, Any]] = []
    enough: list[bool] = []
    bearing: list[bool] = []  # enough cases and coverage: may say equal or unequal
    for metric in metrics:
        prep = _Prepared(metric, table, stratum, n_strata, grouping)
        for label, sel in selections.items():
            groups[label][metric.name] = prep.describe(sel)
        for c in grouping.comparisons:
            n, ref_n = prep.n(c.group_atoms), prep.n(c.reference_atoms)
            adjusted, naive = prep.compare(c)
            coverage, value, reference_value = prep.standardise(c)
            enough.append(n >= settings.min_cases and ref_n >= settings.min_cases)
            bearing.append(enough[-1] and comparable(coverage.share, coverage.reference_share, settings))
            raw.append({
                "metric": metric.name, "kind": metric.kind, "group": c.group, "reference": c.reference,
                "value": prep.describe(c.group_atoms),
                "reference_value": prep.describe(c.reference_atoms),
                "scale": prep.scale,
                "adjusted": adjusted, "naive": naive,
                "adjusted_value": value, "adjusted_reference_value": reference_value,
                "coverage": coverage,
                "n": n, "reference_n": ref_n,
            })
    # the Holm family: every finding that may bear a verdict (enough cases, coverage) and has a p-value
    adjusted_p = holm([r["adjusted"].p_value if ok else None for r, ok in zip(raw, bearing)])
    findings = []
    for r, p_adj, ok, fit in zip(raw, adjusted_p, enough, bearing):
        e = r["adjusted"]
        v = verdict(e.ratio, e.ci_low, e.ci_high, p_adj, ok, settings, comparable=fit or not ok, scale=r["scale"])
        findings.append(Finding(**r, p_adjusted=p_adj, verdict=v))
    return AuditResult(
        overall=overall([f.verdict for f in findings], enough),
        dimension=dimension,
        reference=grouping.reference,
        groups=groups,
        findings=tuple(findings),
        metrics=tuple(
            {"name": m.name, "version": m.version, "kind": m.kind,
             "unit": getattr(m, "unit", ""), "description": m.description,
             "scale": scale_of(m)}
            for m in metrics
        ),
        settings={
            "tolerance_low": settings.tolerance_low,
            "tolerance_high": settings.tolerance_high,
            "tolerance_difference": settings.tolerance_difference,
            "alpha": settings.alpha,
            "min_cases": settings.min_cases,
            "min_coverage": settings.min_coverage,
        },
        strata=n_strata,
        strata_by="channel x category x severity" if dimension in WITHIN_CHANNEL else "category x severity",
        follow_up=follow_up_rates(table) if dimension == "deflection" else None,
    )

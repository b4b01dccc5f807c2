"""Per channel x public/private values of a metric.

The accessible tables of the audit page show, for every metric, how many
eligible cases each channel had in public and in private and the metric's
plain value there. Nothing is hidden here: every number is recomputed from the
published case rows (``data/outcomes.csv``), which are themselves published
so that each case stays among at least k (small channels are pooled as
``other``, rare details generalised when the log is sealed: see
:mod:`openledger.privacy.release`). A cell adds nothing to what the rows say;
a median time counts the answered cases whose time is withheld through the
answered cases of their class, as the audit does
(:func:`openledger.audit.engine.represented`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openledger.audit.engine import represented
from openledger.audit.survival import km_median_sorted

VISIBILITY_ORDER = ("public", "private")


@dataclass(frozen=True)
class CellTable:
    """Rows are channels; columns are public and private."""

    channels: list[str]
    counts: list[list[int]]
    values: list[list[float | None]]  # None: no cases


def _value(kind: str, first: np.ndarray, second: np.ndarray, rows: np.ndarray,
           weight: np.ndarray | None = None) -> float | None:
    if kind == "rate":
        keep = rows & second.astype(bool)
        return float(first[keep].astype(bool).mean()) if keep.any() else None
    if kind == "amount":
        keep = rows & second.astype(bool) & np.isfinite(first.astype(float))
        return float(first[keep].astype(float).mean()) if keep.any() else None
    time = first.astype(float)
    keep = rows & np.isfinite(time) & (time >= 0)
    order = np.argsort(time[keep], kind="stable")
    return km_median_sorted(time[keep][order], second.astype(bool)[keep][order],
                            None if weight is None else weight[keep][order])


def _eligible(kind: str, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    if kind == "time":
        t = first.astype(float)
        return np.isfinite(t) & (t >= 0)
    eligible = second.astype(bool)
    if kind == "amount":
        eligible &= np.isfinite(first.astype(float))
    return eligible


def cell_groups(table) -> tuple[list[str], np.ndarray]:
    """The channels, sorted, and each case's cell: ``2 * channel + visibility`` in
    :data:`VISIBILITY_ORDER` (-1 for a visibility that is neither)."""
    channel = np.asarray(table["channel"]).tolist()
    channels = sorted(set(channel))
    code = {c: i for i, c in enumerate(channels)}
    seen = {v: i for i, v in enumerate(VISIBILITY_ORDER)}
    n = len(channel)
    by_channel = np.fromiter(map(code.__getitem__, channel), np.int64, n)
    by_visibility = np.fromiter((seen.get(v, -1) for v in np.asarray(table["visibility"]).tolist()), np.int64, n)
    return channels, np.where(by_visibility < 0, -1, 2 * by_channel + by_visibility)


def metric_cells(metric, table, groups: tuple[list[str], np.ndarray] | None = None) -> CellTable:
    """The channel x visibility table of ``metric`` over ``table`` (``groups``: its :func:`cell_groups`)."""
    first, second = (np.asarray(a) for a in metric.values(table))
    eligible = _eligible(metric.kind, first, second)
    weight = None  # times the table withholds are represented as the audit represents them
    if metric.kind == "time":
        weight = represented(table, np.isnan(first.astype(float)), eligible, second.astype(bool))
    channels, cell = groups if groups is not None else cell_groups(table)
    counts, values = [], []
    for i in range(len(channels)):
        count_row, value_row = [], []
        for j in range(len(VISIBILITY_ORDER)):
            mask = cell == 2 * i + j
            count = int((mask & eligible).sum())
            count_row.append(count)
            value_row.append(None if not count else _value(metric.kind, first, second, mask, weight))
        counts.append(count_row)
        values.append(value_row)
    return CellTable(channels, counts, values)

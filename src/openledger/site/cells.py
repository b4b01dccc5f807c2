"""Per channel x public/private values of a metric.

The accessible tables of the audit page show, for every metric, how many
eligible cases each channel had in public and in private and the metric's
plain value there. Nothing is hidden here: every number is recomputed from the
published case rows (``data/outcomes.csv``), which are themselves published
so that each case stays among at least k (small channels are pooled as
``other``, rare details generalised when the log is sealed: see
:mod:`openledger.privacy.release`). A cell adds nothing to what the rows say.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openledger.audit.survival import km_median_sorted

VISIBILITY_ORDER = ("public", "private")


@dataclass(frozen=True)
class CellTable:
    """Rows are channels; columns are public and private."""

    channels: list[str]
    counts: list[list[int]]
    values: list[list[float | None]]  # None: no cases


def _value(kind: str, first: np.ndarray, second: np.ndarray, rows: np.ndarray) -> float | None:
    if kind == "rate":
        keep = rows & second.astype(bool)
        return float(first[keep].astype(bool).mean()) if keep.any() else None
    if kind == "amount":
        keep = rows & second.astype(bool) & np.isfinite(first.astype(float))
        return float(first[keep].astype(float).mean()) if keep.any() else None
    time = first.astype(float)
    keep = rows & np.isfinite(time) & (time >= 0)
    order = np.argsort(time[keep], kind="stable")
    return km_median_sorted(time[keep][order], second.astype(bool)[keep][order])


def _eligible(kind: str, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    if kind == "time":
        t = first.astype(float)
        return np.isfinite(t) & (t >= 0)
    eligible = second.astype(bool)
    if kind == "amount":
        eligible &= np.isfinite(first.astype(float))
    return eligible


def metric_cells(metric, table) -> CellTable:
    """The channel x visibility table of ``metric`` over ``table``."""
    first, second = (np.asarray(a) for a in metric.values(table))
    eligible = _eligible(metric.kind, first, second)
    channels = sorted(set(np.asarray(table["channel"]).tolist()))
    channel = np.asarray(table["channel"])
    visibility = np.asarray(table["visibility"])
    masks = [[(channel == c) & (visibility == v) for v in VISIBILITY_ORDER] for c in channels]
    counts, values = [], []
    for row in masks:
        count_row, value_row = [], []
        for mask in row:
            count = int((mask & eligible).sum())
            count_row.append(count)
            value_row.append(None if not count else _value(metric.kind, first, second, mask))
        counts.append(count_row)
        values.append(value_row)
    return CellTable(channels, counts, values)

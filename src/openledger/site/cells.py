"""Per channel x public/private values of a metric, with small cells suppressed.

The accessible tables of the audit page show, for every metric, how many
eligible cases each channel had in public and in private and the metric's
plain value there. Counts below the threshold k are hidden together with
the complementary cells that would let a reader recover them
(:func:`openledger.privacy.suppression.suppress_table`); a hidden count hides its value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openledger.audit.survival import km_median_sorted
from openledger.privacy.suppression import suppress_table

VISIBILITY_ORDER = ("public", "private")


@dataclass(frozen=True)
class CellTable:
    """Rows are channels; columns are public and private."""

    channels: list[str]
    counts: list[list[int | None]]  # None: suppressed
    values: list[list[float | None]]  # None: suppressed or no cases


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


def metric_cells(metric, table, k: int) -> CellTable:
    """The suppressed channel x visibility table of ``metric`` over ``table``."""
    first, second = (np.asarray(a) for a in metric.values(table))
    eligible = _eligible(metric.kind, first, second)
    channels = sorted(set(np.asarray(table["channel"]).tolist()))
    channel = np.asarray(table["channel"])
    visibility = np.asarray(table["visibility"])
    masks = [[(channel == c) & (visibility == v) for v in VISIBILITY_ORDER] for c in channels]
    raw = [[int((m & eligible).sum()) for m in row] for row in masks]
    shown = suppress_table(raw, k).values if channels else []
    counts, values = [], []
    for r, row in enumerate(masks):
        count_row, value_row = [], []
        for c, mask in enumerate(row):
            count = shown[r][c]
            count_row.append(count)
            value_row.append(None if not count else _value(metric.kind, first, second, mask))
        counts.append(count_row)
        values.append(value_row)
    return CellTable(channels, counts, values)

"""Small-cell suppression of published tables.

:func:`suppress_table` hides every count below k, plus complementary cells, so
no suppressed count can be recovered from the row and column totals by
subtraction (checked with linear algebra, not just "two per row");
:func:`suppress_rates` publishes rates only over counts that survive it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from openledger.errors import ConfigError, OpenLedgerError

DEFAULT_K = 10


@dataclass(frozen=True)
class Suppressed:
    """A table after suppression: ``values[i][j]`` is None where the cell is hidden.

    ``primary`` are the cells hidden for being below k; ``secondary`` the
    complementary cells hidden so the primary ones cannot be recovered from
    the published row and column totals.
    """

    values: list[list[int | None]]
    row_totals: list[int | None]
    col_totals: list[int | None]
    total: int | None
    primary: frozenset[tuple[int, int]]
    secondary: frozenset[tuple[int, int]]

    @property
    def hidden(self) -> frozenset[tuple[int, int]]:
        return self.primary | self.secondary


def determined_cells(
    shape: tuple[int, int],
    hidden: set[tuple[int, int]],
    hidden_rows: frozenset[int] = frozenset(),
    hidden_cols: frozenset[int] = frozenset(),
    total_known: bool = True,
) -> set[tuple[int, int]]:
    """Hidden cells whose value follows from the visible cells and the row and column totals.

    The hidden values ``x`` satisfy one linear equation per row and column;
    ``x_c`` is determined exactly when the unit vector of ``c`` lies in the row
    space of that system (adding it does not raise the rank).
    """
    cells = sorted(hidden)
    if not cells:
        return set()
    index = {c: i for i, c in enumerate(cells)}
    rows, cols = shape
    lines = [(0, r) for r in range(rows) if r not in hidden_rows] + [
        (1, k) for k in range(cols) if k not in hidden_cols
    ]
    equations = [np.array([1.0 if c[axis] == i else 0.0 for c in cells]) for axis, i in lines]
    if total_known:
        equations.append(np.ones(len(cells)))
    if not equations:
        return set()
    system = np.array(equations)
    rank = np.linalg.matrix_rank(system)
    found = set()
    for c in cells:
        unit = np.zeros(len(cells))
        unit[index[c]] = 1
        if np.linalg.matrix_rank(np.vstack([system, unit])) == rank:
            found.add(c)
    return found


def suppress_table(counts: Sequence[Sequence[int]], k: int = DEFAULT_K) -> Suppressed:
    """Hide every cell counting 1 to k-1 cases, plus complementary cells.

    Row and column totals are published unless they are themselves below k
    (then None, and all the row's non-zero cells are hidden anyway).
    Complementary cells are chosen smallest first in the same row or column as
    a cell that could otherwise be recovered, until no hidden cell is
    determined by the visible cells and totals. Zero cells are published: they
    describe no one.
    """
    if k < 1:
        raise ConfigError(f"the suppression threshold k must be at least 1, not {k}")
    table = np.asarray(counts, dtype=np.int64)
    if table.ndim != 2 or (table < 0).any():
        raise OpenLedgerError("a suppression table must be a 2-D table of non-negative counts")
    rows, cols = table.shape
    primary = {(r, c) for r in range(rows) for c in range(cols) if 0 < table[r, c] < k}
    row_sums, col_sums, total = table.sum(axis=1), table.sum(axis=0), int(table.sum())
    hidden_rows = {r for r in range(rows) if 0 < row_sums[r] < k}
    hidden_cols = {c for c in range(cols) if 0 < col_sums[c] < k}
    total_known = not 0 < total < k
    hidden = set(primary)
    while True:
        exposed = determined_cells((rows, cols), hidden, frozenset(hidden_rows), frozenset(hidden_cols), total_known)
        if not exposed:
            break
        lines_r = {r for r, _ in exposed}
        lines_c = {c for _, c in exposed}
        free = [(r, c) for r in range(rows) for c in range(cols) if (r, c) not in hidden]
        candidates = [cell for cell in free if cell[0] in lines_r or cell[1] in lines_c] or free
        if not candidates:
            # every cell is hidden and the totals still tell: hide those totals too
            if lines_r - hidden_rows or lines_c - hidden_cols:
                hidden_rows |= lines_r
                hidden_cols |= lines_c
            else:
                total_known = False
            continue

        costs = []
        for cell in candidates:
            left = determined_cells(
                (rows, cols), hidden | {cell}, frozenset(hidden_rows), frozenset(hidden_cols), total_known
            )
            costs.append((len(left), bool(table[cell] == 0), int(table[cell]), cell))
        hidden.add(min(costs)[3])
    values = [[None if (r, c) in hidden else int(table[r, c]) for c in range(cols)] for r in range(rows)]
    return Suppressed(
        values=values,
        row_totals=[None if r in hidden_rows else int(row_sums[r]) for r in range(rows)],
        col_totals=[None if c in hidden_cols else int(col_sums[c]) for c in range(cols)],
        total=total if total_known else None,
        primary=frozenset(primary),
        secondary=frozenset(hidden - primary),
    )


def suppress_rates(
    numerators: Sequence[Sequence[int]], denominators: Sequence[Sequence[int]], k: int = DEFAULT_K
) -> list[list[float | None]]:
    """Rates ``numerator / denominator`` with every cell from fewer than k cases hidden (None).

    The denominators go through :func:`suppress_table` first, so a hidden
    rate's case count cannot be recovered from the published case counts.
    """
    num = np.asarray(numerators, dtype=float)
    den = suppress_table(denominators, k)
    if num.shape != (len(den.values), len(den.values[0]) if den.values else 0):
        raise OpenLedgerError("numerators and denominators must have the same shape")
    return [
        [None if d is None or d == 0 else float(num[r, c] / d) for c, d in enumerate(row)]
        for r, row in enumerate(den.values)
    ]

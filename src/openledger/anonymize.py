"""Pure anonymization helpers: keyed pseudonyms, coarse times, small-cell suppression.

- :func:`create_secret` / :func:`load_secret`: the instance secret, a file of
  mode 0600 created atomically (``O_CREAT | O_EXCL``), never overwritten;
- :func:`pseudonym`: the public case id, ``C-`` and the base32 of the first 10
  bytes of HMAC-SHA256(secret, case id): stable across builds, not reversible
  without the secret;
- :func:`coarsen_time` and :func:`round_duration`: published times at the day
  (default), ISO week or month, durations in whole hours or days;
- :func:`suppress_table`: small-cell suppression with complementary
  suppression, so no suppressed count can be recovered from the row and column
  totals by subtraction (checked with linear algebra, not just "two per row").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

from openledger.errors import ConfigError, OpenLedgerError

SECRET_BYTES = 32
TIME_UNITS = ("day", "week", "month")
DURATION_UNITS = ("hours", "days")
DEFAULT_K = 10


def create_secret(path: str | os.PathLike) -> bytes:
    """Create a new random secret in ``path`` (hex, mode 0600) and return it.

    The file is created with ``O_CREAT | O_EXCL`` and mode 0600 in one system
    call, so it is never readable by others, not even for a moment, and an
    existing secret is never overwritten.
    """
    path = Path(path)
    secret = secrets.token_bytes(SECRET_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise OpenLedgerError("the secret already exists; refusing to overwrite it", path=path) from None
    except OSError as error:
        raise OpenLedgerError(f"cannot create the secret: {error.strerror}", path=path) from None
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret.hex() + "\n")
    return secret


def load_secret(path: str | os.PathLike) -> bytes:
    """Read the secret written by :func:`create_secret`; refuse one readable by others."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise ConfigError("the instance secret is missing (run openledger init)", path=path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read the secret: {error}", path=path) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"the secret is readable by others (mode {stat.S_IMODE(mode):o}); chmod 600 it", path=path)
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        raise ConfigError("the secret is not hexadecimal", path=path) from None
    if len(secret) < 16:
        raise ConfigError("the secret is shorter than 16 bytes", path=path)
    return secret


def pseudonym(case_id: str | int, secret: bytes, prefix: str = "C-") -> str:
    """The public id of a case: ``C-`` + base32 of HMAC-SHA256(secret, id)[:10], in groups of 4."""
    if not secret:
        raise ConfigError("an empty secret cannot make pseudonyms")
    digest = hmac.digest(secret, str(case_id).encode("utf-8"), "sha256")[:10]
    code = base64.b32encode(digest).decode("ascii")  # 16 characters, no padding for 10 bytes
    return prefix + "-".join(code[i : i + 4] for i in range(0, 16, 4))


def coarsen_time(moment: datetime | date, unit: str = "day") -> str:
    """A published time: ``2026-03-05`` (day), ``2026-W10`` (ISO week) or ``2026-03`` (month).

    Aware datetimes are converted to UTC first, so the same instant always
    gives the same published value.
    """
    if unit not in TIME_UNITS:
        raise ConfigError(f"unknown time coarsening {unit!r}; use one of {', '.join(TIME_UNITS)}")
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        moment = moment.date()
    if unit == "day":
        return moment.isoformat()
    if unit == "week":
        year, week, _ = moment.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{moment.year:04d}-{moment.month:02d}"


def round_duration(duration: timedelta | float | None, unit: str = "hours") -> float | None:
    """A published duration in whole hours or days (``duration`` in seconds or a timedelta).

    Rounds half up, so 90 minutes publish as 2 hours and 30 minutes as 1 hour:
    only durations of exactly zero publish as zero.
    """
    if duration is None:
        return None
    if unit not in DURATION_UNITS:
        raise ConfigError(f"unknown duration rounding {unit!r}; use one of {', '.join(DURATION_UNITS)}")
    seconds = duration.total_seconds() if isinstance(duration, timedelta) else float(duration)
    if seconds < 0:
        raise OpenLedgerError(f"a negative duration cannot be published: {seconds} s")
    size = 3600.0 if unit == "hours" else 86400.0
    if seconds == 0:
        return 0.0
    return float(max(1.0, np.floor(seconds / size + 0.5)))


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
    equations = []
    for r in range(rows):
        if r in hidden_rows:
            continue
        eq = np.zeros(len(cells))
        for c in cells:
            if c[0] == r:
                eq[index[c]] = 1
        equations.append(eq)
    for k in range(cols):
        if k in hidden_cols:
            continue
        eq = np.zeros(len(cells))
        for c in cells:
            if c[1] == k:
                eq[index[c]] = 1
        equations.append(eq)
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

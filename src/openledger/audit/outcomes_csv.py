"""The published outcomes table as CSV: what the site publishes, what anyone re-audits.

Format (see ``docs/audit-method.md``): CSV as in RFC 4180, UTF-8, a header
row with the column names of :data:`openledger.audit.table.COLUMNS` in that
order (an optional column of :data:`~openledger.audit.table.SPARSE`,
``leverage``, ``moved_private``, ``tone`` or ``followed_up``, only when some
case has a value in it other than empty or false), one row per case; flags
are ``true``/``false``, a missing number is an empty field, ``opened`` is a
period label (``2026-W10``, ``2026-03``, ``2026-Q1``, ``2026``) and numbers
are written with Python's shortest round-trip representation, so reading a written file gives
back the same floats and the same audit, byte for byte.

CSV formula injection: a text cell starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return is written with a single quote before it, as OWASP
recommends, so a spreadsheet shows it as text instead of running it; numbers,
flags and days are never touched, nor is a text cell holding a plain number
(``-5`` stays a number). A line break inside a text cell becomes a space.
:func:`read_csv` reverses nothing: the quote
is part of the published value (the site's text columns are tokens that never
start so, see :mod:`openledger.privacy.labels`, so in practice no cell needs it).
"""

from __future__ import annotations

import csv
import io
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from openledger.audit.table import COLUMNS, SPARSE, Table, validate
from openledger.errors import OpenLedgerError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FLAGS = np.array(["false", "true"], dtype=object)


def _plain_number(value: str) -> bool:
    """``-5``, ``+3.25``: a number a spreadsheet reads as a number, never as a formula."""
    body = value[1:] if value[:1] in "+-" else value
    whole, _, fraction = body.partition(".")
    return whole.isascii() and whole.isdigit() and (not fraction or (fraction.isascii() and fraction.isdigit()))


def neutralise(value: object) -> object:
    """A text cell as a spreadsheet must read it: text starting like a formula gets a leading ``'``
    (a plain number such as ``-5`` stays as it is)."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not _plain_number(value):
        value = "'" + value
    # pandas writes a bare CR or LF inside a cell unquoted, which would split the row
    return value.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def _neutralised(values: np.ndarray) -> list[object]:
    """:func:`neutralise` of every cell of a text column (checked at once when no cell needs it)."""
    cells: list[object] = values.tolist()
    if cells and set(map(type, cells)) == {str}:
        text = "\n".join(cells)  # type: ignore[arg-type]  # all str, just checked
        if ("\r" not in text and text.count("\n") == len(cells) - 1 and not text.startswith(FORMULA_STARTS)
                and not any("\n" + start in text for start in FORMULA_STARTS)):
            return cells  # no cell starts like a formula or holds a line break
    return [neutralise(v) for v in cells]


def _texts(values: np.ndarray, kind: str) -> list[object]:
    """A column's cells as written: numbers in their shortest round-trip spelling (what numpy's ``str``
    gives), NaN empty; each distinct number (by its bits, so ``-0.0`` stays itself) spelled once."""
    if kind == "str":
        return _neutralised(values)
    if kind == "bool":
        flags: list[object] = _FLAGS[np.asarray(values, dtype=bool).astype(np.intp)].tolist()  # two shared texts
        return flags
    if values.dtype.kind == "f":
        numbers = np.ascontiguousarray(values, dtype=np.float64)
        distinct, where = np.unique(numbers.view(np.int64), return_inverse=True)
        spelled = ["" if math.isnan(v) else repr(v) for v in distinct.view(np.float64).tolist()]
    else:
        distinct, where = np.unique(values, return_inverse=True)
        spelled = [str(v) for v in distinct.tolist()]
    cells: list[object] = np.array(spelled, dtype=object)[where.reshape(-1)].tolist()
    return cells


def csv_bytes(table: Table) -> bytes:
    """``table`` (validated first) as the published CSV's bytes; text cells are neutralised (see the module).

    Written as pandas' ``DataFrame.to_csv`` (RFC 4180 quoting as Python's csv
    module does it, ``\n`` line ends, numbers as numpy's ``str``, NaN as an
    empty field) writes it, without building a frame.
    """
    clean = validate(table, "the outcomes table")
    names = written_columns(clean)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    rows = len(clean[names[0]])
    written = []
    for start in range(0, rows, ROWS_AT_ONCE):  # a chunk of rows as text at a time: not every cell at once
        writer.writerows(zip(*(_texts(clean[name][start:start + ROWS_AT_ONCE], COLUMNS[name][0]) for name in names)))
        written.append(out.getvalue().encode("utf-8"))
        out.seek(0)
        out.truncate()
    written.append(out.getvalue().encode("utf-8"))
    return b"".join(written)


#: how many rows :func:`csv_bytes` spells at once (a million rows' cells as separate texts are about 0.4 GB)
ROWS_AT_ONCE = 50_000


def written_columns(table: Table) -> list[str]:
    """The columns written: every column of :data:`COLUMNS` but a :data:`SPARSE` one no case has a value in
    (a table without labels or follow-ups is written as before those columns existed)."""
    def used(name: str) -> bool:
        values = np.asarray(table[name])
        return bool(values.any()) if values.dtype.kind == "b" else bool((values != "").any())

    return [name for name in COLUMNS if name not in SPARSE or used(name)]


def write_csv(table: Table, path: Path) -> None:
    """Write ``table`` (validated first) to ``path``."""
    Path(path).write_bytes(csv_bytes(table))


def read_csv(path: Path) -> dict[str, np.ndarray]:
    """Read a published outcomes CSV into a validated table.

    Raises :class:`openledger.errors.OpenLedgerError` naming the file (and
    the column and row) when it cannot be used.
    """
    path = Path(path)
    try:
        with warnings.catch_warnings():
            # index_col=False: a row with a field too many is an error, not the row's index
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False,
                                encoding="utf-8", index_col=False)
    except FileNotFoundError:
        raise OpenLedgerError("file not found", path=path) from None
    except (pd.errors.ParserWarning, pd.errors.ParserError) as exc:
        row = _long_row(path)
        message = f"row {row} has more fields than the header" if row else f"not a readable outcomes CSV: {exc}"
        raise OpenLedgerError(message, path=path) from None
    except (UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise OpenLedgerError(f"not a readable outcomes CSV: {exc}", path=path) from None
    table: dict[str, np.ndarray] = {}
    for name in frame.columns:
        column = frame[name].to_numpy(dtype=object)
        kind = COLUMNS.get(name, ("str",))[0]
        try:
            table[name] = _parse(column, kind)
        except ValueError as exc:
            raise OpenLedgerError(f"column '{name}': {exc}", path=path) from None
    return validate(table, path)


def _long_row(path: Path) -> int | None:
    """The first data row (1-based) with more fields than the header, if any."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            width = len(next(rows, []))
            return next((i for i, row in enumerate(rows, 1) if len(row) > width), None)
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def _parse(column: np.ndarray, kind: str) -> np.ndarray:
    if kind == "str":
        return column
    if kind == "bool":
        lowered = np.char.lower(column.astype(str))
        bad = ~np.isin(lowered, ("true", "false"))
        if bad.any():
            row = int(np.flatnonzero(bad)[0]) + 1
            raise ValueError(f"row {row}: expected true or false, got {column[row - 1]!r}")
        flags: NDArray[np.bool_] = lowered == "true"
        return flags
    if kind == "day":
        text = column.astype(str)
        out = np.full(len(text), "NaT", dtype="datetime64[D]")
        has = text != ""
        try:
            out[has] = text[has].astype("datetime64[D]")
        except ValueError:
            raise ValueError("expected YYYY-MM-DD days") from None
        return out
    numbers = pd.to_numeric(pd.Series(np.where(column == "", "nan", column)), errors="coerce")
    bad = numbers.isna().to_numpy() & (column != "")
    if bad.any():
        row = int(np.flatnonzero(bad)[0]) + 1
        raise ValueError(f"row {row}: not a number: {column[row - 1]!r}")
    return numbers.to_numpy(dtype="float64")

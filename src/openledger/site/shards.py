"""The published case rows as static JSON shards the site's scripts read.

Two kinds of shard, so the file count grows with months and a fixed number
of buckets, never with the number of cases:

- ``data/outcomes/index.json`` lists the months (with their part files),
  the channels and categories; ``data/outcomes/<YYYY-MM>.<n>.json`` hold at
  most :data:`PART_ROWS` case rows of one opening month, as
  ``{"columns": [...], "rows": [[...], ...]}``. Rows are checked against the
  publication allowlist (dataset ``outcomes``) before anything is written.
- ``data/cases/<hh>.json`` map public case ids to their ledger entry
  indices, where ``hh`` is the first two hex digits of SHA-256 of the UTF-8
  case id (always all 256 files, empty ones too, so a lookup never meets a
  missing file): the "Check your case" page computes the same hash in the
  browser to know which file to fetch.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from openledger.errors import OpenLedgerError
from openledger.privacy.allowlist import check_rows

PART_ROWS = 5000
#: published row fields, in order (dataset "outcomes" of the allowlist)
ROW_FIELDS = (
    "case", "channel", "visibility", "category", "severity", "opened", "first_response_hours",
    "resolution_hours", "resolved", "outcome", "remedy", "amount", "response_level",
    "escalated", "reopened", "resolved_elsewhere",
)
TIME_UNITS = ("day", "week", "month")


def _dump(path: Path, value) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    path.write_bytes(data)
    return len(data)


def _hours(values: np.ndarray) -> np.ndarray:
    """Whole hours as published (see openledger.privacy.coarsening.round_duration): 0 stays 0, else at least 1."""
    out = np.where(values == 0, 0.0, np.maximum(1.0, np.floor(values + 0.5)))
    return np.where(np.isfinite(values), out, np.nan)


def _coarse_days(days: np.ndarray, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """(coarse opening time, month) text per case; '' and 'unknown' for a missing day."""
    if unit not in TIME_UNITS:
        raise OpenLedgerError(f"site time unit must be one of {', '.join(TIME_UNITS)}, not {unit!r}")
    codes, uniques = pd.factorize(days.astype("datetime64[D]"))
    stamps = pd.DatetimeIndex(uniques)
    if unit == "day":
        coarse = [s.strftime("%Y-%m-%d") for s in stamps]
    elif unit == "week":
        coarse = [f"{s.isocalendar()[0]}-W{s.isocalendar()[1]:02d}" for s in stamps]
    else:
        coarse = [s.strftime("%Y-%m") for s in stamps]
    months = [s.strftime("%Y-%m") for s in stamps]
    coarse_arr = np.array(coarse + [""], dtype=object)
    month_arr = np.array(months + ["unknown"], dtype=object)
    return coarse_arr[codes], month_arr[codes]  # code -1 picks the last ("missing")


def _nullable(values: np.ndarray) -> list:
    return [None if math.isnan(v) else v for v in values.tolist()]


def outcome_columns(table: Mapping[str, np.ndarray], unit: str = "week") -> tuple[dict[str, list], np.ndarray]:
    """The published columns (as Python lists) and the opening month of each row."""
    opened, months = _coarse_days(np.asarray(table["opened"]), unit)
    level = np.asarray(table.get("response_level", np.full(len(opened), np.nan)), dtype=float)
    elsewhere = np.asarray(table.get("resolved_elsewhere", np.zeros(len(opened), bool)), dtype=bool)
    outcome = np.asarray(table["outcome"], dtype=object)
    cols = {
        "case": [str(c) for c in np.asarray(table["case"]).tolist()],
        "channel": np.asarray(table["channel"]).tolist(),
        "visibility": np.asarray(table["visibility"]).tolist(),
        "category": np.asarray(table["category"]).tolist(),
        "severity": np.asarray(table["severity"]).astype(int).tolist(),
        "opened": opened.tolist(),
        "first_response_hours": _nullable(_hours(np.asarray(table["first_response_hours"], float))),
        "resolution_hours": _nullable(_hours(np.asarray(table["resolution_days"], float) * 24.0)),
        "resolved": np.asarray(table["resolved"], bool).tolist(),
        "outcome": [o or None for o in outcome.tolist()],
        "remedy": np.asarray(table["remedy"]).tolist(),
        "amount": np.round(np.asarray(table["amount"], float), 2).tolist(),
        "response_level": [None if math.isnan(v) else int(v) for v in level.tolist()],
        "escalated": np.asarray(table["escalated"], bool).tolist(),
        "reopened": np.asarray(table["reopened"], bool).tolist(),
        "resolved_elsewhere": elsewhere.tolist(),
    }
    return cols, months


def write_outcome_shards(data_dir: Path, table: Mapping[str, np.ndarray], schema: Mapping,
                         unit: str = "week", summaries: Mapping[str, str] | None = None) -> tuple[dict, int]:
    """Check and write the case rows by month; returns (index, files written).

    With ``summaries`` (public case id -> redacted text), each part file gets a
    companion ``data/summaries/<same name>`` mapping its cases to their summary.
    """
    cols, months = outcome_columns(table, unit)
    n = len(months)
    fields = [f for f in ROW_FIELDS if f in cols]
    rows = list(zip(*(cols[f] for f in fields))) if n else []
    check_rows("outcomes", (dict(zip(fields, row)) for row in rows), schema)
    if summaries is not None:
        check_rows("summaries", ({"case": c, "summary": t} for c, t in summaries.items()), schema)
    order = np.lexsort((np.asarray(cols["case"], dtype=object), months)) if n else np.array([], int)
    folder = data_dir / "outcomes"
    index_months: list[dict[str, Any]] = []
    files = 0
    month_sorted = months[order] if n else months
    starts: NDArray[np.intp] | list[int] = (
        np.flatnonzero(np.r_[True, month_sorted[1:] != month_sorted[:-1]]) if n else []
    )
    bounds = list(starts) + [n]
    for a, b in itertools.pairwise(bounds):
        month = str(month_sorted[a])
        parts = []
        for part, start in enumerate(range(a, b, PART_ROWS), 1):
            name = f"{month}.{part}.json"
            chunk = [rows[i] for i in order[start:min(start + PART_ROWS, b)]]
            _dump(folder / name, {"columns": fields, "rows": chunk})
            parts.append(name)
            files += 1
            if summaries is not None:
                said = {row[0]: summaries[row[0]] for row in chunk if row[0] in summaries}
                _dump(data_dir / "summaries" / name, said)
                files += 1
        index_months.append({"month": month, "count": int(b - a), "parts": parts})
    index = {
        "columns": fields,
        "cases": n,
        "months": sorted(index_months, key=lambda m: m["month"], reverse=True),
        "channels": sorted(set(cols["channel"])),
        "categories": sorted(set(cols["category"])),
        "part_rows": PART_ROWS,
        "summaries": summaries is not None,
    }
    _dump(folder / "index.json", index)
    return index, files + 1


def shard_of(case: str) -> str:
    """The case-index file name part of a public case id (2 hex digits)."""
    return hashlib.sha256(case.encode("utf-8")).hexdigest()[:2]


def write_case_index(data_dir: Path, cases: np.ndarray, indices: np.ndarray) -> int:
    """Write ``data/cases/<hh>.json`` (public id -> entry indices); returns files written."""
    folder = data_dir / "cases"
    folder.mkdir(parents=True, exist_ok=True)
    by_shard: dict[str, dict[str, list[int]]] = {f"{i:02x}": {} for i in range(256)}
    if len(cases) == 0:
        for name in by_shard:
            _dump(folder / f"{name}.json", {})
        return len(by_shard)
    codes, uniques = pd.factorize(np.asarray(cases, dtype=object))
    shard = np.array([shard_of(str(c)) for c in uniques], dtype=object)
    indices = np.asarray(indices, dtype=np.int64)
    order = np.lexsort((indices, codes))
    codes_sorted, listed = codes[order], indices[order].tolist()
    starts = np.flatnonzero(np.r_[True, codes_sorted[1:] != codes_sorted[:-1]]).tolist()
    for a, b in zip(starts, starts[1:] + [len(listed)]):
        code = codes_sorted[a]
        by_shard[shard[code]][str(uniques[code])] = listed[a:b]
    for name, mapping in by_shard.items():
        _dump(folder / f"{name}.json", dict(sorted(mapping.items())))
    return len(by_shard)

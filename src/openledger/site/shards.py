"""The published case rows as static JSON shards the site's scripts read.

Two kinds of shard, so the file count grows with periods and a fixed number
of buckets, never with the number of cases:

- ``data/outcomes/index.json`` lists the periods (with their part files),
  the channels and categories; ``data/outcomes/<period>.<n>.json`` hold at
  most :data:`PART_ROWS` case rows opened in one published period (an ISO
  week, month, quarter or year: the period each case was released under), as
  ``{"columns": [...], "rows": [[...], ...]}``. Rows are checked against the
  publication allowlist (dataset ``outcomes``) before anything is written.
- ``data/cases/<hh>.json`` map public case ids to their ledger entry
  indices, where ``hh`` is the first two hex digits of SHA-256 of the UTF-8
  case id (always all 256 files, empty ones too, so a lookup never meets a
  missing file): the "Check your case" page computes the same hash in the
  browser to know which file to fetch.

Both are functions of the derived table (:mod:`openledger.site.derive`):
:func:`outcome_files` (:func:`iter_outcome_files`, a part at a time) and
:func:`case_index_files` return the files' bytes,
so the build writes them and ``verify`` compares them byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from json.encoder import encode_basestring
from operator import itemgetter
from typing import Any

import numpy as np

from openledger import periods
from openledger.errors import OpenLedgerError
from openledger.privacy.allowlist import check_columns, check_rows

PART_ROWS = 5000
#: published row fields, in order (dataset "outcomes" of the allowlist)
ROW_FIELDS = (
    "case", "channel", "visibility", "category", "severity", "opened", "first_response_hours",
    "resolution_hours", "resolved", "outcome", "remedy", "amount", "response_level",
    "escalated", "reopened", "resolved_elsewhere",
)


def dumps(value: Any) -> bytes:
    """The bytes of a published JSON file: compact, UTF-8, no NaN."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def _nullable(values: np.ndarray) -> list[float | None]:
    return [None if math.isnan(v) else v for v in values.tolist()]


def outcome_columns(table: Mapping[str, np.ndarray], rows: np.ndarray | None = None) -> dict[str, list[Any]]:
    """The published columns (as Python lists); with ``rows`` (row numbers), those rows in that order."""
    def column(name: str, dtype: Any = None) -> np.ndarray:
        values = np.asarray(table[name], dtype=dtype)
        return values if rows is None else values[rows]

    level = column("response_level", np.int64)
    return {
        "case": [str(c) for c in column("case").tolist()],
        "channel": column("channel").tolist(),
        "visibility": column("visibility").tolist(),
        "category": column("category").tolist(),
        "severity": column("severity").astype(int).tolist(),
        "opened": column("opened").tolist(),
        "first_response_hours": _nullable(column("first_response_hours", float)),
        "resolution_hours": _nullable(column("resolution_days", float) * 24.0),
        "resolved": column("resolved", bool).tolist(),
        "outcome": [o or None for o in column("outcome", object).tolist()],
        "remedy": column("remedy").tolist(),
        "amount": np.round(column("amount", float), 2).tolist(),
        "response_level": [None if v < 0 else int(v) for v in level.tolist()],
        "escalated": column("escalated", bool).tolist(),
        "reopened": column("reopened", bool).tolist(),
        "resolved_elsewhere": column("resolved_elsewhere", bool).tolist(),
    }


def _row_texts(columns: list[list[Any]]) -> list[str]:
    """Each row (one value from each column) as :func:`dumps` writes it inside a list, ``[...]``.

    Every value is written by the functions ``json.dumps`` itself uses: text by
    ``encode_basestring`` (``ensure_ascii=False``), a column of numbers, flags and
    nulls by one ``dumps`` of the column (their texts hold no comma), anything
    else one by one.
    """
    texts: list[Iterable[str]] = []
    for values in columns:
        kinds = set(map(type, values))
        if kinds <= {str}:
            texts.append(map(encode_basestring, values))
        elif kinds <= {str, type(None)}:
            texts.append(["null" if v is None else encode_basestring(v) for v in values])
        elif kinds <= {int, float, bool, type(None)}:
            texts.append(dumps(values).decode("utf-8")[1:-1].split(",") if values else [])
        else:
            texts.append([dumps(v).decode("utf-8") for v in values])
    return ["[" + row + "]" for row in map(",".join, zip(*texts))]


def _period_order(label: str) -> tuple[Any, ...]:
    try:
        start, end = periods.span(label)
        return (start, end, label)
    except ValueError:
        return (periods.span("9999")[0], periods.span("9999")[1], label)


def _periods(opened: list[str]) -> dict[str, list[int]]:
    """The rows of each period label, in the order the parts list them (newest period first)."""
    by_period: dict[str, list[int]] = {}
    for i, label in enumerate(opened):
        by_period.setdefault(label, []).append(i)
    return {label: by_period[label] for label in sorted(by_period, key=_period_order, reverse=True)}


def _index(n: int, counts: Iterable[tuple[str, int]], channels: Iterable[str], categories: Iterable[str],
           summaries: bool) -> dict[str, Any]:
    return {
        "columns": list(ROW_FIELDS),
        "cases": n,
        "periods": [{"period": label, "count": count,
                     "parts": [f"{label}.{part}.json" for part in range(1, -(-count // PART_ROWS) + 1)]}
                    for label, count in counts],
        "channels": sorted(set(channels)),
        "categories": sorted(set(categories)),
        "part_rows": PART_ROWS,
        "summaries": summaries,
    }


def outcome_index(table: Mapping[str, np.ndarray], summaries: bool = False) -> dict[str, Any]:
    """The index of :func:`outcome_files` (``data/outcomes/index.json``) without making the part files."""
    counts = Counter(np.asarray(table["opened"]).tolist())  # in the order the parts list them, as _periods gives
    return _index(len(table["case"]), ((label, counts[label]) for label in sorted(counts, key=_period_order,
                                                                                    reverse=True)),
                  np.asarray(table["channel"]).tolist(), np.asarray(table["category"]).tolist(), summaries)


def outcome_files(table: Mapping[str, np.ndarray], schema: Mapping[str, Any],
                  summaries: Mapping[str, str] | None = None,
                  index: bool = True) -> tuple[dict[str, bytes], dict[str, Any]]:
    """``data/outcomes/...`` (and ``data/summaries/...``) files by path, and the index.

    With ``summaries`` (public case id -> redacted text), each part file gets a
    companion ``data/summaries/<same name>`` mapping its cases to their summary.
    ``index=False`` leaves ``data/outcomes/index.json`` out of the files (see :func:`outcome_index`).
    """
    files = dict(iter_outcome_files(table, schema, summaries))
    made = outcome_index(table, summaries is not None)
    if index:
        files["data/outcomes/index.json"] = dumps(made)
    return files, made


def iter_outcome_files(table: Mapping[str, np.ndarray], schema: Mapping[str, Any],
                       summaries: Mapping[str, str] | None = None) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of each ``data/outcomes/<period>.<n>.json`` part (and its ``data/summaries/`` companion),
    made one part at a time: a million cases' rows are never all held as text (about 0.8 GB). Every row
    is checked against the allowlist before the first part is made."""
    opened = np.asarray(table["opened"]).tolist()
    case = np.asarray(table["case"]).tolist()
    by_period = _periods(opened)
    order: list[int] = []
    for members in by_period.values():
        members.sort(key=case.__getitem__)
        order.extend(members)
    del opened, case
    cols = outcome_columns(table, np.asarray(order, dtype=np.int64))  # the rows in the order the parts list them
    fields = list(ROW_FIELDS)
    try:
        check_columns("outcomes", {f: cols[f] for f in fields}, schema)
    except OpenLedgerError:  # said of the row as the table holds it (its number there)
        as_held = outcome_columns(table)
        check_columns("outcomes", {f: as_held[f] for f in fields}, schema)
        raise
    if summaries is not None:
        check_rows("summaries", ({"case": c, "summary": t} for c, t in summaries.items()), schema)
    head = '{"columns":' + dumps(fields).decode("utf-8") + ',"rows":['
    columns = [cols[f] for f in fields]
    at = 0
    for label, members in by_period.items():
        for part, start in enumerate(range(0, len(members), PART_ROWS), 1):
            name = f"{label}.{part}.json"
            end = at + min(PART_ROWS, len(members) - start)
            # dumps({"columns": fields, "rows": [the part's rows]}), from the rows' texts
            rows_text = _row_texts([column[at:end] for column in columns])
            yield f"data/outcomes/{name}", (head + ",".join(rows_text) + "]}").encode("utf-8")
            if summaries is not None:
                said = {c: summaries[c] for c in cols["case"][at:end] if c in summaries}
                yield f"data/summaries/{name}", dumps(said)
            at = end


def shard_of(case: str) -> str:
    """The case-index file name part of a public case id (2 hex digits)."""
    return hashlib.sha256(case.encode("utf-8")).hexdigest()[:2]


_CASE = itemgetter(0)
#: the case index's files, all 256 of them whatever the log holds
CASE_INDEX_PATHS = tuple(f"data/cases/{number:02x}.json" for number in range(256))


def case_index_files(case_entries: Mapping[str, list[int]]) -> dict[str, bytes]:
    """``data/cases/<hh>.json``: public id -> entry indices, all 256 files (:data:`CASE_INDEX_PATHS`)."""
    # dumps(dict(sorted(mapping.items()))) of each file, from the members' texts: dumps writes a case as its key,
    # encode_basestring(case), then ":" and its sorted indices as a list. Each member is written as the mapping
    # holds it (a million cases' lists, read in the order they were made, not by case) and sorted by case after.
    by_shard: list[list[tuple[str, str]]] = [[] for _ in range(256)]
    sha256 = hashlib.sha256
    for case, indices in case_entries.items():
        by_shard[sha256(case.encode("utf-8")).digest()[0]].append(  # shard_of(case), as a number
            (case, encode_basestring(case) + ":[" + ",".join(map(str, sorted(indices))) + "]"))
    files = {}
    for number, members in enumerate(by_shard):
        members.sort(key=_CASE)
        files[CASE_INDEX_PATHS[number]] = ("{" + ",".join([text for _, text in members]) + "}").encode("utf-8")
    return files

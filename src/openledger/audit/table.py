"""The published outcomes table: the audit's only input, one row per case.

The table is a mapping of column name to a 1-D NumPy array, all of one
length. :data:`COLUMNS` is the contract (documented for the public in
``docs/audit-method.md``); :func:`validate` checks a table against it and
returns a clean copy with the right dtypes; :func:`from_case_records` builds
one from :class:`openledger.records.CaseRecord` objects (history imports,
simulations).
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Iterable, Mapping
from datetime import datetime

import numpy as np
import numpy.typing as npt

from openledger import periods
from openledger.errors import OpenLedgerError
from openledger.records import LABEL_VALUES, OUTCOMES, REMEDIES, VISIBILITIES, CaseRecord

Table = Mapping[str, np.ndarray]
#: what a table came from, for error messages: a file, or a description such as "database"
Source = str | os.PathLike[str] | None

#: column name -> (type, required, meaning). Types: str, bool, float, int, day.
COLUMNS: dict[str, tuple[str, bool, str]] = {
    "channel": ("str", True, "channel the case was opened on (twitter, email, ...)"),
    "visibility": ("str", True, "public or private"),
    "category": ("str", True, "complaint category"),
    "severity": ("int", True, "severity 1 (low) to 4 (critical)"),
    "opened": ("str", False, "period the case was opened in: ISO week, month, quarter or year"),
    "first_response_hours": ("float", True, "hours to the first response; NaN if none or not published"),
    "resolution_days": ("float", True, "days to resolution; NaN while open"),
    "resolved": ("bool", True, "the case is resolved"),
    "responded": ("bool", True, "the company responded at least once"),
    "outcome": ("str", True, "upheld, partly-upheld, explained, declined, withdrawn or ''"),
    "remedy": ("str", True, "refund, credit, replacement, repair, apology or none"),
    "amount": ("float", True, "money value of the remedy, 0 when none"),
    "escalated": ("bool", True, "the case was escalated"),
    "reopened": ("bool", True, "the case was reopened after a resolution"),
    "audience": ("float", False, "follower count of a public author; NaN if unknown"),
    "censor_hours": ("float", True, "hours from opening to the build's 'now'"),
    "censor_days": ("float", True, "days from opening to the build's 'now'"),
    "leverage": ("str", False, "what the customer threatened: publicity, press, regulator, legal, none; '' if not "
                               "labelled"),
    "moved_private": ("str", False, "a company reply asked to move the case private (DM, phone, e-mail, form): "
                                    "yes, no; '' if not labelled"),
    "tone": ("str", False, "the customer's tone: hostile, negative, neutral, positive; '' if not labelled"),
    "followed_up": ("bool", False, "the company replied in public, on the case's own channel, after its resolution"),
    "response_late": ("bool", False, "the first response was published after the case (its time is the band of the "
                                     "time between the opening period and the response's)"),
}
#: optional columns the published CSV holds only when some case has a value other than the default ('' or false)
SPARSE = ("leverage", "moved_private", "tone", "followed_up", "response_late")
#: the influence columns: column -> the label of the ``classified`` event it comes from, and its values
INFLUENCE: dict[str, tuple[str, tuple[str, ...]]] = {
    "leverage": ("leverage", LABEL_VALUES["leverage"]),
    "moved_private": ("moves_private", LABEL_VALUES["moves_private"]),
    "tone": ("tone", LABEL_VALUES["tone"]),
}


def _fail(message: str, source: Source) -> OpenLedgerError:
    return OpenLedgerError(message, path=source)


def _first_bad(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0]) + 1


def _coerce(name: str, kind: str, values: npt.ArrayLike, n: int, source: Source) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1 or len(arr) != n:
        raise _fail(f"column '{name}' has {arr.size} values, expected {n}", source)
    if kind == "str":
        if arr.dtype.kind not in "UO":
            raise _fail(f"column '{name}' must hold text, not {arr.dtype}", source)
        if arr.dtype.kind == "U":
            return arr.astype(object)
        if set(map(type, arr.tolist())) <= {str}:  # all text, none missing (one pass in C)
            return arr.copy()
        import pandas as pd  # here, not at import: the CLI starts without it

        missing = pd.isna(arr)
        if pd.api.types.infer_dtype(arr[~missing], skipna=False) not in ("string", "empty"):
            bad = np.array([not isinstance(v, str) for v in arr.tolist()]) & ~missing
            raise _fail(f"column '{name}', row {_first_bad(bad)}: not text", source)
        out = arr.copy()
        out[missing] = ""
        return out
    if kind == "bool":
        if arr.dtype.kind != "b":
            raise _fail(f"column '{name}' must be boolean, not {arr.dtype}", source)
        return arr.astype(bool)
    if kind == "day":
        if arr.dtype.kind == "M":
            return arr.astype("datetime64[D]")
        if arr.dtype.kind in "iuf":
            seconds = arr.astype("float64")
            out = np.full(len(seconds), "NaT", dtype="datetime64[D]")
            known = np.isfinite(seconds)
            out[known] = (seconds[known] // 86400).astype("int64").astype("datetime64[D]")
            return out
        raise _fail(f"column '{name}' must be dates or epoch seconds", source)
    if arr.dtype.kind not in "iufb":
        raise _fail(f"column '{name}' must be numeric, not {arr.dtype}", source)
    if kind == "int":
        out = arr.astype("float64")
        bad = ~np.isfinite(out) | (out != np.round(out))
        if bad.any():
            raise _fail(f"column '{name}', row {_first_bad(bad)}: not a whole number", source)
        return out.astype("int64")
    return arr.astype("float64")


#: the columns that make a release class of the published table: cases alike in all of them are published
#: alike (see :func:`openledger.privacy.release._generalise`)
CLASS_COLUMNS = ("visibility", "channel", "opened", "category", "audience")


def release_classes(table: Table) -> np.ndarray:
    """Each case's release class, a code from 0: the cases alike in every :data:`CLASS_COLUMNS` column
    the table has (an unknown ``audience`` is a value of its own)."""
    import pandas as pd  # here, not at import: the CLI starts without it

    code = np.zeros(len(np.asarray(table["channel"])), dtype=np.int64)
    for name in CLASS_COLUMNS:
        if name not in table:
            continue
        column = np.asarray(table[name])
        if column.dtype.kind == "f":
            column = np.where(np.isnan(column), -1.0, column)
        values, _ = pd.factorize(column, sort=True)
        code = code * (int(values.max(initial=0)) + 2) + values.astype(np.int64) + 1
    classes: np.ndarray = np.unique(code, return_inverse=True)[1].astype(np.int64)
    return classes


class Validated(dict[str, np.ndarray]):
    """A table as :func:`validate` returned it: checked and complete. :func:`validate` gives it back as it is
    (the audit of a site runs three times on one table, checked once); never change one."""

    @functools.cached_property
    def release_classes(self) -> np.ndarray:
        """:func:`release_classes` of this table, made once."""
        return release_classes(self)


def validate(table: Table, source: Source = None) -> Validated:
    """Check ``table`` against :data:`COLUMNS`; return a clean copy (a table this returned, as it is).

    Optional columns that are absent are filled (``audience`` with NaN,
    ``opened`` and the :data:`INFLUENCE` columns with '', ``followed_up``
    with false). Extra columns are kept as they are, for plugin
    metrics. ``source`` names the table's origin in error messages.
    Raises :class:`openledger.errors.OpenLedgerError` naming the column and
    the first bad row.
    """
    if isinstance(table, Validated):
        return table
    missing = [c for c, (_, req, _) in COLUMNS.items() if req and c not in table]
    if missing:
        raise _fail(f"outcomes table lacks column(s): {', '.join(missing)}", source)
    n = len(np.asarray(table["channel"]))
    out: dict[str, np.ndarray] = {k: np.asarray(v) for k, v in table.items()}
    for name, (kind, _required, _) in COLUMNS.items():
        if name not in table:
            out[name] = (np.full(n, np.nan) if kind == "float" else np.zeros(n, dtype=bool) if kind == "bool"
                         else np.full(n, "", dtype=object))
            continue
        out[name] = _coerce(name, kind, table[name], n, source)
    checks = [
        ("visibility", ~np.isin(out["visibility"], VISIBILITIES), "must be public or private"),
        ("severity", (out["severity"] < 1) | (out["severity"] > 4), "must be 1 to 4"),
        ("channel", out["channel"] == "", "is empty"),
        ("category", out["category"] == "", "is empty"),
        ("censor_hours", ~(out["censor_hours"] >= 0), "must be a number >= 0"),
        ("censor_days", ~(out["censor_days"] >= 0), "must be a number >= 0"),
        ("amount", ~(out["amount"] >= 0), "must be a number >= 0"),
        (
            "first_response_hours",
            ~out["responded"] & (out["first_response_hours"] >= 0),
            "must be empty when 'responded' is false",
        ),
        (
            "resolution_days",
            out["resolved"] != (out["resolution_days"] >= 0),
            "must be a number >= 0 exactly when 'resolved' is true",
        ),
        ("audience", out["audience"] < 0, "must be >= 0 or NaN"),
    ]
    for name, bad, reason in checks:
        if bad.any():
            row = _first_bad(bad)
            raise _fail(f"column '{name}', row {row}: {reason}", source)
    closed: list[tuple[str, tuple[str, ...], str]] = [
        ("outcome", OUTCOMES + ("",), ", ".join(OUTCOMES[:-1]) + f", {OUTCOMES[-1]} or empty"),
        ("remedy", REMEDIES, ", ".join(REMEDIES[:-1]) + f" or {REMEDIES[-1]}")]
    closed += [(name, values + ("",), ", ".join(values) + " or empty") for name, (_, values) in INFLUENCE.items()]
    for name, allowed, words in closed:
        bad = ~np.isin(out[name], allowed)
        if bad.any():
            row = _first_bad(bad)
            raise _fail(f"column '{name}', row {row}: must be {words}, not {out[name][row - 1]!r}", source)
    return Validated(out)


def _hours(later: datetime | None, earlier: datetime) -> float:
    return math.nan if later is None else (later - earlier).total_seconds() / 3600.0


def from_case_records(records: Iterable[CaseRecord], now: datetime) -> dict[str, np.ndarray]:
    """The outcomes table of ``records`` as seen at ``now`` (timezone-aware).

    Events after ``now`` are treated as not yet happened, so a case resolved
    after ``now`` is open (censored) in this table.
    """
    cols: dict[str, list[object]] = {name: [] for name in COLUMNS}
    for r in records:
        if r.opened_at > now:
            continue
        responded = r.first_response_at is not None and r.first_response_at <= now
        resolved = r.resolved_at is not None and r.resolved_at <= now
        cols["channel"].append(r.channel)
        cols["visibility"].append(r.visibility)
        cols["category"].append(r.category)
        cols["severity"].append(r.severity)
        cols["opened"].append(periods.label(r.opened_at, "week"))
        cols["first_response_hours"].append(
            _hours(r.first_response_at, r.opened_at) if responded else math.nan
        )
        cols["resolution_days"].append(
            _hours(r.resolved_at, r.opened_at) / 24.0 if resolved else math.nan
        )
        cols["resolved"].append(resolved)
        cols["responded"].append(responded)
        cols["outcome"].append((r.outcome or "") if resolved else "")
        cols["remedy"].append(r.remedy if resolved else "none")
        cols["amount"].append(float(r.amount) if resolved else 0.0)
        cols["escalated"].append(bool(r.escalated))
        cols["reopened"].append(bool(r.reopened))
        cols["audience"].append(math.nan if r.audience is None else float(r.audience))
        cols["censor_hours"].append(_hours(now, r.opened_at))
        cols["censor_days"].append(_hours(now, r.opened_at) / 24.0)
        cols["leverage"].append(r.leverage or "")
        cols["moved_private"].append("" if r.moved_private is None else "yes" if r.moved_private else "no")
        cols["tone"].append(r.tone or "")
        cols["followed_up"].append(resolved and r.followed_up_at is not None and r.followed_up_at <= now)
        cols["response_late"].append(False)  # every answer's own time is known here
    out = {name: np.array(vals, dtype=object) for name, vals in cols.items()}
    for name, (kind, _, _) in COLUMNS.items():
        if kind == "bool":
            out[name] = np.array(cols[name], dtype=bool)
        elif kind == "float":
            out[name] = np.array(cols[name], dtype="float64")
        elif kind == "int":
            out[name] = np.array(cols[name], dtype="int64")
        elif kind == "day":
            out[name] = np.array(cols[name], dtype="datetime64[D]")
    return out

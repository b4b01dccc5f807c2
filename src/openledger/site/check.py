"""An auditor's check of a site's published numbers against its own files.

After ``openledger verify`` has proven the log, this re-derives the rest from
what the site publishes, with nothing from the company's database:

1. every published audit (``data/audit-<dimension>.json``) is re-run from the
   published outcomes table (``data/outcomes.csv``) with the settings it
   states, and must come out identical;
2. the outcomes table must describe exactly the cases of the log: the same
   number of cases per channel and visibility, with the same resolutions,
   outcomes, remedies, amounts, escalations and reopenings as the log's
   entries say.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from openledger import plugins
from openledger.audit import DIMENSIONS, Settings, read_csv, run_audit
from openledger.errors import NotFoundError, OpenLedgerError
from openledger.ledger.errors import VerificationError

DATA = "data"
DEFAULT_REFERENCES = {"visibility": "private", "channel": "private", "audience": "under-1k"}


def _fetch(source, path: str) -> bytes | None:
    try:
        return source.read(path)
    except NotFoundError:
        return None


def _first_difference(expected, got, where: str = "") -> str:
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in sorted(set(expected) | set(got)):
            if expected.get(key) != got.get(key):
                return _first_difference(expected.get(key), got.get(key), f"{where}.{key}" if where else key)
    if isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        for i, (a, b) in enumerate(zip(expected, got)):
            if a != b:
                return _first_difference(a, b, f"{where}[{i}]")
    return f"{where}: published {json.dumps(expected)}, recomputed {json.dumps(got)}"


#: (channel, visibility, resolved, outcome, remedy, escalated, reopened) of one case
CaseKey = tuple[str, str, bool, str, str, bool, bool]


def _case_key(channel, visibility, resolved, outcome, remedy, escalated, reopened) -> CaseKey:
    return (channel, visibility, bool(resolved), outcome or "", remedy or "none", bool(escalated), bool(reopened))


def cases_from_entries(entries: Iterable[bytes]) -> tuple[Counter[CaseKey], Counter[CaseKey]]:
    """Per-case state folded from the log: (case count, amount in cents) per case key."""
    cases: dict[str, dict] = {}
    for raw in entries:
        e = json.loads(raw)
        case = cases.setdefault(e["case"], {"channel": e["channel"], "visibility": e["visibility"], "resolved": False,
                                            "outcome": "", "remedy": "none", "cents": 0, "escalated": False,
                                            "reopened": False})
        kind, data = e["type"], e.get("data") or {}
        if kind == "resolved":
            case.update(resolved=True, outcome=data.get("outcome") or "", remedy=data.get("remedy") or "none",
                        cents=int(data.get("amount_cents") or 0))
        elif kind == "reopened":
            case.update(resolved=False, outcome="", remedy="none", cents=0, reopened=True)
        elif kind == "escalated":
            case["escalated"] = True
    counts: Counter[CaseKey] = Counter()
    cents: Counter[CaseKey] = Counter()
    for c in cases.values():
        key = _case_key(c["channel"], c["visibility"], c["resolved"], c["outcome"], c["remedy"], c["escalated"],
                        c["reopened"])
        counts[key] += 1
        cents[key] += c["cents"] if c["resolved"] else 0
    return counts, cents


def cases_from_table(table) -> tuple[Counter[CaseKey], Counter[CaseKey]]:
    counts: Counter[CaseKey] = Counter()
    cents: Counter[CaseKey] = Counter()
    amounts = np.round(np.asarray(table["amount"], dtype=float) * 100).astype(np.int64)
    for i in range(len(table["channel"])):
        key = _case_key(table["channel"][i], table["visibility"][i], table["resolved"][i], table["outcome"][i],
                        table["remedy"][i], table["escalated"][i], table["reopened"][i])
        counts[key] += 1
        cents[key] += int(amounts[i]) if table["resolved"][i] else 0
    return counts, cents


def check_site_data(site, entries: Iterable[bytes]) -> str:
    """Check a site's audit and outcomes against its log; return a one-line summary.

    ``site`` reads files relative to the site root (a directory or URL
    source); ``entries`` are the log's entry bytes, already verified.
    Raises :class:`VerificationError` naming the file and what differs.
    """
    raw_csv = _fetch(site, f"{DATA}/outcomes.csv")
    where_csv = site.where(f"{DATA}/outcomes.csv")
    if raw_csv is None:
        audit_files = [f"audit-{d}.json" for d in DIMENSIONS if _fetch(site, f"{DATA}/audit-{d}.json") is not None]
        if audit_files:
            raise VerificationError(f"file is missing: the site publishes {', '.join(audit_files)} but not the "
                                    "outcomes they were computed from, so they cannot be checked", path=where_csv)
        return "no published outcomes (data/outcomes.csv): only the log was checked"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "outcomes.csv"
        path.write_bytes(raw_csv)
        try:
            table = read_csv(path)
        except OpenLedgerError as exc:
            raise VerificationError(exc.message, path=where_csv) from None
    metrics = {m.name: m for m in plugins.audit_metrics({})}
    reproduced = []
    for dimension in DIMENSIONS:
        name = f"{DATA}/audit-{dimension}.json"
        raw = _fetch(site, name)
        if raw is None:
            continue
        try:
            published = json.loads(raw)
        except ValueError as exc:
            raise VerificationError(f"not JSON: {exc}", path=site.where(name)) from None
        wanted = [m["name"] if isinstance(m, dict) else m for m in published.get("metrics", [])] or list(metrics)
        missing = [m for m in wanted if m not in metrics]
        if missing:
            raise VerificationError(f"cannot re-run metric(s) {', '.join(missing)}: install the plugin that "
                                    "provides them", path=site.where(name))
        low, high = published.get("tolerance") or (0.8, 1.25)
        settings = Settings(tolerance_low=low, tolerance_high=high, alpha=published.get("alpha", 0.05),
                            min_cases=published.get("min_cases", 30))
        reference = published.get("reference")
        result = run_audit(
            table,
            metrics=[metrics[m] for m in wanted],
            dimension=dimension,
            reference=None if reference == DEFAULT_REFERENCES[dimension] else reference,
            settings=settings,
            source=where_csv,
        )
        recomputed = json.loads(result.to_json())
        if recomputed != published:
            raise VerificationError(
                f"the audit recomputed from data/outcomes.csv differs: {_first_difference(published, recomputed)}",
                path=site.where(name),
            )
        reproduced.append(dimension)
    from_log, cents_log = cases_from_entries(entries)
    from_table, cents_table = cases_from_table(table)
    if from_log != from_table or cents_log != cents_table:
        diff = (from_log - from_table) + (from_table - from_log)
        key = next(iter(diff), None) or next(k for k in cents_log | cents_table if cents_log[k] != cents_table[k])
        raise VerificationError(
            f"the published outcomes do not match the log: for channel {key[0]}, {key[1]}, resolved={key[2]}, "
            f"outcome {key[3] or '-'}, remedy {key[4]}: the log has {from_log[key]} cases "
            f"({cents_log[key] / 100:.2f} in remedies), the table {from_table[key]} ({cents_table[key] / 100:.2f})",
            path=where_csv,
        )
    audits = f"the audit by {', '.join(reproduced)} reproduced from data/outcomes.csv; " if reproduced else ""
    return f"ok: {audits}its {sum(from_table.values()):,} cases match the log"

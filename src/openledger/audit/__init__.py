"""The fair treatment audit: pure statistics over the published outcomes table.

Entry point: :func:`run_audit`. The input contract is
:data:`openledger.audit.table.COLUMNS` (documented in ``docs/audit-method.md``);
the output is an :class:`AuditResult` with ``to_json()`` and
:func:`render_text`.

The names below are loaded on first use (PEP 562), so that importing a metric
definition does not load SciPy and statsmodels, which every CLI command
would otherwise pay for at start-up.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "run_audit": "engine",
    "AUDIENCE_BUCKETS": "groups",
    "DIMENSIONS": "groups",
    "BUILTIN_METRICS": "metrics",
    "Metric": "metrics",
    "read_csv": "outcomes_csv",
    "write_csv": "outcomes_csv",
    "AuditResult": "result",
    "Finding": "result",
    "render_text": "result",
    "COLUMNS": "table",
    "from_case_records": "table",
    "validate": "table",
    "Settings": "verdict",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'openledger.audit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"openledger.audit.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))

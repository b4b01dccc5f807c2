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
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # what the checker sees; at run time __getattr__ loads them
    from openledger.audit.engine import run_audit as run_audit
    from openledger.audit.groups import AUDIENCE_BUCKETS as AUDIENCE_BUCKETS
    from openledger.audit.groups import DIMENSIONS as DIMENSIONS
    from openledger.audit.metrics import BUILTIN_METRICS as BUILTIN_METRICS
    from openledger.audit.metrics import Metric as Metric
    from openledger.audit.outcomes_csv import read_csv as read_csv
    from openledger.audit.outcomes_csv import write_csv as write_csv
    from openledger.audit.result import AuditResult as AuditResult
    from openledger.audit.result import Finding as Finding
    from openledger.audit.result import render_text as render_text
    from openledger.audit.table import COLUMNS as COLUMNS
    from openledger.audit.table import from_case_records as from_case_records
    from openledger.audit.table import validate as validate
    from openledger.audit.verdict import Settings as Settings

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


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'openledger.audit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"openledger.audit.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))

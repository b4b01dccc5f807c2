"""The fair treatment audit: pure statistics over the published outcomes table.

Entry point: :func:`run_audit`. The input contract is
:data:`openledger.audit.table.COLUMNS` (documented in ``docs/audit-method.md``);
the output is an :class:`AuditResult` with ``to_json()`` and
:func:`render_text`.
"""

from openledger.audit.engine import run_audit
from openledger.audit.groups import AUDIENCE_BUCKETS, DIMENSIONS
from openledger.audit.metrics import BUILTIN_METRICS, Metric
from openledger.audit.outcomes_csv import read_csv, write_csv
from openledger.audit.result import AuditResult, Finding, render_text
from openledger.audit.table import COLUMNS, from_case_records, validate
from openledger.audit.verdict import Settings

__all__ = [
    "AUDIENCE_BUCKETS",
    "BUILTIN_METRICS",
    "COLUMNS",
    "DIMENSIONS",
    "AuditResult",
    "Finding",
    "Metric",
    "Settings",
    "from_case_records",
    "render_text",
    "run_audit",
    "read_csv",
    "validate",
    "write_csv",
]

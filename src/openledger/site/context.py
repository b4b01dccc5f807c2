"""What a site build works from: :class:`SiteInputs` (gathered from an
instance, or made directly by a benchmark) and the :class:`SiteContext`
the pages and plugins see.

The context holds only published, anonymized material: the outcomes table
(allowlisted columns), the audit results, the signed checkpoint and the
response hierarchy. Nothing personal, no secret, no key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from openledger.audit import AuditResult, Settings
from openledger.cases.hierarchy import Hierarchy
from openledger.ledger.checkpoint import Checkpoint
from openledger.ledger.export import ExportResult
from openledger.privacy.allowlist import PUBLICATION_SCHEMA

#: The site publishes one field beyond the built-in "outcomes" allowlist:
#: whether a case was resolved in another channel than the one it came in
#: on (a closed-vocabulary flag, never text).
SITE_FIELDS = {"outcomes": {"resolved_elsewhere": "bool"}}


def site_schema(schema: Mapping = PUBLICATION_SCHEMA) -> dict[str, dict[str, str]]:
    """The publication allowlist the site checks rows against."""
    out = {name: dict(fields) for name, fields in schema.items()}
    for dataset, fields in SITE_FIELDS.items():
        out.setdefault(dataset, {}).update(fields)
    return out


@dataclass
class SiteInputs:
    """Everything a build needs, independent of where it came from.

    ``table`` is the published outcomes table (the audit's columns plus
    ``case``, ``response_level`` and ``resolved_elsewhere``);
    ``entry_cases`` and ``entry_indices`` say which ledger entry belongs to
    which public case; ``export`` writes the log as tlog-tiles into a
    folder and returns what it wrote; ``identifiers`` are the raw values
    (kind -> values) the finished site is searched for.
    """

    company: str
    table: dict[str, np.ndarray]
    entry_cases: np.ndarray
    entry_indices: np.ndarray
    export: Callable[[Path], ExportResult]
    hierarchy: Hierarchy
    now: datetime
    metrics: Sequence = ()
    settings: Settings = field(default_factory=Settings)
    k: int = 10
    time_unit: str = "week"
    schema: Mapping = field(default_factory=site_schema)
    identifiers: dict[str, list[str]] = field(default_factory=dict)
    secrets: dict[str, bytes] = field(default_factory=dict)
    summaries: dict[str, str] | None = None  # public case id -> redacted summary; None: off


@dataclass
class SiteContext:
    """The build context given to page plugins and to ``site_built``."""

    company: str
    built_at: datetime
    table: dict[str, np.ndarray]
    audits: dict[str, AuditResult]
    audit_problems: dict[str, str]
    checkpoint: Checkpoint
    signed_checkpoint: str
    verifier_key: str
    hierarchy: Hierarchy
    k: int
    metrics: tuple = ()
    outcomes_index: dict = field(default_factory=dict)

    def get(self, name: str, default=None):
        """Mapping-style access for plugins: ``context.get("audits")``."""
        return getattr(self, name, default)

    def __getitem__(self, name: str):
        return getattr(self, name)

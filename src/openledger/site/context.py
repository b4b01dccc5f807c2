"""What a site build works from and what its pages see.

- :class:`BuildConfig`: the published, versioned build configuration
  (``data/build.json``): everything the site's content depends on besides
  the log's entries. With the entries it determines every byte of meaning on
  the site, which is how ``openledger verify`` recomputes it.
- :class:`SiteInputs`: what ``build`` gathers from an instance (or a
  benchmark makes directly): the log export, the configuration, the leak-scan
  identifiers and secrets, the optional summaries.
- :class:`SiteContext`: what the pages and page plugins see: only published,
  anonymized material (the derived table, the audits, the checkpoint, the
  response hierarchy). Nothing personal, no secret, no key.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from openledger.audit import AuditResult, Settings
from openledger.cases.hierarchy import Hierarchy, parse_hierarchy
from openledger.errors import OpenLedgerError
from openledger.ledger.checkpoint import Checkpoint
from openledger.ledger.export import ExportResult
from openledger.privacy.allowlist import PUBLICATION_SCHEMA
from openledger.privacy.leaks import Leak
from openledger.progress import Staged
from openledger.site.derive import Derived, GagRequest

#: The site publishes one field beyond the built-in "outcomes" allowlist:
#: whether a case was resolved in another channel than the one it came in
#: on (a closed-vocabulary flag, never text).
SITE_FIELDS = {"outcomes": {"resolved_elsewhere": "bool"}}
BUILD_FORMAT = 1
#: the distributions whose versions decide how pages and charts are drawn (not what they say)
RENDERERS = ("mkdocs", "mkdocs-material", "Markdown", "matplotlib")


def site_schema(schema: Mapping[str, Any] = PUBLICATION_SCHEMA) -> dict[str, dict[str, str]]:
    """The publication allowlist the site checks rows against."""
    out = {name: dict(fields) for name, fields in schema.items()}
    for dataset, fields in SITE_FIELDS.items():
        out.setdefault(dataset, {}).update(fields)
    return out


def _versions() -> dict[str, str]:
    out = {}
    for name in ("openledger", *RENDERERS):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "unknown"
    return out


@dataclass(frozen=True)
class BuildConfig:
    """The published build configuration (``data/build.json``)."""

    company: str
    k: int
    policy: str  # the response hierarchy, TOML (docs/classifiers-and-responders.md)
    audit: Settings = field(default_factory=Settings)
    metrics: tuple[str, ...] = ()  # the audit metrics by name, in order
    summaries: bool = False
    versions: Mapping[str, str] = field(default_factory=_versions)
    currency: str = ""  # ISO 4217 code of the amounts; published only when known
    #: the company's own rule on gag requests (``[site] gag_rule``), shown on the policy page; published only when set
    gag_rule: str = ""

    def to_json(self) -> bytes:
        value = {
            "format": BUILD_FORMAT,
            "company": self.company,
            "k": self.k,
            "policy": self.policy,
            "audit": {"tolerance_low": self.audit.tolerance_low, "tolerance_high": self.audit.tolerance_high,
                      "alpha": self.audit.alpha, "min_cases": self.audit.min_cases,
                      "min_coverage": self.audit.min_coverage,
                      "tolerance_difference": self.audit.tolerance_difference},
            "metrics": list(self.metrics),
            "summaries": self.summaries,
            "versions": dict(sorted(self.versions.items())),
        }
        if self.currency:
            value["currency"] = self.currency
        if self.gag_rule:
            value["gag_rule"] = self.gag_rule
        return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes, where: str = "data/build.json") -> BuildConfig:
        try:
            value = json.loads(raw)
            if value.get("format") != BUILD_FORMAT:
                raise ValueError(f"unknown format {value.get('format')!r}")
            audit = value["audit"]
            return cls(
                company=str(value["company"]), k=int(value["k"]), policy=str(value["policy"]),
                audit=Settings(float(audit["tolerance_low"]), float(audit["tolerance_high"]), float(audit["alpha"]),
                               int(audit["min_cases"]),
                               float(audit.get("min_coverage", Settings.min_coverage)),
                               float(audit.get("tolerance_difference", Settings.tolerance_difference))),
                metrics=tuple(str(m) for m in value["metrics"]), summaries=bool(value["summaries"]),
                versions=dict(value["versions"]), currency=str(value.get("currency", "")),
                gag_rule=str(value.get("gag_rule", "")),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise OpenLedgerError(f"not a build configuration: {exc}", path=where) from None
        except RecursionError:  # "[[[[…": deeper than the parser goes
            raise OpenLedgerError("not a build configuration: nested too deeply", path=where) from None

    @property
    def hierarchy(self) -> Hierarchy:
        return parse_hierarchy(self.policy, "data/build.json: policy")


@dataclass
class SiteInputs:
    """Everything a build needs, independent of where it came from.

    ``export(folder, progress)`` writes the log as tlog-tiles into a folder
    and returns what it wrote; ``entries(size)`` yields the first ``size`` entries as (index,
    bytes); ``check_linkage(table)`` raises when the published cases would
    break the k-anonymity guarantee (None: not checked, e.g. in benchmarks);
    ``identifiers`` are raw values (kind -> values) the finished site is
    searched for, with the build's secrets; ``scan(site, extra, own,
    progress)``, when given, searches it for the raw values it reads itself
    and those ``extra`` ones, skipping ``own`` (the log's texts): an
    instance's build scans so, in a process of its own that reads a million
    customers' identifiers where the build never holds them;
    ``withheld_summaries`` counts the summaries left out because they still
    named one after redaction.
    """

    config: BuildConfig
    export: Callable[[Path, Staged | None], ExportResult]
    entries: Callable[[int], Any]
    metrics: Sequence[Any] = ()
    schema: Mapping[str, Any] = field(default_factory=site_schema)
    identifiers: dict[str, list[str]] = field(default_factory=dict)
    scan: Callable[[Path, dict[str, list[str]], tuple[str, ...], Staged | None], list[Leak]] | None = None
    secrets: dict[str, bytes] = field(default_factory=dict)
    summaries: dict[str, str] | None = None  # public case id -> redacted summary; None: off
    check_linkage: Callable[[Derived], None] | None = None
    withheld_summaries: int = 0  # summaries that named a known identifier after redaction: not published
    #: the gag sentences published beside the log: entry digest -> (salt, sentence) (:mod:`openledger.cases.gag`)
    gag_sentences: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class SiteContext:
    """The build context given to page plugins and to ``site_built``."""

    company: str
    as_of: date | None
    table: dict[str, np.ndarray]
    audits: dict[str, AuditResult]
    audit_problems: dict[str, str]
    checkpoint: Checkpoint
    signed_checkpoint: str
    verifier_key: str
    hierarchy: Hierarchy
    k: int
    metrics: tuple[Any, ...] = ()
    outcomes_index: dict[str, Any] = field(default_factory=dict)
    spam: int = 0  # cases left out of the outcomes table and the audit as spam
    #: the influence audits (``leverage``, ``deflection``, ``tone``) that ran, by dimension; published as
    #: ``data/audit-<dimension>.json`` beside ``audits``; the audit page's Influence section shows them
    influence: dict[str, AuditResult] = field(default_factory=dict)
    #: every gag request on the log, in log order (:attr:`openledger.site.derive.Derived.gags`), with its
    #: sentence where it is published beside the log and matches the entry's digest
    gags: list[GagRequest] = field(default_factory=list)
    gag_rule: str = ""  # the company's own rule on gag requests (the build configuration's ``gag_rule``)

    def get(self, name: str, default: Any = None) -> Any:
        """Mapping-style access for plugins: ``context.get("audits")``."""
        return getattr(self, name, default)

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name)

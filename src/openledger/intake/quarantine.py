"""What an ingest did, and the quarantine report of the records it refused.

``--skip-bad`` imports the good records of a file and writes every refused
one, with its location, reason and the record as read, into
``HOME/quarantine/SOURCE-FILE-STAMP.jsonl``, so it can be fixed and
imported again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from openledger.records import Rejected
from openledger.timeutil import now


@dataclass
class IngestReport:
    """What one file's ingest did."""

    path: Path | str
    source: str
    messages: int = 0
    cases: int = 0
    duplicates: int = 0
    unthreaded: int = 0
    filtered: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    new_case_ids: list[int] = field(default_factory=list)
    stored: dict[str, int | None] = field(default_factory=dict)  # id of each record stored now -> its case id
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would import" if self.dry_run else "imported"
        text = (
            f"{self.path}: {verb} {self.messages} messages into {self.cases} new cases"
            f" ({self.duplicates} already imported"
        )
        if self.filtered:
            text += f", {self.filtered} not mentioning the watch list"
        if self.rejected:
            text += f", {len(self.rejected)} bad records" + ("" if self.dry_run else " quarantined")
        return text + ")"


def as_raw(record) -> str:
    """A record the engine refused, as JSON for the quarantine report (to fix and re-import)."""
    values = {f.name: getattr(record, f.name) for f in fields(record)}
    return json.dumps(
        values, default=lambda v: dict(v) if isinstance(v, Mapping) else str(v), ensure_ascii=False
    )[:2000]


def write_quarantine(home: Path, report: IngestReport) -> Path | None:
    """Write the rejected records of a ``--skip-bad`` run as JSON Lines; return the file."""
    if not report.rejected:
        return None
    folder = home / "quarantine"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now().strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{report.source}-{Path(report.path).name}-{stamp}.jsonl"
    with open(target, "a", encoding="utf-8") as f:  # a poller's pages in the same second share one file
        for item in report.rejected:
            line = {"file": str(report.path), "location": item.location, "reason": item.reason, "raw": item.raw}
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    return target

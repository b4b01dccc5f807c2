"""What an ingest did, and the quarantine report of the records it refused.

``--skip-bad`` imports the good records of a file and writes every refused
one, with its location, reason and the record as read, into
``HOME/quarantine/SOURCE-FILE-STAMP.jsonl``, so it can be fixed and
imported again. The records hold personal data: the folder is 0700, each
file 0600, written whole or not at all, and ``erase`` removes a customer's
records from them (:func:`erase_from_quarantine`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from openledger.files import write_private
from openledger.records import Rejected
from openledger.timeutil import now


@dataclass
class IngestReport:
    """What one file's ingest did."""

    path: Path | str
    source: str
    messages: int = 0
    cases: int = 0
    case_records: int = 0  # new cases opened by a case record (a complaint as a whole: CFPB, a history)
    case_messages: int = 0  # of ``messages``, the texts of those case records
    duplicates: int = 0
    unthreaded: int = 0
    filtered: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    relabelled: list[str] = field(default_factory=list)  # records whose category held personal data
    unmapped: int = 0  # cases stored with a category outside the taxonomy (no category map decided)
    new_case_ids: list[int] = field(default_factory=list)
    stored: dict[str, int | None] = field(default_factory=dict)  # id of each record stored now -> its case id
    public_ids: dict[int, str] = field(default_factory=dict)  # new case id -> public id (Ingestor(public_ids=True))
    commits: int = 0  # transactions that wrote the records (a file's import commits in batches)
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would import" if self.dry_run else "imported"
        what = f"{self.messages} messages"
        if self.case_records:  # "1532 messages into 6623 new cases" would read as if a case had no complaint
            what = f"{self.case_records} case records ({self.case_messages} with a text)"
            if self.messages > self.case_messages:
                what += f" and {self.messages - self.case_messages} messages"
        text = f"{self.path}: {verb} {what} into {self.cases} new cases ({self.duplicates} already imported"
        if self.filtered:
            text += f", {self.filtered} not mentioning the watch list"
        if self.rejected:
            text += f", {len(self.rejected)} bad records" + ("" if self.dry_run else " quarantined")
        if self.unmapped:
            text += (f", {self.unmapped} cases kept a category outside the taxonomy: map it in [categories.map] "
                     "(see 'openledger audit')")
        if self.relabelled:
            text += (f", {len(self.relabelled)} categories held personal data and were redacted "
                     f"(first: {self.relabelled[0]})")
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
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    stamp = now().strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{report.source}-{Path(report.path).name}-{stamp}.jsonl"
    lines = (
        json.dumps({"file": str(report.path), "location": item.location, "reason": item.reason, "raw": item.raw},
                   ensure_ascii=False) + "\n"
        for item in report.rejected
    )
    earlier = target.read_text("utf-8") if target.exists() else ""  # a poller's pages in one second share a file
    write_private(target, earlier + "".join(lines))
    return target


def _mentions(text: str, needles: list[str]) -> bool:
    """Whether ``text`` holds one of ``needles`` (lower-cased) as a whole token, case-insensitively."""
    lowered = text.lower()
    for needle in needles:
        start = lowered.find(needle)
        while start >= 0:
            end = start + len(needle)
            before = lowered[start - 1] if start else " "
            after = lowered[end] if end < len(lowered) else " "
            if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
                return True
            start = lowered.find(needle, start + 1)
    return False


def erase_from_quarantine(home: Path, identities: list[str] | tuple[str, ...]) -> int:
    """Remove every quarantined record that mentions one of ``identities``; return how many.

    A quarantined record was never imported, so no case links it to the
    customer: it is found by the identities the customer wrote from (their
    e-mail address, handle, author name), anywhere in the record as read,
    as a whole token and ignoring case. Errs on the side of removing: a
    record that quotes the customer goes too. Files are rewritten whole
    (0600); a file left empty is deleted.
    """
    needles = sorted({i.strip().lower() for i in identities if len(i.strip()) >= 3})
    folder = Path(home) / "quarantine"
    if not needles or not folder.is_dir():
        return 0
    removed = 0
    for path in sorted(folder.glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not _mentions(line, needles)]
        if len(kept) == len(lines):
            continue
        removed += len(lines) - len(kept)
        if kept:
            write_private(path, "".join(kept))
        else:
            path.unlink()
    return removed

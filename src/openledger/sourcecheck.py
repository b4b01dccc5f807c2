"""Check that what a source yields keeps the record contract.

For plugin authors' tests (and the engine's validation): :func:`problems`
lists what is wrong with one record, :func:`run` reads a path with a source
and fails with every problem found, naming the record's location.

    records = sourcecheck.run(my_source, Path("tests/data/export.json"))
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from openledger.records import (
    DIRECTIONS,
    OUTCOMES,
    REMEDIES,
    VISIBILITIES,
    CaseRecord,
    MessageRecord,
    Rejected,
)


def _aware(value) -> bool:
    return isinstance(value, datetime) and value.utcoffset() is not None


def problems(record, source=None) -> list[str]:
    """What is wrong with one yielded record ([] when nothing is).

    With ``source``, a record's channel and visibility must also agree with
    the source's declared ``channel`` and ``visibility`` (when not None).
    """
    found: list[str] = []
    if isinstance(record, Rejected):
        if not record.location or not record.reason:
            found.append("a Rejected needs a location and a reason")
        return found
    if not isinstance(record, (MessageRecord, CaseRecord)):
        return [f"not a MessageRecord, CaseRecord or Rejected: {type(record).__name__}"]
    if not isinstance(record.id, str) or not record.id:
        found.append("empty or non-string id")
    if not isinstance(record.channel, str) or not record.channel or record.channel != record.channel.lower():
        found.append(f"channel must be a lower-case name, not {record.channel!r}")
    if record.visibility not in VISIBILITIES:
        found.append(f"visibility {record.visibility!r} is not one of {VISIBILITIES}")
    if source is not None:
        if source.channel is not None and record.channel != source.channel:
            found.append(f"channel {record.channel!r} differs from the source's {source.channel!r}")
        if source.visibility is not None and record.visibility != source.visibility:
            found.append(f"visibility {record.visibility!r} differs from the source's {source.visibility!r}")
    if not isinstance(record.meta, Mapping):
        found.append("meta must be a mapping")
    if not record.location:
        found.append("no location")
    if isinstance(record, MessageRecord):
        if not _aware(record.timestamp):
            found.append("timestamp must be a timezone-aware datetime")
        if record.direction not in DIRECTIONS:
            found.append(f"direction {record.direction!r} is not one of {DIRECTIONS}")
        if not isinstance(record.text, str):
            found.append("text must be a string")
        if not isinstance(record.identities, tuple) or not all(isinstance(i, str) and i for i in record.identities):
            found.append("identities must be a tuple of non-empty strings")
        if record.reply_to is not None and (not isinstance(record.reply_to, str) or record.reply_to == record.id):
            found.append("reply_to must be another record's id")
    else:
        for name in ("opened_at", "first_response_at", "resolved_at"):
            value = getattr(record, name)
            if (value is not None or name == "opened_at") and not _aware(value):
                found.append(f"{name} must be a timezone-aware datetime")
        for name in ("first_response_at", "resolved_at"):
            value = getattr(record, name)
            if _aware(value) and _aware(record.opened_at) and value < record.opened_at:
                found.append(f"{name} is before opened_at")
        if record.outcome is not None and record.outcome not in OUTCOMES:
            found.append(f"outcome {record.outcome!r} is not one of {OUTCOMES}")
        if record.remedy not in REMEDIES:
            found.append(f"remedy {record.remedy!r} is not one of {REMEDIES}")
        if (record.resolved_at is None) != (record.outcome is None):
            found.append("a resolved case needs an outcome and an open case has none")
        if not isinstance(record.category, str) or not record.category:
            found.append("empty category")
        if record.amount < 0:
            found.append("negative amount")
    return found


def run(source, path, options: Mapping | None = None) -> list:
    """Read ``path`` with ``source`` and return the records; fail on any problem."""
    records = list(source.read(Path(path), options or {}))
    report = [
        f"{getattr(r, 'location', None) or f'record {n}'}: {problem}"
        for n, r in enumerate(records, start=1)
        for problem in problems(r, source)
    ]
    if report:
        raise AssertionError(f"{source.name} broke the record contract:\n" + "\n".join(report[:20]))
    return records

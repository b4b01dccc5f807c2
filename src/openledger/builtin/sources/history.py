"""Built-in source ``history``: past cases from JSON Lines, one case a line.

The format is documented in ``docs/history-format.md`` (JSON Lines,
https://jsonlines.org/, with ISO 8601 / RFC 3339 timestamps). Each valid line
becomes a :class:`openledger.records.CaseRecord`; each invalid line a
:class:`openledger.records.Rejected` saying ``line N`` and why. The file is
read line by line, so its size does not matter.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Literal, overload

from openledger import hookimpl
from openledger.errors import SourceError
from openledger.intake.sourcekit import checked, logical_suffix, open_binary
from openledger.jsonlines import json_lines
from openledger.records import (
    LABEL_VALUES,
    MONEYLESS_REMEDIES,
    OUTCOMES,
    REMEDIES,
    VISIBILITIES,
    CaseRecord,
    Rejected,
)

REQUIRED = (
    "id", "channel", "visibility", "category", "severity", "opened_at",
    "first_response_at", "resolved_at", "outcome", "remedy", "amount",
    "escalated", "reopened",
)
OPTIONAL = ("audience", "text", "author", "leverage", "moved_private", "tone", "gag", "followed_up_at")
#: optional labels of the case, recorded on its ``classified`` event: field -> (label, values or None for a flag)
LABEL_FIELDS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "leverage": ("leverage", LABEL_VALUES["leverage"]),
    "moved_private": ("moves_private", None),
    "tone": ("tone", LABEL_VALUES["tone"]),
    "gag": ("gag", None),
}
SUFFIXES = (".jsonl", ".ndjson", ".json")


class Invalid(ValueError):
    """One line's problem, in words for the user."""


def _text(obj: Mapping, key: str, lower: bool = False) -> str:
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise Invalid(f"'{key}' must be a string")
    value = str(value).strip()
    if not value:
        raise Invalid(f"'{key}' is empty")
    return value.lower() if lower else value


@overload
def _time(obj: Mapping, key: str, nullable: Literal[False]) -> datetime: ...
@overload
def _time(obj: Mapping, key: str, nullable: bool) -> datetime | None: ...


def _time(obj: Mapping, key: str, nullable: bool) -> datetime | None:
    value = obj[key]
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise Invalid(f"'{key}' must be an ISO 8601 timestamp" + (" or null" if nullable else ""))
    try:
        stamp = datetime.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(f"'{key}' is not an ISO 8601 timestamp: {value!r}") from None
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise Invalid(f"'{key}' has no time zone offset: {value!r}")
    return stamp


def _flag(obj: Mapping, key: str) -> bool:
    value = obj[key]
    if not isinstance(value, bool):
        raise Invalid(f"'{key}' must be true or false")
    return value


def _choice(obj: Mapping, key: str, allowed: tuple[str, ...], nullable: bool = False):
    value = obj[key]
    if value is None and nullable:
        return None
    if not isinstance(value, str) or value.strip().lower() not in allowed:
        raise Invalid(f"'{key}' must be one of {', '.join(allowed)}: got {value!r}")
    return value.strip().lower()


def parse_case(obj: object, location: str) -> CaseRecord:
    """One decoded JSON value as a :class:`CaseRecord`; raises :class:`Invalid`."""
    if not isinstance(obj, dict):
        raise Invalid("not a JSON object")
    missing = [k for k in REQUIRED if k not in obj]
    if missing:
        raise Invalid(f"missing field(s): {', '.join(missing)}")
    severity = obj["severity"]
    if isinstance(severity, bool) or not isinstance(severity, int) or not 1 <= severity <= 4:
        raise Invalid(f"'severity' must be an integer 1 to 4: got {severity!r}")
    opened = _time(obj, "opened_at", nullable=False)
    first = _time(obj, "first_response_at", nullable=True)
    resolved = _time(obj, "resolved_at", nullable=True)
    if first is not None and first < opened:
        raise Invalid("'first_response_at' is before 'opened_at'")
    if resolved is not None and resolved < opened:
        raise Invalid("'resolved_at' is before 'opened_at'")
    outcome = _choice(obj, "outcome", OUTCOMES, nullable=True)
    if resolved is None and outcome is not None:
        raise Invalid("an open case ('resolved_at' null) cannot have an 'outcome'")
    if resolved is not None and outcome is None:
        raise Invalid("a resolved case needs an 'outcome'")
    remedy = _choice(obj, "remedy", REMEDIES)
    amount = obj["amount"]
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not (
        math.isfinite(amount) and amount >= 0
    ):
        raise Invalid(f"'amount' must be a number >= 0: got {amount!r}")
    if amount > 0 and remedy in MONEYLESS_REMEDIES:
        raise Invalid(f"'amount' must be 0 when 'remedy' is {remedy}")
    audience = obj.get("audience")
    if audience is not None and (
        isinstance(audience, bool) or not isinstance(audience, int) or audience < 0
    ):
        raise Invalid(f"'audience' must be a whole number >= 0 or null: got {audience!r}")
    for key in ("text", "author"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise Invalid(f"'{key}' must be a string or null")
    followed = _time(obj, "followed_up_at", nullable=True) if obj.get("followed_up_at") is not None else None
    if followed is not None and (resolved is None or first is None):
        raise Invalid("'followed_up_at' needs 'first_response_at' and 'resolved_at'")
    if followed is not None and resolved is not None and followed < resolved:
        raise Invalid("'followed_up_at' is before 'resolved_at'")
    labels: dict[str, object] = {}
    for key, (_, values) in LABEL_FIELDS.items():
        if obj.get(key) is None:
            continue
        if values is None:
            if not isinstance(obj[key], bool):
                raise Invalid(f"'{key}' must be true, false or null: got {obj[key]!r}")
            labels[key] = obj[key]
        else:
            labels[key] = _choice(obj, key, values)
    return CaseRecord(
        id=_text(obj, "id"),
        channel=_text(obj, "channel", lower=True),
        visibility=_choice(obj, "visibility", VISIBILITIES),
        category=_text(obj, "category", lower=True),
        severity=severity,
        opened_at=opened,
        first_response_at=first,
        resolved_at=resolved,
        outcome=outcome,
        remedy=remedy,
        amount=float(amount),
        escalated=_flag(obj, "escalated"),
        reopened=_flag(obj, "reopened"),
        audience=audience,
        text=obj.get("text") or "",
        author=obj.get("author"),
        location=location,
        followed_up_at=followed,
        **labels,  # type: ignore[arg-type]  # checked above: str for leverage and tone, bool for the flags
    )


def read_lines(lines, prefix: str = "") -> Iterator[CaseRecord | Rejected]:
    """Parse an iterable of raw ``bytes`` (or ``str``) lines, numbered from 1."""
    for item in json_lines(lines, prefix):
        if isinstance(item, Rejected):
            yield item
            continue
        _, location, obj, text = item
        try:
            yield checked(parse_case(obj, location), raw=text)
        except Invalid as exc:
            yield Rejected(location, str(exc), text)


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if logical_suffix(p) in SUFFIXES and p.is_file())
        if not files:
            raise SourceError("folder holds no .jsonl/.ndjson/.json file", path=path)
        return files
    if not path.exists():
        raise SourceError("file not found", path=path)
    return [path]


class HistorySource:
    """Reads history JSON Lines files (see ``docs/history-format.md``)."""

    name = "history"
    version = "1"
    description = "Past cases with outcomes, one JSON object per line (JSON Lines)"
    channel = None
    visibility = None

    def read(self, path: Path, options: Mapping) -> Iterator[CaseRecord | Rejected]:
        path = Path(path)
        files = _files(path)
        for file in files:
            prefix = f"{file.name}: " if len(files) > 1 or file != path else ""
            try:
                with open_binary(file) as handle:
                    yield from read_lines(handle, prefix)
            except OSError as exc:
                raise SourceError(f"cannot read: {exc.strerror or exc}", path=file) from None


@hookimpl
def register_sources(register, config):
    """Register the ``history`` source (``config`` is not used)."""
    register(HistorySource())

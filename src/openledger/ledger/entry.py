"""Ledger entries: the canonical JSON of an event's public projection (schema v2).

An entry is an object with exactly these members (see docs/ledger-format.md)::

    case        public (pseudonymous) case id, non-empty string
    type        event type, e.g. "opened", "responded", "resolved"
    channel     channel of the case, e.g. "twitter", "email"
    visibility  "public" or "private"
    period      coarse time of the event: an ISO week "YYYY-Www", a month "YYYY-MM",
                a quarter "YYYY-Qn" or a year "YYYY" (UTC)
    data        object of structured outcome fields (no free text)
    deciders    list of {"name", "version"} of the plugins that decided
    commitment  64 lowercase hex: SHA-256(salt || canonical JSON of private details)
    v           2
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from openledger import periods
from openledger.ledger.canonical import canonical_json
from openledger.ledger.errors import LedgerFormatError

SCHEMA_VERSION = 2
FIELDS = ("case", "channel", "commitment", "data", "deciders", "period", "type", "v", "visibility")
VISIBILITIES = ("public", "private")
MAX_ENTRY_BYTES = 65535  # tlog-tiles entry bundles use a uint16 length prefix

_TOKEN = re.compile(r"[a-z][a-z0-9_.-]*", re.ASCII)
_HEX64 = re.compile(r"[0-9a-f]{64}", re.ASCII)


def _check(obj: Mapping[str, Any]) -> None:
    keys = set(obj)
    if keys != set(FIELDS):
        missing, extra = sorted(set(FIELDS) - keys), sorted(keys - set(FIELDS))
        raise LedgerFormatError(f"entry fields: missing {missing}, unexpected {extra}")
    if obj["v"] != SCHEMA_VERSION or isinstance(obj["v"], bool):
        raise LedgerFormatError(f"entry v is {obj['v']!r}, expected {SCHEMA_VERSION}")
    if not isinstance(obj["case"], str) or not obj["case"] or obj["case"].strip() != obj["case"]:
        raise LedgerFormatError(f"entry case {obj['case']!r} is not a non-empty string")
    for name in ("type", "channel"):
        if not isinstance(obj[name], str) or not _TOKEN.fullmatch(obj[name]):
            raise LedgerFormatError(f"entry {name} {obj[name]!r} is not a lower-case token")
    if obj["visibility"] not in VISIBILITIES:
        raise LedgerFormatError(f"entry visibility {obj['visibility']!r} is not one of {VISIBILITIES}")
    if not valid_period(obj["period"]):
        raise LedgerFormatError(f"entry period {obj['period']!r} is not an ISO week, month, quarter or year")
    if not isinstance(obj["data"], Mapping):
        raise LedgerFormatError("entry data is not an object")
    deciders = obj["deciders"]
    if not isinstance(deciders, Sequence) or isinstance(deciders, str):
        raise LedgerFormatError("entry deciders is not a list")
    for i, d in enumerate(deciders):
        if (not isinstance(d, Mapping) or set(d) != {"name", "version"}
                or not all(isinstance(d[k], str) and d[k] for k in d)):
            raise LedgerFormatError(f"entry deciders[{i}] is not {{name, version}} with non-empty strings")
    if not isinstance(obj["commitment"], str) or not _HEX64.fullmatch(obj["commitment"]):
        raise LedgerFormatError("entry commitment is not 64 lower-case hex digits")


def valid_period(value: Any) -> bool:
    """Whether ``value`` is a period label: ``2026-W10``, ``2026-03``, ``2026-Q1`` or ``2026``."""
    try:
        periods.span(value)
    except (ValueError, TypeError):
        return False
    return True


def _decider(d: Any) -> Any:
    if isinstance(d, Mapping):
        return dict(d)
    if isinstance(d, tuple) and len(d) == 2:
        return {"name": d[0], "version": d[1]}
    return d


def build_entry(
    *,
    case: str,
    type: str,
    channel: str,
    visibility: str,
    period: str,
    data: Mapping[str, Any],
    deciders: Sequence[Mapping[str, str]] | Sequence[tuple[str, str]],
    commitment: str,
    keys_known: bool = False,
) -> bytes:
    """The entry bytes for one event; validates every field (``keys_known``: every key of ``data`` is known
    to be a string, see :func:`~openledger.ledger.canonical.canonical_json`)."""
    obj = {
        "case": case,
        "type": type,
        "channel": channel,
        "visibility": visibility,
        "period": period,
        "data": dict(data) if isinstance(data, Mapping) else data,
        "deciders": [_decider(d) for d in deciders],
        "commitment": commitment,
        "v": SCHEMA_VERSION,
    }
    _check(obj)
    raw = canonical_json(obj, keys_known=keys_known)
    if len(raw) > MAX_ENTRY_BYTES:
        raise LedgerFormatError(f"entry for case {case} is {len(raw)} bytes, more than {MAX_ENTRY_BYTES}")
    return raw


def parse_entry(raw: bytes, where: str = "entry") -> dict[str, Any]:
    """Parse entry bytes; they must be valid schema-v2 canonical JSON."""
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise LedgerFormatError(f"{where} is not UTF-8 JSON: {exc}") from None
    except RecursionError:  # "[[[[…": deeper than the parser goes
        raise LedgerFormatError(f"{where} is not UTF-8 JSON: nested too deeply") from None
    if not isinstance(obj, dict):
        raise LedgerFormatError(f"{where} is not a JSON object")
    try:
        _check(obj)
        if canonical_json(obj, keys_known=True) != raw:  # decoded from JSON: its keys are strings
            raise LedgerFormatError("entry is not in canonical JSON form")
    except LedgerFormatError as exc:
        raise LedgerFormatError(f"{where}: {exc.message}") from None
    return obj

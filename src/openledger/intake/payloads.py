"""Reading one payload with a source: a webhook's body or a poller's fetched document.

Both the webhook receiver and the pollers go through :func:`read_payload`, so
a payload is read, located and refused the same way wherever it came from:
every record keeps the source's own location ("entry 1 messaging 2")
behind the payload's ("UID 4711: ..."), a source's bug is one line naming the
source, and :func:`first_problem` applies the record contract of the ingest
engine before anything is stored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from openledger.errors import OpenLedgerError, SourceError
from openledger.intake import contract
from openledger.records import CaseRecord, MessageRecord, Payload, Rejected

Record = MessageRecord | CaseRecord | Rejected


def media_type(content_type: str | None) -> str:
    """``application/json`` from ``application/json; charset=utf-8`` (lower case, no parameters)."""
    return (content_type or "application/octet-stream").split(";", 1)[0].strip().lower()


def _located(record: Record, prefix: str) -> Record:
    if not prefix:
        return record
    where = record.location or ""
    moved = replace(record, location=f"{prefix}: {where}" if where else prefix)
    if isinstance(moved, Rejected) or not contract.vouched(record):
        return moved
    return contract.vouch(moved)  # the contract does not read the location: what was vouched for stays so


def read_payload(source: Any, payload: Payload, options: Mapping, *, lenient: bool = False) -> list[Record]:
    """The records of one payload, read by ``source.read_payload``.

    A payload the source cannot read at all raises :class:`SourceError` (its
    location prefixed), or with ``lenient`` becomes one :class:`Rejected`
    for the quarantine, so that a poller moves past it.
    """
    reader = getattr(source, "read_payload", None)
    if not callable(reader):
        raise SourceError(f"source {source.name!r} does not read single payloads (it has no read_payload)")
    try:
        found = [_located(r, payload.location) for r in reader(payload.body, options, media_type(payload.content_type))]
    except OpenLedgerError as exc:
        error = SourceError(exc.message, location=": ".join(p for p in (payload.location, exc.location) if p) or None)
        if not lenient:
            raise error from None
        return [Rejected(error.location or "payload", exc.message, _raw(payload))]
    except Exception as exc:  # noqa: BLE001 (a source plugin's bug must be one line, not a traceback of ours)
        error = SourceError(f"source {source.name!r} failed: {type(exc).__name__}: {exc}",
                            location=payload.location or None)
        if not lenient:
            raise error from exc
        return [Rejected(payload.location or "payload", error.message, _raw(payload))]
    for item in found:
        if not isinstance(item, (MessageRecord, CaseRecord, Rejected)):
            raise SourceError(f"source {source.name!r} yielded {type(item).__name__}, not a record",
                              location=payload.location or None)
    return found


def _raw(payload: Payload) -> str:
    return payload.body[:2000].decode("utf-8", "replace")


def first_problem(records: list[Record]) -> tuple[str, str] | None:
    """(location, reason) of the first record the ingest engine would refuse, or None.

    A record the source built with openledger's helpers has been checked
    already (:func:`openledger.intake.contract.vouched`): it is not checked again.
    """
    for record in records:
        if isinstance(record, Rejected):
            return record.location, record.reason
        if contract.vouched(record):
            continue
        reason = contract.first_problem(record)
        if reason is not None:
            return record.location or f"record {record.id!r}", reason
    return None


def error_json(message: str) -> bytes:
    """The one-line JSON body of a refusal: ``{"error": "..."}``."""
    return json.dumps({"error": message}, ensure_ascii=False).encode("utf-8")

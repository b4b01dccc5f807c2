"""Appending events: the only way a case's state changes.

Every path that records something (ingest, process, agent actions) goes
through :func:`append_events` inside the transaction that changes the case,
so an event and the state change it describes commit together or not at all.
Events are never deleted, and their public ``data`` never changes; only an
erasure (:mod:`openledger.cases.erasure`) blanks their private details.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from openledger.store import ledger
from openledger.timeutil import now, to_utc

EVENT_TYPES = (
    "opened",  # a new case from a customer's first message (or an imported case)
    "message",  # a further customer message on the case
    "responded",  # the company answered the customer
    "classified",  # classifiers labelled the case
    "drafted",  # a responder drafted a reply, tier and service targets
    "remedy-proposed",  # a channel-blind remedy proposal
    "escalated",  # moved to a higher tier
    "resolved",  # closed with an outcome and remedy
    "reopened",  # a resolved case opened again
    "erased",  # the customer's private details were erased (public data: none)
)


def event_row(
    case_id: int,
    type: str,
    at: datetime,
    actor: str,
    data: Mapping | None = None,
    private: Mapping | None = None,
    recorded_at: datetime | None = None,
) -> dict:
    """One event as a row for :func:`append_events`."""
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}")
    return {
        "case_id": case_id,
        "type": type,
        "at": to_utc(at),
        "actor": actor,
        "data": dict(data or {}),
        "private": dict(private) if private else None,
        "recorded_at": recorded_at or now(),
    }


def append_events(conn: Connection, rows: Iterable[dict[str, Any]]) -> int:
    """Record events in one set-based statement, in the given order. Returns the count.

    They enter the public log at the next seal that may publish them (see
    :mod:`openledger.store.ledger` and :mod:`openledger.privacy.release`).
    """
    return ledger.append(conn, list(rows))

"""Where each configured poller stands: its cursor and its last run (table ``poller_state``).

:func:`save_cursor` runs inside the transaction that stores a page's records,
so the cursor moves only with them: after a crash a poller resumes from the
last page stored. :func:`record_run` keeps the outcome of a run (its time,
the error if any) in a transaction of its own, so a failed run is visible in
``openledger intake status`` even though its page was rolled back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from openledger.store.models import poller_state_table as state_t
from openledger.timeutil import now


@dataclass(frozen=True)
class PollerState:
    """One row of ``poller_state``."""

    name: str
    kind: str
    cursor: Mapping[str, Any] | None
    cursor_at: datetime | None
    run_at: datetime | None
    ok_at: datetime | None
    error: str | None
    stored: int


def _upsert(conn: Connection, name: str, kind: str, values: dict[str, Any], stored_delta: int = 0) -> None:
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = insert(state_t).values(name=name, kind=kind, stored=stored_delta, **values)
    conn.execute(statement.on_conflict_do_update(
        index_elements=["name"],
        set_={"kind": kind, "stored": state_t.c.stored + stored_delta, **values},
    ))


def load_cursor(conn: Connection, name: str) -> Mapping[str, Any] | None:
    """The cursor of poller ``name`` after its last stored page; None before its first."""
    return conn.execute(select(state_t.c.cursor).where(state_t.c.name == name)).scalar()


def save_cursor(conn: Connection, name: str, kind: str, cursor: Mapping[str, Any], stored: int) -> None:
    """Move the cursor (in the transaction storing the page's ``stored`` records)."""
    _upsert(conn, name, kind, {"cursor": dict(cursor), "cursor_at": now()}, stored)


def record_run(conn: Connection, name: str, kind: str, error: str | None) -> None:
    """Keep the outcome of a run: when, and the error line if it failed (None: it succeeded)."""
    moment = now()
    values: dict[str, Any] = {"run_at": moment, "error": error}
    if error is None:
        values["ok_at"] = moment
    _upsert(conn, name, kind, values)


def states(conn: Connection) -> list[PollerState]:
    """Every poller that ever ran, by name."""
    rows = conn.execute(select(state_t).order_by(state_t.c.name)).mappings()
    return [PollerState(**dict(row)) for row in rows]

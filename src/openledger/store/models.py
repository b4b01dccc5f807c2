"""Database tables (SQLModel). The schema is changed only through Alembic
migrations in ``openledger/store/migrations``; a test checks the two agree.

Times are timezone-aware UTC datetimes (SQLModel's UTCDateTime: timestamptz on
PostgreSQL, UTC without offset on SQLite).
``Event`` rows are append-only: nothing deletes them or changes their public data
(an erasure blanks their private details). ``Case`` rows
are the current state derived from a case's events, kept for fast queries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class Case(SQLModel, table=True):
    __tablename__ = "cases"
    __table_args__ = (
        sa.UniqueConstraint("source", "external_id", name="uq_cases_source_external_id"),
        # `cases list` walks it newest first instead of sorting every case
        sa.Index("ix_cases_opened_at_id", "opened_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=100)
    external_id: str = Field(max_length=500)
    status: str = Field(default="new", max_length=20, index=True)
    channel: str = Field(max_length=50, index=True)
    visibility: str = Field(max_length=10)
    customer: str | None = Field(default=None, max_length=64, index=True)
    audience: int | None = None
    opened_at: datetime
    kind: str | None = Field(default=None, max_length=50)
    category: str | None = Field(default=None, max_length=100)
    severity: int = 2
    tier: int = 0
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    outcome: str | None = Field(default=None, max_length=20)
    remedy: str | None = Field(default=None, max_length=20)
    amount: float = 0.0
    escalated: bool = False
    reopened: bool = False
    processed_at: datetime | None = None
    # the newest event of the case when its replies were last read by the outbound classifiers (process)
    replies_read: int | None = None
    public_id: str | None = Field(default=None, max_length=40, unique=True, index=True)


class Message(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (sa.UniqueConstraint("source", "external_id", name="uq_messages_source_external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=100)
    external_id: str = Field(max_length=500)
    case_id: int | None = Field(default=None, foreign_key="cases.id", index=True)
    channel: str = Field(max_length=50)
    visibility: str = Field(max_length=10)
    direction: str = Field(max_length=3)
    author: str | None = Field(default=None, max_length=500)
    timestamp: datetime
    subject: str | None = Field(default=None, sa_type=sa.Text)
    text: str = Field(sa_type=sa.Text)
    reply_to: str | None = Field(default=None, max_length=500)
    thread: str | None = Field(default=None, max_length=500)
    meta: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)


class Event(SQLModel, table=True):
    __tablename__ = "events"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    type: str = Field(max_length=30)
    at: datetime
    actor: str = Field(max_length=200)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    private: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    recorded_at: datetime


class LedgerEntry(SQLModel, table=True):
    """One log entry: the canonical public projection of one event."""

    __tablename__ = "ledger_entries"

    idx: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    event_id: int = Field(foreign_key="events.id", unique=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    entry: bytes = Field(sa_type=sa.LargeBinary)
    commitment: str = Field(max_length=64)
    salt: bytes | None = Field(default=None, sa_type=sa.LargeBinary)


class LedgerHash(SQLModel, table=True):
    """The hash of one complete subtree (RFC 6962): level 0 are the leaf hashes."""

    __tablename__ = "ledger_hashes"

    level: int = Field(primary_key=True, sa_type=sa.SmallInteger, sa_column_kwargs={"autoincrement": False})
    idx: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    hash: bytes = Field(sa_type=sa.LargeBinary)


class LedgerHead(SQLModel, table=True):
    """One row: the log size and the last event logged. Appenders lock it."""

    __tablename__ = "ledger_head"

    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    size: int = Field(default=0, sa_type=sa.BigInteger)
    last_event_id: int = Field(default=0)


class LedgerCheckpoint(SQLModel, table=True):
    """A signed checkpoint (C2SP signed note) issued by this instance."""

    __tablename__ = "ledger_checkpoints"

    id: int | None = Field(default=None, primary_key=True)
    size: int = Field(sa_type=sa.BigInteger)
    root: bytes = Field(sa_type=sa.LargeBinary)
    note: str = Field(sa_type=sa.Text)
    created_at: datetime


class Identity(SQLModel, table=True):
    """A keyed hash of one contact point (e-mail, phone, handle) and the customer it
    belongs to. Identities a customer gave together link their cases across
    channels; nothing here is reversible without the instance secret."""

    __tablename__ = "identities"

    key: str = Field(primary_key=True, max_length=64)
    customer: str = Field(max_length=64, index=True)


class PublishedCase(SQLModel, table=True):
    """What the public log says of a case that an attacker could match (its signature,
    :class:`openledger.privacy.linkage.Signature`): kept by the seal, so the next seal
    can check the whole published state against the k-anonymity guarantee."""

    __tablename__ = "published_cases"

    case_id: int = Field(primary_key=True, foreign_key="cases.id", sa_column_kwargs={"autoincrement": False})
    channel: str = Field(max_length=50)
    visibility: str = Field(max_length=10)
    period: str = Field(max_length=10)
    category: str = Field(max_length=100)
    audience: str = Field(max_length=20)
    first: str | None = Field(default=None, max_length=20)


class PollerState(SQLModel, table=True):
    """Where one configured poller stands: its cursor, saved in the transaction that stored
    the page before it, and the outcome of its last run (the health view)."""

    __tablename__ = "poller_state"

    name: str = Field(primary_key=True, max_length=100)
    kind: str = Field(max_length=100)
    cursor: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    cursor_at: datetime | None = None
    run_at: datetime | None = None
    ok_at: datetime | None = None
    error: str | None = Field(default=None, sa_type=sa.Text)
    stored: int = Field(default=0, sa_type=sa.BigInteger)


class Outbox(SQLModel, table=True):
    """An event hook call owed to one plugin (``case_opened``, ``case_resolved``).

    Written in the transaction that commits the change it reports, so a
    committed change is never left unreported; deleted once the plugin's hook
    returned. ``attempts`` and ``last_error`` say why a row is still here.
    """

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    hook: str = Field(max_length=50)
    plugin: str = Field(max_length=200)
    case_id: int = Field(foreign_key="cases.id")
    event_id: int = Field(foreign_key="events.id")
    created_at: datetime
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_type=sa.Text)


class PluginFault(SQLModel, table=True):
    """A plugin that broke its contract: what, where and when (a bug of the plugin, not bad input)."""

    __tablename__ = "plugin_faults"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    plugin: str = Field(max_length=200, index=True)
    subject: str = Field(max_length=500)
    message: str = Field(sa_type=sa.Text)


# The SQLAlchemy Core tables, for the modules that query with select()/insert()/update().
# SQLModel sets ``__table__`` on each table model when the class is created; its type
# information does not declare the attribute, hence the one ignore per table here.
cases_table: sa.Table = Case.__table__  # type: ignore[attr-defined]
messages_table: sa.Table = Message.__table__  # type: ignore[attr-defined]
events_table: sa.Table = Event.__table__  # type: ignore[attr-defined]
ledger_entries_table: sa.Table = LedgerEntry.__table__  # type: ignore[attr-defined]
ledger_hashes_table: sa.Table = LedgerHash.__table__  # type: ignore[attr-defined]
ledger_head_table: sa.Table = LedgerHead.__table__  # type: ignore[attr-defined]
ledger_checkpoints_table: sa.Table = LedgerCheckpoint.__table__  # type: ignore[attr-defined]
identities_table: sa.Table = Identity.__table__  # type: ignore[attr-defined]
published_cases_table: sa.Table = PublishedCase.__table__  # type: ignore[attr-defined]
poller_state_table: sa.Table = PollerState.__table__  # type: ignore[attr-defined]
outbox_table: sa.Table = Outbox.__table__  # type: ignore[attr-defined]
plugin_faults_table: sa.Table = PluginFault.__table__  # type: ignore[attr-defined]

"""Whole historical cases (history and CFPB imports) into cases and events.

A :class:`~openledger.records.CaseRecord` already carries its outcome: it
becomes a case in its final state, its text a message, and the events a live
case with this history would have produced, in order. Case ids are given by
the importer, which holds the ledger lock for its whole transaction.
"""

from __future__ import annotations

from sqlalchemy import func, select, text

from openledger.cases.events import append_events, event_row
from openledger.privacy.secret import pseudonym
from openledger.records import CaseRecord
from openledger.store.bulk import insert_rows
from openledger.store.models import Case, Message
from openledger.timeutil import now

cases_t = Case.__table__
messages_t = Message.__table__


def write_case_records(ingestor, conn, records: list[CaseRecord], report) -> None:
    """Whole historical cases: a case, its message and the events a live case would have."""
    existing = ingestor._existing(conn, cases_t, {r.id for r in records})
    fresh, seen = [], set()
    for r in records:
        if r.id in existing or r.id in seen:
            report.duplicates += 1
            continue
        seen.add(r.id)
        fresh.append(r)
    if not fresh:
        return
    stamp = now()
    customers = ingestor._customers(conn, fresh)
    first = next_case_id(conn)
    rows = [
        {
            "id": first + offset,
            "source": ingestor.source.name,
            "external_id": r.id,
            "status": "resolved" if r.resolved_at else "open",
            "channel": r.channel.strip().lower(),
            "visibility": r.visibility,
            "customer": customer,
            "audience": r.audience,
            "opened_at": r.opened_at,
            "kind": "complaint",
            "category": r.category,
            "severity": r.severity,
            "tier": 2 if r.escalated else 1,
            "first_response_at": r.first_response_at,
            "resolved_at": r.resolved_at,
            "outcome": r.outcome if r.resolved_at else None,
            "remedy": r.remedy if r.resolved_at else None,
            "amount": float(r.amount) if r.resolved_at else 0.0,
            "escalated": r.escalated,
            "reopened": r.reopened,
            "processed_at": stamp,
        }
        for offset, (r, customer) in enumerate(zip(fresh, customers))
    ]
    ids = insert_cases(conn, rows, ingestor.secret)
    message_rows, event_rows = [], []
    for case_id, r in zip(ids, fresh):
        channel = r.channel.strip().lower()
        public = {"channel": channel, "visibility": r.visibility}
        if r.text:
            message_rows.append(
                {
                    "source": ingestor.source.name,
                    "external_id": r.id,
                    "case_id": case_id,
                    "channel": channel,
                    "visibility": r.visibility,
                    "direction": "in",
                    "author": r.author,
                    "timestamp": r.opened_at,
                    "subject": None,
                    "text": r.text,
                    "reply_to": None,
                    "thread": None,
                    "meta": dict(r.meta) or None,
                }
            )
        event_rows.extend(history_events(case_id, r, public, ingestor.actor, stamp))
    if message_rows:
        insert_rows(conn, messages_t, message_rows)
    append_events(conn, event_rows, ingestor.secret)
    report.cases += len(ids)
    report.messages += len(message_rows)
    report.new_case_ids.extend(ids)


def next_case_id(conn) -> int:
    """The next case id; safe because ingest holds the ledger lock for its whole transaction."""
    return (conn.execute(select(func.max(cases_t.c.id))).scalar() or 0) + 1


def insert_cases(conn, rows: list[dict], secret: bytes) -> list[int]:
    """Insert cases with their ids given, in one executemany (no per-row RETURNING).

    Each case gets its public (pseudonymous) id here, from its id, so the
    ledger never has to update the rows it has just inserted.
    """
    for row in rows:
        row["public_id"] = pseudonym(row["id"], secret)
    insert_rows(conn, cases_t, rows)
    if conn.dialect.name == "postgresql":
        conn.execute(text("select setval(pg_get_serial_sequence('cases', 'id'), :v)"), {"v": rows[-1]["id"]})
    return [row["id"] for row in rows]


def history_events(case_id: int, r: CaseRecord, public: dict, actor: str, stamp) -> list[dict]:
    """The events a live case with this history would have produced, in order."""
    rows = [
        event_row(
            case_id,
            "opened",
            r.opened_at,
            actor,
            {**public, "category": r.category, "severity": r.severity},
            {"record": r.id},
            stamp,
        )
    ]
    if r.first_response_at is not None:
        rows.append(event_row(case_id, "responded", r.first_response_at, actor, public, None, stamp))
    if r.escalated:
        at = r.first_response_at or r.opened_at
        rows.append(event_row(case_id, "escalated", at, actor, {"tier": 2}, None, stamp))
    if r.reopened:
        at = r.resolved_at or r.first_response_at or r.opened_at
        rows.append(event_row(case_id, "reopened", at, actor, {}, None, stamp))
    if r.resolved_at is not None:
        data = {"outcome": r.outcome, "remedy": r.remedy, "amount": float(r.amount)}
        rows.append(event_row(case_id, "resolved", r.resolved_at, actor, data, None, stamp))
    return rows

"""Whole historical cases (history and CFPB imports) into cases and events.

A :class:`~openledger.records.CaseRecord` already carries its outcome: it
becomes a case in its final state, its text a message, and the events a live
case with this history would have produced, in order. Case ids are given by
the importer, which holds the ledger lock for its whole transaction.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.engine import Connection

from openledger.cases.categories import CategoryMapper, Mapped
from openledger.cases.events import append_events, event_row
from openledger.intake.linking import customers_of
from openledger.intake.quarantine import IngestReport
from openledger.intake.rows import existing_ids, insert_cases, message_row, next_case_id
from openledger.privacy.labels import LabelCleaner
from openledger.records import DEFAULT_CATEGORIES, CaseRecord
from openledger.store.bulk import insert_rows
from openledger.store.models import cases_table as cases_t
from openledger.store.models import messages_table as messages_t
from openledger.timeutil import now


def write_case_records(conn: Connection, records: list[CaseRecord], report: IngestReport, *, source: str,
                       secret: bytes, region: str | None, actor: str, labels: LabelCleaner | None = None,
                       categories: CategoryMapper | None = None) -> None:
    """Whole historical cases: a case, its message and the events a live case would have.

    The category is the taxonomy's category that ``categories`` maps the
    record's own categories to (:mod:`openledger.cases.categories`: a CFPB
    Issue, Sub-product and Product); an unmapped one is stored as the token
    ``labels`` makes of it (see :mod:`openledger.privacy.labels`): the site
    publishes it, so an e-mail address or a card number in a ``category`` or
    a CFPB ``Product`` never reaches a case row, an event or the log. The
    native values stay in the private details of the ``opened`` event.
    """
    labels = labels or LabelCleaner()
    categories = categories or CategoryMapper(source, [], frozenset(DEFAULT_CATEGORIES), labels)
    existing = existing_ids(conn, cases_t, source, {r.id for r in records})
    fresh, seen, native = [], set(), {}
    for r in records:
        if r.id in existing or r.id in seen:
            report.duplicates += 1
            continue
        seen.add(r.id)
        before = len(labels.changed)
        mapped = categories(r)
        if len(labels.changed) > before:
            report.relabelled.append(r.location or f"record {r.id!r}")
        if not mapped.mapped:
            report.unmapped += 1
        native[r.id] = mapped
        fresh.append(replace(r, category=mapped.category))
    if not fresh:
        return
    stamp = now()
    customers = customers_of(conn, fresh, secret, region)
    first = next_case_id(conn)
    rows = [
        {
            "id": first + offset,
            "source": source,
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
    ids = insert_cases(conn, rows, secret)
    message_rows, event_rows = [], []
    for case_id, r in zip(ids, fresh):
        channel = r.channel.strip().lower()
        public = {"channel": channel, "visibility": r.visibility}
        if r.text:
            message_rows.append(message_row(source, r.id, case_id, channel, r.visibility, r.opened_at, r.text,
                                            author=r.author, meta=r.meta))
        event_rows.extend(history_events(case_id, r, public, actor, stamp, native.get(r.id)))
    if message_rows:
        insert_rows(conn, messages_t, message_rows)
    append_events(conn, event_rows)
    report.cases += len(ids)
    report.messages += len(message_rows)
    report.case_records += len(ids)
    report.case_messages += len(message_rows)
    report.new_case_ids.extend(ids)
    report.stored.update((r.id, case_id) for case_id, r in zip(ids, fresh))


#: who decided the labels a history gives (named among the ``classified`` event's deciders)
HISTORY_DECIDER = {"name": "history", "version": "1"}


def history_labels(r: CaseRecord) -> dict[str, dict[str, object]]:
    """The labels a record's history states (``leverage``, ``moved_private`` as ``moves_private``, ``tone``,
    ``gag``), each as a ``classified`` event records a label: value and confidence 1.0."""
    stated = {"leverage": r.leverage, "tone": r.tone,
              "moves_private": None if r.moved_private is None else ("yes" if r.moved_private else "no"),
              "gag": None if r.gag is None else ("yes" if r.gag else "no")}
    return {name: {"value": value, "confidence": 1.0} for name, value in sorted(stated.items()) if value is not None}


def history_events(case_id: int, r: CaseRecord, public: dict, actor: str, stamp,
                   mapped: Mapped | None = None) -> list[dict]:
    """The events a live case with this history would have produced, in order.

    The native categories (and the map that decided) are private details of
    the ``opened`` event: committed to, never published. Labels the record
    states (:func:`history_labels`) make a ``classified`` event right after
    the opening, decided by ``history``.
    """
    private: dict = {"record": r.id}
    if mapped is not None and mapped.native:
        private["native_category"] = mapped.native
        if mapped.by:
            private["category_map"] = mapped.by
    rows = [
        event_row(
            case_id,
            "opened",
            r.opened_at,
            actor,
            {**public, "category": r.category, "severity": r.severity},
            private,
            stamp,
        )
    ]
    labels = history_labels(r)
    if labels:
        rows.append(event_row(case_id, "classified", r.opened_at, actor,
                              {"labels": labels, "deciders": [HISTORY_DECIDER]}, None, stamp))
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
        if r.followed_up_at is not None:  # a public reply on the case's own channel after the resolution
            rows.append(event_row(case_id, "responded", r.followed_up_at, actor, public, None, stamp))
    return rows

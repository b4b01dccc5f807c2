"""Read-only views of cases for plugins, built from the database in bulk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.engine import Connection

from openledger.records import CaseView, Label, MessageView
from openledger.store.models import cases_table as cases_t
from openledger.store.models import events_table as events_t
from openledger.store.models import messages_table as messages_t


def labels_from(data: dict | None) -> MappingProxyType:
    """The labels of a ``classified`` event's data as :class:`Label` objects."""
    labels = {}
    for name, value in ((data or {}).get("labels") or {}).items():
        labels[name] = Label(
            value["value"], float(value.get("confidence", 0.0)), MappingProxyType(value.get("detail") or {})
        )
    return MappingProxyType(labels)


def case_views(
    conn: Connection, case_ids: Sequence[int], with_opened_event: bool = False
) -> Iterator:
    """Yield a :class:`CaseView` for each id (with its ``opened`` event if asked)."""
    for i in range(0, len(case_ids), 500):
        chunk = list(case_ids[i : i + 500])
        cases = {row.id: row for row in conn.execute(select(cases_t).where(cases_t.c.id.in_(chunk)))}
        msgs = defaultdict(list)
        authors: dict[int, set] = defaultdict(set)
        rows = conn.execute(
            select(messages_t)
            .where(messages_t.c.case_id.in_(chunk))
            .order_by(messages_t.c.case_id, messages_t.c.timestamp, messages_t.c.id)
        )
        for m in rows:
            msgs[m.case_id].append(MessageView(m.direction, m.channel, m.visibility, m.timestamp, m.text))
            if m.direction == "in" and m.author and m.thread:  # a conversation, not replies to a post
                authors[m.case_id].add(m.author)
        labels, opened = {}, {}
        rows = conn.execute(
            select(events_t)
            .where(events_t.c.case_id.in_(chunk), events_t.c.type.in_(("classified", "opened")))
            .order_by(events_t.c.id)
        )
        for e in rows:
            if e.type == "classified":
                labels[e.case_id] = labels_from(e.data)
            elif e.case_id not in opened:
                opened[e.case_id] = MappingProxyType(
                    {"type": e.type, "case_id": e.case_id, "at": e.at, "data": MappingProxyType(dict(e.data))}
                )
        for case_id in chunk:
            c = cases.get(case_id)
            if c is None:
                continue
            view = CaseView(
                id=c.id,
                status=c.status,
                channel=c.channel,
                visibility=c.visibility,
                opened_at=c.opened_at,
                severity=c.severity,
                labels=labels.get(case_id, MappingProxyType({})),
                messages=tuple(msgs[case_id]),
                audience=c.audience,
                outcome=c.outcome,
                remedy=c.remedy,
                amount=c.amount,
                authors=len(authors[case_id]) or None,
            )
            yield (view, opened.get(case_id)) if with_opened_event else view

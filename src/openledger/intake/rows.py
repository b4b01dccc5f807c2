"""The rows an import writes: cases and messages, shaped once for both kinds of record.

Both the message path (:mod:`.ingest`) and the whole-case path
(:mod:`.history`) look up what a source has already imported, number new
cases and insert them here, so a case row and a message row are built one
way only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from openledger.privacy.secret import pseudonym
from openledger.store.bulk import insert_rows, scalar, select_in
from openledger.store.models import cases_table as cases_t
from openledger.store.models import messages_table as messages_t

LOOKUP_CHUNK = 500


def existing_ids(conn: Connection, table, source: str, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` the source has already imported into ``table`` (cases or messages)."""
    return {row[0] for row in select_in(conn, table, ["external_id"], {"source": source}, "external_id", ids,
                                        chunk=LOOKUP_CHUNK)}


def cases_of(conn: Connection, source: str, ids: Iterable[str]) -> dict[str, str | None]:
    """The public id of the case each of ``ids`` went into (None: a message without a case).

    Messages are looked up first, then whole cases (history imports); an id
    the source never imported is absent from the answer.
    """
    ids = list(dict.fromkeys(ids))
    found: dict[str, str | None] = {}
    for i in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[i : i + LOOKUP_CHUNK]
        rows = conn.execute(
            select(messages_t.c.external_id, cases_t.c.public_id)
            .select_from(messages_t.outerjoin(cases_t, cases_t.c.id == messages_t.c.case_id))
            .where(messages_t.c.source == source, messages_t.c.external_id.in_(chunk))
        )
        found.update((external, public) for external, public in rows)
        rest = [k for k in chunk if k not in found]
        if rest:
            found.update(conn.execute(
                select(cases_t.c.external_id, cases_t.c.public_id)
                .where(cases_t.c.source == source, cases_t.c.external_id.in_(rest))
            ).tuples())
    return found


def next_case_id(conn) -> int:
    """The next case id; safe because ingest holds the ledger lock for its whole transaction."""
    return int(scalar(conn, "SELECT max(id) FROM cases") or 0) + 1


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


def message_row(source: str, external_id: str, case_id: int | None, channel: str, visibility: str,
                timestamp: datetime, text: str, *, direction: str = "in", author: str | None = None,
                subject: str | None = None, reply_to: str | None = None, thread: str | None = None,
                meta: Mapping | None = None) -> dict[str, Any]:
    """One row of ``messages``; ``channel`` is stored stripped and lower case."""
    return {
        "source": source,
        "external_id": external_id,
        "case_id": case_id,
        "channel": channel.strip().lower(),
        "visibility": visibility,
        "direction": direction,
        "author": author,
        "timestamp": timestamp,
        "subject": subject,
        "text": text,
        "reply_to": reply_to,
        "thread": thread,
        "meta": dict(meta or {}) or None,
    }

"""Plugin faults: a plugin that broke its contract, recorded where it happened.

A fault is a bug of a plugin (a classifier raising, a label outside its
taxonomy, a source yielding a naive timestamp, an event hook failing), never
bad customer data: the work it spoiled is rolled back or left to do again,
and one row here says which plugin, on what (a case, a file and record) and
why. ``openledger plugins`` shows each plugin's latest fault.
"""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection, Engine

from openledger.store.models import plugin_faults_table as faults_t
from openledger.timeutil import now

MAX_SUBJECT = 500


def record_fault(conn: Connection, plugin: str, subject: str, message: str) -> None:
    """Add one fault (in the caller's transaction)."""
    conn.execute(insert(faults_t).values(at=now(), plugin=plugin[:200], subject=subject[:MAX_SUBJECT],
                                         message=message))


def record_fault_now(engine: Engine, plugin: str, subject: str, message: str) -> None:
    """Add one fault in a transaction of its own (after the failed work was rolled back)."""
    with engine.begin() as conn:
        record_fault(conn, plugin, subject, message)


def latest_faults(conn: Connection) -> dict[str, tuple[int, str, str]]:
    """plugin -> (number of faults, latest subject, latest message)."""
    per_plugin = select(faults_t.c.plugin, func.count()).group_by(faults_t.c.plugin)
    counts = {str(plugin): int(count) for plugin, count in conn.execute(per_plugin)}
    latest = select(func.max(faults_t.c.id)).group_by(faults_t.c.plugin)
    rows = conn.execute(select(faults_t.c.plugin, faults_t.c.subject, faults_t.c.message)
                        .where(faults_t.c.id.in_(latest)))
    return {plugin: (counts[plugin], subject, message) for plugin, subject, message in rows}

"""Event hooks, delivered at least once: an outbox written with the change it reports.

``case_opened`` and ``case_resolved`` report changes that have committed.
So that no committed change is ever left unreported (a plugin that raises,
a crash or Ctrl-C between the commit and the call), the change's transaction
also writes one ``outbox`` row per plugin that implements the hook
(:func:`enqueue`); :func:`deliver`, run after the commit and at the start of
the next command that changes cases, calls each plugin's hook for its rows
and deletes a row once the hook returned. A hook that raises keeps its row
(with the error and the number of attempts) and the rest of that plugin's
rows for the next run, records a plugin fault, and makes the command exit 1
naming the plugin and the case; other plugins are still delivered to.

Delivery is at least once: a crash after a hook returned and before its row
was deleted calls it again, so a plugin drops repeats by ``event["id"]``.
When no plugin implements a hook, nothing is written, and while no loaded
plugin implements one nothing is read: an unused hook costs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from sqlalchemy import delete, insert, literal, select, update
from sqlalchemy.engine import Connection

from openledger import plugins
from openledger.cases.views import case_views
from openledger.errors import PluginError
from openledger.store.faults import record_fault
from openledger.store.models import events_table as events_t
from openledger.store.models import outbox_table as outbox_t
from openledger.timeutil import now

#: event type -> the hook that reports it
HOOKS = {"opened": "case_opened", "resolved": "case_resolved"}
CHUNK = 500


def enqueue(conn: Connection, event_type: str, case_ids: Sequence[int]) -> int:
    """Owe every plugin implementing the hook of ``event_type`` a call for each case's latest such event.

    Runs in the transaction of the change, set-based (``INSERT ... SELECT``
    from the events just appended). Returns the number of rows written.
    """
    hook = HOOKS[event_type]
    receivers = plugins.implementers(hook)
    if not receivers or not case_ids:
        return 0
    stamp = now()
    written = 0
    ids = sorted(set(case_ids))
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        latest = (select(events_t.c.case_id, events_t.c.id)
                  .where(events_t.c.type == event_type, events_t.c.case_id.in_(chunk))
                  .order_by(events_t.c.case_id, events_t.c.id.desc()))
        # the latest event of the type per case: first row of each case in this order
        newest: dict[int, int] = {}
        for case_id, event_id in conn.execute(latest):
            newest.setdefault(case_id, event_id)
        if not newest:
            continue
        for plugin in receivers:
            source = (select(literal(hook), literal(plugin), events_t.c.case_id, events_t.c.id, literal(stamp),
                             literal(0))
                      .where(events_t.c.id.in_(list(newest.values()))))
            result = conn.execute(insert(outbox_t).from_select(
                ["hook", "plugin", "case_id", "event_id", "created_at", "attempts"], source))
            written += result.rowcount or 0
    return written


@dataclass
class Delivery:
    """What :func:`deliver` did: calls made, and the first failure of each plugin that failed."""

    delivered: int = 0
    failures: list[PluginError] = field(default_factory=list)
    waiting: int = 0  # rows still owed (to failed plugins, or to plugins not loaded now)

    def error(self) -> PluginError | None:
        """One line for the command to exit with, naming the first plugin that failed."""
        if not self.failures:
            return None
        first = self.failures[0]
        more = f"; {len(self.failures) - 1} other plugin(s) failed too" if len(self.failures) > 1 else ""
        return PluginError(f"{first} (the change is committed; {self.waiting} event hook call(s) stay queued "
                           f"and are retried on the next run{more})", plugin=first.plugin, subject=first.subject)


def _event(row) -> MappingProxyType:
    return MappingProxyType({"id": row.id, "type": row.type, "case_id": row.case_id, "at": row.at,
                             "actor": row.actor, "data": MappingProxyType(dict(row.data or {}))})


def deliver(store) -> Delivery:
    """Call the hooks owed by the outbox to the loaded plugins, oldest first; see the module docstring.

    Rows owed to a plugin that is not loaded now (uninstalled, or left out by
    ``OPENLEDGER_LOAD_PLUGINS``) wait for it. When no loaded plugin implements
    an event hook, the outbox is not read at all (no call could be made).
    """
    report = Delivery()
    if not any(plugins.implementers(hook) for hook in HOOKS.values()):
        return report  # no loaded plugin can take a call now: nothing is read, what is owed waits for one
    loaded = {name for name, plugin in plugins.manager().list_name_plugin() if plugin is not None}
    failed: set[str] = set()
    after = 0
    while True:
        with store.engine.connect() as conn:
            rows = conn.execute(select(outbox_t).where(outbox_t.c.id > after).order_by(outbox_t.c.id)
                                .limit(CHUNK)).all()
            if not rows:
                break
            after = rows[-1].id
            todo = [r for r in rows if r.plugin in loaded]
            report.waiting += len(rows) - len(todo)
            views = {v.id: v for v in case_views(conn, sorted({r.case_id for r in todo}))}
            events = {e.id: e for e in conn.execute(
                select(events_t).where(events_t.c.id.in_(sorted({r.event_id for r in todo}))))}
        done: list[int] = []
        for row in todo:
            if row.plugin in failed:
                report.waiting += 1
                continue
            if row.case_id not in views or row.event_id not in events:  # nothing left to report
                done.append(row.id)
                continue
            try:
                plugins.call_one(row.hook, row.plugin, case=views[row.case_id], event=_event(events[row.event_id]))
            except Exception as exc:  # noqa: BLE001 (a plugin's bug or outage: reported in one line naming it)
                failed.add(row.plugin)
                report.waiting += 1
                message = (f"{plugins.describe(row.plugin)}: {row.hook} failed for case {row.case_id}: "
                           f"{type(exc).__name__}: {exc}")
                report.failures.append(PluginError(message, plugin=row.plugin, subject=f"case {row.case_id}"))
                with store.engine.begin() as conn:
                    conn.execute(update(outbox_t).where(outbox_t.c.id == row.id)
                                 .values(attempts=outbox_t.c.attempts + 1, last_error=message))
                    record_fault(conn, row.plugin, f"case {row.case_id}", message)
                continue
            done.append(row.id)
            report.delivered += 1
        if done:
            with store.engine.begin() as conn:
                conn.execute(delete(outbox_t).where(outbox_t.c.id.in_(done)))
    return report

"""Agent actions: respond, escalate, resolve, reopen. Each is one event.

An action checks that it makes sense for the case's current state, appends
its event and updates the case in one transaction, which also writes the
event hook calls it owes to the outbox (``case_resolved``); then it delivers
them (:mod:`openledger.cases.outbox`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, select, update

from openledger.cases import outbox
from openledger.cases.events import append_events, event_row
from openledger.errors import NotFoundError, OpenLedgerError
from openledger.records import MONEYLESS_REMEDIES, OUTCOMES, REMEDIES
from openledger.store import ledger
from openledger.store.models import cases_table as cases_t
from openledger.store.models import events_table as events_t
from openledger.timeutil import now, to_utc

if TYPE_CHECKING:
    from openledger.cases.replies import ReplyLabels


#: the statements every action runs, made once (a statement built per call costs more CPU than SQLite's work)
_LOAD = select(cases_t).where(cases_t.c.id == bindparam("case_id")).with_for_update()
_LATEST = (select(events_t)
           .where(events_t.c.case_id == bindparam("case_id"), events_t.c.type == bindparam("type"))
           .order_by(events_t.c.id.desc())
           .limit(1))


_UPDATES: dict[tuple[str, ...], Any] = {}


def _update(columns: tuple[str, ...]):
    """The update of a case's ``columns`` (bound as ``new_<column>``), made once per set of columns."""
    statement = _UPDATES.get(columns)
    if statement is None:
        statement = _UPDATES[columns] = (update(cases_t).where(cases_t.c.id == bindparam("case_id"))
                                         .values({name: bindparam(f"new_{name}") for name in columns}))
    return statement


def _load(conn, case_id: int):
    row = conn.execute(_LOAD, {"case_id": case_id}).first()
    if row is None:
        raise NotFoundError(f"no case {case_id}")
    return row


def _latest(conn, case_id: int, type: str):
    return conn.execute(_LATEST, {"case_id": case_id, "type": type}).first()


def _record(store, case_id: int, build, then: Callable[[object, dict], dict | None] | None = None) -> dict:
    """Do ``build(conn, case) -> (event, changes)`` in one transaction; ``then(conn, event)`` may add an
    event after it (a reply's ``classified`` event), recorded in the same transaction."""
    with store.engine.begin() as conn:
        ledger.lock(conn)
        case = _load(conn, case_id)
        event, changes = build(conn, case)
        more = then(conn, event) if then is not None else None
        append_events(conn, [event] if more is None else [event, more])
        if changes:
            conn.execute(_update(tuple(changes)), {"case_id": case_id, **{f"new_{k}": v for k, v in changes.items()}})
        if event["type"] in outbox.HOOKS:
            outbox.enqueue(conn, event["type"], [case_id])
    failed = outbox.deliver(store).error()  # this action's calls, and any owed from an earlier run
    if failed is not None:
        raise failed
    return event


def respond(store, case_id: int, *, text: str | None = None, accept_draft: bool = False,
            channel: str | None = None, reason: str | None = None, agent: str = "agent",
            at: datetime | None = None, labels: ReplyLabels | None = None) -> dict:
    """Record that the company answered the customer (with its own text or the draft).

    With ``labels`` (the instance's outbound classifiers,
    :class:`openledger.cases.replies.ReplyLabels`; the command line always
    gives them) the reply is classified as it goes out and its ``moves_private``
    and ``gag`` labels are recorded in the same transaction, as a ``classified``
    event after the ``responded`` one (see :mod:`openledger.cases.replies` for
    what is recorded and when). The returned event then has ``classified``:
    that event, or None.
    """
    at = to_utc(at) or now()
    seen: dict = {}

    def build(conn, case):
        if case.status == "resolved":
            raise OpenLedgerError(f"case {case_id} is resolved; reopen it first")
        draft = _latest(conn, case_id, "drafted")
        if accept_draft:
            if draft is None:
                raise OpenLedgerError(f"case {case_id} has no drafted reply (run 'openledger process')")
            body, source = draft.private.get("reply") if draft.private else None, "draft"
        elif text:
            body, source = text, "agent" if draft is None else "override"
            if draft is not None and not reason:
                raise OpenLedgerError(f"case {case_id} has a drafted reply: give --reason to send another text")
        else:
            raise OpenLedgerError("give --text or --accept-draft")
        data = {
            "channel": channel or case.channel,
            "visibility": "private" if channel and channel != case.channel else case.visibility,
            "reply": source,
        }
        private = {"text": body, "agent": agent}
        if reason:
            private["reason"] = reason
        changes: dict[str, object] = {"status": "open"} if case.status == "new" else {}
        if case.first_response_at is None or at < case.first_response_at:
            changes["first_response_at"] = at
        return event_row(case_id, "responded", at, f"agent:{agent}", data, private), changes

    def classify(conn, event: dict) -> dict | None:
        assert labels is not None
        body = event["private"].get("text")
        if not isinstance(body, str):
            return None
        seen["classified"] = labels.event(conn, case_id, body, event["data"]["visibility"], at, "respond")
        return seen["classified"]

    event = _record(store, case_id, build, classify if labels is not None else None)
    return {**event, "classified": seen.get("classified")} if labels is not None else event


def escalate(store, case_id: int, *, tier: int | None = None, reason: str, agent: str = "agent",
             at: datetime | None = None) -> dict:
    """Move a case to a higher tier."""
    at = to_utc(at) or now()

    def build(conn, case):
        if case.status == "resolved":
            raise OpenLedgerError(f"case {case_id} is resolved; reopen it first")
        new_tier = tier if tier is not None else max(1, case.tier) + 1
        if new_tier <= case.tier:
            raise OpenLedgerError(f"case {case_id} is already at tier {case.tier}")
        data = {"tier": new_tier, "reason": "agent"}
        return event_row(case_id, "escalated", at, f"agent:{agent}", data, {"reason": reason, "agent": agent}), {
            "tier": new_tier,
            "escalated": True,
        }

    return _record(store, case_id, build)


def resolve(store, case_id: int, *, outcome: str, remedy: str | None = None, amount: float | None = None,
            reason: str | None = None, agent: str = "agent", at: datetime | None = None) -> dict:
    """Close a case with an outcome and remedy. Departing from the proposal needs a reason.

    Returns the ``resolved`` event, with ``proposal``: the remedy proposal it was
    measured against (``remedy``, ``amount``, ``deciders``), or None when there was none.
    """
    if outcome not in OUTCOMES:
        raise OpenLedgerError(f"outcome must be one of {', '.join(OUTCOMES)}")
    if remedy is not None and remedy not in REMEDIES:
        raise OpenLedgerError(f"remedy must be one of {', '.join(REMEDIES)}")
    if amount is not None and (amount < 0 or amount != amount):
        raise OpenLedgerError("amount must be a number >= 0")
    at = to_utc(at) or now()
    seen: dict = {}

    def build(conn, case):
        if case.status == "resolved":
            raise OpenLedgerError(f"case {case_id} is already resolved")
        proposal = _latest(conn, case_id, "remedy-proposed")
        proposed = (proposal.data["remedy"], float(proposal.data.get("amount", 0.0))) if proposal else None
        if proposal is not None and proposed is not None:
            seen["proposal"] = {"remedy": proposed[0], "amount": proposed[1],
                                "deciders": list(proposal.data.get("deciders") or [])}
        chosen_remedy = remedy or (proposed[0] if proposed else "none")
        chosen_amount = (
            float(amount) if amount is not None
            else (proposed[1] if proposed and chosen_remedy == proposed[0] else 0.0)
        )
        if chosen_amount > 0 and chosen_remedy in MONEYLESS_REMEDIES:
            raise OpenLedgerError(
                f"case {case_id}: a remedy of {chosen_remedy} has no amount; give --amount 0 or another --remedy")
        overridden = proposed is not None and (chosen_remedy, chosen_amount) != proposed
        if overridden and not reason:
            assert proposed is not None  # overridden means there was a proposal
            raise OpenLedgerError(
                f"case {case_id}: the proposed remedy was {proposed[0]} {proposed[1]:g}; "
                "give --reason to decide otherwise"
            )
        data = {"outcome": outcome, "remedy": chosen_remedy, "amount": chosen_amount,
                "remedy_source": "override" if overridden else ("proposal" if proposed else "agent")}
        private = {"agent": agent, **({"reason": reason} if reason else {})}
        changes = {"status": "resolved", "resolved_at": at, "outcome": outcome, "remedy": chosen_remedy,
                   "amount": chosen_amount}
        return event_row(case_id, "resolved", at, f"agent:{agent}", data, private), changes

    event = _record(store, case_id, build)
    return {**event, "proposal": seen.get("proposal")}


def reopen(store, case_id: int, *, reason: str, agent: str = "agent",
           at: datetime | None = None) -> dict:
    """Open a resolved case again."""
    at = to_utc(at) or now()

    def build(conn, case):
        if case.status != "resolved":
            raise OpenLedgerError(f"case {case_id} is not resolved")
        return event_row(case_id, "reopened", at, f"agent:{agent}", {}, {"reason": reason, "agent": agent}), {
            "status": "open",
            "reopened": True,
            "resolved_at": None,
            "outcome": None,
        }

    return _record(store, case_id, build)

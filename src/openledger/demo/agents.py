"""Simulated agents carry out the plan through :mod:`openledger.cases.actions`.

Every imported case is found again in the plan (:mod:`.keys`); its planned
actions (respond, escalate, resolve, reopen, resolve again) are then done in
time order across all cases, each at its planned moment, exactly as an agent
would with ``openledger respond`` / ``escalate`` / ``resolve`` / ``reopen``.
Remedies follow the channel-blind proposal that ``process`` made, except
where the plan says otherwise: a goodwill credit under the
``public-favoured`` bias, an apology where the policy had nothing.

Every third public tweet, post or review is first answered in the agent's
own words, asking the customer to continue in private (:data:`OWN_WORDS`);
under the bias a few public complaints get a refund by e-mail that asks
the customer to delete the post (:data:`GAG_WORDS`). Each reply is
classified as it goes out (:mod:`openledger.cases.replies`), so the moves
and the gag requests are on the log as ``openledger respond`` puts them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC

from sqlalchemy import and_, select

from openledger.cases import actions
from openledger.cases.replies import ReplyLabels
from openledger.demo.company import SUPPORT_ADDRESS
from openledger.demo.keys import match_key
from openledger.demo.plan import DemoCase, Plan
from openledger.errors import OpenLedgerError
from openledger.store.models import cases_table as cases_t
from openledger.store.models import events_table as events_t
from openledger.store.models import messages_table as messages_t

GOODWILL = 25.0
#: the first reply to a public case the plan moves private (``DemoCase.moved``), in the agent's own words
OWN_WORDS = {
    "twitter": "Sorry to hear this! We've sent you a DM so we can look at your account. ^{initials}",
    "facebook": "Hi {first}, we're sorry about this. Please send us a private message so we can sort it out.",
    "review": f"Hi {{first}}, thank you for the feedback. Please email us at {SUPPORT_ADDRESS} so we can make this "
              "right.",
}
#: the private reply (by e-mail) to a public case the plan resolves with a gag request (``DemoCase.gag``)
GAG_WORDS = {
    "twitter": "Hi {first}, we have refunded the charge in full. We would ask that you now delete your tweet about us.",
    "review": "Hi {first}, we have refunded you in full. We'd ask that you remove your review.",
}


@dataclass
class AgentReport:
    """What the simulated agents did."""

    matched: int = 0
    unmatched: int = 0
    actions: Counter = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)


def _utc(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def match_cases(store, plan: Plan) -> tuple[dict[int, DemoCase], dict[int, tuple[str, float]], dict[int, int]]:
    """(case id -> planned case, case id -> proposed remedy, case id -> tier) for imported open cases."""
    wanted = {match_key(c.source, c.opened, c.message.text): c for c in plan.cases if c.source != "cfpb"}
    opener = and_(messages_t.c.source == cases_t.c.source, messages_t.c.external_id == cases_t.c.external_id)
    found: dict[int, DemoCase] = {}
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(cases_t.c.id, cases_t.c.source, cases_t.c.tier, messages_t.c.timestamp, messages_t.c.text)
            .join(messages_t, opener).where(cases_t.c.status != "resolved")
        )
        tiers = {}
        for case_id, source, tier, when, text in rows:
            planned = wanted.get(match_key(source, _utc(when), text))
            if planned is not None:
                found[case_id] = planned
                tiers[case_id] = tier
        proposals = {
            case_id: (data["remedy"], float(data.get("amount", 0.0)))
            for case_id, data in conn.execute(
                select(events_t.c.case_id, events_t.c.data).where(events_t.c.type == "remedy-proposed")
            )
        }
    return found, proposals, tiers


def remedy_for(case: DemoCase, outcome: str, proposal: tuple[str, float] | None) -> dict:
    """The resolve() arguments for the remedy: the proposal, or a decision with its reason."""
    proposed, amount = proposal or ("none", 0.0)
    if case.goodwill and outcome != "declined":
        return {"remedy": "credit", "amount": max(amount, 0.0) + GOODWILL, "reason": "goodwill credit"}
    if outcome in ("upheld", "partly-upheld"):
        if proposed != "none":
            if outcome == "partly-upheld" and amount > 0:
                return {"remedy": proposed, "amount": round(amount / 2, 2), "reason": "partly upheld: half the amount"}
            return {}
        return {"remedy": "apology", "amount": 0.0, "reason": "upheld; the policy proposes no remedy"}
    if proposed == "none":
        return {}
    return {"remedy": "none", "amount": 0.0, "reason": f"{outcome}: no remedy due"}


def _steps(case_id: int, case: DemoCase) -> list[tuple]:
    steps = []
    if case.respond_at:
        steps.append((case.respond_at, 0, case_id, "respond"))
    if case.escalate_at:
        steps.append((case.escalate_at, 1, case_id, "escalate"))
    if case.resolve_at:
        steps.append((case.resolve_at, 2, case_id, "resolve"))
    if case.reopen_at and case.reresolve_at:  # planned together
        steps.append((case.reopen_at, 3, case_id, "reopen"))
        steps.append((case.reresolve_at, 4, case_id, "resolve"))
    return steps


def simulate(store, config, plan: Plan, progress: Callable[[int], None] | None = None,
             total: Callable[[int], None] | None = None) -> AgentReport:
    """Do every planned agent action, in time order; returns what was done."""
    found, proposals, tiers = match_cases(store, plan)
    labels = ReplyLabels.from_config(config)  # each reply is classified as it goes out, as 'openledger respond' does
    report = AgentReport(matched=len(found), unmatched=sum(1 for c in plan.cases if c.source != "cfpb") - len(found))
    steps = sorted(step for case_id, case in found.items() for step in _steps(case_id, case))
    if total:
        total(len(steps))
    for at, _, case_id, what in steps:
        case = found[case_id]
        try:
            if what == "respond":
                if case.gag:
                    text = GAG_WORDS[case.channel.channel].format(first=case.person.first)
                    actions.respond(store, case_id, text=text, channel="email", reason="refund offered by e-mail",
                                    agent=case.agent, at=at, labels=labels)
                elif case.moved:
                    initials = case.agent.split("-")[-1][:2].upper()
                    text = OWN_WORDS[case.channel.channel].format(first=case.person.first, initials=initials)
                    actions.respond(store, case_id, text=text, reason="public reply kept short",
                                    agent=case.agent, at=at, labels=labels)
                else:
                    actions.respond(store, case_id, accept_draft=True, agent=case.agent, at=at, labels=labels)
            elif what == "escalate":
                if tiers.get(case_id, 1) >= 3:
                    continue
                reason = "fraud team" if case.message.topic == "fraud" else "needs a supervisor"
                actions.escalate(store, case_id, reason=reason, agent=case.agent, at=at)
            elif what == "resolve":
                assert case.outcome is not None  # planned with every resolution
                actions.resolve(store, case_id, outcome=case.outcome, agent=case.agent, at=at,
                                **remedy_for(case, case.outcome, proposals.get(case_id)))
            else:
                actions.reopen(store, case_id, reason="customer says the problem came back",
                               agent=case.agent, at=at)
        except OpenLedgerError as exc:
            report.skipped.append(f"case {case_id} {what}: {exc}")
            continue
        report.actions[what] += 1
        if progress:
            progress(1)
    return report

"""Plugin: the response hierarchy responder and the channel-blind remedy policy.

Registers two responders (see :func:`openledger.hookspecs.register_responders`):

- ``hierarchy`` drafts the reply: it assesses the severity from the labels,
  looks up the hierarchy rule for (kind, category, severity), applies the
  escalation rules, computes the due times on the business calendar and
  renders the rule's template;
- ``remedy-policy`` proposes a remedy from the policy table, seeing only the
  :class:`~openledger.records.BlindCaseView`.

Config keys read: ``hierarchy_file``, ``templates_dir``, ``home``,
``calendar``, ``escalation``, ``remedies``, ``replies.signature``,
``company.name``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from openledger import hookimpl
from openledger.builtin.responders import drafts
from openledger.builtin.responders.escalation import (
    EscalationRules,
    decide_escalation,
    rules_from_config,
)
from openledger.builtin.responders.remedies import (
    RemedyPolicy,
    policy_from_config,
    propose_remedy,
)
from openledger.builtin.responders.severity import (
    assess_severity,
    is_spam,
    label_detail,
    label_value,
)
from openledger.cases.calendar import BusinessCalendar, add_hours, calendar_from_config
from openledger.cases.hierarchy import Hierarchy, load_hierarchy
from openledger.records import BlindCaseView, CaseView, Draft, RemedyProposal

VERSION = "1.1"  # 1.1: spam is what the audit leaves out (yes with confidence >= 0.9)


def kind_is_complaint(labels: Mapping) -> bool:
    """True for a complaint (or when no classifier decided the kind)."""
    return label_value(labels, "kind") in (None, "complaint")


@dataclass
class HierarchyResponder:
    """Drafts replies by the published response hierarchy."""

    hierarchy: Hierarchy
    calendar: BusinessCalendar
    escalation: EscalationRules
    config: Mapping = field(default_factory=dict)
    name: str = "hierarchy"
    version: str = VERSION
    description: str = "reply template, tier and targets from the response hierarchy"

    def __post_init__(self) -> None:
        self.env = drafts.environment(self.config)
        replies = self.config.get("replies") or {}
        company = (self.config.get("company") or {}).get("name") or "Customer care"
        self.signature = replies.get("signature") or f"Kind regards,\n{company}"
        self.company = company

    def draft(self, case: CaseView) -> Draft | None:
        """The reply draft, tier and targets for ``case`` (None for spam by the audit's rule: :func:`is_spam`)."""
        labels = case.labels
        if is_spam(labels):
            return None
        # the labels decide; an agent's higher severity on the case is kept
        severity = assess_severity(labels) if labels else (case.severity or 2)
        if labels and kind_is_complaint(labels):
            severity = max(severity, case.severity or 1)
        kind = label_value(labels, "kind") or "complaint"
        category = label_value(labels, "category") or "other"
        policy = self.hierarchy.lookup(kind, category, severity)
        reasons = sorted((label_detail(labels, "urgency").get("reasons") or {}).keys())
        urgent = label_value(labels, "urgency") == "high"
        inbound = [m for m in case.messages if m.direction == "in"]
        decision = decide_escalation(tier=policy.tier, severity=severity, urgent=urgent,
                                     contacts=max(len(inbound), 1), rules=self.escalation)
        first_due = add_hours(self.calendar, case.opened_at, policy.first_response_hours,
                              policy.business_hours)
        resolution_due = add_hours(self.calendar, case.opened_at, policy.resolution_hours,
                                   policy.business_hours)
        context = {
            "topic": drafts.topic_of(category), "summary": drafts.summarise(inbound[0].text if inbound else ""),
            "kind": kind, "category": category, "wants": label_value(labels, "wants") or "none",
            "severity": severity, "tier": decision.tier, "urgent": urgent, "reasons": reasons,
            "case_ref": f"#{case.id}", "first_response_due": drafts.format_due(first_due),
            "resolution_due": drafts.format_due(resolution_due),
            "business_hours": policy.business_hours, "public": case.visibility == "public",
            "company": self.company, "signature": self.signature,
        }
        reply = drafts.render(self.env, policy.template, context)
        detail = {
            "template": policy.template, "rule": policy.rule, "severity": severity,
            "hierarchy": self.hierarchy.source, "first_response_due": first_due.isoformat(),
            "resolution_due": resolution_due.isoformat(),
            "escalation": list(decision.reasons), "consent_requested": kind == "compliment",
        }
        return Draft(reply, decision.tier, policy.first_response_hours, policy.resolution_hours,
                     policy.business_hours, MappingProxyType(detail))


@dataclass
class RemedyResponder:
    """Proposes remedies from the policy table, blind to the channel."""

    policy: RemedyPolicy
    name: str = "remedy-policy"
    version: str = VERSION
    description: str = "channel-blind remedy from the [remedies] policy table"

    def propose_remedy(self, case: BlindCaseView) -> RemedyProposal | None:
        """The remedy for ``case`` (which has no channel, visibility or audience)."""
        return propose_remedy(case, self.policy)


def build(config: Mapping | None = None) -> list:
    """Both responders, configured from ``config``."""
    config = config or {}
    return [
        HierarchyResponder(load_hierarchy(config), calendar_from_config(config),
                           rules_from_config(config), config),
        RemedyResponder(policy_from_config(config)),
    ]


@hookimpl
def register_responders(register, config):
    for responder in build(config):
        register(responder)

"""Escalation rules: when a case goes up a tier, as a pure function.

A case escalates (to a higher tier than its current one) when:

- ``severity``: its severity maps to a higher tier (``severity_tiers``,
  default 4 -> tier 3, 3 -> tier 2);
- ``urgency``: it is labelled urgent (at least ``urgent_tier``, default 2);
- ``repeated-contact``: the customer has written ``repeat_contacts`` times
  or more (default 3) about the same case: one tier up at the threshold and
  one more for each further message;
- ``sla-breach``: a service target is breached: one tier up.

The result never exceeds ``max_tier`` (default 3) and never lowers a tier.
Config: the ``[escalation]`` table with the keys above.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from openledger.cases.sla import TargetStatus
from openledger.errors import ConfigError


@dataclass(frozen=True)
class EscalationRules:
    """The thresholds of the escalation rules (see the module docstring)."""

    severity_tiers: Mapping[int, int] = field(default_factory=lambda: {4: 3, 3: 2})
    urgent_tier: int = 2
    repeat_contacts: int = 3
    max_tier: int = 3


@dataclass(frozen=True)
class Escalation:
    """The decision: the tier the case should be at and why (empty when unchanged)."""

    escalate: bool
    tier: int
    reasons: tuple[str, ...]


def rules_from_config(config: Mapping | None) -> EscalationRules:
    """Read ``config['escalation']``; absent keys keep their defaults."""
    table = (config or {}).get("escalation") or {}
    if not isinstance(table, Mapping):
        raise ConfigError("escalation must be a table", location="[escalation]")
    defaults = EscalationRules()
    try:
        tiers = table.get("severity_tiers")
        severity_tiers = ({int(k): int(v) for k, v in tiers.items()} if tiers is not None
                          else defaults.severity_tiers)
        rules = EscalationRules(
            severity_tiers=severity_tiers,
            urgent_tier=int(table.get("urgent_tier", defaults.urgent_tier)),
            repeat_contacts=int(table.get("repeat_contacts", defaults.repeat_contacts)),
            max_tier=int(table.get("max_tier", defaults.max_tier)),
        )
    except (TypeError, ValueError, AttributeError) as error:
        raise ConfigError(f"escalation settings must be whole numbers: {error}",
                          location="[escalation]") from error
    if rules.max_tier < 1 or rules.repeat_contacts < 2:
        raise ConfigError("max_tier must be >= 1 and repeat_contacts >= 2", location="[escalation]")
    return rules


def decide_escalation(*, tier: int, severity: int, urgent: bool = False,
                      contacts: int = 1, sla: tuple[TargetStatus, ...] = (),
                      rules: EscalationRules = EscalationRules()) -> Escalation:
    """The tier a case should be at, given its state; ``escalate`` when above ``tier``."""
    target = tier
    reasons: list[str] = []

    def raise_to(level: int, reason: str) -> None:
        nonlocal target
        level = min(level, rules.max_tier)
        if level > target:
            target = level
            reasons.append(reason)

    raise_to(rules.severity_tiers.get(severity, tier), f"severity {severity}")
    if urgent:
        raise_to(rules.urgent_tier, "urgent")
    if contacts >= rules.repeat_contacts:
        extra = contacts - rules.repeat_contacts + 1
        raise_to(tier + extra, f"repeated contact ({contacts} messages)")
    broken = [s.name for s in sla if s.state == "breached"]
    if broken:
        raise_to(target + 1, "sla breached: " + ", ".join(broken))
    return Escalation(target > tier, target, tuple(reasons))

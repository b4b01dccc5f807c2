"""The decision contract: what classifiers and responders may return, checked where it is used.

``openledger process`` (and ``openledger classify``) hold every answer of a
plugin to these rules before anything is recorded:

- a :class:`~openledger.records.Label`: ``value`` a string within the value
  set of its label: the fixed values of :data:`openledger.records.LABEL_VALUES`
  (``kind``, ``sentiment``, ``urgency``, ``wants``, ``spam``, ``severity``,
  ``leverage``, ``tone``, ``moves_private``, ``gag``),
  the instance's taxonomy for ``category`` (:func:`categories`), or the
  ``values`` the classifier declares for a label of its own; a classifier
  that declares ``values`` for a standard label is held to those too;
  ``confidence`` a number in [0, 1]; ``detail`` a mapping;
- a :class:`~openledger.records.Draft`: ``reply`` a string, ``tier`` a whole
  number from 1 to ``[escalation] max_tier`` (default 3), service targets
  None or hours >= 0, ``detail`` a mapping;
- a :class:`~openledger.records.RemedyProposal`: ``remedy`` one of
  :data:`~openledger.records.REMEDIES`, ``amount`` a number from 0 to
  ``[remedies] max_amount`` (default 500), and 0 for ``none`` and
  ``apology``; ``reason`` a string.

A broken answer is a :class:`~openledger.errors.PluginError` naming the
plugin, the object and the case (see :mod:`openledger.cases.process`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from openledger.errors import ConfigError
from openledger.records import (
    DEFAULT_CATEGORIES,
    LABEL_VALUES,
    MONEYLESS_REMEDIES,
    REMEDIES,
    Draft,
    Label,
    RemedyProposal,
)

DEFAULT_MAX_TIER = 3
DEFAULT_MAX_AMOUNT = 500.0
OTHER = "other"


def categories(config: Mapping) -> frozenset[str]:
    """The instance's categories: ``[taxonomy]`` (``taxonomy_mode`` replace or extend) or the default, and ``other``."""
    table = config.get("taxonomy")
    mode = config.get("taxonomy_mode", "replace")
    if mode not in ("replace", "extend"):
        raise ConfigError(f"taxonomy_mode must be 'replace' or 'extend', not {mode!r}", location="[taxonomy]")
    names = set(DEFAULT_CATEGORIES) if table is None or mode == "extend" else {OTHER}
    if isinstance(table, Mapping):
        names.update(str(name) for name in table)
    return frozenset(names)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class Limits:
    """What the instance allows a plugin to decide."""

    categories: frozenset[str] = frozenset(DEFAULT_CATEGORIES)
    max_tier: int = DEFAULT_MAX_TIER
    max_amount: float = DEFAULT_MAX_AMOUNT

    @classmethod
    def from_config(cls, config: Mapping) -> Limits:
        escalation = config.get("escalation") or {}
        remedies = config.get("remedies") or {}
        max_tier = escalation.get("max_tier", DEFAULT_MAX_TIER) if isinstance(escalation, Mapping) else None
        max_amount = remedies.get("max_amount", DEFAULT_MAX_AMOUNT) if isinstance(remedies, Mapping) else None
        if not isinstance(max_tier, int) or isinstance(max_tier, bool) or max_tier < 1:
            raise ConfigError(f"max_tier must be a whole number >= 1, not {max_tier!r}", location="[escalation]")
        if not _number(max_amount) or max_amount < 0:  # type: ignore[operator]
            raise ConfigError(f"max_amount must be a number >= 0, not {max_amount!r}", location="[remedies]")
        return cls(categories(config), max_tier, float(max_amount))  # type: ignore[arg-type]

    def values_of(self, label: str) -> frozenset[str] | None:
        """The value set of a standard label (None for a label of a plugin's own)."""
        if label == "category":
            return self.categories
        fixed = LABEL_VALUES.get(label)
        return frozenset(fixed) if fixed is not None else None


def _listed(values) -> str:
    shown = sorted(values)
    return ", ".join(shown[:12]) + (f" (and {len(shown) - 12} more)" if len(shown) > 12 else "")


def label_problem(classifier: object, label: object, limits: Limits) -> str | None:
    """What is wrong with a classifier's answer (None when nothing is)."""
    if not isinstance(label, Label):
        return f"returned {type(label).__name__}, not a Label or None"
    name = classifier.label  # type: ignore[attr-defined]
    if not isinstance(label.value, str) or not label.value:
        return f"gave {name} {label.value!r}, not a non-empty string"
    declared = getattr(classifier, "values", None)
    allowed = limits.values_of(name)
    if allowed is not None and label.value not in allowed:
        where = "the taxonomy" if name == "category" else "the values of that label"
        return f"gave {name} {label.value!r}, which is not in {where}: {_listed(allowed)}"
    if declared is not None and label.value not in set(declared):
        return f"gave {name} {label.value!r}, which is not one of the values it declares: {_listed(declared)}"
    if not _number(label.confidence) or not 0 <= label.confidence <= 1:
        return f"gave {name} {label.value!r} a confidence of {label.confidence!r}, not a number in [0, 1]"
    if not isinstance(label.detail, Mapping):
        return f"gave {name} {label.value!r} a detail that is not a mapping"
    return None


def draft_problem(draft: object, limits: Limits) -> str | None:
    """What is wrong with a responder's draft (None when nothing is)."""
    if not isinstance(draft, Draft):
        return f"returned {type(draft).__name__}, not a Draft or None"
    if not isinstance(draft.reply, str):
        return f"drafted a reply that is {type(draft.reply).__name__}, not a string"
    if not isinstance(draft.tier, int) or isinstance(draft.tier, bool) or not 1 <= draft.tier <= limits.max_tier:
        return f"gave tier {draft.tier!r}, not a whole number from 1 to {limits.max_tier} ([escalation] max_tier)"
    for name in ("first_response_hours", "resolution_hours"):
        value = getattr(draft, name)
        if value is not None and (not _number(value) or value < 0):
            return f"gave {name} {value!r}, not None or a number of hours >= 0"
    if not isinstance(draft.detail, Mapping):
        return "gave a detail that is not a mapping"
    return None


def remedy_problem(proposal: object, limits: Limits) -> str | None:
    """What is wrong with a responder's remedy proposal (None when nothing is)."""
    if not isinstance(proposal, RemedyProposal):
        return f"returned {type(proposal).__name__}, not a RemedyProposal or None"
    if proposal.remedy not in REMEDIES:
        return f"proposed remedy {proposal.remedy!r}, which is not in the policy: {', '.join(REMEDIES)}"
    amount = proposal.amount
    if not _number(amount) or not 0 <= amount <= limits.max_amount:
        return (f"proposed {proposal.remedy} of {amount!r}, not an amount from 0 to {limits.max_amount:g} "
                "([remedies] max_amount)")
    if amount > 0 and proposal.remedy in MONEYLESS_REMEDIES:
        return f"proposed {proposal.remedy} with an amount of {amount:g}: a remedy of {proposal.remedy} has none"
    if not isinstance(proposal.reason, str):
        return "gave a reason that is not a string"
    return None

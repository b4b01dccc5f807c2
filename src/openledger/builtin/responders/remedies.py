"""Channel-blind remedy proposals from a published policy table.

:func:`propose_remedy` receives only a :class:`~openledger.records.BlindCaseView`
(no channel, visibility, audience or handle) and decides from the case's
``kind``, ``category`` and ``wants`` labels, its severity, and the amounts
the customer mentioned. The policy is a table in ``openledger.toml``::

    [remedies]
    max_amount = 500.0        # no proposal above this (the agent can still decide)
    goodwill_amount = 20.0    # what amount = "goodwill" means
    currency = "GBP"          # only a label for the reason text

    [[remedies.rule]]         # rules replace the default table when given
    kind = "complaint"        # "*" or absent = any
    category = "billing"
    wants = "compensation"
    min_severity = 1
    remedy = "refund"         # refund, credit, replacement, repair, apology, none
    amount = "mentioned"      # "mentioned", "goodwill" or a number

The most specific matching rule wins (kind, category, wants and a
``min_severity`` above 1 each count one); among equals, the first. An
amount "mentioned" is the sum the customer asked for: the amount written
closest to a money word (refund, back, reimburse, owe, compensation...),
else the largest amount in their messages, capped at ``max_amount``; with
none written, the amount is 0 and the reason says it must be assessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from openledger import patterns
from openledger.builtin.responders.severity import is_spam, label_value
from openledger.errors import ConfigError
from openledger.records import (
    MONEYLESS_REMEDIES,
    REMEDIES,
    BlindCaseView,
    RemedyProposal,
)

_AMOUNT = patterns.compile(
    # bounded repeats (no amount has more than 12 digits before its decimals), and an amount before
    # its currency starts where its digits start: every position of a long run of digits reads a
    # few characters, so the scan is linear
    r"(?:[£$€]|\{\$|\b(?:gbp|usd|eur)\s?)\s?(?P<a>\d{1,3}(?:[,  ]\d{3}){1,4}(?:[.,]\d{1,2})?|\d{1,12}(?:[.,]\d{1,2})?)"
    r"|(?<!\d)(?P<b>\d{1,3}(?:[,. ]\d{3}){0,4}(?:[.,]\d{1,2})?|\d{1,12}(?:[.,]\d{1,2})?)"
    r"\s?(?:€|eur\b|euros?\b|gbp\b|usd\b|dollars\b|pounds\b)",
    re.I,
)
_MONEY_WORDS = patterns.compile(
    r"refund|reimburs|\bback\b|compensat|\bowe|difference|\bcredit|reembols|rembours|"
    r"erstatt|zurück|devol|indemni|dédommag", re.I)
_NEAR = 30  # characters between an amount and a money word for them to belong together


@dataclass(frozen=True)
class RemedyRule:
    """One row of the remedy policy."""

    kind: str
    category: str
    wants: str
    min_severity: int
    remedy: str
    amount: str | float

    @property
    def specificity(self) -> int:
        return ((self.kind != "*") + (self.category != "*") + (self.wants != "*")
                + (self.min_severity > 1))


@dataclass(frozen=True)
class RemedyPolicy:
    """The remedy table and its amount settings."""

    rules: tuple[RemedyRule, ...]
    max_amount: float = 500.0
    goodwill_amount: float = 20.0
    currency: str = "GBP"


def _rule(kind, category, wants, remedy, amount=0.0, min_severity=1) -> RemedyRule:
    return RemedyRule(kind, category, wants, min_severity, remedy, amount)


DEFAULT_RULES: tuple[RemedyRule, ...] = (
    _rule("*", "*", "*", "none"),
    _rule("complaint", "*", "*", "apology"),
    _rule("complaint", "*", "compensation", "refund", "mentioned"),
    _rule("complaint", "service", "compensation", "credit", "goodwill"),
    _rule("complaint", "billing", "fix", "credit", "mentioned"),
    _rule("complaint", "delivery", "fix", "replacement"),
    _rule("complaint", "product-fault", "fix", "repair"),
    _rule("complaint", "*", "sympathy", "credit", "goodwill", min_severity=3),
)


def policy_from_config(config: Mapping | None) -> RemedyPolicy:
    """Read ``config['remedies']`` (see the module docstring); defaults when absent."""
    table = (config or {}).get("remedies") or {}
    if not isinstance(table, Mapping):
        raise ConfigError("remedies must be a table", location="[remedies]")
    rules = DEFAULT_RULES
    if "rule" in table:
        rules = tuple(_parse_rule(row, i) for i, row in enumerate(table["rule"]))
    try:
        max_amount = float(table.get("max_amount", 500.0))
        goodwill = float(table.get("goodwill_amount", 20.0))
    except (TypeError, ValueError) as error:
        raise ConfigError("max_amount and goodwill_amount must be numbers",
                          location="[remedies]") from error
    return RemedyPolicy(rules, max_amount, goodwill, str(table.get("currency", "GBP")))


def _parse_rule(row, index: int) -> RemedyRule:
    where = f"[[remedies.rule]] {index + 1}"
    if not isinstance(row, Mapping):
        raise ConfigError("each rule must be a table", location=where)
    remedy = row.get("remedy")
    if remedy not in REMEDIES:
        raise ConfigError(f"remedy must be one of {', '.join(REMEDIES)}, not {remedy!r}",
                          location=where)
    amount = row.get("amount", 0.0)
    if not (amount in ("mentioned", "goodwill")
            or (isinstance(amount, (int, float)) and not isinstance(amount, bool) and amount >= 0)):
        raise ConfigError(f"amount must be 'mentioned', 'goodwill' or a number >= 0, not {amount!r}",
                          location=where)
    if remedy in MONEYLESS_REMEDIES and amount != 0:
        raise ConfigError(f"remedy {remedy} carries no amount: leave amount out", location=where)
    severity = row.get("min_severity", 1)
    if not isinstance(severity, int) or not 1 <= severity <= 4:
        raise ConfigError("min_severity must be 1-4", location=where)
    return RemedyRule(str(row.get("kind", "*")), str(row.get("category", "*")),
                      str(row.get("wants", "*")), severity, remedy, amount)


def _number(raw: str) -> float:
    raw = raw.replace(" ", "").replace("\u00a0", "")
    if "," in raw and "." in raw:
        raw = raw.replace(",", "") if raw.rfind(".") > raw.rfind(",") else raw.replace(".", "").replace(",", ".")
    elif "," in raw:
        raw = raw.replace(",", ".") if re.search(r",\d{2}$", raw) else raw.replace(",", "")
    elif re.search(r"\.\d{3}$", raw) and raw.count(".") >= 1 and not re.search(r"\.\d{1,2}$", raw):
        raw = raw.replace(".", "")  # 1.450 € is one thousand four hundred and fifty
    return float(raw)


def mentioned_amounts(text: str) -> list[tuple[float, int | None]]:
    """Money amounts written in ``text``, each with the distance to the nearest money word."""
    text = text or ""
    words = [(m.start(), m.end()) for m in _MONEY_WORDS.finditer(text)]
    found = []
    for match in _AMOUNT.finditer(text):
        raw = match.group("a") or match.group("b")
        try:
            value = _number(raw)
        except ValueError:
            continue
        gaps = [max(start - match.end(), match.start() - end, 0) for start, end in words]
        near = min(gaps) if gaps and min(gaps) <= _NEAR else None
        found.append((value, near))
    return found


def claimed_amount(texts: list[str]) -> float | None:
    """The amount the customer asks for (see the module docstring), or None.

    The amount closest to a money word (refund, back, owe...) wins, the
    larger on a tie; with no money word near any amount, the largest amount.
    """
    amounts = [a for text in texts for a in mentioned_amounts(text)]
    if not amounts:
        return None
    near = [(gap, -value) for value, gap in amounts if gap is not None]
    if near:
        return -min(near)[1]
    return max(value for value, _ in amounts)


def propose_remedy(case: BlindCaseView, policy: RemedyPolicy | None = None) -> RemedyProposal:
    """Propose a remedy for ``case`` from the policy table, blind to the channel."""
    policy = policy or RemedyPolicy(DEFAULT_RULES)
    labels = case.labels
    if is_spam(labels):
        return RemedyProposal("none", 0.0, "spam or not actionable")
    kind = label_value(labels, "kind") or "complaint"
    category = label_value(labels, "category") or "other"
    wants = label_value(labels, "wants") or "none"
    matching = [r for r in policy.rules
                if r.kind in ("*", kind) and r.category in ("*", category)
                and r.wants in ("*", wants) and case.severity >= r.min_severity]
    if not matching:
        return RemedyProposal("none", 0.0, f"no policy rule for {kind}/{category}/{wants}")
    rule = max(matching, key=lambda r: (r.specificity, -policy.rules.index(r)))
    basis = (f"policy {rule.kind}/{rule.category}/{rule.wants}"
             f"{f'/severity>={rule.min_severity}' if rule.min_severity > 1 else ''}")
    if rule.amount == "goodwill":
        return RemedyProposal(rule.remedy, policy.goodwill_amount, f"{basis}: goodwill amount")
    if rule.amount != "mentioned":
        return RemedyProposal(rule.remedy, float(rule.amount), basis)
    texts = [m.text for m in case.messages if m.direction == "in"]
    amount = claimed_amount(texts)
    if amount is None:
        return RemedyProposal(rule.remedy, 0.0, f"{basis}: no amount written, to be assessed")
    if amount > policy.max_amount:
        return RemedyProposal(rule.remedy, policy.max_amount,
                              f"{basis}: {amount:.2f} {policy.currency} asked, capped at "
                              f"{policy.max_amount:.2f}; an agent decides the rest")
    return RemedyProposal(rule.remedy, round(amount, 2), f"{basis}: amount the customer wrote")

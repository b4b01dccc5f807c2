"""Severity of a case (1 low, 2 normal, 3 high, 4 critical) from its labels.

The rule is deliberately simple and published:

- 1: not a complaint (question, suggestion, compliment) or spam (by the audit's rule, :func:`is_spam`);
- 4: a complaint with an urgent safety, medical, stranded or fraud reason;
- 3: any other urgent complaint (legal threat, deadline), or a complaint
  about fraud, or one written with very strong negative emotion
  (VADER intensity >= 0.85);
- 2: every other complaint.

It reads only labels, never the channel or the audience.
"""

from __future__ import annotations

from collections.abc import Mapping

from openledger.audit.exclusion import labels_spam

CRITICAL_REASONS = ("safety", "medical", "stranded", "fraud")


def label_value(labels: Mapping, name: str) -> str | None:
    """The value of label ``name`` whether stored as a Label or as a plain dict."""
    label = labels.get(name)
    if label is None:
        return None
    if isinstance(label, Mapping):
        return label.get("value")
    return getattr(label, "value", None)


def label_detail(labels: Mapping, name: str) -> Mapping:
    """The ``detail`` mapping of label ``name`` (empty when absent)."""
    label = labels.get(name)
    if label is None:
        return {}
    detail = label.get("detail") if isinstance(label, Mapping) else getattr(label, "detail", None)
    return detail or {}


def is_spam(labels: Mapping) -> bool:
    """Whether the labels make the case spam by the audit's published rule
    (:func:`openledger.audit.exclusion.labels_spam`: ``spam`` = ``yes`` with confidence >= 0.9).
    A case the audit counts is answered as one: a less certain ``yes`` still gets a draft and a remedy."""
    return labels_spam(labels)


def assess_severity(labels: Mapping) -> int:
    """Severity 1-4 from the ``kind``, ``spam``, ``urgency``, ``category`` and ``sentiment`` labels."""
    if is_spam(labels) or label_value(labels, "kind") not in (None, "complaint"):
        return 1
    if label_value(labels, "urgency") == "high":
        reasons = label_detail(labels, "urgency").get("reasons") or {}
        if any(reason in reasons for reason in CRITICAL_REASONS):
            return 4
        return 3
    if label_value(labels, "category") == "fraud":
        return 3
    intensity = label_detail(labels, "sentiment").get("intensity", 0.0)
    if label_value(labels, "sentiment") == "negative" and intensity >= 0.85:
        return 3
    return 2

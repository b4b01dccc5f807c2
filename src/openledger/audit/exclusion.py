"""Which cases the fair treatment audit leaves out, by a published rule: spam.

A case is spam for the audit when its ``classified`` event labels it
``spam = yes`` with a confidence of at least :data:`SPAM_MIN_PERCENT` per cent,
in whole per cent as its log entry publishes it (``confidence_pct``; an exact
confidence is rounded the same way, so the database and the published log
agree). The built-in spam classifier's confidences are calibrated (of the
held-out texts it labelled spam with confidence 0.9 or more, about nine in ten
are spam; see docs/classifiers-and-responders.md), and its exact rules (a group
thread written by several people, the spam markers) answer with 0.97. Such
cases are not in the published outcomes table, the audit's input: they are not
complaints anyone treated well or badly. The site says how many were left out.
"""

from __future__ import annotations

from collections.abc import Mapping

SPAM_MIN_PERCENT = 90
SPAM_MIN_CONFIDENCE = SPAM_MIN_PERCENT / 100


def excluded_as_spam(labels: Mapping[str, Mapping[str, object]]) -> bool:
    """Whether labels as recorded on a ``classified`` event (``{"spam": {"value":
    "yes", "confidence": 0.93}, ...}``) or its log entry (``{"spam": {"value": "yes",
    "confidence_pct": 93}}``) put the case out of the audit as spam."""
    spam = labels.get("spam")
    if not spam or spam.get("value") != "yes":
        return False
    percent = spam.get("confidence_pct")
    if percent is None:
        confidence = spam.get("confidence")
        if not isinstance(confidence, (int, float)) or isinstance(confidence, bool):
            return False
        percent = int(round(float(confidence) * 100))  # as the log entry publishes it
    return isinstance(percent, (int, float)) and not isinstance(percent, bool) and percent >= SPAM_MIN_PERCENT


def labels_spam(labels: Mapping[str, object]) -> bool:
    """:func:`excluded_as_spam` for labels as classifiers give them: ``spam`` a
    :class:`~openledger.records.Label` (value, confidence) or a mapping of the two
    (what ``process`` records and the built-in responders follow)."""
    spam = labels.get("spam")
    if spam is None:
        return False
    if isinstance(spam, Mapping):
        value, confidence = spam.get("value"), spam.get("confidence")
    else:
        value, confidence = getattr(spam, "value", None), getattr(spam, "confidence", None)
    return excluded_as_spam({"spam": {"value": value, "confidence": confidence}})

"""Which cases the fair treatment audit leaves out, by a published rule: spam.

A case is spam for the audit when its ``classified`` event labels it
``spam = yes`` with a confidence of at least :data:`SPAM_MIN_CONFIDENCE`.
The built-in spam classifier's confidences are calibrated (of the held-out
texts it labelled spam with confidence 0.9 or more, about nine in ten are
spam; see docs/classifiers-and-responders.md), and its exact rules (a group
thread written by several people, the spam markers) answer with 0.97. Such
cases are counted on the site but take no part in the comparison of
channels: they are not complaints anyone treated well or badly.
"""

from __future__ import annotations

from collections.abc import Mapping

SPAM_MIN_CONFIDENCE = 0.9


def excluded_as_spam(labels: Mapping[str, Mapping[str, object]]) -> bool:
    """Whether labels as recorded on a ``classified`` event (``{"spam": {"value":
    "yes", "confidence": 0.93}, ...}``) put the case out of the audit as spam."""
    spam = labels.get("spam")
    if not spam or spam.get("value") != "yes":
        return False
    confidence = spam.get("confidence")
    return isinstance(confidence, (int, float)) and float(confidence) >= SPAM_MIN_CONFIDENCE

"""Plugin: sentiment and emotional intensity with VADER.

See :mod:`openledger.builtin.classifiers.sentiment` for the method.
"""

from __future__ import annotations

from dataclasses import dataclass

from openledger import hookimpl
from openledger.builtin.classifiers.sentiment import sentiment
from openledger.records import ClassifyInput, Label


@dataclass(frozen=True)
class VaderClassifier:
    """Sentiment (negative, neutral, positive) with compound and intensity."""

    name: str = "vader-sentiment"
    version: str = "1.0"
    label: str = "sentiment"
    description: str = "VADER sentiment with sarcasm and es/fr/de words"

    def classify(self, item: ClassifyInput) -> Label | None:
        """Label ``item`` (subject and text together), or abstain on empty text."""
        text = " ".join(t for t in (item.subject, item.text) if t and t.strip())
        return sentiment(text) if text else None


@hookimpl
def register_classifiers(register, config):
    register(VaderClassifier())

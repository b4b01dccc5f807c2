"""Plugin: the built-in text classifiers: kind, category, urgency, wants and spam.

category and urgency are rules over keyword lists; kind, wants and spam are
decided by exact rules first and the trained text model otherwise
(:mod:`~.learned`).

Each classifier is a small object with ``name``, ``version``, ``label`` and
``classify(item)``; see :func:`openledger.hookspecs.register_classifiers`.
Config keys read: ``taxonomy`` and ``taxonomy_mode`` (see
:mod:`openledger.builtin.classifiers.taxonomy`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from openledger import hookimpl
from openledger.builtin.classifiers import learned
from openledger.builtin.classifiers.flags import classify_spam, classify_urgency
from openledger.builtin.classifiers.intent import kind_of, signals, wants_of
from openledger.builtin.classifiers.taxonomy import categorise, load_taxonomy
from openledger.records import ClassifyInput, Label

VERSION = "1.0"


@dataclass(frozen=True)
class RuleClassifier:
    """A classifier that applies one pure function to the message."""

    name: str
    label: str
    decide: Callable[[ClassifyInput], Label | None]
    version: str = VERSION
    description: str = ""

    def classify(self, item: ClassifyInput) -> Label | None:
        """Label ``item``, or abstain (None) when it has no text."""
        if not (item.text or "").strip() and not (item.subject or "").strip():
            return None
        return self.decide(item)


def _kind(item: ClassifyInput) -> Label:
    return kind_of(signals(item.text, item.subject))


def _wants(item: ClassifyInput) -> Label:
    sig = signals(item.text, item.subject)
    return wants_of(sig, kind_of(sig).value)


def rules(config: Mapping | None = None) -> list[RuleClassifier]:
    """The five rule classifiers (the model's forerunners for kind, wants and spam)."""
    taxonomy = load_taxonomy(config)
    return [
        RuleClassifier("rules-kind", "kind", _kind,
                       description="complaint, compliment, question or suggestion by cue rules"),
        RuleClassifier("rules-category", "category",
                       lambda item: categorise(item.text, taxonomy, item.subject),
                       description="category by the configured keyword taxonomy"),
        RuleClassifier("rules-urgency", "urgency",
                       lambda item: classify_urgency(item.text, item.subject),
                       description="high for safety, medical, stranded, legal, deadline, fraud"),
        RuleClassifier("rules-wants", "wants", _wants,
                       description="sympathy, fix, compensation or none by cue rules"),
        RuleClassifier("rules-spam", "spam",
                       lambda item: classify_spam(item.text, item.subject),
                       description="spam or nothing actionable"),
    ]


def build(config: Mapping | None = None, explain: int = 0) -> list:
    """What the plugin registers: category and urgency rules, kind, wants and spam by the model."""
    kept = [c for c in rules(config) if c.label in ("category", "urgency")]
    return learned.build(explain) + kept


@hookimpl
def register_classifiers(register, config):
    for classifier in build(config):
        register(classifier)

"""Asking the classifiers about a text: the first answer per label decides, held to the decision contract.

Shared by ``process`` (:mod:`openledger.cases.process`), which classifies a
new case, and by the reading of replies (:mod:`openledger.cases.replies`),
which classifies the company's replies as they go out or arrive.
"""

from __future__ import annotations

from collections.abc import Callable

from openledger import plugins
from openledger.cases.contract import Limits, label_problem
from openledger.errors import PluginError
from openledger.records import ClassifyInput, Label

#: the most of a text (and of each reply) a classifier is given, in characters
MAX_TEXT = 10_000


def decider(obj) -> dict:
    """How an event names the plugin object that decided: its name and version."""
    return {"name": obj.name, "version": obj.version}


def plugin_fault(obj, kind: str, subject: str, what: str) -> PluginError:
    owner = plugins.owner_of(obj)
    return PluginError(f"{plugins.describe(owner)}: {kind} {obj.name!r} on {subject}: {what}",
                       plugin=owner, subject=subject)


def classify_text(classifiers, item: ClassifyInput, limits: Limits | None = None,
                  subject: str = "the text") -> dict[str, tuple[Label, object]]:
    """Ask classifiers in order; the first answer per label decides. {label: (Label, classifier)}.

    A classifier that raises or breaks the decision contract is a
    :class:`PluginError` naming it and ``subject`` (``case 12``).
    """
    limits = limits or Limits()
    decided: dict[str, tuple[Label, object]] = {}
    for classifier in classifiers:
        if classifier.label in decided:
            continue
        try:
            label = classifier.classify(item)
        except Exception as exc:  # a plugin's bug must not look like a traceback of ours
            raise plugin_fault(classifier, "classifier", subject, f"failed: {type(exc).__name__}: {exc}") from exc
        if label is None:
            continue
        problem = label_problem(classifier, label, limits)
        if problem:
            raise plugin_fault(classifier, "classifier", subject, problem)
        decided[classifier.label] = (label, classifier)
    return decided


def redacted_details(decided: dict[str, tuple[Label, object]], redact: Callable[[str], str]) -> dict[str, dict]:
    """The labels' private details, a ``gag`` = ``yes`` label's ``sentence`` (the company's words
    that ask for silence, which may name the customer) redacted with the instance's redactors."""
    details = {}
    for name, (label, _) in decided.items():
        if not label.detail:
            continue
        detail = dict(label.detail)
        if name == "gag" and isinstance(detail.get("sentence"), str):
            detail["sentence"] = redact(detail["sentence"])
        details[name] = detail
    return details

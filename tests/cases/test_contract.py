"""The decision contract of classifiers and responders (cases/contract.py), rule by rule."""

from __future__ import annotations

import math
from types import MappingProxyType

import pytest

from openledger.cases.contract import Limits, categories, draft_problem, label_problem, remedy_problem
from openledger.errors import ConfigError
from openledger.records import DEFAULT_CATEGORIES, Draft, Label, RemedyProposal


class Classifier:
    name, version = "c", "1"

    def __init__(self, label, values=None):
        self.label = label
        if values is not None:
            self.values = values


def test_the_taxonomy_follows_the_config():
    assert categories({}) == frozenset(DEFAULT_CATEGORIES)
    assert categories({"taxonomy": {"meter": ["meter"]}}) == {"meter", "other"}
    assert categories({"taxonomy": {"meter": ["meter"]}, "taxonomy_mode": "extend"}) == {*DEFAULT_CATEGORIES, "meter"}
    with pytest.raises(ConfigError, match="taxonomy_mode must be 'replace' or 'extend'"):
        categories({"taxonomy_mode": "merge"})


def test_the_default_categories_are_the_built_in_taxonomy():
    from openledger.builtin.classifiers.taxonomy import DEFAULT_TAXONOMY, OTHER

    assert set(DEFAULT_CATEGORIES) == {*DEFAULT_TAXONOMY, OTHER}


def test_the_limits_of_the_defaults_and_the_config():
    default = Limits.from_config({})
    assert (default.max_tier, default.max_amount) == (3, 500.0)
    limits = Limits.from_config({"escalation": {"max_tier": 5}, "remedies": {"max_amount": 50}})
    assert (limits.max_tier, limits.max_amount) == (5, 50.0)
    for bad in ({"escalation": {"max_tier": 0}}, {"remedies": {"max_amount": -1}},
                {"remedies": {"max_amount": "lots"}}):
        with pytest.raises(ConfigError):
            Limits.from_config(bad)


@pytest.mark.parametrize(("classifier", "label", "problem"), [
    (Classifier("kind"), Label("complaint", 0.8), None),
    (Classifier("kind"), Label("rant", 0.8), "gave kind 'rant', which is not in the values of that label"),
    (Classifier("category"), Label("weather", 0.8), "gave category 'weather', which is not in the taxonomy"),
    (Classifier("category"), Label("other", 0.4), None),
    (Classifier("urgency"), Label("high", 1.7), "a confidence of 1.7, not a number in [0, 1]"),
    (Classifier("urgency"), Label("high", math.nan), "a confidence of nan"),
    (Classifier("urgency"), Label("high", True), "a confidence of True"),
    (Classifier("severity"), Label("4", 0.9), None),
    (Classifier("regulator", ("yes", "no")), Label("yes", 0.9), None),
    (Classifier("regulator", ("yes", "no")), Label("maybe", 0.9), "not one of the values it declares: no, yes"),
    (Classifier("kind", ("complaint",)), Label("question", 0.9), "not one of the values it declares: complaint"),
    (Classifier("kind"), Label("", 0.9), "gave kind '', not a non-empty string"),
    (Classifier("kind"), Label("complaint", 0.9, detail=[1]), "a detail that is not a mapping"),  # type: ignore[arg-type]
    (Classifier("kind"), "complaint", "returned str, not a Label or None"),
])
def test_labels(classifier, label, problem):
    found = label_problem(classifier, label, Limits())
    assert (found is None) if problem is None else (problem in (found or ""))


@pytest.mark.parametrize(("draft", "problem"), [
    (Draft("hi", 3, 4, 40), None),
    (Draft("hi", 9), "gave tier 9, not a whole number from 1 to 3 ([escalation] max_tier)"),
    (Draft("hi", 0), "gave tier 0"),
    (Draft("hi", 2.5), "gave tier 2.5"),  # type: ignore[arg-type]
    (Draft("hi", 1, -4), "gave first_response_hours -4, not None or a number of hours >= 0"),
    (Draft(None, 1), "drafted a reply that is NoneType, not a string"),  # type: ignore[arg-type]
    (Draft("hi", 1, detail=MappingProxyType({"severity": 3})), None),
])
def test_drafts(draft, problem):
    found = draft_problem(draft, Limits())
    assert (found is None) if problem is None else (problem in (found or ""))


@pytest.mark.parametrize(("proposal", "problem"), [
    (RemedyProposal("refund", 49.99), None),
    (RemedyProposal("credit", 500), None),
    (RemedyProposal("refund", -50), "proposed refund of -50, not an amount from 0 to 500 ([remedies] max_amount)"),
    (RemedyProposal("credit", 99_999), "proposed credit of 99999, not an amount from 0 to 500"),
    (RemedyProposal("refund", math.inf), "proposed refund of inf"),
    (RemedyProposal("voucher", 10), "proposed remedy 'voucher', which is not in the policy"),
    (RemedyProposal("apology", 5), "proposed apology with an amount of 5: a remedy of apology has none"),
    (RemedyProposal("none"), None),
])
def test_remedies(proposal, problem):
    found = remedy_problem(proposal, Limits())
    assert (found is None) if problem is None else (problem in (found or ""))

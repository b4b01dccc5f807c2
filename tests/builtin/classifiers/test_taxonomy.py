"""The configurable category taxonomy."""

from __future__ import annotations

import pytest

from openledger.builtin.classifiers import lexical
from openledger.builtin.classifiers.taxonomy import (
    DEFAULT_TAXONOMY,
    categorise,
    load_taxonomy,
)
from openledger.errors import ConfigError
from openledger.records import ClassifyInput


def category_classifier(config):
    found: list = []
    lexical.register_classifiers(register=found.append, config=config)
    return next(c for c in found if c.label == "category")


def test_default_taxonomy_has_the_usual_categories():
    assert {"billing", "delivery", "product-fault", "service", "account", "fraud"} <= set(DEFAULT_TAXONOMY)


@pytest.mark.parametrize("text, category", [
    ("My direct debit went up and the invoice is wrong", "billing"),
    ("The courier left my parcel in the rain, tracking says delivered", "delivery"),
    ("The kettle is faulty, it leaks from the base", "product-fault"),
    ("Your agent was rude and hung up on me after an hour on hold", "service"),
    ("I am locked out, the password reset email never arrives", "account"),
    ("There are payments I did not make, I think it is a scam", "fraud"),
    ("Flight cancelled and my luggage is still at the airport", "travel"),
    ("Hello there", "other"),
])
def test_default_categories(text, category):
    assert categorise(text, load_taxonomy({})).value == category


def test_company_taxonomy_replaces_the_default():
    classifier = category_classifier({"taxonomy": {"energy-meter": ["meter", "smart meter", "reading*"],
                                                   "tariff": ["tariff", "~price"]}})
    assert classifier.classify(ClassifyInput("My smart meter readings are wrong")).value == "energy-meter"
    # default categories are gone: a parcel is "other" now
    assert classifier.classify(ClassifyInput("Where is my parcel?")).value == "other"


def test_extend_mode_adds_to_the_default():
    config = {"taxonomy": {"energy-meter": ["smart meter"]}, "taxonomy_mode": "extend"}
    classifier = category_classifier(config)
    assert classifier.classify(ClassifyInput("My smart meter is blank")).value == "energy-meter"
    assert classifier.classify(ClassifyInput("Where is my parcel?")).value == "delivery"


def test_half_weight_keywords_lose_to_specific_ones():
    taxonomy = load_taxonomy({"taxonomy": {"billing": ["~paid"], "delivery": ["parcel"]}})
    assert categorise("I paid and the parcel never came", taxonomy).value == "delivery"


def test_label_detail_shows_what_matched():
    label = categorise("Refund my overcharged invoice", load_taxonomy({}))
    assert label.value == "billing" and "invoice" in label.detail["matched"]["billing"]


@pytest.mark.parametrize("config, where", [
    ({"taxonomy": {"billing": "invoice"}}, "[taxonomy] billing"),
    ({"taxonomy": {"billing": []}}, "[taxonomy] billing"),
    ({"taxonomy": {"billing": ["invoice", 3]}}, "[taxonomy] billing"),
    ({"taxonomy": []}, "[taxonomy]"),
    ({"taxonomy_mode": "merge"}, "[taxonomy]"),
])
def test_bad_taxonomy_is_a_config_error(config, where):
    with pytest.raises(ConfigError) as error:
        load_taxonomy(config)
    assert str(error.value).startswith(where)

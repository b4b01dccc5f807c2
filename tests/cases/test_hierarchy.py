"""The response hierarchy file: format, wildcards, specificity and errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openledger.cases.hierarchy import load_hierarchy, parse_hierarchy, parse_severity
from openledger.errors import ConfigError

HEAD = """
version = 1
[defaults]
template = "acknowledge"
tier = 1
first_response_hours = 8
resolution_hours = 40
business_hours = true
"""


def test_default_hierarchy_covers_every_kind_and_severity():
    hierarchy = load_hierarchy({})
    for kind in ("complaint", "compliment", "question", "suggestion"):
        for severity in (1, 2, 3, 4):
            policy = hierarchy.lookup(kind, "billing", severity)
            assert policy.first_response_hours <= policy.resolution_hours
    assert hierarchy.lookup("complaint", "billing", 4).tier == 3
    assert hierarchy.lookup("complaint", "fraud", 2).template == "complaint-urgent"
    assert hierarchy.lookup("compliment", "service", 1).template == "compliment"


def test_most_specific_rule_wins_whatever_the_order():
    hierarchy = parse_hierarchy(HEAD + """
[[rule]]
kind = "complaint"
category = "billing"
severity = ">=3"
template = "specific"
tier = 3
[[rule]]
kind = "complaint"
template = "general"
tier = 2
[[rule]]
kind = "complaint"
category = "*"
template = "general-too"
""")
    assert hierarchy.lookup("complaint", "billing", 3).template == "specific"
    assert hierarchy.lookup("complaint", "billing", 2).template == "general"  # first of equals
    assert hierarchy.lookup("question", "billing", 3).template == "acknowledge"  # defaults
    # fields a rule leaves out come from [defaults]
    assert hierarchy.lookup("complaint", "billing", 3).first_response_hours == 8


@pytest.mark.parametrize("spec, expected", [
    ("*", {1, 2, 3, 4}), (3, {3}), (">=3", {3, 4}), ("<=2", {1, 2}), ("2-3", {2, 3}), (" >= 4 ", {4}),
])
def test_severity_patterns(spec, expected):
    assert parse_severity(spec, "rule 1") == expected


@pytest.mark.parametrize("body, message", [
    ("[[rule]]\nseverity = \"high\"\n", "rule 1: severity"),
    ("[[rule]]\nseverity = \">=5\"\n", "rule 1: severity"),
    ("[[rule]]\ntier = \"two\"\n", "rule 1: tier has the wrong type"),
    ("[[rule]]\ncolour = \"red\"\n", "rule 1: unknown key"),
    ("[[rule]]\ntemplate = \"../../etc/passwd\"\n", "rule 1: template names"),
    ("[[rule]]\nfirst_response_hours = 50\n", "rule 1: resolution_hours is shorter"),
    ("[[rule]]\nbusiness_hours = 1\n", "rule 1: business_hours has the wrong type"),
    ("[[rule]\n", "not valid TOML"),
    ("tiers = 3\n", "[defaults]: unknown key"),
    ("!tiers = 3\n", "unknown top-level key"),
])
def test_bad_hierarchy_names_file_and_rule(body, message):
    text = body[1:] + HEAD if body.startswith("!") else HEAD + body
    with pytest.raises(ConfigError) as error:
        parse_hierarchy(text, "ledger/hierarchy.toml")
    assert str(error.value).startswith("ledger/hierarchy.toml: ")
    assert message in str(error.value)


def test_missing_defaults_field_is_reported():
    with pytest.raises(ConfigError, match=r"\[defaults\]: business_hours is missing"):
        parse_hierarchy('[defaults]\ntemplate = "x"\ntier = 1\nfirst_response_hours = 1\nresolution_hours = 2\n')


def test_unreadable_hierarchy_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the hierarchy file"):
        load_hierarchy({"hierarchy_file": str(tmp_path / "absent.toml")})


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(["complaint", "question", "x"]), st.sampled_from(["billing", "fraud", "y"]),
       st.integers(1, 4))
def test_lookup_always_answers_with_a_rule_that_matches(kind, category, severity):
    hierarchy = load_hierarchy({})
    chosen = hierarchy.lookup(kind, category, severity)
    if chosen.rule >= 0:
        rule = hierarchy.rules[chosen.rule]
        assert rule.matches(kind, category, severity)
        # no matching rule is more specific
        assert all(r.specificity <= rule.specificity for r in hierarchy.rules
                   if r.matches(kind, category, severity))

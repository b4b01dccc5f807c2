"""The audit in plain words (issue 16, item 4): each unequal finding as a sentence, farthest from equal
first, then the measures found equal; the audit page orders its sections the same way."""

from __future__ import annotations

from audit_sim import simulate

from openledger.audit import run_audit
from openledger.audit.result import Estimate, Finding
from openledger.site.sentences import distance, ordered, plain_words, sentence


def audits(scenario: str, seed: int = 1) -> dict:
    table = simulate(20000, seed, scenario)
    return {dim: run_audit(table, dimension=dim) for dim in ("visibility", "channel")}


def test_a_remedy_bias_is_said_first_with_who_what_how_much_and_the_interval():
    failing, passing = plain_words(audits("remedy"))
    assert failing, "the 1.3x remedy bias is found"
    first = failing[0]
    assert first.startswith("Public complaints get a remedy 1.") or first.startswith("Complaints on ")
    assert "as often as private" in first and "with the same category and severity (95% interval " in first
    assert any(s.startswith("Public complaints get a remedy") for s in failing)
    assert not any("remedy rate (public against private)" in p for p in passing)


def test_a_fair_world_has_no_failing_sentence_and_names_the_equal_measures():
    failing, passing = plain_words(audits("fair"))
    assert failing == []
    assert "remedy rate (public against private)" in passing and "response rate (public against private)" in passing


def test_findings_are_ordered_from_the_farthest_from_equal():
    result = audits("remedy")["visibility"]
    found = ordered(result.findings, result.settings)
    distances = [distance(f, result.settings) for f in found]
    assert distances == sorted(distances, reverse=True)
    assert found[0].metric == "remedy_rate"


def finding(metric: str, ratio: float, low: float, high: float, scale: str = "ratio", group: str = "public",
            reference: str = "private") -> Finding:
    return Finding(metric, "rate", group, reference, None, None, Estimate(ratio, low, high, 0.001),
                   Estimate(ratio, low, high, 0.001), 0.001, 500, 500, "unequal", scale=scale)


def test_each_scale_reads_in_its_own_words():
    assert sentence(finding("response_rate", -0.072, -0.09, -0.055, "difference")) == (
        "Public complaints are answered 7.2 percentage points less often than private ones with the same "
        "category and severity (95% interval -9.0 to -5.5 points).")
    assert sentence(finding("first_response_hours", 0.5, 0.42, 0.61, group="twitter",
                            reference="private except twitter")) == (
        "Complaints on twitter wait for a first response 0.5 times as long as private complaints in channels "
        "other than twitter with the same category and severity (95% interval 0.42 to 0.61).")
    assert sentence(finding("loyalty_points", 2.0, 1.5, 2.6)).startswith(
        "Public complaints have a loyalty points 2 times that of private ones")
    assert sentence(finding("remedy_rate", float("nan"), 0, 0)) is None


def test_the_influence_groups_are_said_in_words():
    assert sentence(finding("remedy_rate", 1.8, 1.5, 2.1, group="publicity", reference="none"), "leverage") == (
        "Private complaints that threatened to go public get a remedy 1.8 times as often as private ones that "
        "made no threat, with the same category and severity (95% interval 1.5 to 2.1).")
    assert sentence(finding("resolution_rate", 0.72, 0.62, 0.84, group="moved-private", reference="kept-public"),
                    "deflection").startswith(
        "Public complaints that a reply moved private are resolved in the customer's favour 0.72 times as often as "
        "public ones kept public, with the same category and severity")
    assert sentence(finding("first_response_hours", 1.3, 1.2, 1.4, group="hostile-negative",
                            reference="neutral-positive"), "tone") == (
        "Complaints from hostile or negative customers wait for a first response 1.3 times as long as those from "
        "neutral or positive customers, in the same channel and with the same category and severity (95% interval "
        "1.2 to 1.4).")
    # the same names in another dimension keep their plain meaning: a channel called "press"
    assert sentence(finding("remedy_rate", 1.8, 1.5, 2.1, group="press"), "channel").startswith(
        "Complaints on press get a remedy")

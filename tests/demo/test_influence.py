"""The demo's influence patterns (issue 21), found by the audits that look for them: under the
default bias agents yield to threats, drop complaints they moved private and ask a few customers to
delete their post; with ``--bias none`` none of it, and no retaliation for tone in either.

Two demos of 2,000 cases (about half a minute each): the smallest year in which the planted
effects reach the audit's 30 cases a side."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from openledger.builtin.classifiers.influence import leverage_of
from openledger.cli import main
from openledger.demo.agents import GAG_WORDS
from openledger.demo.plan import THREAT_SHARE, make_plan
from openledger.demo.runner import run_demo
from openledger.instance import Instance
from openledger.site.gather import published_derivation

CASES = 2000
UNTIL = date(2026, 6, 1)  # half a year before the tests run: every case settled and published


@pytest.fixture(scope="module")
def demos(tmp_path_factory):
    base = tmp_path_factory.mktemp("influence")
    return {bias: run_demo(base / bias, cases=CASES, seed=2024, bias=bias, until=UNTIL)
            for bias in ("public-favoured", "none")}


def audit(result, by: str) -> list[dict]:
    out = CliRunner().invoke(main, ["--home", str(result.home), "audit", "--by", by, "--json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)["findings"]


def finding(findings: list[dict], group: str, metric: str, reference: str) -> dict:
    return next(f for f in findings if (f["group"], f["metric"], f["reference"]) == (group, metric, reference))


def test_threats_are_planted_in_a_tenth_of_private_complaints_and_the_classifier_finds_them():
    plan = make_plan(CASES, seed=2024, bias="public-favoured", until=UNTIL)
    private = [c for c in plan.cases if not c.public and c.channel.key != "cfpb" and c.message.kind == "complaint"]
    threats = [c for c in private if c.message.threat]
    assert abs(len(threats) / len(private) - THREAT_SHARE) < 0.03
    assert all(leverage_of(c.message.text).value == c.message.threat for c in threats)
    assert all(leverage_of(c.message.text).value == "none" for c in private if not c.message.threat)


def test_yielding_to_threats_is_found_under_the_bias_and_not_without(demos):
    biased = audit(demos["public-favoured"], "leverage")
    for metric in ("remedy_rate", "resolution_rate"):
        found = finding(biased, "threat", metric, "none")
        assert found["verdict"] == "unequal" and found["ci_low"] > 1, found
    fair = audit(demos["none"], "leverage")
    assert not [f for f in fair if f["verdict"] == "unequal"], fair
    assert finding(fair, "threat", "remedy_rate", "none")["ci_low"] < 1 < finding(fair, "threat", "remedy_rate",
                                                                                     "none")["ci_high"]


def test_moved_and_dropped_cases_are_found_under_the_bias_and_not_without(demos):
    biased = audit(demos["public-favoured"], "deflection")
    found = finding(biased, "moved-private", "resolution_rate", "kept-public")
    assert found["verdict"] == "unequal" and found["ci_high"] < 1, found
    fair = audit(demos["none"], "deflection")
    found = finding(fair, "moved-private", "resolution_rate", "kept-public")
    assert found["verdict"] != "unequal" and found["ci_low"] < 1 < found["ci_high"], found


@pytest.mark.parametrize("bias", ["public-favoured", "none"])
def test_no_retaliation_for_tone_is_found(demos, bias):
    assert not [f for f in audit(demos[bias], "tone") if f["verdict"] == "unequal"]


def test_every_planned_gag_request_is_listed_with_its_sentence_and_none_without_the_bias(demos, tmp_path):
    result = demos["public-favoured"]
    assert result.agent.unmatched == 0
    planned = result.plan.gags
    assert 2 <= len(planned) <= 0.015 * sum(c.public for c in result.plan.cases)
    derived = published_derivation(Instance(result.home))
    assert len(derived.gags) == len(planned), derived.gags
    assert all(g.digest and not g.withheld for g in derived.gags), derived.gags
    # listed on the demo's site, each with the sentence that asked
    site = tmp_path / "site"
    out = CliRunner().invoke(main, ["--home", str(result.home), "build", "--out", str(site)])
    assert out.exit_code == 0, out.output
    asked = {s for text in GAG_WORDS.values() for s in text.split(". ")[1:]}
    listed = json.loads((site / "data" / "gag-requests.json").read_text())
    assert [row["case"] for row in listed] == [g.case for g in derived.gags]
    assert all(row["sentence"] in asked and not row["withheld"] for row in listed), listed
    page = (site / "gag-requests.html").read_text()
    assert all(row["case"] in page for row in listed)
    assert {row["channel"] for row in listed} <= {"twitter", "review", "other"}  # a small channel's month: "other"
    fair = demos["none"]
    assert not fair.plan.gags and not published_derivation(Instance(fair.home)).gags

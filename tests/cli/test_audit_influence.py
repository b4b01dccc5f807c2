"""The influence audits through the CLI: ``ingest history`` with labels, ``audit --by leverage|deflection|tone``,
and the labels' way through ``build`` and ``verify``."""

from __future__ import annotations

import json

import pytest
from audit_sim import DEFLECTION_TRUTH, FOLLOW_UP_TRUTH, LEVERAGE_TRUTH, history_lines, simulate

from openledger.testing import PUBLISH_AT_ONCE, InstanceRunner, make_instance

N = 6_000


def _instance(tmp_path, scenario: str, n: int = N, seed: int = 21, **site) -> InstanceRunner:
    inst = make_instance(tmp_path / f"home-{scenario}", site=site or None)
    path = tmp_path / f"history-{scenario}.jsonl"
    path.write_text("\n".join(history_lines(n, seed, scenario, labels=True)) + "\n")
    assert f"into {n} new cases" in inst.run("ingest", "history", path).stdout
    return inst


def _finding(result: dict, metric: str, group: str, reference: str) -> dict:
    (found,) = [f for f in result["findings"]
                if (f["metric"], f["group"], f["reference"]) == (metric, group, reference)]
    return found


@pytest.fixture(scope="module")
def influenced(tmp_path_factory) -> InstanceRunner:
    return _instance(tmp_path_factory.mktemp("influence"), "influence")


@pytest.fixture(scope="module")
def fair(tmp_path_factory) -> InstanceRunner:
    return _instance(tmp_path_factory.mktemp("fair"), "fair", n=20_000)  # enough for intervals inside the band


def test_a_planted_leverage_effect_is_found_with_its_truth_in_the_interval(influenced):
    result = influenced.json("audit", "--exact", "--json", "--by", "leverage")
    assert result["dimension"] == "leverage" and result["reference"] == "none"
    assert {"threat", "none", "publicity", "press", "regulator", "legal"} <= set(result["groups"])
    threat = _finding(result, "remedy_rate", "threat", "none")
    assert threat["verdict"] == "unequal" and threat["ci_low"] <= LEVERAGE_TRUTH <= threat["ci_high"]
    assert result["overall"] == "unfair"
    assert result["method"]["strata"] == "category x severity"
    # private cases only: the threat pool and the kinds hold no public case
    assert result["groups"]["threat"]["n"] == sum(result["groups"][k]["n"]
                                                  for k in ("publicity", "press", "regulator", "legal"))


def test_a_planted_deflection_effect_is_found_against_kept_public_and_private(influenced):
    result = influenced.json("audit", "--exact", "--json", "--by", "deflection")
    assert result["reference"] == "kept-public"
    for reference in ("kept-public", "private"):
        found = _finding(result, "resolution_rate", "moved-private", reference)
        assert found["verdict"] == "unequal" and found["ci_low"] <= DEFLECTION_TRUTH <= found["ci_high"]
    text = influenced.run("audit", "--exact", "--by", "deflection").stdout
    assert "moved-private" in text and "UNFAIR" in text and "Public follow-up after a case moved private" in text


def test_the_public_follow_up_rate_is_measured_per_channel(influenced):
    rates = influenced.json("audit", "--exact", "--json", "--by", "deflection")["public_follow_up"]
    assert set(rates) == {"twitter", "facebook", "review", "all"}
    for channel, truth in FOLLOW_UP_TRUTH.items():
        rate = rates[channel]
        assert rate["cases"] > 100 and rate["followed_up"] == round(rate["share"] * rate["cases"])
        assert rate["ci_low"] <= truth <= rate["ci_high"], channel
    assert rates["all"]["cases"] == sum(rates[c]["cases"] for c in FOLLOW_UP_TRUTH)
    assert "public_follow_up" not in influenced.json("audit", "--exact", "--json", "--by", "leverage")


def test_no_tone_effect_is_none_found_within_channel(influenced):
    result = influenced.json("audit", "--exact", "--json", "--by", "tone")
    assert result["method"]["strata"] == "channel x category x severity"
    assert set(result["groups"]) == {"hostile-negative", "neutral-positive"}
    assert not [f for f in result["findings"] if f["verdict"] == "unequal"]
    assert _finding(result, "remedy_rate", "hostile-negative", "neutral-positive")["verdict"] == "equal"


def test_a_fair_history_says_equal_on_every_influence_dimension(fair):
    for dimension, (metric, group, reference) in {
        "leverage": ("remedy_rate", "threat", "none"),
        "deflection": ("resolution_rate", "moved-private", "kept-public"),
        "tone": ("remedy_rate", "hostile-negative", "neutral-positive"),
    }.items():
        result = fair.json("audit", "--exact", "--json", "--by", dimension)
        assert not [f for f in result["findings"] if f["verdict"] == "unequal"], dimension
        assert _finding(result, metric, group, reference)["verdict"] == "equal", dimension


def test_a_named_reference_and_an_unknown_one(influenced):
    result = influenced.json("audit", "--exact", "--json", "--by", "leverage", "--reference", "legal")
    groups = {f["group"] for f in result["findings"]}
    assert "threat" not in groups and {"none", "press"} <= groups  # the pool holds legal: not compared with it
    bad = influenced.run("audit", "--exact", "--by", "tone", "--reference", "furious", expect=1)
    assert "'furious' not found among tone groups: hostile-negative, neutral-positive" in bad.stderr


def test_an_unlabelled_history_has_no_influence_groups(tmp_path):
    inst = make_instance(tmp_path / "home")
    path = tmp_path / "plain.jsonl"
    path.write_text("\n".join(history_lines(300, 4, "fair")) + "\n")
    inst.run("ingest", "history", path)
    result = inst.json("audit", "--exact", "--json", "--by", "deflection")
    assert result["findings"] == [] and result["overall"] == "insufficient-data"


def test_a_bad_label_is_one_line_naming_the_file_and_record(tmp_path):
    inst = make_instance(tmp_path / "home")
    lines = history_lines(3, 4, "fair", labels=True)
    bad = json.loads(lines[1])
    bad["leverage"] = "lawyer"
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([lines[0], json.dumps(bad), lines[2]]) + "\n")
    result = inst.run("ingest", "history", path, expect=1)
    assert "bad.jsonl: line 2: 'leverage' must be one of publicity, press, regulator, legal, none: got 'lawyer'" \
        in result.stderr
    assert inst.count("cases") == 0  # nothing half-imported


def test_the_labels_survive_build_and_verify(tmp_path):
    inst = _instance(tmp_path, "influence", n=800, seed=5, **PUBLISH_AT_ONCE)
    site = tmp_path / "site"
    inst.run("build", "--out", str(site))
    assert inst.run("verify", str(site)).stdout.startswith("ok:")
    header = (site / "data" / "outcomes.csv").read_text().splitlines()[0].split(",")
    assert header[-4:] == ["leverage", "moved_private", "tone", "followed_up"]
    for dimension in ("leverage", "deflection", "tone"):
        published = json.loads((site / "data" / f"audit-{dimension}.json").read_text())
        assert published["findings"], dimension
        assert inst.json("audit", "--json", "--by", dimension, "--from-site", str(site)) == published
        own = inst.json("audit", "--json", "--by", dimension)  # the instance's own audit of its published log
        own.pop("unmapped_categories")
        assert isinstance(own.pop("cases_not_on_the_log"), int)  # the instance's own count, not on the site
        assert own == published
    # a doctored audit file is caught by verify: it is recomputed from the entries
    path = site / "data" / "audit-leverage.json"
    doctored = json.loads(path.read_text())
    doctored["overall"] = "fair"
    path.write_text(json.dumps(doctored, indent=2) + "\n")
    assert "audit-leverage.json" in inst.run("verify", str(site), expect=1).output


def test_the_exact_table_reads_labels_and_follow_ups_alike_on_both_databases(instance: InstanceRunner, tmp_path):
    """``instance`` runs on SQLite and on PostgreSQL: the exact table's influence columns come from JSON paths."""
    path = tmp_path / "h.jsonl"
    path.write_text("\n".join(history_lines(400, 9, "influence", labels=True)) + "\n")
    instance.run("ingest", "history", path)
    truth = simulate(400, 9, "influence")
    result = instance.json("audit", "--exact", "--json", "--by", "deflection")
    private = truth["visibility"] == "private"
    assert result["groups"]["moved-private"]["n"] == int((~private & (truth["moved_private"] == "yes")).sum())
    assert result["groups"]["private"]["n"] == int(private.sum())
    moved = ~private & (truth["moved_private"] == "yes") & truth["resolved"] & truth["responded"]
    assert result["public_follow_up"]["all"]["cases"] == int(moved.sum())
    assert result["public_follow_up"]["all"]["followed_up"] == int((moved & truth["followed_up"]).sum())
    leverage = instance.json("audit", "--exact", "--json", "--by", "leverage")
    assert leverage["groups"]["none"]["n"] == int((private & (truth["leverage"] == "none")).sum())

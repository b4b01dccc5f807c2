"""The audit finds what the simulated worlds put in, and nothing else."""

from __future__ import annotations

import pytest
from audit_sim import simulate

from openledger.audit import run_audit


def _findings(result, metric=None, group=None):
    return [
        f for f in result.findings
        if (metric is None or f.metric == metric) and (group is None or f.group == group)
    ]


@pytest.mark.parametrize("seed", [11, 12, 13])
@pytest.mark.parametrize("dimension", ["visibility", "channel"])
def test_fair_world_with_different_case_mix_has_no_unequal_finding(seed, dimension):
    result = run_audit(simulate(20_000, seed, "fair"), dimension=dimension)
    assert [f for f in result.findings if f.verdict == "unequal"] == []
    assert result.overall != "unfair"
    # the trap is real: pooled, public looks far better on remedies
    if dimension == "visibility":
        (remedy,) = _findings(result, "remedy_rate", "public")
        assert remedy.naive.ratio > 1.4 and remedy.naive.p_value < 1e-6
        assert 0.8 < remedy.adjusted.ci_low and remedy.adjusted.ci_high < 1.25
        assert remedy.verdict == "equal"


@pytest.mark.parametrize("seed", [21, 22])
def test_public_remedies_1_3_times_as_often_are_found(seed):
    result = run_audit(simulate(20_000, seed, "remedy"), dimension="visibility")
    (remedy,) = _findings(result, "remedy_rate", "public")
    assert remedy.verdict == "unequal"
    assert remedy.adjusted.ci_low <= 1.3 <= remedy.adjusted.ci_high
    assert remedy.reference == "private"
    assert result.overall == "unfair"
    others = [f for f in result.findings if f.metric != "remedy_rate"]
    assert all(f.verdict != "unequal" for f in others)


def test_public_answered_in_an_hour_private_in_a_day_is_unequal():
    result = run_audit(simulate(10_000, 31, "response"), dimension="visibility")
    (first,) = _findings(result, "first_response_hours", "public")
    assert first.verdict == "unequal"
    assert first.adjusted.ratio < 0.8  # below 1: public is answered faster
    assert first.value < 2 < 10 < first.reference_value  # KM medians in hours


def test_response_gap_shows_for_each_public_channel_against_pooled_private():
    result = run_audit(simulate(20_000, 32, "response"), dimension="channel")
    for channel in ("twitter", "facebook", "review"):
        (first,) = _findings(result, "first_response_hours", channel)
        assert first.reference == "private"
        assert first.verdict == "unequal"
    (email,) = _findings(result, "first_response_hours", "email")
    assert email.reference == "private except email"
    assert email.verdict != "unequal"


def test_open_cases_are_censored_not_dropped():
    table = simulate(5_000, 41, "fair")
    assert (~table["resolved"]).sum() > 100  # the world has open cases
    result = run_audit(table)
    (days,) = _findings(result, "resolution_days", "public")
    assert days.n == result.groups["public"]["n"]  # open cases counted in n
    (rate,) = _findings(result, "resolution_rate", "public")
    assert rate.n < days.n  # a rate over decided cases only


def test_audience_buckets_compare_public_authors_with_small_ones():
    result = run_audit(simulate(20_000, 51, "fair"), dimension="audience")
    assert result.reference == "under-1k"
    assert set(result.groups) == {"under-1k", "1k-100k", "over-100k"}
    assert {f.group for f in result.findings} == {"1k-100k", "over-100k"}
    public = int((simulate(20_000, 51, "fair")["visibility"] == "public").sum())
    assert sum(g["n"] for g in result.groups.values()) == public
    assert all(f.verdict != "unequal" for f in result.findings)

"""The audit finds what the simulated worlds put in, and nothing else."""

from __future__ import annotations

import numpy as np
import pytest
from audit_sim import published, simulate

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


def _with_rows(table, rows, **changes):
    """``table`` with copies of ``rows`` appended, their columns changed as given."""
    out = {name: np.concatenate([np.asarray(column), np.asarray(column)[rows]]) for name, column in table.items()}
    for name, value in changes.items():
        out[name][len(table["channel"]):] = value
    return out


def test_a_withheld_response_time_is_represented_by_the_answered_cases_of_its_class():
    """A published table leaves out the response time of some answered public cases, chosen within
    their release class. Each answered public review is given a twin whose time is withheld: the audit
    must then read the table as if each review were there twice with its own time (the same estimate and
    medians), not as if the twins were never answered or never there."""
    world = dict(simulate(6_000, 7, "fair"))
    world["opened"] = np.full(len(world["channel"]), "2026-03", dtype=object)
    world["audience"] = np.floor(np.log10(np.asarray(world["audience"], dtype=float) + 1))
    twins = np.flatnonzero((world["channel"] == "review") & world["responded"])
    withheld = _with_rows(world, twins, first_response_hours=np.nan)
    doubled = _with_rows(world, twins)
    for dimension, group in (("visibility", "public"), ("channel", "review")):
        (got,) = _findings(run_audit(withheld, dimension=dimension), "first_response_hours", group)
        (full,) = _findings(run_audit(doubled, dimension=dimension), "first_response_hours", group)
        (alone,) = _findings(run_audit(world, dimension=dimension), "first_response_hours", group)
        assert got.adjusted.ratio == pytest.approx(full.adjusted.ratio, rel=1e-9)
        assert (got.value, got.adjusted_value) == (full.value, full.adjusted_value)
        assert got.n == alone.n  # the twins are counted as represented, not as cases with a time
        # the interval is the robust one: wider than the doubled table's, which has twice the reviews
        assert got.adjusted.ci_high - got.adjusted.ci_low > full.adjusted.ci_high - full.adjusted.ci_low


def test_published_fair_world_response_times_withheld_by_the_release_do_not_tilt_the_audit():
    """The release hides the bands of some answered public cases (rare bands, k = 10); counted as they
    are, the rest made public first responses look 5 to 12 % slower in fair worlds (seed 41: 1.115, Holm p
    5e-7). Represented by their class, the comparison is fair again: seed 41, not used while this was
    built, gives 1.011."""
    table = published(20_000, 41, "fair")
    hidden = table["responded"] & np.isnan(table["first_response_hours"])
    assert hidden.sum() > 2_000  # the release did hide many
    for dimension in ("visibility", "channel"):
        for finding in _findings(run_audit(table, dimension=dimension), "first_response_hours"):
            assert 0.95 < finding.adjusted.ratio < 1.05, (dimension, finding.group, finding.adjusted)
            assert finding.p_adjusted is None or finding.p_adjusted > 0.05

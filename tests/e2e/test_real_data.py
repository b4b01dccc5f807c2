"""The real public exports in ../shared/data go in whole through the CLI."""

from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from attacker import attack, knowledge
from paths import DATA, ROOT

from openledger.testing import InstanceRunner, make_instance

SHARED = Path(os.environ.get("OPENLEDGER_SHARED_DATA", ROOT.parent / "shared" / "data"))
CFPB_SMALL = DATA / "ledger_cfpb_300.csv"

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"the shared data folder {SHARED} is not here")


def channel_counts(instance: InstanceRunner) -> Counter:
    with instance.engine.connect() as conn:
        return Counter(dict(conn.execute(sa.text("select channel, count(*) from cases group by channel")).all()))


def test_cfpb_extract_on_both_databases(instance: InstanceRunner):
    rows = list(csv.DictReader(CFPB_SMALL.open(encoding="utf-8-sig")))
    result = instance.run("ingest", "cfpb", CFPB_SMALL)
    narratives = sum(1 for r in rows if (r.get("Consumer complaint narrative") or "").strip())
    # each complaint is a case record, its narrative (where it has one) the case's message
    assert f"imported {len(rows)} case records ({narratives} with a text) into {len(rows)} new cases" in result.stdout
    expected = Counter(r["Submitted via"] for r in rows)
    counts = channel_counts(instance)
    assert counts["webform"] == expected["Web"] and counts["phone"] == expected.get("Phone", 0)
    with instance.engine.connect() as conn:
        outcomes = Counter(dict(conn.execute(sa.text("select remedy, count(*) from cases group by remedy")).all()))
    monetary = sum(1 for r in rows if r["Company response to consumer"] == "Closed with monetary relief")
    assert outcomes["refund"] == monetary
    assert instance.run("ingest", "cfpb", CFPB_SMALL).stdout.count("into 0 new cases") == 1
    instance.run("checkpoint")  # seals the cases into the log: the audit runs on what it publishes
    audit = instance.json("audit", "--json", "--by", "channel")
    assert sum(g["n"] for g in audit["groups"].values()) == len(rows)


@needs_shared
def test_whole_cfpb_file_imports_every_row(tmp_path):
    path = SHARED / "cfpb" / "complaints_2013_2017_sample.csv"
    instance = make_instance(tmp_path / "home")
    with path.open(encoding="utf-8-sig") as f:
        total = sum(1 for _ in csv.DictReader(f))
    assert f"into {total} new cases" in instance.run("ingest", "cfpb", path).stdout
    assert instance.count("cases") == total == 3186
    assert channel_counts(instance) == Counter(
        {"webform": 2233, "referral": 533, "phone": 200, "letter": 168, "fax": 52})
    instance.close()


@needs_shared
def test_customer_support_on_twitter_sample_threads_into_cases(tmp_path):
    instance = make_instance(tmp_path / "home")
    result = instance.run("ingest", "twcs", SHARED / "twcs" / "twcs_sample.csv")
    assert "imported 5000 messages" in result.stdout
    assert instance.count("messages") == 5000
    assert 0 < instance.count("cases") < 2778  # inbound tweets, replies joined into their threads
    assert instance.count("cases", "first_response_at is not null") > 500
    instance.close()


@needs_shared
def test_a_site_of_real_tweets_with_numeric_author_ids_builds_and_verifies(tmp_path):
    """twcs authors are numbers (115712, ...): the leak scan must not take the site's own
    counts, minutes, hashes and chart coordinates for them, and must still scan the text."""
    instance = make_instance(tmp_path / "home")
    instance.run("ingest", "twcs", SHARED / "twcs" / "twcs_sample.csv")
    result = instance.run("build", "--out", tmp_path / "site")
    assert "built " in result.stdout
    assert instance.run("verify", tmp_path / "site").stdout.startswith("ok: ")
    instance.close()


@needs_shared
def test_a_site_of_real_reviews_with_a_placeholder_author_builds(tmp_path):
    """One Trustpilot row's author is just 'customer', a word every site page uses: the build
    used to refuse to publish ('would leak author')."""
    instance = make_instance(tmp_path / "home")
    instance.run("ingest", "reviews", SHARED / "reviews" / "trustpilot_moorebarlow.csv")
    assert "built " in instance.run("build", "--out", tmp_path / "site").stdout
    assert instance.run("verify", tmp_path / "site").stdout.startswith("ok: ")
    instance.close()


@needs_shared
def test_no_one_on_a_site_of_the_real_exports_can_be_singled_out(tmp_path, db_url):
    """The real tweets, reviews, CFPB complaints, mails and Zendesk tickets in one instance, built with the
    default guarantee (k = 10): the linkage attack (tests/lib/attacker.py), knowing each public case's
    channel, posting and answer minutes, category and audience band, finds every case it tries among at
    least 10 in each published source and in all of them joined. On SQLite and PostgreSQL."""
    instance = make_instance(tmp_path / "home", db_url=db_url)
    for source, path in (("twcs", SHARED / "twcs" / "twcs_sample.csv"),
                         ("reviews", SHARED / "reviews" / "trustpilot_moorebarlow.csv"),
                         ("reviews", SHARED / "reviews" / "trustpilot_akcpetinsurance.csv"),
                         ("cfpb", SHARED / "cfpb" / "complaints_2015_2020_sample.csv"),
                         ("email", SHARED / "email" / "mbox" / "clearwater-2018-January.txt"),
                         ("zendesk", SHARED / "zendesk" / "zenpy_incremental_tickets.json")):
        instance.run("ingest", source, path)
    instance.run("process")
    instance.run("build", "--out", tmp_path / "site")
    worst = attack(tmp_path / "site", knowledge(instance.engine), public=400, private=200)
    assert worst["public"] >= 100, worst
    assert min(worst["log"], worst["rows"], worst["joined"]) >= 10, worst
    assert instance.run("verify", tmp_path / "site").stdout.startswith("ok: ")
    instance.close()


@needs_shared
def test_every_category_of_the_real_extracts_is_in_the_shipped_cfpb_map():
    """cfpb_categories.toml lists every Product, Sub-product and Issue of both extracts (as registered)."""
    from openledger import plugins
    from openledger.privacy.labels import slug

    (shipped,) = [m for m in plugins.category_maps({}) if m.source == "cfpb"]
    listed = {field: {slug(v) for v in values} for field, values in shipped.table.items()}
    seen: dict[str, set[str]] = {"product": set(), "sub_product": set(), "issue": set()}
    for name in ("complaints_2015_2020_sample.csv", "complaints_2013_2017_sample.csv"):
        with (SHARED / "cfpb" / name).open(encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                for field, column in (("product", "Product"), ("sub_product", "Sub-product"), ("issue", "Issue")):
                    if row[column]:
                        seen[field].add(row[column])
    assert {f: len(v) for f, v in seen.items()} == {"product": 17, "sub_product": 65, "issue": 141}
    for field, values in seen.items():
        assert {slug(v) for v in values} <= listed[field], sorted({slug(v) for v in values} - listed[field])
    assert set(shipped.table["product"].values()) == {"banking"}


@needs_shared
def test_cfpb_cases_share_strata_with_tweets_and_reviews(tmp_path):
    """Issue 16: the CFPB extracts, the twcs tweets and both Trustpilot files in one instance speak one
    category vocabulary: nothing is unmapped, and nearly every CFPB case sits in a category x severity
    stratum that a tweet or a review shares (measured: 9,616 of 9,809; the 193 fraud complaints have
    no severity-2 fraud tweet or review to be compared with)."""
    instance = make_instance(tmp_path / "home")
    for source, path in (("cfpb", SHARED / "cfpb" / "complaints_2015_2020_sample.csv"),
                         ("cfpb", SHARED / "cfpb" / "complaints_2013_2017_sample.csv"),
                         ("twcs", SHARED / "twcs" / "twcs_sample.csv"),
                         ("reviews", SHARED / "reviews" / "trustpilot_moorebarlow.csv"),
                         ("reviews", SHARED / "reviews" / "trustpilot_akcpetinsurance.csv")):
        out = instance.run("ingest", source, path).stdout
        assert "outside the taxonomy" not in out, out
    instance.run("process")
    audit = instance.json("audit", "--exact", "--json", "--by", "channel")
    assert audit["unmapped_categories"] == []
    with instance.engine.connect() as conn:
        strata = conn.execute(sa.text(
            "select source = 'cfpb', category, severity, count(*) from cases group by 1, 2, 3")).all()
    others = {(category, severity) for cfpb, category, severity, _ in strata if not cfpb}
    cfpb_cases = sum(n for cfpb, _, _, n in strata if cfpb)
    shared = sum(n for cfpb, category, severity, n in strata if cfpb and (category, severity) in others)
    assert cfpb_cases == 9809
    assert shared >= 0.95 * cfpb_cases, (shared, strata)
    instance.close()


@needs_shared
def test_the_audit_of_mixed_real_sources_bears_no_verdict_without_coverage_and_its_numbers_agree(tmp_path):
    """CFPB complaints (the regulator's product names as categories), twcs tweets and Trustpilot reviews in one
    instance: the tweets and reviews share hardly a category x severity stratum with the CFPB cases. No finding
    whose coverage is below [audit] min_coverage says equal or unequal, the overall verdict is not fair or unfair
    on those alone, the values beside each ratio divide to it, and the site says why and verifies (its check
    recomputes the audit from the published data and the published min_coverage)."""
    import html
    import json
    import re

    instance = make_instance(tmp_path / "home")
    for source, path in (("cfpb", SHARED / "cfpb" / "complaints_2015_2020_sample.csv"),
                         ("twcs", SHARED / "twcs" / "twcs_sample.csv"),
                         ("reviews", SHARED / "reviews" / "trustpilot_moorebarlow.csv"),
                         ("reviews", SHARED / "reviews" / "trustpilot_akcpetinsurance.csv")):
        instance.run("ingest", source, path)
    instance.run("process")
    instance.run("build", "--out", tmp_path / "site")
    minimum = json.loads((tmp_path / "site" / "data" / "build.json").read_text())["audit"]["min_coverage"]
    assert minimum == 0.5
    seen = set()
    for by in ("visibility", "channel"):
        audit = json.loads((tmp_path / "site" / "data" / f"audit-{by}.json").read_text())
        said = instance.json("audit", "--json", "--by", by)
        assert said.pop("unmapped_categories") == []  # the instance's own list, not on the site
        assert isinstance(said.pop("cases_not_on_the_log"), int)  # and its own count
        assert audit == said  # the CLI and the site say the same
        for f in audit["findings"]:
            seen.add(f["verdict"])
            shares = (f["coverage"]["group"]["share"], f["coverage"]["reference"]["share"])
            if None in shares or min(shares) < minimum:
                assert f["verdict"] in ("not-comparable", "insufficient-data"), f
                assert f["p_adjusted"] is None
            if f["scale"] == "difference" and f["ratio"] is not None:  # the response rate, in points
                assert abs(f["adjusted_value"] - f["adjusted_reference_value"] - f["ratio"]) < 1e-5, f
                assert abs(f["value"] - f["reference_value"] - f["naive"]["ratio"]) < 1e-5, f
            elif f["kind"] != "time" and f["ratio"] is not None and f["adjusted_reference_value"] \
                    and f["adjusted_value"]:  # (a zero-cell correction keeps a ratio of 0 / x above 0)
                ratio = f["adjusted_value"] / f["adjusted_reference_value"]
                assert abs(ratio / f["ratio"] - 1) < 1e-4, f
            if f["kind"] == "time" and f["ratio"] is not None and (f["ci_low"] > 1 or f["ci_high"] < 1):
                v, ref = f["adjusted_value"], f["adjusted_reference_value"]  # medians of banded times may tie
                assert v == ref or (v < ref) == (f["ratio"] < 1), f
        bearing = [f for f in audit["findings"] if f["verdict"] in ("equal", "unequal")]
        if not bearing:
            assert audit["overall"] not in ("fair", "unfair")
    # with the shipped CFPB category map the sources share strata, so findings bear verdicts
    assert "equal" in seen or "unequal" in seen
    text = html.unescape(re.sub(r"<[^>]+>", "", (tmp_path / "site" / "audit.html").read_text()))
    assert "Stratum-weighted" in text and "Crude values" in text and "Coverage" in text
    assert "Compared as a difference: the group's share minus the reference's, in percentage points" in text
    assert not re.search(r"(?<![0-9.])23\.5(?![0-9%])", text)  # the old ratio of non-response, not a share
    for by in ("visibility", "channel"):  # every comparison below the threshold says why, in one sentence
        for f in json.loads((tmp_path / "site" / "data" / f"audit-{by}.json").read_text())["findings"]:
            if f["verdict"] == "not-comparable":
                assert "not comparable: only" in text
    assert instance.run("verify", tmp_path / "site").stdout.startswith("ok: ")
    instance.close()

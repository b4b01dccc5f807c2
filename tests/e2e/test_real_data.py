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
    assert f"into {len(rows)} new cases" in result.stdout
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
        assert audit == instance.json("audit", "--json", "--by", by)  # the CLI and the site say the same
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
    public = json.loads((tmp_path / "site" / "data" / "audit-visibility.json").read_text())
    assert public["overall"] == "not-comparable"  # public tweets and reviews share no stratum with the CFPB cases
    assert "not-comparable" in seen and ("equal" in seen or "unequal" in seen)  # CFPB channels still compare
    text = html.unescape(re.sub(r"<[^>]+>", "", (tmp_path / "site" / "audit.html").read_text()))
    assert "twitter against private: not comparable: only 0% of the group's cases (0 of 1,299)" in text
    assert "Stratum-weighted" in text and "Crude values" in text and "Coverage" in text
    assert "Compared as a difference: the group's share minus the reference's, in percentage points" in text
    assert "twitter against private" in text and "23.5" not in text
    home = html.unescape((tmp_path / "site" / "index.html").read_text())
    assert "public and private complaints cannot be compared like with like" in home
    assert instance.run("verify", tmp_path / "site").stdout.startswith("ok: ")
    instance.close()

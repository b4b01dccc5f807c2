"""Anonymity that survives linkage: an attacker reading only a built site cannot single anyone out.

The attacker (tests/lib/attacker.py, written apart from the code it attacks)
knows, for each public case, its channel, when it was posted, when the
company first answered, its category and the author's audience band; for a
private case, its channel and its day. It joins that with the log's entries,
the Outcomes rows, the case index and the order of the log. Every case must
stay among at least k published cases in each source and in all of them
joined, and the order of the log must say nothing of the order of time.
"""

from __future__ import annotations

import csv
import json
import math

import pytest
from attacker import candidates, knowledge, order_correlation
from audit_sim import history_lines

from openledger.testing import InstanceRunner, make_instance

K = 10


def built(tmp_path, db_url: str | None, cases: int, k: int = K) -> tuple[InstanceRunner, object]:
    inst = make_instance(tmp_path / "home", db_url=db_url, site={"k": k, "settle": "14d"})
    history = tmp_path / "history.jsonl"
    history.write_text("\n".join(history_lines(cases, 3)) + "\n")
    inst.run("ingest", "history", history)
    inst.run("build", "--out", tmp_path / "site")
    return inst, tmp_path / "site"


def test_no_case_of_a_simulated_history_can_be_singled_out(tmp_path, db_url):
    inst, site = built(tmp_path, db_url, 5000)
    truth = knowledge(inst.engine)
    published = {e for p in (site / "data" / "cases").glob("*.json") for e in json.loads(p.read_text())}
    assert len(published) > 4000  # most of the year is published (the last weeks wait to settle)
    public = sorted(c for c in published if truth[c].visibility == "public")
    private = sorted(c for c in published if truth[c].visibility == "private")
    targets = {c: truth[c] for c in public[::7][:300] + private[::11][:150]}  # a few hundred of each
    found = candidates(site, targets)
    worst = {source: min(n[source] for n in found.values()) for source in ("log", "rows", "joined")}
    assert worst["joined"] >= K, (worst, [c for c, n in found.items() if n["joined"] < K][:5])
    assert worst["log"] >= K and worst["rows"] >= K
    opened = {c: truth[c].opened for c in published}
    groups = order_correlation(site, opened)
    # under independence rho * sqrt(n - 1) is about standard normal in each group: pooled, it stays small
    # (a log in time order gives rho = 1 in every group and a pooled z in the tens)
    pooled = sum(rho * math.sqrt(n - 1) for rho, n in groups) / math.sqrt(len(groups))
    assert len(groups) >= 20 and abs(pooled) < 4, (pooled, groups[:5])
    inst.close()


def test_the_times_published_are_periods_and_bands_only(tmp_path):
    inst, site = built(tmp_path, None, 1200)
    rows = (site / "data" / "outcomes.csv").read_text().splitlines()
    assert "censor" in rows[0]
    assert (site / ".openledger-site").read_text() == '{"openledger-site": 1}\n'
    home = (site / "index.html").read_text()
    assert "UTC" not in home  # no build time anywhere, only the data's "as of" day
    bundles = [p.read_bytes() for p in (site / "ledger" / "tile" / "entries").rglob("*") if p.is_file()]
    assert b'"at"' not in b"".join(bundles) and b"after_minutes" not in b"".join(bundles)
    inst.close()


def test_build_refuses_a_log_that_breaks_the_guarantee(tmp_path):
    """Sealed with k = 1, then published with k = 10: the log already says too much, so build refuses."""
    inst = make_instance(tmp_path / "home", site={"k": 1, "settle": "0d"})
    history = tmp_path / "history.jsonl"
    history.write_text("\n".join(history_lines(300, 5)) + "\n")
    inst.run("ingest", "history", history)
    inst.run("checkpoint")
    config = inst.home / "openledger.toml"
    config.write_text(config.read_text().replace("k = 1", "k = 10"))
    line = inst.run("build", "--out", tmp_path / "site", expect=1).stderr.strip()
    assert "\n" not in line and line.startswith("Error: refusing to publish: the log's entries would single out")
    assert "public case(s)" in line and "k = 10" in line
    assert not (tmp_path / "site").exists()
    inst.close()


@pytest.mark.parametrize("k", [5, 25])
def test_every_published_channel_group_holds_at_least_k_cases(tmp_path, k):
    """No published group is small: rare channels are pooled as "other", so no cell needs hiding."""
    inst, site = built(tmp_path, None, 1500, k)
    index = json.loads((site / "data" / "outcomes" / "index.json").read_text())
    counts: dict[tuple[str, str], int] = {}
    for period in index["periods"]:
        for part in period["parts"]:
            data = json.loads((site / "data" / "outcomes" / part).read_text())
            cols = data["columns"]
            for row in data["rows"]:
                key = (row[cols.index("channel")], row[cols.index("visibility")])
                counts[key] = counts.get(key, 0) + 1
    assert counts and min(counts.values()) >= k, counts
    inst.close()


def test_the_attacker_has_teeth_a_site_published_with_k_1_singles_people_out(tmp_path):
    """The same attack on a site published without the guarantee (k = 1: every case at once, response
    times in whole hours) finds many public cases alone: the attack is not a formality."""
    inst, site = built(tmp_path, None, 1500, k=1)
    truth = knowledge(inst.engine)
    published = {e for p in (site / "data" / "cases").glob("*.json") for e in json.loads(p.read_text())}
    public = sorted(c for c in published if truth[c].visibility == "public")[:200]
    found = candidates(site, {c: truth[c] for c in public})
    alone = sum(1 for n in found.values() if n["joined"] == 1)
    assert alone > len(public) // 2, alone
    inst.close()


def _category_counts(value, categories: set[str], found: list[tuple[str, int]]) -> None:
    """Every number the JSON ``value`` keys by a category name, anywhere in it."""
    if isinstance(value, dict):
        for key, child in value.items():
            if key in categories and isinstance(child, (int, dict)):
                n = child if isinstance(child, int) else child.get("n")
                if isinstance(n, int):
                    found.append((key, n))
            _category_counts(child, categories, found)
    elif isinstance(value, list):
        for child in value:
            _category_counts(child, categories, found)


def test_hidden_categories_cannot_be_recomputed_from_anything_published(tmp_path):
    """Cases the release planner suppressed (category 'hidden') are counted the same way on Home, the audit
    page and in the data files, and no published count by category can be differenced to recover them."""
    inst, site = built(tmp_path, None, 2500)
    truth = knowledge(inst.engine)
    with (site / "data" / "outcomes.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    public = [r for r in rows if r["visibility"] == "public"]
    hidden = sum(r["category"] == "hidden" for r in public)
    pooled = sum(r["channel"] == "other" for r in public)
    answered = [r for r in public if r["responded"] == "true"]
    withheld = sum(r["first_response_hours"] == "" for r in answered)
    assert hidden > 0, "the history must give the planner something to suppress"
    assert withheld > 0, "... and response bands to hide"
    visible: dict[str, int] = {}
    for r in rows:
        visible[r["category"]] = visible.get(r["category"], 0) + 1
    categories = {k.category for k in truth.values()} - {"hidden"}
    found: list[tuple[str, int]] = []
    for path in (site / "data").rglob("*.json"):
        _category_counts(json.loads(path.read_text()), categories, found)
    for category, n in found:
        assert n <= visible.get(category, 0), (category, n, visible.get(category))
    # the same count everywhere it is said
    for page in ("index.html", "audit.html"):
        text = (site / page).read_text()
        assert f"{hidden:,} with their category hidden" in text, page
        assert f"{len(public):,} public complaints are published" in text, page
        if pooled:
            assert f"{pooled:,} under the channel" in text, page
        # the answered public complaints published without a response time are said, with how the audit counts them
        assert f"{withheld:,} of the {len(answered):,} answered public complaints are published without" in text
    inst.close()

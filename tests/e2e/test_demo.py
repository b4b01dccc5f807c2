"""``openledger demo`` end to end, small: every export imported through its
source, many channels public and private, cases resolved, the bias visible
only when asked for, and the same seed giving the same year."""

from __future__ import annotations

import json
import statistics
from datetime import datetime

import pytest
import sqlalchemy as sa
from attacker import attack, knowledge
from click.testing import CliRunner
from paths import DOCS

from openledger.cli import main

CASES = "150"


def run_demo(base, name: str, bias: str, seed: str = "5"):
    home, out = base / name, base / f"{name}-site"
    result = CliRunner().invoke(main, ["demo", "--home", str(home), "--out", str(out), "--cases", CASES,
                                       "--seed", seed, "--bias", bias])
    assert result.exit_code == 0, result.output + repr(result.exception)
    engine = sa.create_engine(f"sqlite:///{home / 'openledger.db'}")
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(sa.text(
            "select source, channel, visibility, kind, status, outcome, remedy, opened_at, first_response_at "
            "from cases"))]
        events = dict(conn.execute(sa.text("select type, count(*) from events group by type")).all())
    engine.dispose()
    return {"home": home, "out": out, "output": result.output, "cases": rows, "events": events}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("demo")
    return {
        "favoured": run_demo(base, "favoured", "public-favoured"),
        "again": run_demo(base, "again", "public-favoured"),
        "fair": run_demo(base, "fair", "none"),
    }


def hours(row) -> float:
    """Hours from opening to the first answer (SQLite returns the UTC times as text)."""
    opened = datetime.fromisoformat(str(row["opened_at"])[:19])
    answered = datetime.fromisoformat(str(row["first_response_at"])[:19])
    return (answered - opened).total_seconds() / 3600


def median_response(rows, visibility: str) -> float:
    """Median hours to the first answer on agent-answered cases (CFPB imports carry their own dates)."""
    values = [
        hours(r) for r in rows if r["visibility"] == visibility and r["source"] != "cfpb" and r["first_response_at"]
    ]
    return statistics.median(values)


def remedy_rate(rows, visibility: str) -> float:
    """Share of resolved complaints that got a remedy."""
    resolved = [r for r in rows if r["visibility"] == visibility and r["source"] != "cfpb" and r["status"] == "resolved"
                and r["kind"] == "complaint"]
    return sum(1 for r in resolved if r["remedy"] not in (None, "none")) / len(resolved)


def test_every_source_imported_many_channels_both_visibilities(runs):
    run = runs["favoured"]
    sources = {r["source"] for r in run["cases"]}
    assert sources == {"email", "twcs", "twitter", "facebook", "reviews", "csv", "zendesk", "cfpb"}
    channels = {r["channel"] for r in run["cases"]}
    assert len(channels) >= 8, channels
    assert {"email", "twitter", "facebook", "review", "phone", "letter", "webform", "chat"} <= channels
    assert {r["visibility"] for r in run["cases"]} == {"public", "private"}
    assert (run["home"] / "inputs" / "twitter-archive" / "data" / "tweets.js").exists()
    assert (run["home"] / "inputs" / "twitter-archive" / "data" / "direct-messages.js").exists()
    assert (run["home"] / "inputs" / "twitter-archive" / "data" / "account.js").exists()
    assert "Next:" in run["output"] and "openledger verify" in run["output"]


def test_cases_are_answered_and_resolved_by_agents(runs):
    run = runs["favoured"]
    resolved = [r for r in run["cases"] if r["status"] == "resolved"]
    assert len(resolved) >= 0.8 * len(run["cases"])
    assert {r["outcome"] for r in resolved} >= {"upheld", "explained", "declined"}
    assert run["events"]["responded"] >= 0.8 * len(run["cases"]) * 0.9
    assert run["events"]["classified"] > 0 and run["events"]["drafted"] > 0
    assert run["events"].get("escalated", 0) > 0
    meta = json.loads((run["home"] / "demo.json").read_text())
    assert meta["bias"] == "public-favoured" and meta["cases"] == len(run["cases"])


def test_the_published_log_verifies(runs):
    run = runs["favoured"]
    result = CliRunner().invoke(main, ["verify", str(run["out"]), "--key", str(run["home"] / "verifier.key")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok:")


def test_public_favoured_bias_shows_in_the_data(runs):
    favoured, fair = runs["favoured"]["cases"], runs["fair"]["cases"]
    assert median_response(favoured, "public") < 0.3 * median_response(favoured, "private")
    assert median_response(fair, "public") > 0.5 * median_response(fair, "private")
    assert remedy_rate(favoured, "public") > remedy_rate(favoured, "private") + 0.1


def test_same_seed_same_year(runs):
    def counts(run):
        by = {}
        for r in run["cases"]:
            key = (r["source"], r["channel"], r["visibility"], r["status"], r["outcome"], r["remedy"])
            by[key] = by.get(key, 0) + 1
        return by, run["events"]

    assert counts(runs["favoured"]) == counts(runs["again"])


def test_refuses_to_replace_a_home_it_did_not_make(tmp_path):
    home = tmp_path / "real"
    home.mkdir()
    (home / "openledger.toml").write_text("[instance]\n")
    result = CliRunner().invoke(main, ["demo", "--home", str(home), "--cases", "50"])
    assert result.exit_code == 1
    assert "not made by 'openledger demo'" in result.output
    assert (home / "openledger.toml").read_text() == "[instance]\n"


def test_the_demo_site_holds_none_of_the_personal_data_in_its_inputs(runs):
    """The demo's texts carry names, e-mails, phones and account numbers; the site shows none."""
    import re

    from openledger.privacy.leaks import find_leaks

    run = runs["favoured"]
    engine = sa.create_engine(f"sqlite:///{run['home'] / 'openledger.db'}")
    found: dict[str, set[str]] = {"author": set(), "email": set(), "phone": set()}
    with engine.connect() as conn:
        for author, text in conn.execute(sa.text("select author, text from messages where direction = 'in'")):
            if author and len(author) >= 6:
                found["author"].add(author)
            found["email"].update(re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", text or ""))
            found["phone"].update(re.findall(r"\+?\d[\d ()-]{8,}\d", text or ""))
    engine.dispose()
    assert len(found["author"]) > 50 and len(found["email"]) > 10 and len(found["phone"]) > 10
    assert find_leaks(run["out"], {k: sorted(v) for k, v in found.items()}) == []
    # and the second line of verify re-derives the published numbers from the site's own files
    result = CliRunner().invoke(main, ["verify", str(run["out"])])
    assert "the site says what its log says" in result.output and result.exit_code == 0


def test_the_next_steps_in_getting_started_are_the_ones_the_demo_prints(runs):
    """docs/getting-started.md shows the end of a demo run: its 'Next:' commands must be the real ones."""
    import re

    run = runs["favoured"]
    printed = run["output"].split("\nNext:\n", 1)[1]
    commands = []
    for line in printed.splitlines():
        command = line.split("   #", 1)[0].strip()
        command = command.replace(str(run["out"]), "demo/site").replace(str(run["home"]), "demo/ledger")
        commands.append(re.sub(r"^\S*openledger ", "openledger ", command))
    docs = (DOCS / "getting-started.md").read_text()
    shown = [
        re.sub(r"\s+#.*", "", line).strip()
        for line in docs.split("\n    Next:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    ]
    assert shown == commands


def test_no_one_on_the_demo_site_can_be_singled_out(runs):
    """The linkage attack (tests/lib/attacker.py) on the demo's site: every public and private case it
    tries, in each source and all joined, stays among at least k = 10."""
    run = runs["favoured"]
    engine = sa.create_engine(f"sqlite:///{run['home'] / 'openledger.db'}")
    truth = knowledge(engine)
    engine.dispose()
    worst = attack(run["out"], truth)
    assert worst["targets"] > 50 and worst["public"] > 10, worst
    assert min(worst["log"], worst["rows"], worst["joined"]) >= 10, worst


def test_the_demo_says_what_its_site_shows_of_influence(runs):
    said = {name: next(line for line in run["output"].splitlines() if "influence:" in line)
            for name, run in runs.items()}
    assert said["fair"].strip().endswith("; 0 gag requests listed")
    assert "leverage unfair" not in said["fair"] and "deflection unfair" not in said["fair"]
    listed = json.loads((runs["favoured"]["out"] / "data" / "gag-requests.json").read_text())
    assert said["favoured"].strip().endswith(f"; {len(listed):,} gag request{'' if len(listed) == 1 else 's'} listed")

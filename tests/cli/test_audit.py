"""``openledger audit`` on an instance's history, and re-run from published files."""

from __future__ import annotations

import json

import pytest
from audit_sim import history_lines

from openledger.audit import write_csv
from openledger.store.outcomes import table_from_db
from openledger.testing import InstanceRunner
from openledger.timeutil import now

FINDING_KEYS = {"metric", "group", "reference", "value", "reference_value", "ratio", "ci_low", "ci_high",
                "p_value", "p_adjusted", "n", "verdict"}


def load_history(instance: InstanceRunner, tmp_path, n: int, seed: int, scenario: str) -> None:
    path = tmp_path / f"history-{scenario}.jsonl"
    path.write_text("\n".join(history_lines(n, seed, scenario)) + "\n")
    assert f"into {n} new cases" in instance.run("ingest", "history", path).stdout


def test_audit_json_contract_and_text(instance: InstanceRunner, tmp_path):
    load_history(instance, tmp_path, 400, 3, "fair")
    result = instance.json("audit", "--exact", "--json")
    assert result["dimension"] == "visibility" and result["reference"] == "private"
    assert result["overall"] in ("fair", "unfair", "insufficient-data")
    assert set(result["groups"]) == {"public", "private"}
    assert result["groups"]["public"]["n"] + result["groups"]["private"]["n"] == 400
    metrics = {f["metric"] for f in result["findings"]}
    assert metrics == {"response_rate", "first_response_hours", "resolution_rate", "resolution_days",
                       "remedy_rate", "remedy_amount", "escalation_rate", "reopen_rate"}
    for finding in result["findings"]:
        assert FINDING_KEYS <= set(finding)
        assert finding["verdict"] in ("equal", "unequal", "insufficient-data")
    by_channel = instance.json("audit", "--exact", "--json", "--by", "channel")
    assert by_channel["dimension"] == "channel" and len(by_channel["groups"]) >= 3
    text = instance.run("audit", "--exact").stdout
    assert "remedy_rate" in text and "public" in text
    bad = instance.run("audit", "--exact", "--by", "channel", "--reference", "carrier-pigeon", expect=1)
    assert "carrier-pigeon" in bad.stderr


def test_audit_finds_public_favoured_first_responses(tmp_path):
    from openledger.testing import make_instance

    instance = make_instance(tmp_path / "home")
    load_history(instance, tmp_path, 2500, 11, "response")
    result = instance.json("audit", "--exact", "--json")
    finding = next(f for f in result["findings"] if f["metric"] == "first_response_hours" and f["group"] == "public")
    assert finding["verdict"] == "unequal" and finding["ratio"] < 0.8
    assert result["overall"] == "unfair"


def test_audit_from_published_outcomes_is_identical(instance: InstanceRunner, tmp_path):
    load_history(instance, tmp_path, 400, 5, "fair")
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    stamp = now()
    with instance.engine.connect() as conn:
        table = table_from_db(conn, stamp)
    assert table["case"][0].startswith("C-") and len(table["case"]) == 400
    write_csv(table, site / "data" / "outcomes.csv")
    published = (site / "data" / "outcomes.csv").read_text()
    assert "@" not in published and "case-5-" not in published  # no external ids, no identities
    for by in ("visibility", "channel"):
        from openledger.audit import run_audit

        expected = json.loads(run_audit(table, dimension=by).to_json())
        again = instance.json("audit", "--json", "--by", by, "--from-site", site)
        assert again == expected
    # an auditor without any instance of their own
    from click.testing import CliRunner

    from openledger.cli import main

    outsider = CliRunner().invoke(main, ["--home", str(tmp_path / "none"), "audit", "--json", "--from-site", str(site)])
    assert outsider.exit_code == 0, outsider.output
    assert json.loads(outsider.stdout)["groups"]["public"]["n"] == json.loads(
        instance.run("audit", "--exact", "--json").stdout)["groups"]["public"]["n"]


@pytest.mark.parametrize("content,expected", [("not,a,table\n1,2,3\n", "lacks column"), ("", "not a readable")])
def test_audit_from_a_bad_csv(instance: InstanceRunner, tmp_path, content, expected):
    path = tmp_path / "outcomes.csv"
    path.write_text(content)
    result = instance.run("audit", "--from-site", path, expect=1)
    assert str(path) in result.stderr and expected in result.stderr


def test_an_instance_without_cases_says_there_is_nothing_to_compare(tmp_path):
    from openledger.testing import make_instance

    instance = make_instance(tmp_path / "home")
    out = instance.run("audit", "--exact").stdout
    assert "INSUFFICIENT-DATA" in out and "No group to compare with the reference 'private'" in out
    assert instance.json("audit", "--exact", "--json")["findings"] == []
    instance.close()


HEADER = ("channel,visibility,category,severity,opened,first_response_hours,resolution_days,resolved,responded,"
          "outcome,remedy,amount,escalated,reopened,audience,censor_hours,censor_days\n")
GOOD = "email,private,billing,2,2026-01-05,3.5,2.0,true,true,upheld,refund,30.0,false,false,,100.0,4.0\n"


@pytest.mark.parametrize("row,expected", [
    (GOOD.replace("upheld", "bogus"), "column 'outcome', row 2: must be upheld, partly-upheld, explained, declined, "
                                      "withdrawn or empty, not 'bogus'"),
    (GOOD.replace("refund", "cash"), "column 'remedy', row 2: must be refund, credit, replacement, repair, apology "
                                     "or none, not 'cash'"),
    (GOOD.rstrip("\n") + ",extra\n", "row 2 has more fields than the header"),
    ("", ""),
])
def test_an_auditor_is_told_which_row_of_a_published_csv_is_wrong(instance: InstanceRunner, tmp_path, row, expected):
    """A value outside the table's contract, or a row with a field too many (which pandas would
    read as the row's index, shifting every column), is one line naming the file and the row."""
    path = tmp_path / "outcomes.csv"
    path.write_text(HEADER + GOOD + row)
    if not row:  # the long row first: pandas took its first field for an index and shifted the rest
        path.write_text(HEADER + GOOD.rstrip("\n") + ",extra\n" + GOOD)
        expected = "row 1 has more fields than the header"
    line = instance.run("audit", "--from-site", path, expect=1).stderr.strip()
    assert line == f"Error: {path}: {expected}"


@pytest.mark.parametrize("value,expected", [
    ("2", "audit min_coverage must lie between 0 and 1 (a share of cases), not 2.0"),
    ('"most"', "invalid value in [audit]"),
])
def test_a_bad_min_coverage_is_one_clear_line(tmp_path, value, expected):
    from openledger.testing import make_instance

    instance = make_instance(tmp_path / "home")
    load_history(instance, tmp_path, 200, 8, "fair")
    with (tmp_path / "home" / "openledger.toml").open("a", encoding="utf-8") as config:
        config.write(f"\n[audit]\nmin_coverage = {value}\n")
    result = instance.run("audit", "--exact", expect=1)
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    instance.close()


def test_the_cli_shows_coverage_and_a_stricter_threshold_takes_verdicts_away(tmp_path):
    from openledger.testing import make_instance

    instance = make_instance(tmp_path / "home")
    load_history(instance, tmp_path, 2500, 12, "remedy")
    result = instance.json("audit", "--exact", "--json")
    remedy = next(f for f in result["findings"] if f["metric"] == "remedy_rate")
    assert remedy["coverage"]["group"]["share"] == 1.0 and remedy["coverage"]["group"]["cases"] == remedy["n"]
    assert result["min_coverage"] == 0.5
    text = instance.run("audit", "--exact").stdout
    assert "coverage" in text and "crude ratio" in text and "100% / 100%" in text
    with (tmp_path / "home" / "openledger.toml").open("a", encoding="utf-8") as config:
        config.write("\n[audit]\nmin_coverage = 1.0\nmin_cases = 2\n")
    strict = instance.json("audit", "--exact", "--json", "--by", "channel")
    assert "not-comparable" in {f["verdict"] for f in strict["findings"]}
    for f in strict["findings"]:
        shares = (f["coverage"]["group"]["share"], f["coverage"]["reference"]["share"])
        if None in shares or min(shares) < 1.0:
            assert f["verdict"] in ("not-comparable", "insufficient-data"), f
    instance.close()


def test_an_audit_of_the_log_says_which_cases_it_cannot_see_yet(instance: InstanceRunner, tmp_path):
    """The audit reads what the log publishes: before the cases are sealed it sees none of them, and says why
    (on stderr, so that --json stays one object) instead of only 'no group to compare'."""
    load_history(instance, tmp_path, 120, 5, "fair")
    before = instance.run("audit")
    assert "note: 120 of the database's 120 cases are not on the log yet" in before.stderr
    assert "not on the log yet" not in before.stdout
    as_json = instance.run("audit", "--json")  # the count in the object, nothing on stderr
    assert json.loads(as_json.stdout)["cases_not_on_the_log"] == 120 and not as_json.stderr
    assert json.loads(as_json.stdout)["overall"] == "insufficient-data"
    instance.run("checkpoint")
    assert "not on the log yet" not in instance.run("audit").stderr
    assert instance.json("audit", "--json")["cases_not_on_the_log"] == 0
    assert "not on the log yet" not in instance.run("audit", "--exact").stderr
    assert "cases_not_on_the_log" not in instance.json("audit", "--exact", "--json")

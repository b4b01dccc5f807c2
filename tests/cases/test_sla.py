"""Service targets and response levels in ``cases list --breached`` and ``cases show``."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from openledger.testing import InstanceRunner
from openledger.timeutil import iso, now

POLICY = """\
version = 1

[defaults]
template = "acknowledge"
tier = 1
first_response_hours = 2
resolution_hours = 16
business_hours = true
"""

CALENDAR = """
[calendar]
timezone = "Europe/London"
country = "GB"
subdivision = "ENG"
"""


def message(id_, at, text="My bill is wrong again, please fix it.", reply_to=None, author=None):
    out = {"id": id_, "channel": "email", "visibility": "private", "timestamp": at,
           "author": author or f"{id_}@example.org", "text": text}
    if reply_to:
        out.update(reply_to=reply_to, direction="out", author="care@acme.example", text="Thank you, we are on it.")
    return out


def messages() -> list[dict]:
    recent = iso(now() - timedelta(minutes=5))
    return [
        message("quick", "2026-03-02T10:00:00Z"),
        message("quick-reply", "2026-03-02T10:20:00Z", reply_to="quick"),
        # Friday 16:30 in London (GMT): 0.5 business hours left that day
        message("friday", "2026-03-06T16:30:00Z"),
        message("late", "2026-03-02T09:00:00Z"),
        message("late-reply", "2026-03-04T09:00:00Z", reply_to="late"),
        # Thursday 16:00 BST before Easter: Good Friday and Easter Monday are closed
        message("easter", "2026-04-02T15:00:00Z"),
        message("easter-reply", "2026-04-07T08:30:00Z", reply_to="easter"),
        message("fresh", recent),
        message("met", recent),
    ]


def setup(instance: InstanceRunner, tmp_path: Path) -> dict[str, dict]:
    """Cases keyed by their first message's id, each as ``cases show --json`` prints it."""
    (instance.home / "policy.toml").write_text(POLICY)
    config = instance.home / "openledger.toml"
    config.write_text('hierarchy_file = "policy.toml"\n' + config.read_text() + CALENDAR)
    path = tmp_path / "messages.jsonl"
    path.write_text("".join(json.dumps(m) + "\n" for m in messages()))
    instance.run("ingest", "jsonl", path)
    instance.run("process")
    shown = {}
    for case in instance.json("cases", "list", "--json"):
        data = instance.json("cases", "show", case["id"], "--json")
        shown[data["messages"][0]["id"]] = data
    instance.run("respond", shown["met"]["id"], "--accept-draft")
    instance.run("resolve", shown["met"]["id"], "--outcome", "upheld", "--remedy", "apology", "--reason", "fixed")
    shown["met"] = instance.json("cases", "show", shown["met"]["id"], "--json")
    return shown


def states(case: dict) -> dict[str, tuple[str, str]]:
    return {t["name"]: (t["state"], t["due"]) for t in case["targets"]}


def test_targets_follow_the_business_calendar(instance: InstanceRunner, tmp_path: Path):
    shown = setup(instance, tmp_path)
    assert states(shown["quick"]) == {"first_response": ("met", "2026-03-02T12:00:00Z"),
                                      "resolution": ("breached", "2026-03-04T10:00:00Z")}
    assert states(shown["friday"]) == {"first_response": ("breached", "2026-03-09T10:30:00Z"),
                                       "resolution": ("breached", "2026-03-10T16:30:00Z")}
    assert states(shown["late"]) == {"first_response": ("breached", "2026-03-02T11:00:00Z"),
                                     "resolution": ("breached", "2026-03-03T17:00:00Z")}
    # 1 hour on Thursday, then Good Friday, the weekend and Easter Monday (England) are closed; BST is UTC+1
    assert states(shown["easter"]) == {"first_response": ("met", "2026-04-07T09:00:00Z"),
                                       "resolution": ("breached", "2026-04-08T15:00:00Z")}
    assert {s for s, _ in states(shown["fresh"]).values()} == {"pending"}
    assert {s for s, _ in states(shown["met"]).values()} == {"met"}
    late = {t["name"]: t for t in shown["late"]["targets"]}
    assert late["first_response"]["at"] == "2026-03-04T09:00:00Z" and late["first_response"]["hours_taken"] == 16.0
    assert late["resolution"]["at"] is None


def test_response_levels_in_cases_show(instance: InstanceRunner, tmp_path: Path):
    shown = setup(instance, tmp_path)
    levels = {k: (v["response_level"]["level"], v["response_level"]["name"]) for k, v in shown.items()}
    assert levels == {"quick": (3, "minutes later"), "friday": (0, "no response"), "late": (1, "days later"),
                      "easter": (1, "days later"), "fresh": (0, "no response"), "met": (3, "minutes later")}
    fresh = shown["fresh"]["id"]
    instance.run("respond", fresh, "--accept-draft")
    after = instance.json("cases", "show", fresh, "--json")
    assert after["response_level"] == {"level": 3, "name": "minutes later"}
    assert states(after)["first_response"][0] == "met"
    text = instance.run("cases", "show", shown["late"]["id"]).stdout
    assert "response level 1 (days later)" in text
    assert "first response target: breached (at 2026-03-04T09:00:00Z, due 2026-03-02T11:00:00Z)" in text


def test_cases_list_breached(instance: InstanceRunner, tmp_path: Path):
    shown = setup(instance, tmp_path)
    listed = instance.json("cases", "list", "--breached", "--json")
    assert sorted(c["id"] for c in listed) == sorted(shown[k]["id"] for k in ("quick", "friday", "late", "easter"))
    friday = next(c for c in listed if c["id"] == shown["friday"]["id"])
    assert [(t["name"], t["due"]) for t in friday["breached"]] == [
        ("first_response", "2026-03-09T10:30:00Z"), ("resolution", "2026-03-10T16:30:00Z")]
    assert len(instance.json("cases", "list", "--breached", "--limit", "1", "--json")) == 1
    assert instance.json("cases", "list", "--breached", "--channel", "twitter", "--json") == []
    quick = next(c for c in listed if c["id"] == shown["quick"]["id"])
    assert [t["name"] for t in quick["breached"]] == ["resolution"]
    text = instance.run("cases", "list", "--breached").stdout
    assert "first response (due 2026-03-09T10:30:00Z)" in text
    assert instance.run("cases", "list", "--breached", "--status", "new").stdout.strip() == "no breached cases"


def test_responders_share_the_core_sla_functions():
    from openledger.builtin.responders import escalation
    from openledger.cases import sla

    assert escalation.TargetStatus is sla.TargetStatus

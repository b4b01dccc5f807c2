"""process, agent actions and the append-only event log."""

from __future__ import annotations

import json

import sqlalchemy as sa
from paths import EXAMPLES

from openledger.testing import InstanceRunner


def events_snapshot(instance: InstanceRunner):
    with instance.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text("select id, case_id, type, at, actor from events order by id"))]


def ingest_and_process(instance: InstanceRunner):
    instance.run("ingest", "jsonl", EXAMPLES / "messages.jsonl")
    result = instance.run("process")
    assert "processed 5 cases" in result.stdout
    return {c["channel"]: c for c in instance.json("cases", "list", "--json")}


def test_process_labels_drafts_and_proposes(instance: InstanceRunner):
    cases = ingest_and_process(instance)
    assert all(c["status"] == "open" for c in cases.values())
    assert cases["email"]["kind"] == "complaint" and cases["email"]["category"] == "billing"
    assert cases["facebook"]["kind"] == "compliment"
    assert cases["webform"]["kind"] == "question"
    shown = instance.json("cases", "show", cases["email"]["id"], "--json")
    types = [e["type"] for e in shown["events"]]
    assert types[-3:] == ["classified", "drafted", "remedy-proposed"]
    classified = shown["events"][-3]["data"]
    assert set(classified["labels"]) >= {"kind", "category", "sentiment", "urgency", "wants", "spam"}
    assert len(classified["deciders"]) == len(classified["labels"])
    assert all(d["name"] and d["version"] for d in classified["deciders"])
    assert shown["events"][-1]["data"]["remedy"] == "refund"
    assert shown["events"][-2]["private"]["reply"]
    # processing again finds nothing new
    assert "processed 0 cases" in instance.run("process").stdout


def test_agent_actions_are_events(instance: InstanceRunner):
    cases = ingest_and_process(instance)
    email = cases["email"]["id"]
    before = events_snapshot(instance)
    instance.run("respond", email, "--accept-draft")
    instance.run("escalate", email, "--reason", "duplicate charge over 100 GBP")
    result = instance.run("resolve", email, "--outcome", "upheld", "--amount", "45",
                          "--reason", "refund of the duplicate payment")
    assert "remedy refund 45 (override)" in result.stdout
    instance.run("reopen", email, "--reason", "refund did not arrive")
    instance.run("resolve", email, "--outcome", "upheld", "--remedy", "refund", "--amount", "45",
                 "--reason", "paid again")
    after = events_snapshot(instance)
    assert after[: len(before)] == before  # nothing earlier changed
    new_types = [row[2] for row in after[len(before):]]
    # the reply's labels (moves_private, gag) are classified as it goes out: cases.replies
    assert new_types == ["responded", "classified", "escalated", "resolved", "reopened", "resolved"]
    case = instance.json("cases", "show", email, "--json")
    assert case["status"] == "resolved" and case["reopened"] and case["escalated"] and case["tier"] == 2
    assert case["remedy"] == "refund" and case["amount"] == 45 and case["first_response_at"]


def test_actions_refuse_what_makes_no_sense(instance: InstanceRunner):
    cases = ingest_and_process(instance)
    email = cases["email"]["id"]
    r = instance.run("resolve", email, "--outcome", "declined", "--remedy", "none", expect=1)
    assert "the proposed remedy was refund 0; give --reason" in r.stderr
    r = instance.run("respond", email, "--text", "Please call us.", expect=1)
    assert "has a drafted reply: give --reason" in r.stderr
    r = instance.run("reopen", email, "--reason", "x", expect=1)
    assert f"case {email} is not resolved" in r.stderr
    r = instance.run("resolve", 9999, "--outcome", "upheld", expect=1)
    assert r.stderr.strip() == "Error: no case 9999"
    assert instance.run("cases", "show", 9999, expect=1).stderr.strip() == "Error: no case 9999"
    instance.run("resolve", email, "--outcome", "upheld")
    r = instance.run("resolve", email, "--outcome", "upheld", expect=1)
    assert "already resolved" in r.stderr


def test_cases_list_filters_and_text_output(instance: InstanceRunner):
    ingest_and_process(instance)
    assert [c["channel"] for c in instance.json("cases", "list", "--json", "--channel", "twitter")] == ["twitter"]
    assert instance.json("cases", "list", "--json", "--status", "resolved") == []
    text = instance.run("cases", "list").stdout
    assert "twitter" in text and "public" in text and "complaint" in text
    shown = instance.run("cases", "show", "1").stdout
    assert "events:" in shown and "opened" in shown


def test_an_amount_needs_a_remedy_that_carries_money(instance: InstanceRunner):
    """'none' and 'apology' carry no money (as in the history format): an amount with them would
    count in the audit's remedy_amount as money paid for nothing."""
    cases = ingest_and_process(instance)
    email = cases["email"]["id"]
    for remedy in ("none", "apology"):
        r = instance.run("resolve", email, "--outcome", "upheld", "--remedy", remedy, "--amount", "30", "--reason", "x",
                         expect=1)
        assert r.stderr.strip() == (
            f"Error: case {email}: a remedy of {remedy} has no amount; give --amount 0 or another --remedy"
        )
    assert instance.json("cases", "show", email, "--json")["status"] == "open"
    assert "remedy none 0" in instance.run("resolve", email, "--outcome", "declined", "--remedy", "none",
                                           "--reason", "not our fault").stdout


def test_cases_show_takes_the_public_id_a_customer_quotes(instance: InstanceRunner):
    """A customer quotes the id on their receipt (C-...); support finds the case with it."""
    cases = ingest_and_process(instance)
    email = cases["email"]["id"]
    with instance.engine.connect() as conn:
        public = conn.execute(sa.text(f"select public_id from cases where id = {email}")).scalar()
    assert public.startswith("C-")
    assert instance.json("cases", "show", public, "--json")["id"] == email
    assert instance.json("cases", "show", public.lower(), "--json")["id"] == email
    assert instance.run("cases", "show", "C-NOPE", expect=1).stderr.strip() == "Error: no case C-NOPE"


def test_resolve_without_remedy_says_which_proposed_remedy_it_records(instance: InstanceRunner):
    cases = ingest_and_process(instance)
    review, email = cases["review"]["id"], cases["email"]["id"]
    shown = instance.json("cases", "show", review, "--json")
    proposed = next(e for e in shown["events"] if e["type"] == "remedy-proposed")["data"]
    assert (proposed["remedy"], proposed["amount"]) == ("credit", 20.0)
    result = instance.run("resolve", review, "--outcome", "upheld")
    assert result.stdout.strip() == (f"case {review}: resolved upheld with the proposed remedy, credit of 20 "
                                     "(proposed by remedy-policy 1.1; no --remedy given)")
    assert instance.json("cases", "show", review, "--json")["remedy"] == "credit"
    result = instance.run("resolve", email, "--outcome", "upheld")
    assert result.stdout.strip() == (f"case {email}: resolved upheld with the proposed remedy, refund without an "
                                     "amount (proposed by remedy-policy 1.1; no --remedy given)")


def test_resolve_without_remedy_or_proposal_says_it_records_none(instance: InstanceRunner):
    instance.run("ingest", "jsonl", EXAMPLES / "messages.jsonl")  # not processed: nothing proposed
    case = instance.json("cases", "list", "--json", "--channel", "email")[0]["id"]
    result = instance.run("resolve", case, "--outcome", "upheld")
    assert result.stdout.strip() == (f"case {case}: resolved upheld with remedy none: no remedy was proposed "
                                     "(see 'openledger process') and no --remedy given")


def test_cases_list_says_when_it_stops_at_its_limit(instance: InstanceRunner):
    ingest_and_process(instance)  # five cases
    result = instance.run("cases", "list", "--limit", "2")
    assert len(result.stdout.splitlines()) == 3  # the header and two cases
    assert result.stderr.strip() == ("note: stopped at --limit 2; more cases match: see more with --limit 20 "
                                     "or narrow it with --status or --channel")
    result = instance.run("cases", "list", "--limit", "2", "--json", "--status", "open")
    assert len(json.loads(result.stdout)) == 2
    assert result.stderr.strip().endswith("see more with --limit 20 or narrow it with --channel")
    for enough in ("5", "100"):
        result = instance.run("cases", "list", "--limit", enough)
        assert len(result.stdout.splitlines()) == 6 and result.stderr == ""

"""Tabular exports: a call log and a letters register (generic CSV), a
review-site CSV, a Zendesk incremental tickets export (JSON) and a CFPB
Consumer Complaint Database CSV."""

from __future__ import annotations

import csv
import json
import random
from datetime import UTC
from pathlib import Path

from openledger.demo.company import AGENTS, DOMAIN, NAME
from openledger.demo.plan import DemoCase, Plan

#: ``ingest csv`` options for the call log (its columns are the telephony system's)
CALL_OPTIONS = {
    "columns.id": "Call ID", "columns.timestamp": "Started", "columns.author": "Caller",
    "columns.text": "Notes", "columns.reply_to": "Follow-up Of", "ignore": "Duration,Agent,Queue",
    "channel": "phone", "visibility": "private", "direction": "in",
}
ZENDESK_VIA = {"chat": "chat", "webform": "web", "app": "mobile_sdk"}
CFPB_VIA = {"Web": 70, "Referral": 10, "Phone": 8, "Postal mail": 6, "Email": 3, "Fax": 3}
CFPB_PRODUCTS = (
    ("Debt collection", "Telecommunications debt", "Attempts to collect debt not owed", "Debt was paid"),
    ("Debt collection", "Telecommunications debt", "Written notification about debt",
     "Didn't receive enough information to verify debt"),
    ("Credit reporting or other personal consumer reports", "Credit reporting", "Incorrect information on your report",
     "Account status incorrect"),
    ("Payday loan, title loan, personal loan, or advance loan", "Installment loan",
     "Charged fees or interest you didn't expect", ""),
)


def iso(when) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def call_id(case: DemoCase, follow_up: bool = False) -> str:
    return f"CALL-{case.opened:%Y%m%d}-{case.number:06d}" + ("-2" if follow_up else "")


def write_calls(plan: Plan, path: Path, rng: random.Random) -> int:
    """The contact-centre call log: one row per inbound call, the agent's note as text."""
    rows = []
    for case in plan.by_export("calls"):
        agent, queue = rng.choice(AGENTS), rng.choice(("Billing", "Tech support", "General", "Retention"))
        rows.append((case.opened, [call_id(case), iso(case.opened), case.person.phone, rng.randint(90, 2400),
                                   case.message.text, agent, queue, ""]))
        if case.follow_up:
            when, text = case.follow_up
            rows.append((when, [call_id(case, True), iso(when), case.person.phone, rng.randint(60, 900), text,
                                rng.choice(AGENTS), queue, call_id(case)]))
    rows.sort(key=lambda r: r[0])
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Call ID", "Started", "Caller", "Duration", "Notes", "Agent", "Queue", "Follow-up Of"])
        writer.writerows(row for _, row in rows)
    return len(rows)


def letter_id(case: DemoCase, follow_up: bool = False) -> str:
    return f"LTR-{case.opened:%Y}-{case.number:05d}" + ("-2" if follow_up else "")


def write_letters(plan: Plan, path: Path) -> int:
    """The post room's register of scanned letters (OCR text), generic CSV columns."""
    rows = []
    for case in plan.by_export("letters"):
        author = f"{case.person.name}, {case.person.address}"
        rows.append(
            (case.opened, [letter_id(case), "letter", "private", iso(case.opened), author, case.message.text, "", "in"])
        )
        if case.follow_up:
            when, text = case.follow_up
            body = (f"{case.person.name}\n{case.person.address}\n\nDear Sir or Madam,\n\n{text}\n\n"
                    f"Yours faithfully,\n{case.person.name}")
            rows.append(
                (when, [letter_id(case, True), "letter", "private", iso(when), author, body, letter_id(case), "in"])
            )
    rows.sort(key=lambda r: r[0])
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "channel", "visibility", "timestamp", "author", "text", "reply_to", "direction"])
        writer.writerows(row for _, row in rows)
    return len(rows)


def write_reviews(plan: Plan, path: Path) -> int:
    """A review site's CSV export."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Review ID", "Reviewer", "Rating", "Title", "Review Text", "Date"])
        cases = plan.by_export("reviews")
        for case in cases:
            reviewer = f"{case.person.first} {case.person.last[0]}."
            writer.writerow([f"rv-{case.number:07d}", reviewer, case.rating, case.message.subject, case.message.text,
                             iso(case.opened)])
    return len(cases)


def ticket(case: DemoCase) -> dict:
    """One Zendesk ticket as the API returns it."""
    channel = ZENDESK_VIA[case.channel.key]
    sender = (
        {"address": case.person.email, "name": case.person.name} if channel == "web" else {"name": case.person.name}
    )
    tid = 200000 + case.number
    return {
        "url": f"https://northwindwireless.zendesk.com/api/v2/tickets/{tid}.json", "id": tid, "external_id": None,
        "via": {"channel": channel, "source": {"from": sender, "to": {"address": f"care@{DOMAIN}"}, "rel": None}},
        "created_at": iso(case.opened), "updated_at": iso(case.opened),
        "type": "question" if case.message.kind == "question" else "problem",
        "subject": case.message.subject, "raw_subject": case.message.subject, "description": case.message.text,
        "priority": "high" if case.message.topic == "fraud" else "normal", "status": "new", "recipient": None,
        "requester_id": 368_104_000_000 + case.person.number * 7919,
        "submitter_id": 368_104_000_000 + case.person.number * 7919,
        "assignee_id": None, "tags": [case.message.topic, channel], "is_public": True, "satisfaction_rating": None,
    }


def write_zendesk(plan: Plan, path: Path) -> int:
    """``GET /api/v2/incremental/tickets.json`` saved as a file."""
    tickets = [ticket(c) for c in plan.by_export("zendesk")]
    end = max((c.opened for c in plan.by_export("zendesk")), default=None)
    body = {"tickets": tickets, "next_page": None, "count": len(tickets), "end_of_stream": True,
            "end_time": int(end.timestamp()) if end else None}
    path.write_text(json.dumps(body, indent=1, ensure_ascii=False), encoding="utf-8")
    return len(tickets)


CFPB_COLUMNS = ["Date received", "Product", "Sub-product", "Issue", "Sub-issue", "Consumer complaint narrative",
                "Company public response", "Company", "State", "ZIP code", "Tags", "Consumer consent provided?",
                "Submitted via", "Date sent to company", "Company response to consumer", "Timely response?",
                "Consumer disputed?", "Complaint ID"]


def write_cfpb(plan: Plan, path: Path, rng: random.Random) -> int:
    """Complaints about the company from the CFPB database (18-column CSV)."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CFPB_COLUMNS)
        cases = plan.by_export("cfpb")
        for case in cases:
            product, sub, issue, sub_issue = rng.choice(CFPB_PRODUCTS)
            via = rng.choices(list(CFPB_VIA), weights=list(CFPB_VIA.values()))[0]
            consent = rng.random() < 0.6
            response = case.cfpb_response
            sent = case.cfpb_sent if response != "Untimely response" else None
            writer.writerow([
                f"{case.opened:%Y-%m-%d}", product, sub, issue, sub_issue, case.message.text if consent else "",
                "Company has responded to the consumer and the CFPB and chooses not to provide a public response"
                if response not in ("In progress", "Untimely response") else "",
                f"{NAME.upper()}, INC.", case.person.state, case.person.zip[:3] + "XX",
                rng.choice(("", "", "", "Older American", "Servicemember")),
                "Consent provided" if consent else "Consent not provided", via,
                f"{sent:%Y-%m-%d}" if sent else f"{case.opened:%Y-%m-%d}", response,
                "No" if response == "Untimely response" else "Yes", "N/A", str(7_100_000 + case.number),
            ])
    return len(cases)

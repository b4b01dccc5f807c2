"""Realistic ledger entries for the ledger tests, from 300 real CFPB complaints.

tests/data/ledger_cfpb_300.csv holds selected columns of the first 300 rows of
/work/shared/data/cfpb/complaints_2015_2020_sample.csv (CFPB Consumer Complaint
Database). Each complaint becomes an "opened" event and, unless still in
progress, a "resolved" event; company, state and complaint id are private
details that enter the entry only through the commitment.
"""

from __future__ import annotations

import csv
from functools import cache
from hashlib import sha256

from paths import DATA

from openledger.ledger.canonical import commitment
from openledger.ledger.entry import build_entry

CFPB_300 = DATA / "ledger_cfpb_300.csv"
CHANNELS = {
    "Web": "webform", "Referral": "referral", "Phone": "phone",
    "Postal mail": "letter", "Fax": "fax", "Email": "email",
}
OUTCOMES = {
    "Closed with explanation": "explained",
    "Closed with non-monetary relief": "upheld",
    "Closed with monetary relief": "upheld",
    "Untimely response": "explained",
}
DECIDERS = [{"name": "openledger.builtin.classifiers.keywords", "version": "0.1.0"}]


def case_id(row: dict) -> str:
    """A pseudonymous public case id (tests only: not keyed)."""
    return "c-" + sha256(row["Complaint ID"].encode()).hexdigest()[:12]


def _event(row: dict, kind: str, at: str, data: dict) -> bytes:
    private = {"company": row["Company"], "state": row["State"], "complaint": row["Complaint ID"], "event": kind}
    salt = sha256(b"test salt " + row["Complaint ID"].encode() + kind.encode()).digest()
    return build_entry(
        case=case_id(row),
        type=kind,
        channel=CHANNELS[row["Submitted via"]],
        visibility="private",
        period=at[:7],  # the month of the day
        data=data,
        deciders=DECIDERS,
        commitment=commitment(salt, private),
    )


@cache
def cfpb_entries() -> tuple[bytes, ...]:
    """About 590 entries in log order."""
    with CFPB_300.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = []
    for row in rows:
        out.append(_event(row, "opened", row["Date received"], {"category": row["Product"], "issue": row["Issue"]}))
        response = row["Company response to consumer"]
        if response in OUTCOMES:
            data = {"outcome": OUTCOMES[response], "timely": row["Timely response?"] == "Yes",
                    "remedy": "refund" if response.endswith("monetary relief") and "non" not in response else "none"}
            out.append(_event(row, "resolved", row["Date sent to company"], data))
    return tuple(out)

"""A category or a label value carrying an e-mail address or a card number is stored redacted.

The site publishes ``cases.category`` and the label values of the classified
events; the redaction happens at intake (history and CFPB imports) and in
``process`` (classifier labels), before anything reaches a row or the log.
"""

from __future__ import annotations

import csv
import json

import sqlalchemy as sa
from paths import shared

from openledger.testing import InstanceRunner

HOSTILE = "Mortgage jane.doe@example.com 4111 1111 1111 1111"
SECRETS = ("jane.doe", "example.com", "4111")


def real_rows(n: int) -> tuple[list[str], list[dict]]:
    with shared("cfpb", "complaints_2015_2020_sample.csv").open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), [row for _, row in zip(range(n), reader)]


def stored_text(instance: InstanceRunner) -> str:
    """Every published-side value: case categories and kinds, event data."""
    with instance.engine.connect() as conn:
        cases = conn.execute(sa.text("select category, kind from cases")).all()
        events = conn.execute(sa.text("select data from events")).scalars().all()
    return json.dumps([list(map(str, c)) for c in cases]) + json.dumps([str(e) for e in events])


def test_a_cfpb_product_with_an_email_and_a_card_number_is_stored_redacted(instance: InstanceRunner, tmp_path):
    header, rows = real_rows(5)
    rows[2]["Product"] = HOSTILE
    rows[3]["Product"] = "=HYPERLINK(\"http://evil.example/x\",\"click\")"
    path = tmp_path / "cfpb.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerows(rows)
    result = instance.run("ingest", "cfpb", path)
    assert "5 new cases" in result.stdout
    assert "1 categories held personal data and were redacted (first: row 3)" in result.stdout
    stored = stored_text(instance)
    assert not any(secret in stored for secret in SECRETS), stored
    with instance.engine.connect() as conn:
        categories = conn.execute(sa.text("select category from cases order by id")).scalars().all()
    # the real products map onto the taxonomy (docs/sources.md, "Categories"); the two hostile
    # ones are no CFPB product, so they keep their own category, made a token
    assert categories == [
        "banking", "banking", "mortgage", "hyperlink-http-evil.example-x-click",  # a token: no formula left
        "service",
    ]
    assert "2 cases kept a category outside the taxonomy" in result.stdout


def test_a_history_category_is_a_token(instance: InstanceRunner, tmp_path):
    record = {"id": "h1", "channel": "email", "visibility": "private", "category": "Billing call +44 7700 900123",
              "severity": 2, "opened_at": "2025-01-02T10:00:00Z", "first_response_at": None, "resolved_at": None,
              "outcome": None, "remedy": "none", "amount": 0, "escalated": False, "reopened": False}
    path = tmp_path / "history.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    instance.run("ingest", "history", path)
    with instance.engine.connect() as conn:
        assert conn.execute(sa.text("select category from cases")).scalar_one() == "billing-call"
    assert "7700" not in stored_text(instance)

"""Free-text labels become publishable tokens: nothing a redactor finds survives."""

from __future__ import annotations

import csv

import pytest
from paths import shared

from openledger import plugins
from openledger.privacy.labels import MAX_LABEL, REDACTED, LabelCleaner, label_finder, safe_label, slug

FIND = label_finder(plugins.redactors({}))


def cfpb_values() -> set[str]:
    with shared("cfpb", "complaints_2015_2020_sample.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {row[key] for row in rows for key in ("Product", "Issue", "Sub-product") if row[key]}


def test_every_real_cfpb_product_and_issue_is_kept_as_a_slug():
    values = cfpb_values()
    assert len(values) > 100
    for value in values:
        token, changed = safe_label(value, FIND)
        assert not changed, (value, token)
        assert token == slug(value) and token[0].isalnum() and len(token) <= MAX_LABEL
    assert safe_label("Credit reporting, credit repair services, or other personal consumer reports", FIND)[0] == (
        "credit-reporting-credit-repair-services-or-other-personal-consumer-reports")
    assert safe_label("Consumer Loan", FIND) == ("consumer-loan", False)  # "Loan" is no surname here


@pytest.mark.parametrize(
    ("value", "token"),
    [
        ("Mortgage jane.doe@example.com 4111 1111 1111 1111", "mortgage"),
        ("billing - call me on +44 7700 900123", "billing-call-me-on"),
        ("Debt collection, card 4111-1111-1111-1111 exp 12/27", "debt-collection-card-exp-12-27"),
        ("refund @jane_doe99", "refund"),
        ("jane.doe@example.com", REDACTED),
        ("acct 12345678", "acct"),  # six digits or more look like an identifier
        ("=HYPERLINK(\"http://evil.example/?q=1\",\"x\")", "hyperlink-x"),
    ],
)
def test_personal_data_is_removed_and_reported(value, token):
    cleaned, changed = safe_label(value, FIND)
    assert cleaned == token
    assert "@" not in cleaned and "4111" not in cleaned and "7700" not in cleaned


def test_a_formula_or_a_dash_never_starts_a_token():
    for value in ("=SUM(A1)", "+1", "-x", "@home", "\tTab", "\rcr", "  spaced  Out "):
        token, _ = safe_label(value, FIND)
        assert token[0].isalnum(), (value, token)


def test_the_cleaner_remembers_values_and_lists_the_changed_ones():
    clean = LabelCleaner(FIND)
    assert [clean(v) for v in ("Billing", "billing", "x jane@example.com", "x jane@example.com")] == [
        "billing", "billing", "x", "x"]
    assert clean.changed == ["x", "x"]

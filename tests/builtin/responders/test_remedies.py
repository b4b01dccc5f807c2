"""Channel-blind remedies: the policy table, amounts, and blindness itself."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openledger.builtin.classifiers import lexical, vader
from openledger.builtin.responders import policy
from openledger.builtin.responders.remedies import (
    claimed_amount,
    policy_from_config,
    propose_remedy,
)
from openledger.cases.blinding import blind_view, mask_handles
from openledger.errors import ConfigError
from openledger.records import (
    BlindCaseView,
    CaseView,
    ClassifyInput,
    Label,
    MessageView,
)

AT = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
CHANNELS = ("twitter", "facebook", "instagram", "review", "email", "phone", "letter", "webform")


def labels(kind="complaint", category="billing", wants="compensation", spam="no"):
    return MappingProxyType({"kind": Label(kind, 0.9), "category": Label(category, 0.8),
                             "wants": Label(wants, 0.8), "spam": Label(spam, 0.9)})


def blind(text: str, severity: int = 2, **label_values) -> BlindCaseView:
    return BlindCaseView(1, AT, severity, labels(**label_values),
                         (dataclasses.make_dataclass("M", ["direction", "timestamp", "text"])(
                             "in", AT, text),))


def case_view(text: str, channel: str, visibility: str, audience: int | None,
              author_text: str = "") -> CaseView:
    classified = {}
    found: list = []
    lexical.register_classifiers(register=found.append, config={})
    vader.register_classifiers(register=found.append, config={})
    for c in found:
        classified[c.label] = c.classify(ClassifyInput(text))
    message = MessageView("in", channel, visibility, AT, author_text + text)
    return CaseView(9, "open", channel, visibility, AT, 2, MappingProxyType(classified),
                    (message,), audience=audience)


def remedy_responder(config=None):
    found: list = []
    policy.register_responders(register=found.append, config=config or {})
    return next(r for r in found if hasattr(r, "propose_remedy"))


def test_the_blind_view_has_no_channel_visibility_audience_or_handles():
    view = blind_view(case_view("@ShopHelp you charged me twice, refund £20", "twitter", "public", 120_000))
    for attribute in ("channel", "visibility", "audience", "author"):
        with pytest.raises(AttributeError):
            getattr(view, attribute)
        with pytest.raises(AttributeError):
            getattr(view.messages[0], attribute)
    assert "@ShopHelp" not in view.messages[0].text
    assert "@[handle]" in view.messages[0].text
    with pytest.raises((AttributeError, TypeError)):
        view.channel = "twitter"  # slots and frozen: nothing can be added


def test_the_remedy_hook_only_ever_receives_the_blind_view():
    responder = remedy_responder()
    full = case_view("You charged me twice, refund £20", "twitter", "public", 50_000)
    # a CaseView would leak the channel: the policy reads only what BlindCaseView offers
    fields = {f.name for f in dataclasses.fields(BlindCaseView)}
    assert fields.isdisjoint({"channel", "visibility", "audience", "author"})
    assert responder.propose_remedy(blind_view(full)).remedy == "refund"


@pytest.mark.parametrize("text", [
    "You charged me twice for October (£84.20 x2). I want the duplicate refunded.",
    "The sofa delivered last week has a tear in the cushion. Please send a new cover.",
    "Your staff member was rude to my father. Not asking for anything, you should know.",
    "My parcel never arrived and I want my £45 back",
])
def test_two_cases_identical_but_for_the_channel_get_the_same_remedy(text):
    responder = remedy_responder()
    public = case_view(text, "twitter", "public", 250_000, "@loudcustomer ")
    private = case_view(text, "letter", "private", None, "@quietcustomer ")
    assert responder.propose_remedy(blind_view(public)) == responder.propose_remedy(blind_view(private))


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(CHANNELS), st.sampled_from(CHANNELS), st.sampled_from(("public", "private")),
       st.integers(0, 10_000_000), st.from_regex(r"@[A-Za-z0-9_]{1,15}", fullmatch=True))
def test_remedy_is_invariant_under_channel_visibility_audience_and_handle(ch1, ch2, vis, audience, handle):
    text = "The kettle stopped working after a week and I want a refund of £29.99"
    responder = remedy_responder()
    a = responder.propose_remedy(blind_view(case_view(text, ch1, vis, audience, handle + " ")))
    b = responder.propose_remedy(blind_view(case_view(text, ch2, "private", None)))
    assert a == b


@pytest.mark.parametrize("category, wants, severity, remedy, amount", [
    ("billing", "compensation", 2, "refund", 84.2),
    ("billing", "fix", 2, "credit", 84.2),
    ("service", "compensation", 2, "credit", 20.0),
    ("delivery", "fix", 2, "replacement", 0.0),
    ("product-fault", "fix", 2, "repair", 0.0),
    ("service", "sympathy", 2, "apology", 0.0),
    ("service", "sympathy", 3, "credit", 20.0),
])
def test_default_policy_table(category, wants, severity, remedy, amount):
    proposal = propose_remedy(blind("You charged me £84.20 twice", severity, category=category, wants=wants))
    assert (proposal.remedy, proposal.amount) == (remedy, amount)
    assert proposal.reason.startswith("policy ")


def test_non_complaints_and_spam_get_no_remedy():
    assert propose_remedy(blind("Thank you!", kind="compliment", wants="none")).remedy == "none"
    assert propose_remedy(blind("WIN £1000", spam="yes")).remedy == "none"


def test_amounts_are_capped_and_missing_amounts_flagged():
    capped = propose_remedy(blind("I want my £2,400 back for the surgery"))
    assert capped.amount == 500.0 and "capped" in capped.reason
    unknown = propose_remedy(blind("I want a refund for this rubbish"))
    assert unknown.amount == 0.0 and "to be assessed" in unknown.reason


@pytest.mark.parametrize("text, amount", [
    ("I was billed £240 although my plan is £180. Please refund the £60 difference.", 60.0),
    ("Solicito el reembolso del importe duplicado (45,90 €)", 45.90),
    ("charged $1,100.00 for a policy", 1100.0),
    ("an amount of {$290.00} was taken", 290.0),
    ("Erstattung des Kaufpreises von 549 Euro", 549.0),
    ("I spent 3 hours and 2 days on this", None),
])
def test_claimed_amounts(text, amount):
    assert claimed_amount([text]) == amount


def test_policy_from_config_replaces_the_table():
    config = {"remedies": {"max_amount": 50, "goodwill_amount": 5, "rule": [
        {"kind": "complaint", "remedy": "credit", "amount": "goodwill"},
        {"kind": "complaint", "category": "billing", "wants": "compensation", "remedy": "refund",
         "amount": "mentioned"},
    ]}}
    table = policy_from_config(config)
    assert propose_remedy(blind("Refund my £80"), table).amount == 50.0
    assert propose_remedy(blind("x", category="travel"), table).amount == 5.0


@pytest.mark.parametrize("rule, message", [
    ({"remedy": "cash"}, "remedy must be one of"),
    ({"remedy": "refund", "amount": "lots"}, "amount must be"),
    ({"remedy": "refund", "min_severity": 9}, "min_severity"),
    ({"remedy": "apology", "amount": "goodwill"}, "apology carries no amount"),
    ({"remedy": "none", "amount": 5}, "none carries no amount"),
])
def test_bad_policy_rows_name_the_rule(rule, message):
    with pytest.raises(ConfigError, match=message) as error:
        policy_from_config({"remedies": {"rule": [rule]}})
    assert "[[remedies.rule]] 1" in str(error.value)


def test_handles_are_masked_but_email_addresses_kept():
    assert mask_handles("@Tesco ping me at jo@example.com") == "@[handle] ping me at jo@example.com"

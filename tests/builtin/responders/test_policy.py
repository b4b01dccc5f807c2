"""The hierarchy responder plugin: drafts, tiers, targets and templates."""

from __future__ import annotations

from datetime import UTC, datetime
from types import MappingProxyType

import pytest

from openledger.builtin.classifiers import lexical, vader
from openledger.builtin.responders import drafts, policy
from openledger.cases.hierarchy import load_hierarchy, parse_hierarchy
from openledger.errors import ConfigError
from openledger.records import CaseView, ClassifyInput, MessageView

CONFIG = {"calendar": {"timezone": "Europe/London", "country": "GB", "subdivision": "ENG"},
          "company": {"name": "Acme Energy"}}
FRIDAY_4PM = datetime(2026, 3, 6, 16, 0, tzinfo=UTC)


def classify(text: str, channel: str = "email") -> dict:
    found: list = []
    lexical.register_classifiers(register=found.append, config={})
    vader.register_classifiers(register=found.append, config={})
    item = ClassifyInput(text, channel)
    return {c.label: c.classify(item) for c in found}


def case(text: str, channel: str = "email", visibility: str = "private", *more: str) -> CaseView:
    messages = tuple(MessageView("in", channel, visibility, FRIDAY_4PM, t) for t in (text, *more))
    return CaseView(41, "open", channel, visibility, FRIDAY_4PM, 2,
                    MappingProxyType(classify(text, channel)), messages)


def responders(config=CONFIG) -> dict:
    found: list = []
    policy.register_responders(register=found.append, config=config)
    return {r.name: r for r in found}


def test_registers_a_drafter_and_a_remedy_proposer_with_names_and_versions():
    found = responders()
    assert set(found) == {"hierarchy", "remedy-policy"}
    assert all(isinstance(r.version, str) for r in found.values())
    assert hasattr(found["hierarchy"], "draft") and hasattr(found["remedy-policy"], "propose_remedy")


def test_complaint_draft_restates_the_problem_and_says_what_happens_next():
    draft = responders()["hierarchy"].draft(case(
        "Hello,\n\nI was billed £240 for the March quarter although my plan is £60 a month. "
        "Please refund the £60 difference.\n\nKind regards, Anne"))
    assert 'You told us: "I was billed £240 for the March quarter' in draft.reply
    assert "your bill" in draft.reply and "What happens next" in draft.reply
    # 8 business hours from Friday 16:00 (open 09-17 weekdays by default): 1 h on Friday, 7 h on Monday: 16:00 London
    assert "Monday 9 March 2026, 16:00 GMT" in draft.reply
    assert draft.tier == 1 and draft.first_response_hours == 8 and draft.business_hours
    assert draft.detail["template"] == "complaint"
    assert draft.reply.rstrip().endswith("Acme Energy")


def test_urgent_safety_complaint_goes_to_tier_three_on_calendar_hours():
    draft = responders()["hierarchy"].draft(case(
        "The electric blanket overheated and scorched the mattress while my mother was asleep."))
    assert draft.tier == 3 and not draft.business_hours
    assert draft.detail["severity"] == 4
    assert "emergency services" in draft.reply
    assert draft.detail["first_response_due"] == "2026-03-06T17:00:00+00:00"


def test_compliment_offers_to_share_only_with_consent():
    draft = responders()["hierarchy"].draft(case(
        "Just wanted to say Priya in your returns team was brilliant, thank you!"))
    assert draft.detail["consent_requested"] is True
    assert "only share it with your consent" in draft.reply


def test_public_replies_do_not_quote_the_customer():
    text = "@AcmeHelp my direct debit went up to £112 without notice, my account number is 4410 2291"
    private = responders()["hierarchy"].draft(case(text, "email", "private"))
    public = responders()["hierarchy"].draft(case(text, "twitter", "public"))
    assert "4410 2291" in private.reply and "4410 2291" not in public.reply
    # the tier and the targets do not depend on the channel
    assert (private.tier, private.first_response_hours, private.resolution_hours) == \
        (public.tier, public.first_response_hours, public.resolution_hours)


def test_customer_text_is_never_template_source():
    draft = responders()["hierarchy"].draft(case(
        "My bill is wrong {{ 7*7 }} {% for x in range(3) %}x{% endfor %} "
        "{{ ''.__class__.__mro__ }} please correct it"))
    assert "{{ 7*7 }}" in draft.reply and "49" not in draft.reply
    assert "{{ ''.__class__.__mro__ }}" in draft.reply


def test_repeated_contact_escalates_the_draft():
    text = "My broadband still drops every evening, please send an engineer."
    draft = responders()["hierarchy"].draft(case(text, "email", "private", "Any news?", "Still broken."))
    assert draft.tier == 2
    assert draft.detail["escalation"] == ["repeated contact (3 messages)"]


def test_spam_gets_no_draft():
    assert responders()["hierarchy"].draft(case(
        "WIN a brand new iPhone! Follow + RT and click the link in bio #giveaway")) is None


def test_company_templates_override_the_shipped_ones(tmp_path):
    (tmp_path / "complaint.txt.j2").write_text("Sorry about {{ topic }}, {{ company }} is on it.\n")
    config = dict(CONFIG, templates_dir=str(tmp_path))
    draft = responders(config)["hierarchy"].draft(case("You charged me twice, refund it."))
    assert draft.reply == "Sorry about your bill, Acme Energy is on it.\n"


def test_sandbox_blocks_unsafe_template_code(tmp_path):
    (tmp_path / "complaint.txt.j2").write_text("{{ topic.__class__.__mro__[1].__subclasses__() }}")
    config = dict(CONFIG, templates_dir=str(tmp_path))
    with pytest.raises(ConfigError, match="complaint.txt.j2"):
        responders(config)["hierarchy"].draft(case("You charged me twice, refund it."))


def test_missing_template_is_a_config_error(tmp_path):
    (tmp_path / "h.toml").write_text('[defaults]\ntemplate = "nope"\ntier = 1\n'
                                     'first_response_hours = 1\nresolution_hours = 2\nbusiness_hours = true\n')
    with pytest.raises(ConfigError, match="nope.txt.j2"):
        responders(dict(CONFIG, hierarchy_file=str(tmp_path / "h.toml")))["hierarchy"].draft(
            case("Something odd happened"))


def test_every_shipped_template_renders():
    env = drafts.environment({})
    context = {"topic": "your bill", "summary": "x", "kind": "complaint", "category": "billing",
               "wants": "fix", "severity": 2, "tier": 1, "urgent": False, "reasons": [],
               "case_ref": "#1", "first_response_due": "soon", "resolution_due": "later",
               "business_hours": True, "public": False, "company": "Acme", "signature": "Acme"}
    for name in load_hierarchy({}).templates:
        assert drafts.render(env, name, context).endswith("Acme\n")


def test_summary_drops_greetings_handles_links_and_headers():
    assert drafts.summarise("Topic: Billing\nMessage: Hi there, @Acme charged me twice https://t.co/x") \
        == "charged me twice"
    long = "Dear Sir or Madam, " + "The parcel never came. " * 30
    summary = drafts.summarise(long)
    assert summary.startswith("The parcel never came.") and len(summary) <= 220


def test_hierarchy_file_from_config_relative_to_home(tmp_path):
    (tmp_path / "policy.toml").write_text(
        '[defaults]\ntemplate = "acknowledge"\ntier = 2\nfirst_response_hours = 2\n'
        'resolution_hours = 4\nbusiness_hours = false\n')
    hierarchy = load_hierarchy({"hierarchy_file": "policy.toml", "home": str(tmp_path)})
    assert hierarchy.lookup("complaint", "billing", 2).tier == 2
    assert parse_hierarchy((tmp_path / "policy.toml").read_text()).defaults.business_hours is False

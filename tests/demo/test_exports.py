"""The demo's generated exports: each parses with its built-in source with
no rejected record, and the texts carry personal data the redactors find."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from openledger import plugins
from openledger.demo import texts
from openledger.demo.keys import match_key
from openledger.demo.people import make_person
from openledger.demo.plan import make_plan
from openledger.demo.runner import write_inputs
from openledger.intake import contract
from openledger.privacy.redaction import redact
from openledger.records import CaseRecord, MessageRecord, Rejected

UNTIL = date(2026, 6, 1)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    plan = make_plan(240, seed=11, bias="none", until=UNTIL)
    inputs = write_inputs(plan, tmp_path_factory.mktemp("inputs"))
    return plan, inputs


def test_every_export_parses_with_its_source(written):
    _plan, inputs = written
    sources = plugins.sources({})
    seen = {}
    for item in inputs:
        records = contract.run(sources[item.source], item.path, item.options)
        assert not [r for r in records if isinstance(r, Rejected)], item.path
        assert len(records) == item.records, item.path
        seen[item.path.name] = records
    assert set(seen) == {
        "support-inbox.mbox", "twitter-mentions.csv", "twitter-archive", "facebook-page", "reviews.csv",
        "call-log.csv", "letters.csv", "zendesk-tickets.json", "cfpb-complaints.csv",
    }
    assert all(isinstance(r, CaseRecord) for r in seen["cfpb-complaints.csv"])
    archive = Counter((r.visibility, r.direction) for r in seen["twitter-archive"])
    assert archive[("public", "out")] > 0 and archive[("private", "in")] > 0  # announcements and customers' DMs
    facebook = Counter((r.visibility, r.direction) for r in seen["facebook-page"])
    assert facebook[("public", "in")] > 0 and facebook[("private", "in")] > 0 and facebook[("public", "out")] > 0


def test_every_planned_case_is_found_in_what_the_sources_read(written):
    plan, inputs = written
    sources = plugins.sources({})
    keys = set()
    for item in inputs:
        for r in contract.run(sources[item.source], item.path, item.options):
            if isinstance(r, MessageRecord) and r.direction == "in":
                keys.add(match_key(item.source, r.timestamp, r.text))
    missing = [
        c for c in plan.cases if c.source != "cfpb" and match_key(c.source, c.opened, c.message.text) not in keys
    ]
    assert missing == []


def test_private_messages_carry_personal_data_that_redaction_removes(written):
    plan, _ = written
    redactors = plugins.redactors({})
    private = [c for c in plan.cases if not c.public and c.channel.key != "cfpb"]
    redacted = 0
    for case in private:
        result = redact(case.message.text, redactors)
        person = case.person
        present = [v for v in (person.email, person.phone, person.account, person.street) if v in case.message.text]
        if present:
            redacted += 1
            for value in present:
                assert value not in result.text, (value, result.text)
    assert redacted >= 0.8 * len(private)


def test_texts_vary_in_kind_tone_and_language():
    import random

    rng = random.Random(3)
    people = [make_person(rng, n) for n in range(400)]
    messages = [
        texts.compose(rng, p, rng.choice(("email", "twitter", "phone", "letter", "review", "chat"))) for p in people
    ]
    assert {m.kind for m in messages} == {"complaint", "question", "compliment"}
    assert {m.tone for m in messages if m.kind == "complaint"} == {"angry", "sarcastic", "calm", "desperate"}
    assert len({m.text for m in messages}) >= 0.97 * len(messages)  # short public questions may repeat, as they do
    greetings = " ".join(m.text for m in messages)
    assert sum(
        word in greetings for word in ("Hola", "Bonjour", "Hallo", "Olá", "Dzień dobry", "Xin chào", "Ciao")
    ) >= 5
    assert all(len(m.text) <= 280 for m, p in zip(messages, people) if m.text.startswith("@NorthwindHelp"))

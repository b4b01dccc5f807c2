"""Response levels 0-6, escalation rules and SLA tracking (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openledger.builtin.responders.escalation import (
    EscalationRules,
    decide_escalation,
    rules_from_config,
)
from openledger.cases.calendar import calendar_from_config
from openledger.cases.levels import assess_level, response_level
from openledger.cases.sla import Targets, breached, track_sla
from openledger.errors import BadRecordError, ConfigError

# Saturday 23:10 in London: outside business hours
OPENED = datetime(2026, 3, 7, 23, 10, tzinfo=UTC)
CAL = calendar_from_config({"calendar": {"timezone": "Europe/London", "country": "GB"}})


def ev(kind: str, after: timedelta, channel: str = "letter", **data) -> dict:
    return {"type": kind, "at": OPENED + after, "channel": channel, "data": data}


OPEN = ev("opened", timedelta(0))


@pytest.mark.parametrize("events, level", [
    ([OPEN], 0),
    ([OPEN, ev("message", timedelta(minutes=5), direction="in")], 0),
    ([OPEN, ev("responded", timedelta(days=3))], 1),
    ([OPEN, ev("responded", timedelta(hours=5))], 2),
    ([OPEN, ev("responded", timedelta(minutes=12))], 3),  # a Saturday night: still minutes
    ([OPEN, ev("message", timedelta(minutes=30), direction="out")], 3),
    ([OPEN, ev("responded", timedelta(days=2)), ev("contacted", timedelta(days=2, hours=1), direct=True)], 4),
    ([OPEN, ev("responded", timedelta(hours=2)),
      ev("contacted", timedelta(hours=3), channel="phone", sought_out=True)], 5),
    # sought out in the same channel the customer used is only a direct contact at most
    ([OPEN, ev("responded", timedelta(hours=2)),
      ev("contacted", timedelta(hours=3), channel="letter", sought_out=True, direct=True)], 4),
    ([OPEN, ev("responded", timedelta(hours=2)), ev("resolved", timedelta(days=1), in_person=True)], 6),
    ([OPEN, ev("responded", timedelta(days=4)), ev("resolved", timedelta(days=9), beyond=True)], 6),
    # a direct contact before any response does not lift the level
    ([OPEN, ev("note", timedelta(minutes=1), direct=True)], 0),
])
def test_response_levels(events, level):
    assert response_level(events) == level


def test_levels_accept_iso_strings_in_any_order():
    events = [
        {"type": "responded", "at": "2026-03-08T01:00:00Z", "channel": "email", "data": {}},
        {"type": "opened", "at": "2026-03-07T23:10:00+00:00", "channel": "email", "data": {}},
    ]
    result = assess_level(events)
    assert (result.level, result.name) == (2, "hours later")
    assert result.first_response_at == datetime(2026, 3, 8, 1, 0, tzinfo=UTC)


def test_event_without_a_time_is_a_bad_record():
    with pytest.raises(BadRecordError, match="event 1"):
        response_level([OPEN, {"type": "responded", "at": "yesterday", "data": {}}])


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 60 * 24 * 10))
def test_faster_first_response_never_lowers_the_level(minutes):
    slow = response_level([OPEN, ev("responded", timedelta(minutes=minutes))])
    fast = response_level([OPEN, ev("responded", timedelta(minutes=minutes // 2))])
    assert 1 <= slow <= fast <= 3


def test_escalation_rules():
    assert decide_escalation(tier=1, severity=2).escalate is False
    critical = decide_escalation(tier=1, severity=4)
    assert (critical.tier, critical.reasons) == (3, ("severity 4",))
    assert decide_escalation(tier=1, severity=2, urgent=True).tier == 2
    assert decide_escalation(tier=1, severity=2, contacts=4).tier == 3
    assert decide_escalation(tier=3, severity=4, contacts=9).escalate is False  # capped


def test_sla_breach_escalates_one_tier():
    statuses = track_sla(CAL, OPENED, Targets(8, 40), None, None, OPENED + timedelta(days=8))
    decision = decide_escalation(tier=1, severity=2, sla=statuses)
    assert decision.tier == 2 and decision.reasons == ("sla breached: first_response, resolution",)


def test_escalation_config():
    rules = rules_from_config({"escalation": {"repeat_contacts": 2, "max_tier": 4,
                                              "severity_tiers": {"4": 4}}})
    assert rules == EscalationRules({4: 4}, 2, 2, 4)
    with pytest.raises(ConfigError, match=r"\[escalation\]"):
        rules_from_config({"escalation": {"max_tier": "top"}})


def test_sla_tracking_in_business_hours():
    # opened Saturday night: 8 business hours end Monday 17:00 London
    statuses = track_sla(CAL, OPENED, Targets(8, 40, business_hours=True),
                         first_response_at=datetime(2026, 3, 9, 16, 0, tzinfo=UTC),
                         resolved_at=None, now=datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    first, resolution = statuses
    assert first.state == "met" and first.due == datetime(2026, 3, 9, 17, 0, tzinfo=UTC)
    assert first.hours_taken == 7.0
    assert resolution.state == "pending" and resolution.at is None
    assert not breached(statuses)


def test_sla_tracking_in_calendar_hours():
    statuses = track_sla(CAL, OPENED, Targets(1, 24, business_hours=False),
                         first_response_at=OPENED + timedelta(hours=2), resolved_at=None,
                         now=OPENED + timedelta(hours=30))
    assert [s.state for s in statuses] == ["breached", "breached"]
    assert statuses[1].as_dict()["due"] == "2026-03-08T23:10:00+00:00"
    assert breached(statuses)


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 100), st.integers(0, 60 * 24 * 14), st.booleans())
def test_sla_state_agrees_with_the_due_time(hours, minutes, business):
    done = OPENED + timedelta(minutes=minutes)
    (status,) = track_sla(CAL, OPENED, Targets(hours, None, business), done, None, done)
    assert status.state == ("met" if done <= status.due else "breached")

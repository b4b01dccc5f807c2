"""The business calendar: opening hours, holidays, DST, and its arithmetic laws."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openledger.cases.calendar import add_hours, calendar_from_config, hours_between
from openledger.errors import ConfigError

LONDON = ZoneInfo("Europe/London")
UK = calendar_from_config({"calendar": {
    "timezone": "Europe/London", "country": "GB", "subdivision": "ENG",
    "hours": {"mon": "09:00-17:30", "tue": "09:00-17:30", "wed": "09:00-17:30",
              "thu": "09:00-17:30", "fri": "09:00-12:30, 13:30-17:00", "sat": "10:00-13:00"},
    "closed": ["2026-12-24"],
}})
ALWAYS = calendar_from_config(
    {"calendar": {"hours": dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), "00:00-24:00")}}
)

moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31),
                       timezones=st.just(UTC))
durations = st.floats(min_value=0.0, max_value=200.0, allow_nan=False)


def test_default_calendar_is_utc_weekdays_nine_to_five():
    cal = calendar_from_config({})
    friday_4pm = datetime(2026, 3, 6, 16, 0, tzinfo=UTC)
    # one hour on Friday, then Monday 09:00 + 1h
    assert cal.add_business_hours(friday_4pm, 2) == datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
    assert cal.is_open(friday_4pm)
    assert not cal.is_open(datetime(2026, 3, 7, 12, 0, tzinfo=UTC))


def test_public_holidays_are_skipped():
    # Good Friday 2026 is 3 April, Easter Monday 6 April (England); Saturday opens 10-13
    thursday_5pm = datetime(2026, 4, 2, 17, 0, tzinfo=LONDON)
    due = UK.add_business_hours(thursday_5pm, 4)
    # 30 min Thursday, 3 h Saturday 4 April, then Tuesday 7 April 09:30
    assert due == datetime(2026, 4, 7, 9, 30, tzinfo=LONDON)
    assert UK.is_holiday(date(2026, 12, 25)) and UK.is_holiday(date(2026, 12, 24))


def test_lunch_break_is_not_counted():
    start = datetime(2026, 3, 6, 12, 0, tzinfo=LONDON)  # a Friday
    assert UK.business_hours_between(start, datetime(2026, 3, 6, 14, 0, tzinfo=LONDON)) == 1.0


def test_daylight_saving_day_counts_wall_clock_hours():
    # clocks go forward on Sunday 29 March 2026 at 01:00 UTC; a 24/7 calendar still
    # counts the real elapsed hours across the change
    start = datetime(2026, 3, 28, 12, 0, tzinfo=LONDON)
    end = datetime(2026, 3, 29, 12, 0, tzinfo=LONDON)
    assert ALWAYS.business_hours_between(start, end) == pytest.approx(23.0)
    assert hours_between(ALWAYS, start, end, business=False) == pytest.approx(23.0)


def test_opening_hours_follow_local_time_across_dst():
    # 09:00 London is 09:00 UTC in winter and 08:00 UTC in summer
    assert UK.is_open(datetime(2026, 1, 5, 9, 30, tzinfo=UTC))
    assert UK.is_open(datetime(2026, 7, 6, 8, 30, tzinfo=UTC))
    assert not UK.is_open(datetime(2026, 1, 5, 8, 30, tzinfo=UTC))


def test_calendar_hours_ignore_opening_times():
    start = datetime(2026, 3, 7, 22, 0, tzinfo=LONDON)
    assert add_hours(UK, start, 3, business=False) == datetime(2026, 3, 8, 1, 0, tzinfo=LONDON)


@pytest.mark.parametrize("table, where", [
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"hours": {"mon": "9-5"}}, "mon"),
    ({"hours": {"mon": "17:00-09:00"}}, "mon"),
    ({"hours": {"mon": "09:00-13:00, 12:00-17:00"}}, "mon"),
    ({"hours": {"funday": "09:00-17:00"}}, "hours"),
    ({"hours": {}}, "hours"),
    ({"country": "XX"}, "calendar"),
    ({"closed": ["24/12/2026"]}, "closed"),
])
def test_bad_calendar_config_names_the_key(table, where):
    with pytest.raises(ConfigError) as error:
        calendar_from_config({"calendar": table})
    assert where in str(error.value)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        UK.add_business_hours(datetime(2026, 3, 6, 12, 0), 1)


@settings(max_examples=60, deadline=None)
@given(moments, durations)
def test_adding_then_counting_gives_back_the_hours(start, hours):
    due = UK.add_business_hours(start, hours)
    assert due >= start
    assert UK.business_hours_between(start, due) == pytest.approx(hours, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(moments, moments, moments)
def test_counting_is_additive_and_bounded_by_wall_clock(a, b, c):
    a, b, c = sorted((a, b, c))
    ab, bc = UK.business_hours_between(a, b), UK.business_hours_between(b, c)
    assert ab + bc == pytest.approx(UK.business_hours_between(a, c), abs=1e-6)
    assert 0 <= ab <= (b - a).total_seconds() / 3600 + 1e-9
    assert UK.business_hours_between(b, a) == pytest.approx(-ab)


@settings(max_examples=40, deadline=None)
@given(moments, durations, durations)
def test_adding_is_monotonic(start, h1, h2):
    low, high = sorted((h1, h2))
    assert UK.add_business_hours(start, low) <= UK.add_business_hours(start, high)


@settings(max_examples=40, deadline=None)
@given(moments, durations)
def test_positive_targets_end_inside_opening_hours(start, hours):
    if hours >= 1e-3:  # below a microsecond a timedelta rounds to zero
        due = UK.add_business_hours(start, hours)
        # the instant just before the due time is open
        assert UK.is_open(due - timedelta(microseconds=1))

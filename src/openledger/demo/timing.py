"""When customers write and when the company answers.

Arrivals follow the week (phones and letters quiet at weekends, social
media busier), the season (January bills), and a few network outages that
bring a burst of complaints, mostly on social media. Agents answer in
business hours (:mod:`openledger.cases.calendar`); a week with more arrivals than
usual builds a backlog that slows every answer in it. With the
``public-favoured`` bias a social-media team answers public posts within
hours, seven days a week, while everyone else waits for the queue.
"""

from __future__ import annotations

import math
import random
import tomllib
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from openledger.cases.calendar import BusinessCalendar, add_hours, calendar_from_config
from openledger.demo.company import CHANNELS, CONFIG_EXTRA, TIMEZONE, Channel

LOCAL = ZoneInfo(TIMEZONE)
PUBLIC_FACTOR = {"twitter": 6.0, "facebook": 5.0, "review": 1.5, "phone": 3.0}


def business_calendar() -> BusinessCalendar:
    """The demo company's opening hours (the same table its config gets)."""
    return calendar_from_config(tomllib.loads(CONFIG_EXTRA))


class Year:
    """Day weights for a year of arrivals, per channel."""

    def __init__(self, rng: random.Random, until: date):
        self.start = until - timedelta(days=365)
        self.days = [self.start + timedelta(days=i) for i in range(365)]
        self.outages = sorted(rng.sample(range(20, 360), 4))
        self._cumulative = {c.key: self._weights(c) for c in CHANNELS}

    def _weights(self, channel: Channel) -> list[float]:
        total, out = 0.0, []
        for i, day in enumerate(self.days):
            weight = channel.weekend if day.weekday() >= 5 else 1.0
            if channel.key == "letter" and day.weekday() >= 5:
                weight = 0.0
            weight *= 1 + 0.25 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 15) / 365)
            for outage in self.outages:
                if i in (outage, outage + 1):
                    weight *= PUBLIC_FACTOR.get(channel.channel, 1.5) / (1 if i == outage else 2)
            total += weight
            out.append(total)
        return out

    def arrival(self, rng: random.Random, channel: Channel) -> datetime:
        """A moment someone writes on ``channel``, in UTC."""
        day = rng.choices(self.days, cum_weights=self._cumulative[channel.key])[0]
        low, high = channel.hours
        minute = rng.randrange(low * 60, high * 60)
        local = datetime.combine(day, time(minute // 60, minute % 60), LOCAL) + timedelta(seconds=rng.randrange(60))
        return local.astimezone(UTC)


def backlog(opened: list[datetime]) -> dict[tuple[int, int], float]:
    """Per ISO week, how much slower answers are: (arrivals / a typical week) ^ 1.3, in 0.7..3."""
    weeks = Counter(moment.isocalendar()[:2] for moment in opened)
    typical = sorted(weeks.values())[len(weeks) // 2] if weeks else 1
    return {week: min(3.0, max(0.7, (count / typical) ** 1.3)) for week, count in weeks.items()}


def lognormal_hours(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0.0, sigma))


def first_response(rng: random.Random, calendar: BusinessCalendar, opened: datetime, public: bool,
                   bias: str, load: float) -> datetime:
    """When an agent first answers a case opened at ``opened``."""
    if bias == "public-favoured" and public:
        return add_hours(calendar, opened, lognormal_hours(rng, 1.2, 0.7) * load ** 0.3, business=False)
    return add_hours(calendar, opened, lognormal_hours(rng, 7.0, 0.9) * load, business=True)


def resolution(rng: random.Random, calendar: BusinessCalendar, responded: datetime, kind: str, public: bool,
               bias: str, load: float) -> datetime:
    """When the case is resolved, after the first response."""
    if kind != "complaint":
        return responded + timedelta(minutes=rng.randint(2, 90))
    if bias == "public-favoured" and public:
        return add_hours(calendar, responded, lognormal_hours(rng, 5.0, 0.8), business=False)
    return add_hours(calendar, responded, lognormal_hours(rng, 18.0, 0.9) * load, business=True)

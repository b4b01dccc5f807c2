"""The plan of a demo year: every case, what the customer wrote, and what
the agents will do with it. Deterministic for a seed."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from openledger.demo import texts, timing
from openledger.demo.company import AGENTS, CHANNELS, Channel
from openledger.demo.people import Person, make_person

BIASES = ("none", "public-favoured")
#: where each demo channel's file is ingested: source name
SOURCE_OF_EXPORT = {"mbox": "email", "twcs": "twcs", "twitter": "twitter", "facebook": "facebook", "reviews": "reviews",
                    "calls": "csv", "letters": "csv", "zendesk": "zendesk", "cfpb": "cfpb"}
#: channels whose follow-ups thread by reply id (a thread-only follow-up written in the same
#: ingest batch as its first message would open a second case)
FOLLOW_UP_CHANNELS = ("email", "twitter", "phone", "letter")
OUTCOMES_FAIR = {"upheld": 38, "partly-upheld": 17, "explained": 30, "declined": 15}
OUTCOMES_FAVOURED = {"upheld": 60, "partly-upheld": 20, "explained": 15, "declined": 5}
#: the share of private complaints (CFPB ones aside) that threaten publicity, the press, a regulator or a lawyer
THREAT_SHARE = 0.10
#: under the ``public-favoured`` bias, the agents who yield to a threat: the case gets a public case's
#: outcomes, goodwill and speed of resolution
YIELDING_AGENTS = AGENTS[:5]
#: the public channels whose agents answer every third case in their own words, asking the customer to
#: continue in private (a DM, a private message, an e-mail)
MOVING_CHANNELS = ("twitter", "facebook", "review")
#: under the ``public-favoured`` bias, the share of complaints moved private that are then dropped: half
#: never resolved, half declined
DROPPED_SHARE = 0.4
#: under the ``public-favoured`` bias, the share of tweet and review complaints (not moved) resolved with a
#: private reply that asks the customer to delete the post: a gag request
GAG_SHARE = 0.03
CFPB_RESPONSES = {"Closed with explanation": 58, "Closed with monetary relief": 10,
                  "Closed with non-monetary relief": 17, "Closed without relief": 5, "In progress": 6,
                  "Untimely response": 4}


@dataclass
class DemoCase:
    """One planned case."""

    number: int
    channel: Channel
    person: Person
    message: texts.Message
    opened: datetime
    follow_up: tuple[datetime, str] | None = None
    rating: int | None = None
    # what the agents do (times in UTC; None: not done within the year)
    respond_at: datetime | None = None
    escalate_at: datetime | None = None
    resolve_at: datetime | None = None
    outcome: str | None = None
    goodwill: bool = False
    reopen_at: datetime | None = None
    reresolve_at: datetime | None = None
    agent: str = "agent"
    cfpb_response: str | None = None
    cfpb_sent: datetime | None = None
    moved: bool = False  # the first reply, in the agent's own words, asks to continue in private
    dropped: bool = False  # moved private, then never resolved or declined (bias)
    yielded: bool = False  # a threat the agent yielded to (bias)
    gag: bool = False  # resolved with a private reply that asks to delete the post (bias)

    @property
    def public(self) -> bool:
        return self.channel.visibility == "public"

    @property
    def source(self) -> str:
        return SOURCE_OF_EXPORT[self.channel.export]


@dataclass
class Plan:
    """A year of cases and the outages behind the bursts."""

    until: date
    seed: int
    bias: str
    cases: list[DemoCase] = field(default_factory=list)
    outages: list[date] = field(default_factory=list)
    people: int = 0

    def by_export(self, export: str) -> list[DemoCase]:
        return [c for c in self.cases if c.channel.export == export]

    @property
    def gags(self) -> list[DemoCase]:
        """The cases whose agent sends a gag request (each is on the site's list of them)."""
        return [c for c in self.cases if c.gag and c.respond_at is not None]


def _pick_channels(rng: random.Random, n: int) -> list[Channel]:
    """n channels in proportion to their shares, every channel at least once."""
    counts = {c.key: max(1, round(c.share * n)) for c in CHANNELS}
    while sum(counts.values()) > n and max(counts.values()) > 1:
        counts[max(counts, key=counts.__getitem__)] -= 1
    while sum(counts.values()) < n:
        counts[rng.choice(CHANNELS).key] += 1
    chosen = [c for c in CHANNELS for _ in range(counts[c.key])]
    rng.shuffle(chosen)
    return chosen


def make_plan(cases: int, seed: int, bias: str, until: date) -> Plan:
    """Plan ``cases`` cases over the 365 days before ``until``."""
    if bias not in BIASES:
        raise ValueError(f"bias must be one of {', '.join(BIASES)}")
    rng = random.Random(seed)
    year = timing.Year(rng, until)
    calendar = timing.business_calendar()
    plan = Plan(until=until, seed=seed, bias=bias, outages=[year.days[i] for i in year.outages])
    people: list[Person] = []
    for number, channel in enumerate(_pick_channels(rng, cases), start=1):
        threaded = channel.key in ("twitter-dm", "messenger")
        if people and not threaded and rng.random() < 0.12:
            person = rng.choice(people)  # a returning customer, maybe on another channel
        else:
            person = make_person(rng, len(people) + 1)
            people.append(person)
        kind = "complaint" if channel.key == "cfpb" else None
        threats = THREAT_SHARE if channel.visibility == "private" and channel.key != "cfpb" else 0.0
        message = texts.compose(rng, person, channel.key, kind, threats)
        case = DemoCase(number, channel, person, message, year.arrival(rng, channel))
        if channel.key == "review":
            case.rating = texts.rating_of(rng, message)
        plan.cases.append(case)
    plan.cases.sort(key=lambda c: (c.opened, c.number))
    plan.people = len(people)
    load = timing.backlog([c.opened for c in plan.cases])
    if plan.cases:
        end = datetime.combine(until, datetime.min.time(), tzinfo=plan.cases[0].opened.tzinfo)
        for case in plan.cases:
            _plan_agents(rng, calendar, case, bias, load.get(case.opened.isocalendar()[:2], 1.0), end)
    return plan


def _plan_agents(rng, calendar, case: DemoCase, bias: str, load: float, end: datetime) -> None:
    if case.channel.key == "cfpb":
        case.cfpb_response = rng.choices(list(CFPB_RESPONSES), weights=list(CFPB_RESPONSES.values()))[0]
        case.cfpb_sent = case.opened + timedelta(days=rng.randint(1, 14))
        return
    case.agent = rng.choice(AGENTS)
    responded = timing.first_response(rng, calendar, case.opened, case.public, bias, load)
    if (case.message.kind != "compliment" and case.channel.key in FOLLOW_UP_CHANNELS
            and responded - case.opened > timedelta(days=3)):
        chase = case.opened + timedelta(days=rng.uniform(2.0, 3.0))
        if chase < end:
            days = (chase - case.opened).days
            case.follow_up = (chase.replace(microsecond=0),
                              texts.follow_up(rng, case.person, case.message, days, case.channel.key))
    if responded >= end:
        return
    case.respond_at = responded
    kind = case.message.kind
    biased = bias == "public-favoured"
    case.moved = case.public and case.channel.channel in MOVING_CHANNELS and case.number % 3 == 0
    case.yielded = biased and case.message.threat is not None and case.agent in YIELDING_AGENTS
    favoured = biased and (case.public or case.yielded)
    if kind == "complaint":
        weights = OUTCOMES_FAVOURED if favoured else OUTCOMES_FAIR
        case.outcome = rng.choices(list(weights), weights=list(weights.values()))[0]
        case.goodwill = favoured and rng.random() < 0.7
        if case.message.topic == "fraud" or rng.random() < 0.07:
            case.escalate_at = responded + timedelta(hours=rng.uniform(0.5, 6))
        if biased and case.moved and rng.random() < DROPPED_SHARE:
            case.dropped, case.goodwill = True, False
            if rng.random() < 0.5:
                return  # out of the audience's sight, never resolved
            case.outcome = "declined"
        elif (biased and case.public and not case.moved and case.channel.channel in ("twitter", "review")
              and rng.random() < GAG_SHARE):
            case.gag, case.outcome = True, "upheld"
    else:
        case.outcome = "explained"
    resolved = timing.resolution(rng, calendar, responded, kind, case.public or case.yielded, bias, load)
    if case.escalate_at and resolved <= case.escalate_at:
        resolved = case.escalate_at + timedelta(hours=rng.uniform(2, 48))
    if resolved >= end:
        return
    case.resolve_at = resolved
    if kind == "complaint" and rng.random() < 0.05:
        reopen = resolved + timedelta(days=rng.uniform(1, 10))
        again = reopen + timedelta(days=rng.uniform(0.5, 5))
        if again < end:
            case.reopen_at, case.reresolve_at = reopen, again


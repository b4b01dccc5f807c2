"""Believable customer messages for each channel, with personal data inside.

:func:`compose` writes what one customer says on one channel about one
topic, in one tone: a tweet is short and tagged, an e-mail has a greeting,
paragraphs and a signature, a phone log is the agent's note of the call, a
letter is formal. Private messages usually carry an account number, a
phone number, an e-mail or an address; public ones sometimes do, as real
customers' posts do. That is what the anonymizer must remove.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from openledger.demo import phrases as P
from openledger.demo.company import DEVICES, FEES, HANDLE, NAME, PLANS
from openledger.demo.people import Person

TOPIC_WEIGHTS = {"billing": 32, "outage": 22, "device": 12, "contract": 12, "service": 12, "fraud": 4, "roaming": 6}
KIND_WEIGHTS = {"complaint": 74, "question": 15, "compliment": 11}


@dataclass(frozen=True)
class Message:
    """What a customer wrote: subject (e-mail, letter, review title), text, and what it is about."""

    kind: str
    topic: str
    tone: str
    subject: str
    text: str
    amount: float | None
    threat: str | None = None  # the lever a private complaint threatens (a key of THREATS), if any


def _fill(rng: random.Random, template: str, person: Person, amount: float) -> str:
    values = {
        "plan": rng.choice(PLANS), "device": rng.choice(DEVICES), "fee": rng.choice(FEES),
        "amount": f"${amount:,.2f}", "days": rng.randint(2, 9), "city": person.city, "month": rng.choice(P.MONTHS),
        "times": rng.choice(("three", "four", "five", "six", "7", "10")), "hours": rng.choice(("two", "three", "1.5")),
        "country": rng.choice(P.COUNTRIES), "handle": HANDLE, "name": person.name, "first": person.first,
        "account": person.account, "phone": person.phone, "email": person.email, "address": person.address,
    }
    return template.format(**values)


def _core(rng: random.Random, person: Person, channel: str, kind: str, topic: str, tone: str, amount: float) -> str:
    if kind == "question":
        return _fill(rng, rng.choice(P.QUESTIONS), person, amount)
    if kind == "compliment":
        return _fill(rng, rng.choice(P.COMPLIMENTS), person, amount)
    if channel == "cfpb":  # the narrative retells the problem, plainly
        return _fill(rng, f"{rng.choice(P.COMPLAINTS[topic])} {rng.choice(P.WANTS[topic])}", person, amount)
    if person.language in P.NATIVE and rng.random() < 0.35:
        return _fill(rng, rng.choice(P.NATIVE[person.language]), person, amount)
    parts = [rng.choice(P.TONES[tone]["open"]), rng.choice(P.COMPLAINTS[topic]), rng.choice(P.WANTS[topic]),
             rng.choice(P.TONES[tone]["close"])]
    return _fill(rng, " ".join(p for p in parts if p), person, amount)


def _pii(rng: random.Random, person: Person, public: bool, amount: float) -> str:
    if public:
        return _fill(rng, rng.choice(P.PUBLIC_PII), person, amount) if rng.random() < 0.25 else ""
    count = rng.choice((1, 1, 1, 2, 2))
    return " ".join(_fill(rng, t, person, amount) for t in rng.sample(P.PII, count))


def _subject(kind: str, topic: str, rng: random.Random) -> str:
    if kind == "question":
        return rng.choice(("Question about my plan", "Quick question", "Plan question"))
    if kind == "compliment":
        return rng.choice(("Thank you", "Great service", "Kudos to your team"))
    return rng.choice({
        "billing": ("Wrong charge on my bill", "Billing error", "Overcharged AGAIN", "Refund request"),
        "outage": ("No service", "Internet down", "Outage in my area", "Dropped calls"),
        "device": ("Broken phone", "Repair status", "Defective device"),
        "contract": ("Cancellation", "Fee I never agreed to", "Collections notice"),
        "service": ("Complaint about customer service", "Terrible experience", "Nobody helps"),
        "fraud": ("URGENT: fraud on my account", "Unauthorized SIM swap", "Someone took my number"),
        "roaming": ("Roaming charges", "Travel pass did not work"),
    }[topic])


def _continue(text: str) -> str:
    """Lower-case a sentence's first letter to follow a greeting (not 'I')."""
    return text if text[:2] in ("I ", "I'") or not text else text[0].lower() + text[1:]


def compose(rng: random.Random, person: Person, channel: str, kind: str | None = None,
            threats: float = 0.0) -> Message:
    """One first message from ``person`` on ``channel`` (a demo channel key); a complaint threatens
    (publicity, the press, a regulator, a lawyer: :data:`phrases.THREATS`) with probability ``threats``."""
    kind = kind or rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    topic = rng.choices(list(TOPIC_WEIGHTS), weights=list(TOPIC_WEIGHTS.values()))[0]
    tone = (
        rng.choices(list(P.TONE_WEIGHTS), weights=list(P.TONE_WEIGHTS.values()))[0] if kind == "complaint" else "calm"
    )
    amount = round(rng.choice((14.99, 25.0, 35.0, 49.99, 60.0, 89.99, 120.0, 210.5, 340.0)) * rng.choice((1, 1, 2)), 2)
    mentions_amount = kind == "complaint" and topic in ("billing", "contract", "roaming")
    core = _core(rng, person, channel, kind, topic, tone, amount)
    threat = rng.choice(list(P.THREATS)) if kind == "complaint" and threats and rng.random() < threats else None
    if threat is not None:
        core = f"{core} {_fill(rng, rng.choice(P.THREATS[threat]), person, amount)}"
    public = channel in ("twitter", "facebook", "review")
    pii = _pii(rng, person, public, amount)
    greeting = rng.choice(P.GREETINGS[person.language])
    thanks = rng.choice(P.THANKS[person.language])
    subject = _subject(kind, topic, rng)
    if channel == "twitter":
        text = f"@{HANDLE} {core} {pii}".strip()
        if len(text) > 280:
            text = text[:277].rsplit(" ", 1)[0] + "..."
    elif channel == "facebook":
        text = f"{greeting} {NAME}, {_continue(core)} {pii}".strip()
    elif channel == "review":
        text = f"{core} {pii}".strip()
    elif channel == "phone":
        verb = {"complaint": "complains", "question": "asks", "compliment": "called to thank us"}[kind]
        text = (f"Caller {person.name} (acct {person.account}, cb {person.phone}) {verb}: \"{core}\" "
                f"Verified identity with ZIP {person.zip}.")
    elif channel == "letter":
        text = (f"{person.name}\n{person.address}\n\nDear Sir or Madam,\n\n{core}\n\n{pii}\n\n"
                f"Yours faithfully,\n{person.name}")
    elif channel in ("chat", "app"):
        text = f"{greeting.lower()}, {_continue(core)} {pii}".strip()
    elif channel == "cfpb":
        text = (f"On XX/XX/XXXX I contacted {NAME} because {_continue(core)} "
                "I called them several times and they did not resolve it.")
    else:  # email, webform, messenger, twitter-dm
        text = f"{greeting},\n\n{core}\n\n{pii}\n\n{thanks},\n{person.first}" if channel in ("email", "webform") \
            else f"{greeting}! {core} {pii}".strip()
    return Message(kind, topic, tone, subject, text, amount if mentions_amount else None, threat)


def follow_up(rng: random.Random, person: Person, first: Message, days: int, channel: str) -> str:
    """The customer chasing an unanswered message."""
    text = rng.choice(P.FOLLOW_UPS.get(first.tone, P.FOLLOW_UPS["calm"])).format(days=days)
    if channel == "twitter":
        return f"@{HANDLE} {text}"
    if channel == "phone":
        return f"{person.name} called again (acct {person.account}): {text}"
    return text


def rating_of(rng: random.Random, message: Message) -> int:
    """A review's stars, from what it says."""
    if message.kind == "compliment":
        return rng.choice((4, 5, 5, 5))
    if message.kind == "question":
        return rng.choice((3, 4))
    return rng.choice((1, 1, 1, 2, 2, 3))

"""The demo company, Northwind Wireless, and the channels customers reach it by."""

from __future__ import annotations

from dataclasses import dataclass

NAME = "Northwind Wireless"
ORIGIN = "northwind-wireless.example/complaints"
DOMAIN = "northwind-wireless.example"
SUPPORT_ADDRESS = f"care@{DOMAIN}"
HANDLE = "NorthwindHelp"
TWITTER_ACCOUNT_ID = "1180000000000000001"
TIMEZONE = "America/New_York"

#: what the instance's openledger.toml gets besides the defaults
CONFIG_EXTRA = f"""
[calendar]
timezone = "{TIMEZONE}"
country = "US"

[calendar.hours]
mon = "08:00-20:00"
tue = "08:00-20:00"
wed = "08:00-20:00"
thu = "08:00-20:00"
fri = "08:00-20:00"
sat = "09:00-17:00"

[watch]
brands = ["{NAME}", "Northwind"]
handles = ["@{HANDLE}"]
web = ["{DOMAIN}"]

[sources.email]
company_addresses = ["@{DOMAIN}"]
"""

PLANS = ("Unlimited Plus", "Unlimited Basic", "Family Share 4", "Prepaid 15GB", "Home Fiber 500", "Home Fiber 1 Gig")
DEVICES = ("iPhone 15", "Galaxy S24", "Pixel 8", "Moto G Power", "hotspot", "fiber router")
FEES = ("activation fee", "late fee", "roaming charge", "early termination fee", "equipment fee",
        "international call charges")
AGENTS = ("agent-ana", "agent-bo", "agent-chidi", "agent-dana", "agent-eli", "agent-farah", "agent-gus", "agent-hana")
SUPERVISORS = ("supervisor-kim", "supervisor-lee")

#: (city, state, zip prefix) where customers live
CITIES = (
    ("Springfield", "IL", "627"), ("Columbus", "OH", "432"), ("Albany", "NY", "122"),
    ("Hartford", "CT", "061"), ("Trenton", "NJ", "086"), ("Richmond", "VA", "232"),
    ("Raleigh", "NC", "276"), ("Harrisburg", "PA", "171"), ("Lansing", "MI", "489"),
    ("Dover", "DE", "199"), ("Providence", "RI", "029"), ("Burlington", "VT", "054"),
)
STREETS = ("Maple Ave", "Oak St", "Cedar Ln", "Elm St", "Washington Blvd", "Lakeview Dr", "Park Pl",
           "Hillcrest Rd", "Main St", "River Rd", "Sunset Ave", "Chestnut St")


@dataclass(frozen=True)
class Channel:
    """How customers reach the company on one channel, and which export holds it."""

    key: str  # unique in the demo (twitter-dm and twitter are both channel "twitter")
    channel: str  # the channel name the source gives its records
    visibility: str
    export: str  # which writer holds it
    share: float  # of all cases
    hours: tuple[int, int]  # local hours customers write in
    weekend: float  # weekend volume relative to a weekday


CHANNELS = (
    Channel("email", "email", "private", "mbox", 0.19, (6, 23), 0.5),
    Channel("twitter", "twitter", "public", "twcs", 0.13, (7, 24), 1.2),
    Channel("twitter-dm", "twitter", "private", "twitter", 0.05, (7, 24), 1.1),
    Channel("facebook", "facebook", "public", "facebook", 0.08, (7, 24), 1.2),
    Channel("messenger", "facebook", "private", "facebook", 0.05, (7, 24), 1.0),
    Channel("review", "review", "public", "reviews", 0.08, (8, 24), 1.1),
    Channel("phone", "phone", "private", "calls", 0.17, (8, 20), 0.3),
    Channel("letter", "letter", "private", "letters", 0.04, (9, 17), 0.0),  # when the post room scans it
    Channel("chat", "chat", "private", "zendesk", 0.07, (8, 20), 0.6),
    Channel("webform", "webform", "private", "zendesk", 0.05, (0, 24), 0.8),
    Channel("app", "app", "private", "zendesk", 0.04, (6, 24), 1.0),
    Channel("cfpb", "webform", "private", "cfpb", 0.04, (0, 24), 0.6),
)
CHANNEL_BY_KEY = {c.key: c for c in CHANNELS}

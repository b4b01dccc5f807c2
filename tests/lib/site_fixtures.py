"""A realistic instance for the site tests, built through the real CLI.

``examples/messages.jsonl`` plus a generated history of a few hundred cases
(so the audit has data), processed, with a few cases resolved by hand, and
one complaint whose text and category carry markup and script.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from paths import ROOT

from openledger.testing import PUBLISH_AT_ONCE, InstanceRunner, make_instance

CHANNELS = (("twitter", "public"), ("facebook", "public"), ("review", "public"),
            ("email", "private"), ("phone", "private"), ("webform", "private"), ("letter", "private"))
CATEGORIES = ("billing", "outage", "delivery", "service")
HOSTILE_TEXT = (
    'My bill <script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2"> is wrong, '
    "mail ana.hostile@example.net"
)
HOSTILE_CATEGORY = '<img src=x onerror="window.__pwned=3">'
#: what the category becomes at intake: a token, never markup (see openledger.privacy.labels)
HOSTILE_CATEGORY_TOKEN = "img-src-x-onerror-window.__pwned-3"


def history_lines(count: int, seed: int = 7) -> list[dict]:
    """``count`` past cases over ten months, treated alike whatever the channel."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    rows = []
    for i in range(count):
        channel, visibility = CHANNELS[i % len(CHANNELS)]
        opened = start + timedelta(hours=rng.randrange(0, 24 * 300))
        responded = rng.random() < 0.93
        first = opened + timedelta(minutes=rng.randrange(20, 60 * 30)) if responded else None
        resolved = opened + timedelta(hours=rng.randrange(2, 24 * 12)) if responded and rng.random() < 0.85 else None
        outcome = rng.choice(("upheld", "partly-upheld", "explained", "declined")) if resolved else None
        remedy = rng.choice(("refund", "credit", "apology", "none")) if resolved else "none"
        amount = float(rng.randrange(5, 80)) if remedy in ("refund", "credit") else 0.0
        rows.append({
            "id": f"HIST-2025-{i:06d}", "channel": channel, "visibility": visibility,
            "category": CATEGORIES[rng.randrange(len(CATEGORIES))], "severity": rng.choice((1, 2, 2, 3)),
            "opened_at": opened.isoformat(), "first_response_at": first.isoformat() if first else None,
            "resolved_at": resolved.isoformat() if resolved else None, "outcome": outcome, "remedy": remedy,
            "amount": amount, "escalated": rng.random() < 0.1, "reopened": False,
            "audience": rng.choice((120, 4500, 250000)) if visibility == "public" else None,
            "author": f"customer{i:05d}@mail.example.com",
        })
    rows.append({
        "id": "HIST-HOSTILE-000001", "channel": "webform", "visibility": "private",
        "category": HOSTILE_CATEGORY, "severity": 2, "opened_at": "2025-06-02T10:00:00+00:00",
        "first_response_at": "2025-06-02T12:00:00+00:00", "resolved_at": None, "outcome": None,
        "remedy": "none", "amount": 0, "escalated": False, "reopened": False,
        "text": HOSTILE_TEXT, "author": "Ana Hostile <ana.hostile@example.net>",
    })
    return rows


def make_site_instance(home: Path, cases: int = 420, db_url: str | None = None,
                       summaries: bool = True) -> InstanceRunner:
    """An instance with the example messages and ``cases`` history cases, processed.

    Redacted case summaries are turned on (``[site] summaries = true``) unless
    ``summaries`` is False, so the complaint text's path to the site is tested; amounts
    are stated in US dollars (``[site] currency = "USD"``).
    """
    inst = make_instance(home, db_url=db_url, name="Northwind <Telecom> & Co",
                         site={**PUBLISH_AT_ONCE, "summaries": summaries, "currency": "USD"})
    history = home.parent / "history.jsonl"
    history.write_text("".join(json.dumps(r) + "\n" for r in history_lines(cases)), "utf-8")
    inst.run("ingest", "jsonl", str(ROOT / "examples" / "messages.jsonl"))
    inst.run("ingest", "history", str(history))
    inst.run("process")
    listed = inst.json("cases", "list", "--status", "open", "--json", "--limit", "5")
    for case in listed[:3]:
        inst.run("resolve", str(case["id"]), "--outcome", "upheld")
    return inst


_BUILT: dict[str, tuple[InstanceRunner, Path]] = {}


def built_site(tmp_path_factory) -> tuple[InstanceRunner, Path]:
    """One fixture instance and its built site per test session (built through the CLI)."""
    if "site" not in _BUILT:
        base = tmp_path_factory.mktemp("site-instance")
        inst = make_site_instance(base / "home")
        inst.run("build", "--out", str(base / "site"))
        _BUILT["site"] = (inst, base / "site")
    return _BUILT["site"]


#: when the conversations of :func:`reply_thread` start
THREADS_START = datetime(2026, 3, 2, 9, tzinfo=UTC)


def reply_thread(n: int, channel: str, visibility: str, author: str, complaint: str, reply: str) -> list[dict]:
    """JSON Lines records of one conversation: the customer's complaint on day ``n`` and the company's reply
    two hours later (``jsonl`` source records)."""
    at = THREADS_START + timedelta(days=n)
    return [
        {"id": f"c{n}", "channel": channel, "visibility": visibility, "direction": "in", "author": author,
         "timestamp": at.isoformat(), "text": complaint},
        {"id": f"r{n}", "reply_to": f"c{n}", "channel": channel, "visibility": visibility, "direction": "out",
         "author": "support", "timestamp": (at + timedelta(hours=2)).isoformat(), "text": reply},
    ]

"""The raw identifiers the database holds: what the leak scans search published text for.

:func:`raw_identifiers` reads every author, customer, external id, agent
name, e-mail address and phone number (of the whole database, or of some
cases), by kind, for :class:`openledger.privacy.leaks.Scanner`: the site's
leak scan, the check of case summaries and of a gag request's sentence
before either is published.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.engine import Connection

from openledger import patterns
from openledger.store.models import cases_table, events_table, messages_table

# a match starts only where a run of address characters starts (a linear scan: without the
# look-behind, 200 KB of "A" made every position re-read the run, 171 s)
EMAIL = patterns.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = patterns.compile(r"\+?\d[\d ().-]{7,30}\d")  # bounded: no phone number is longer

# What review sites, help desks and forums write when the author is unknown: they name no one
# (and the site's own pages say "customer"), so they are not searched for.
PLACEHOLDER_AUTHORS = frozenset({
    "customer", "a customer", "the customer", "anonymous", "anon", "guest", "user", "unknown",
    "reviewer", "verified buyer", "verified customer", "verified purchaser", "verified reviewer",
    "amazon customer", "kindle customer", "deleted", "[deleted]", "n/a", "none", "null",
})


def raw_identifiers(conn: Connection, case_ids: Iterable[int] | None = None) -> dict[str, list[str]]:
    """Every raw identifier in the database (or in the cases ``case_ids``), by kind."""
    cases, messages, events = cases_table, messages_table, events_table
    ids = None if case_ids is None else sorted(set(case_ids))
    found: dict[str, set[str]] = {"author": set(), "customer": set(), "external_id": set(),
                                  "actor": set(), "email": set(), "phone": set()}
    texts = select(messages.c.author, messages.c.external_id, messages.c.text, messages.c.subject,
                   messages.c.direction)
    owners = select(cases.c.customer, cases.c.external_id)
    actors = select(events.c.actor).distinct()
    if ids is not None:
        texts = texts.where(messages.c.case_id.in_(ids))
        owners = owners.where(cases.c.id.in_(ids))
        actors = actors.where(events.c.case_id.in_(ids))
    for author, external, text, subject, direction in conn.execute(texts):
        # the company's own account is not personal, nor is a placeholder for an unknown author
        if author and direction != "out" and author.strip().lower() not in PLACEHOLDER_AUTHORS:
            found["author"].add(author)
        if external and len(external) >= 8:
            found["external_id"].add(external)
        for body in (text or "", subject or ""):
            if "@" in body:  # every address holds one; most texts hold none (the search tries every word)
                found["email"].update(EMAIL.findall(body))
            found["phone"].update(p for p in PHONE.findall(body) if len(re.sub(r"\D", "", p)) >= 9)
    for customer, external in conn.execute(owners):
        if customer:
            found["customer"].add(customer)
        if external and len(external) >= 8:
            found["external_id"].add(external)
    for (actor,) in conn.execute(actors):
        # people act as "agent:NAME"; "process" and "source:..." are the software; the default
        # agent name "agent" names no one
        name = actor[len("agent:"):] if actor and actor.startswith("agent:") else ""
        if name and name != "agent":
            found["actor"].update((name, actor))
    return {kind: sorted(values) for kind, values in found.items()}

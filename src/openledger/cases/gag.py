"""A gag request's sentence, as the log may publish it.

A reply labelled ``gag`` = ``yes`` (it asks the customer to delete, edit or
not post, or ties a remedy to silence) is never a statistic only: the site
lists each one with the sentence that asks (issue 21). The sentence is the
company's words, redacted by the instance's redactors when the label is
recorded; :func:`gag_record` then decides whether it may be published:

- a sentence that still names one of the case's known identifiers (the
  customer's name, handle, address, phone number, an agent's name) is
  withheld (``"withheld": "names"``);
- a sentence of a reply that went out on a public channel is withheld
  (``"withheld": "public-reply"``): searching for the company's public words
  would find the customer's post beside them, as a summary of a public
  case would (:mod:`openledger.site.summaries`).

Otherwise the ``classified`` event's data holds ``"gag": {"sentence": ...,
"salt": ...}``, the sentence on one line (at most 300 characters) and a random
16-byte salt. The log entry publishes only the salted SHA-256 of the sentence
(:func:`openledger.privacy.projection.project`); the site publishes the
sentence and its salt beside the entry (``data/gag-requests.json``), where
``verify`` checks it against the digest. So no free text is in the log: a
sentence found to name someone after all can be withdrawn from the site without
touching the log, and the request itself (case, channel, date) stays listed:
erasing the customer (:func:`withdraw_sentences`, called by
:mod:`openledger.cases.erasure`) or a sentence found at build to name a known
identifier shows it as ``withdrawn``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from openledger.privacy.leaks import Scanner
from openledger.privacy.projection import gag_digest, one_line
from openledger.store.identifiers import raw_identifiers
from openledger.store.models import events_table


def gag_record(conn: Connection, case_id: int, sentence: object, reply_visibility: str) -> dict[str, str]:
    """What the ``classified`` event of case ``case_id`` records of its gag request (see the module)."""
    if reply_visibility == "public":
        return {"withheld": "public-reply"}
    if not isinstance(sentence, str) or not sentence.strip():
        return {"withheld": "no-sentence"}
    sentence = one_line(sentence)
    if Scanner(raw_identifiers(conn, [case_id])).mentions(sentence):
        return {"withheld": "names"}
    return {"sentence": sentence, "salt": secrets.token_hex(16)}


def published_sentences(conn: Connection) -> dict[str, tuple[str, str]]:
    """Every gag sentence the site may publish beside the log: its entry's digest -> (salt, sentence)."""
    request = events_table.c.data["gag"]
    salt, sentence = request["salt"].as_string(), request["sentence"].as_string()
    rows = conn.execute(select(salt, sentence).where(events_table.c.type == "classified", salt.is_not(None)))
    return {gag_digest(s, text): (s, text) for s, text in rows if s and text}


def withdraw_sentences(conn: Connection, case_ids: Iterable[int]) -> int:
    """Withdraw the gag sentences of the cases ``case_ids`` (an erasure): each event's ``gag`` becomes
    ``{"withheld": "withdrawn"}``; an entry already on the log keeps its digest and the site shows the request
    as withdrawn. Returns how many sentences were withdrawn."""
    ids = sorted(set(case_ids))
    salt = events_table.c.data["gag"]["salt"].as_string()
    rows = conn.execute(select(events_table.c.id, events_table.c.data).where(
        events_table.c.case_id.in_(ids), events_table.c.type == "classified", salt.is_not(None))).all()
    for event_id, data in rows:
        conn.execute(update(events_table).where(events_table.c.id == event_id)
                     .values(data={**data, "gag": {"withheld": "withdrawn"}}))
    return len(rows)

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

Otherwise the ``classified`` event's data holds ``"gag": {"sentence": ...}``
and its log entry publishes it (:func:`openledger.privacy.projection.project`).
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from openledger.privacy.leaks import Scanner
from openledger.store.identifiers import raw_identifiers


def gag_record(conn: Connection, case_id: int, sentence: object, reply_visibility: str) -> dict[str, str]:
    """What the ``classified`` event of case ``case_id`` records of its gag request (see the module)."""
    if reply_visibility == "public":
        return {"withheld": "public-reply"}
    if not isinstance(sentence, str) or not sentence.strip():
        return {"withheld": "no-sentence"}
    if Scanner(raw_identifiers(conn, [case_id])).mentions(sentence):
        return {"withheld": "names"}
    return {"sentence": sentence}

"""Optional case summaries: the customer's words, shortened and redacted.

Only for private cases: a public post can be found by searching for its own
words, so a summary of it would undo the case's anonymity however well it is
redacted.

Off by default (``[site] summaries = true`` turns them on). A summary is the
first inbound message of a case, shortened to its first sentences without
handles or links (:func:`openledger.cases.summary.summarise`) and
then passed through every registered redactor
(:func:`openledger.privacy.redaction.redact`, keeping the company's own strings from
``[publication] keep``). Summaries are the ``summaries`` dataset of the
publication allowlist. Before the build each is searched for the known
identifiers (:meth:`openledger.privacy.leaks.Scanner.mentions`): one that
still names one after redaction is withheld (the build says how many), and
the site's leak scan runs over the rest.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from openledger import plugins
from openledger.cases.summary import summarise
from openledger.privacy.redaction import keep_from_config, redact
from openledger.store.models import cases_table, messages_table

LIMIT = 220


def case_summaries(conn: Connection, config: Mapping) -> dict[str, str]:
    """Public case id -> redacted summary of its first inbound message, for every private case."""
    cases, messages = cases_table, messages_table
    first = (
        select(messages.c.case_id, func.min(messages.c.id).label("first"))
        .where(messages.c.direction != "out", messages.c.case_id.is_not(None))
        .group_by(messages.c.case_id)
        .subquery()
    )
    rows = conn.execute(
        select(cases.c.public_id, messages.c.text)
        .join(first, first.c.case_id == cases.c.id)
        .join(messages, messages.c.id == first.c.first)
        .where(cases.c.public_id.is_not(None), cases.c.visibility == "private")
    )
    redactors = plugins.redactors(config)
    keep = keep_from_config(config)
    out = {}
    for public_id, text in rows:
        short = summarise(text or "", LIMIT)
        if short:
            out[public_id] = redact(short, redactors, keep).text
    return out

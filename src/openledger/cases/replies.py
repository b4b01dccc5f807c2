"""A reply's labels, recorded when ``openledger respond`` sends it or when an imported reply arrives.

``process`` classifies a case once, with the replies imported so far; the
replies agents send later (:func:`openledger.cases.actions.respond`, with
their own text or the accepted draft) would otherwise never be read, and a
case moved private or gagged by an agent's own words would carry no
``moves_private`` or ``gag`` label. So ``respond`` asks the registered
classifiers about the reply it records, in the same transaction:

- only the classifiers of the outbound labels
  (:data:`openledger.records.OUTBOUND_LABELS`: ``moves_private``, ``gag``)
  are asked, on the case's customer text with ``replies`` = that one reply;
  the first answer per label decides and is held to the decision contract,
  as in ``process`` (:func:`openledger.cases.classify.classify_text`); a
  plugin that fails it fails the ``respond`` (nothing is recorded);
- the answers are a ``classified`` event with ``labels`` (value and
  confidence) and ``deciders``, nothing else (no severity, no other label:
  the site's fold leaves the case's spam, category and severity alone);
  a ``gag`` = ``yes`` label's sentence is redacted with the instance's
  redactors into the private details, and ``data["gag"]`` says what the log
  may publish of it (:func:`openledger.cases.gag.gag_record`), judged by
  the visibility of the reply itself (a reply on another channel, given with
  ``--channel``, is private even on a public case);
- the event is recorded when some label is ``yes``, or when the case has no
  outbound label yet (its first reply's ``no`` is coverage: the case is then
  ``kept-public`` rather than unlabelled in ``audit --by deflection``); a
  further ordinary reply records nothing, which keeps the log small, and a
  ``yes`` once recorded stays (:mod:`openledger.site.derive`).

The company's replies can also arrive after ``process`` classified their case
(a later export, a mailbox polled again, a helpdesk webhook): ``process`` then
reads them too (:func:`read_arrived_replies`), each imported reply of a
processed case newer than the case's ``replies_read`` mark, by the same rules,
dated when the reply was sent, and moves the mark past them, so each is read
once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Connection

from openledger import plugins
from openledger.cases.classify import MAX_TEXT, classify_text, decider, redacted_details
from openledger.cases.contract import Limits
from openledger.cases.events import append_events, event_row
from openledger.cases.gag import gag_record
from openledger.privacy.labels import LabelCleaner, label_finder
from openledger.privacy.redaction import Keep, keep_from_config, redact
from openledger.records import OUTBOUND_LABELS, ClassifyInput
from openledger.store.models import cases_table as cases_t
from openledger.store.models import events_table as events_t
from openledger.store.models import messages_table as messages_t


@dataclass
class ReplyLabels:
    """The instance's outbound classifiers and redactors, gathered once (a demo sends thousands of replies)."""

    classifiers: list
    redactors: list
    keep: Keep
    limits: Limits
    clean: LabelCleaner

    @classmethod
    def from_config(cls, config) -> ReplyLabels:
        """From an instance's :class:`openledger.config.Config`."""
        settings = config.plugin_view()
        redactors = plugins.redactors(settings)
        return cls.of(plugins.classifiers(settings), redactors, keep_from_config(config.data),
                      Limits.from_config(settings), LabelCleaner(label_finder(redactors)))

    @classmethod
    def of(cls, classifiers: list, redactors: list, keep: Keep, limits: Limits, clean: LabelCleaner) -> ReplyLabels:
        """From plugins already loaded (``process``'s): only the classifiers of the outbound labels are kept."""
        return cls([c for c in classifiers if getattr(c, "label", None) in OUTBOUND_LABELS], redactors, keep,
                   limits, clean)

    def _redact(self, text: str) -> str:
        return redact(text, self.redactors, self.keep).text

    def event(self, conn: Connection, case_id: int, reply: str, visibility: str, at: datetime,
              actor: str) -> dict | None:
        """The ``classified`` event of ``reply``, sent on a channel of ``visibility``, or None (see the module)."""
        if not self.classifiers or not reply.strip():
            return None
        item = _input(conn, case_id, reply)
        decided = classify_text(self.classifiers, item, self.limits, subject=f"case {case_id}")
        decided = {name: answer for name, answer in decided.items() if name in OUTBOUND_LABELS}
        if not decided:
            return None
        if not any(label.value == "yes" for label, _ in decided.values()) and _labelled(conn, case_id):
            return None
        data: dict = {
            "labels": {name: {"value": self.clean(str(label.value)), "confidence": round(float(label.confidence), 4)}
                       for name, (label, _) in sorted(decided.items())},
            "deciders": [decider(c) for _, (_, c) in sorted(decided.items())],
        }
        details = redacted_details(decided, self._redact)
        if data["labels"].get("gag", {}).get("value") == "yes":
            data["gag"] = gag_record(conn, case_id, details.get("gag", {}).get("sentence"), visibility)
        return event_row(case_id, "classified", at, actor, data, {"detail": details} if details else None)


#: the two look-ups of a reply, made once (built per reply, they cost more CPU than SQLite's work)
_MESSAGES = (select(messages_t.c.direction, messages_t.c.text, messages_t.c.channel)
             .where(messages_t.c.case_id == bindparam("case_id"))
             .order_by(messages_t.c.timestamp, messages_t.c.id))
_CLASSIFIED = select(events_t.c.data).where(events_t.c.case_id == bindparam("case_id"),
                                            events_t.c.type == "classified")


def _input(conn: Connection, case_id: int, reply: str) -> ClassifyInput:
    """The case's customer text (as ``process`` gives it, :func:`openledger.cases.process.input_of`) with
    ``replies`` = the one reply: one query, so that a reply costs about a millisecond."""
    rows = conn.execute(_MESSAGES, {"case_id": case_id}).all()
    inbound = [text for direction, text, _ in rows if direction == "in"] or [text for _, text, _ in rows]
    return ClassifyInput(text="\n\n".join(inbound)[:MAX_TEXT], channel=rows[0].channel if rows else None,
                         replies=(reply[:MAX_TEXT],))


def _labelled(conn: Connection, case_id: int) -> bool:
    """Whether a ``classified`` event of the case already holds an outbound label."""
    rows = conn.execute(_CLASSIFIED, {"case_id": case_id})
    return any(isinstance(data, Mapping) and any(name in (data.get("labels") or {}) for name in OUTBOUND_LABELS)
               for (data,) in rows)


def read_arrived_replies(conn: Connection, labels: ReplyLabels, batch: int = 500) -> int:
    """Classify the imported replies that arrived after their case was processed (see the module), in batches
    in the caller's transaction; returns how many ``classified`` events were recorded."""
    cases = cases_t
    mark = func.coalesce(cases.c.replies_read, 0)
    recorded, after = 0, 0
    while True:
        rows = conn.execute(
            select(events_t.c.id, events_t.c.case_id, events_t.c.at, events_t.c.data, events_t.c.private)
            .join(cases, cases.c.id == events_t.c.case_id)
            .where(cases.c.processed_at.is_not(None), events_t.c.type == "responded",
                   events_t.c.actor.like("source:%"), events_t.c.id > mark, events_t.c.id > after)
            .order_by(events_t.c.id).limit(batch)
        ).all()
        if not rows:
            return recorded
        after = rows[-1].id
        texts = _reply_texts(conn, rows)
        events, marks = [], {}
        for row in rows:
            marks[row.case_id] = row.id
            text = texts.get(row.id)
            if text is None:
                continue
            event = labels.event(conn, row.case_id, text, str((row.data or {}).get("visibility", "private")),
                                 row.at, "process")
            if event is not None:
                append_events(conn, [event])  # one by one: the next reply of the case sees this label
                events.append(event)
        conn.execute(update(cases).where(cases.c.id == bindparam("cid")).values(replies_read=bindparam("mark")),
                     [{"cid": cid, "mark": mark_id} for cid, mark_id in marks.items()])
        recorded += len(events)


def _reply_texts(conn: Connection, rows) -> dict[int, str]:
    """The text of the imported message behind each ``responded`` event (its private ``message`` id)."""
    wanted = {}
    for row in rows:
        external = (row.private or {}).get("message") if isinstance(row.private, Mapping) else None
        if isinstance(external, str):
            wanted[(row.case_id, external)] = row.id
    if not wanted:
        return {}
    found = conn.execute(
        select(messages_t.c.case_id, messages_t.c.external_id, messages_t.c.text)
        .where(messages_t.c.case_id.in_({case for case, _ in wanted}), messages_t.c.direction == "out",
               messages_t.c.external_id.in_({ext for _, ext in wanted}))
    )
    return {wanted[(case, ext)]: text for case, ext, text in found if (case, ext) in wanted and text}

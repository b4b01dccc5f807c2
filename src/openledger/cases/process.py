"""``openledger process``: classify new cases and draft their responses.

For each case not processed yet, every registered classifier is asked (the
first one in hook order that answers decides a label; a category map that
decides the case's category from its own fields, such as a Zendesk ticket's
tags, wins over the classifiers: :mod:`openledger.cases.categories`), then responders draft
a reply with a tier and service targets, and propose a remedy from the
channel-blind view. Each decision is an event naming the plugin and version
that made it. Cases are handled in batches, each batch one transaction. Then
the company's replies imported since their case was processed are read by
the outbound classifiers (``moves_private``, ``gag``:
:func:`openledger.cases.replies.read_arrived_replies`).

Every answer is held to the decision contract (:mod:`openledger.cases.contract`).
A plugin that raises or breaks it on a case is a plugin fault: nothing is
recorded for that case (it stays unprocessed, to be tried again on the next
run), the fault is recorded with the batch (:mod:`openledger.store.faults`),
the other cases go on, and the command ends with exit status 1 naming the
plugin and the case.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import multiprocessing.pool
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType

from sqlalchemy import bindparam, func, select, update
from sqlalchemy import case as sa_case

from openledger import plugins
from openledger.audit.exclusion import labels_spam
from openledger.cases.blinding import blind_view
from openledger.cases.categories import CategoryMapper, Mapped, mappers
from openledger.cases.classify import MAX_TEXT, classify_text, decider, plugin_fault, redacted_details
from openledger.cases.contract import Limits, draft_problem, remedy_problem
from openledger.cases.events import append_events, event_row
from openledger.cases.gag import gag_record
from openledger.cases.outbox import deliver
from openledger.cases.replies import ReplyLabels, read_arrived_replies
from openledger.cases.views import case_views
from openledger.errors import PluginError
from openledger.privacy.labels import LabelCleaner, label_finder
from openledger.privacy.redaction import keep_from_config, redact
from openledger.records import (
    CaseView,
    ClassifyInput,
    Draft,
    Label,
    RemedyProposal,
)
from openledger.store import ledger
from openledger.store.faults import record_fault
from openledger.store.models import cases_table as cases_t
from openledger.store.models import events_table as events_t
from openledger.store.models import messages_table as messages_t
from openledger.timeutil import now


@dataclass
class ProcessReport:
    cases: int = 0
    escalated: int = 0
    drafted: int = 0
    remedies: int = 0
    relabelled: int = 0  # label values that held personal data, stored redacted
    replies: int = 0  # classified events of replies imported after their case was processed
    faults: list[PluginError] = field(default_factory=list)
    undelivered: PluginError | None = None  # an event hook owed from an earlier run failed again

    def error(self) -> PluginError | None:
        """One line naming the first plugin fault and how many cases were left unprocessed."""
        if not self.faults:
            return self.undelivered
        first = self.faults[0]
        more = f"; {len(self.faults)} cases in all are left unprocessed by plugin faults" \
            if len(self.faults) > 1 else ""
        return PluginError(f"{first} ({first.subject} stays unprocessed and is tried again on the next run{more})",
                           plugin=first.plugin, subject=first.subject)


def is_spam(labels) -> bool:
    """Whether the labels make the case spam by the audit's published rule
    (:func:`openledger.audit.exclusion.excluded_as_spam`: ``spam = yes`` with
    confidence >= 0.9; a group chat, written by two or more people, is spam by an
    exact rule): not a complaint, whatever its words."""
    return labels_spam(labels)


def severity_of(labels) -> int:
    """Severity 1-4: a ``severity`` label if a classifier gives one; 1 for spam
    (:func:`is_spam`); else from urgency and kind."""
    if "severity" in labels:
        try:
            return min(4, max(1, int(labels["severity"].value)))
        except (TypeError, ValueError):
            pass
    if is_spam(labels):
        return 1
    if "urgency" in labels and labels["urgency"].value == "high":
        return 4
    kind = labels["kind"].value if "kind" in labels else "complaint"
    if kind != "complaint":
        return 1
    sentiment = labels.get("sentiment")
    if sentiment is not None and float(sentiment.detail.get("compound", 0.0)) <= -0.6:
        return 3
    return 2


def input_of(view: CaseView, rating: float | None = None) -> ClassifyInput:
    """What the classifiers see of a case: its customer's text (and first message), the company's replies so far."""
    inbound = [m.text for m in view.messages if m.direction == "in"] or [m.text for m in view.messages]
    replies = tuple(m.text[:MAX_TEXT] for m in view.messages if m.direction == "out")
    return ClassifyInput(text="\n\n".join(inbound)[:MAX_TEXT], channel=view.channel, authors=view.authors,
                         replies=replies, rating=rating, opening=inbound[0][:MAX_TEXT] if len(inbound) > 1 else None)


def _ratings(conn, ids: list[int]) -> dict[int, float]:
    """The star rating of each case that has one: the first inbound message's ``meta["rating"]`` (a review)."""
    rating = messages_t.c.meta["rating"]
    rows = conn.execute(
        select(messages_t.c.case_id, rating)
        .where(messages_t.c.case_id.in_(ids), messages_t.c.direction == "in", rating.is_not(None))
        .order_by(messages_t.c.case_id, messages_t.c.timestamp, messages_t.c.id)
    )
    found: dict[int, float] = {}
    for case_id, value in rows:  # a JSON value: only a finite number is a rating
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            found.setdefault(case_id, float(value))
    return found


def _publishable_gag(conn, view: CaseView, classified: dict) -> None:
    """Record on a ``classified`` event that labels a gag request what its entry may publish of the
    sentence (:func:`openledger.cases.gag.gag_record`): the replies read here went out on the case's channel."""
    gag = classified["data"]["labels"].get("gag")
    if gag is None or gag["value"] != "yes":
        return
    sentence = ((classified.get("private") or {}).get("detail") or {}).get("gag", {}).get("sentence")
    classified["data"]["gag"] = gag_record(conn, view.id, sentence, view.visibility)


def _first(responders, method: str, view, check: Callable[[object, Limits], str | None], limits: Limits):
    for responder in responders:
        fn = getattr(responder, method, None)
        if fn is None:
            continue
        subject = f"case {view.id}"
        try:
            result = fn(view)
        except Exception as exc:
            raise plugin_fault(responder, "responder", subject,
                         f"{method} failed: {type(exc).__name__}: {exc}") from exc
        if result is None:
            continue
        problem = check(result, limits)
        if problem:
            raise plugin_fault(responder, "responder", subject, f"{method}: {problem}")
        return result, responder
    return None, None


@dataclass
class _Decision:
    """What processing decided for one case: its events and its new state."""

    events: list[dict]
    update: dict
    drafted: bool = False
    escalated: bool = False
    remedy: bool = False


@dataclass(frozen=True)
class _MapDecider:
    """A category map, named on the ``classified`` event like a classifier."""

    name: str
    version: str


def _mapped_categories(conn, ids: list[int], maps: dict[str, CategoryMapper]) -> dict[int, Mapped]:
    """The category a map gives each case from its inbound messages' fields (a Zendesk ticket's tags).

    The first inbound message, in time order, whose fields a map of its
    source decides, decides (see :mod:`openledger.cases.categories`).
    """
    found: dict[int, Mapped] = {}
    rows = conn.execute(
        select(messages_t.c.case_id, messages_t.c.source, messages_t.c.meta)
        .where(messages_t.c.case_id.in_(ids), messages_t.c.direction == "in", messages_t.c.source.in_(list(maps)))
        .order_by(messages_t.c.case_id, messages_t.c.timestamp, messages_t.c.id)
    )
    for case_id, source, meta in rows:
        if case_id in found or not isinstance(meta, dict):
            continue
        mapped = maps[source].lookup(None, meta)
        if mapped.mapped:
            found[case_id] = mapped
    return found


def _decide(view: CaseView, classifiers, responders, limits: Limits, stamp: datetime,
            clean: Callable[[str], str], mapped: Mapped | None = None, rating: float | None = None,
            redact: Callable[[str], str] = str, at: datetime | None = None) -> _Decision:
    """Ask the plugins about one case; a :class:`PluginError` when one of them fails it.

    Label values are published (the classified event, ``cases.category``):
    ``clean`` makes each a token (:mod:`openledger.privacy.labels`). A
    category that a category map gives from the case's own fields
    (``mapped``) wins over the classifiers' (its native values are private
    details). The events are dated ``at`` (default: ``stamp``, when they are recorded).
    """
    decided = classify_text(classifiers, input_of(view, rating), limits, subject=f"case {view.id}")
    if mapped is not None and mapped.by is not None:
        decided["category"] = (Label(mapped.category, 1.0, {"native": mapped.native}),
                               _MapDecider(mapped.by, mapped.version or ""))
    labels = MappingProxyType({name: label for name, (label, _) in decided.items()})
    view = replace(view, labels=labels, severity=severity_of(labels))
    values = {name: clean(str(label.value)) for name, (label, _) in decided.items()}
    data = {
        "labels": {
            name: {"value": values[name], "confidence": round(float(label.confidence), 4)}
            for name, (label, _) in sorted(decided.items())
        },
        "severity": view.severity,
        "deciders": [decider(c) for _, (_, c) in sorted(decided.items())],
    }
    details = redacted_details(decided, redact)
    decision = _Decision([event_row(view.id, "classified", at or stamp, "process", data,
                                    {"detail": details} if details else None, stamp)], {})
    draft, drafter = _first(responders, "draft", view, draft_problem, limits)
    tier = 1
    if isinstance(draft, Draft):
        tier = draft.tier
        if isinstance(draft.detail.get("severity"), int):  # the responder's assessment wins
            view = replace(view, severity=min(4, max(1, draft.detail["severity"])))
        targets = {
            "first_response_hours": draft.first_response_hours,
            "resolution_hours": draft.resolution_hours,
            "business_hours": draft.business_hours,
        }
        decision.events.append(
            event_row(view.id, "drafted", at or stamp, "process",
                      {"tier": tier, "targets": targets, "deciders": [decider(drafter)]},
                      {"reply": draft.reply}, stamp)
        )
        decision.drafted = True
        reasons = list(draft.detail.get("escalation") or ())
        if tier > 1 and (reasons or "escalation" not in draft.detail):
            decision.escalated = True
            decision.events.append(
                event_row(view.id, "escalated", at or stamp, "process",
                          {"tier": tier, "reason": "policy", "rules": reasons, "deciders": [decider(drafter)]},
                          None, stamp)
            )
    remedy, proposer = _first(responders, "propose_remedy", blind_view(view), remedy_problem, limits)
    if isinstance(remedy, RemedyProposal):
        decision.events.append(
            event_row(view.id, "remedy-proposed", at or stamp, "process",
                      {"remedy": remedy.remedy, "amount": float(remedy.amount), "deciders": [decider(proposer)]},
                      {"reason": remedy.reason} if remedy.reason else None, stamp)
        )
        decision.remedy = True
    decision.update = {
        "cid": view.id,
        "kind": "spam" if is_spam(labels) else values.get("kind"),
        "category": values.get("category"),
        "severity": view.severity,
        "tier": tier,
        "escalated": decision.escalated,
        "processed_at": stamp,
    }
    return decision


@dataclass
class _Deciding:
    """The plugins of one run and how ``_decide`` uses them; in worker processes, the copy they forked with."""

    classifiers: list
    responders: list
    limits: Limits
    clean: LabelCleaner
    redact: Callable[[str], str]

    def decide(self, jobs: list[tuple]) -> list[tuple[_Decision | tuple[str, str | None, str | None], int]]:
        """Each (view, mapped, rating, at, stamp) decided: (the decision, or a plugin fault's
        (message, plugin, subject)), and how many label values were stored redacted."""
        results: list[tuple[_Decision | tuple[str, str | None, str | None], int]] = []
        for view, mapped, rating, at, stamp in jobs:
            before = len(self.clean.changed)
            try:
                decided: _Decision | tuple[str, str | None, str | None] = _decide(
                    view, self.classifiers, self.responders, self.limits, stamp, self.clean, mapped, rating,
                    self.redact, at)
            except PluginError as fault:
                decided = (str(fault), fault.plugin, fault.subject)
            results.append((decided, len(self.clean.changed) - before))
        return results


_forked: _Deciding | None = None  # what a worker process of the pool decides with (inherited by fork)


def _start_worker() -> None:
    """A worker leaves Ctrl-C to the command's process, which stops the pool (no worker's traceback),
    and never collects what it inherited (see :meth:`_Workers.start`)."""
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _decide_in_worker(jobs: list[tuple]) -> list:
    assert _forked is not None
    return _forked.decide(jobs)


class _Workers:
    """Worker processes that decide cases while this process reads and writes the database.

    Started by ``fork`` (the plugins this run loaded are inherited, nothing is
    pickled but the cases and the decisions), only when a run has more than one
    batch of cases to do; where ``fork`` is not available, decisions are made in this process.
    """

    def __init__(self, deciding: _Deciding, jobs: int):
        self.deciding, self.jobs = deciding, jobs
        self.pool: multiprocessing.pool.Pool | None = None

    def submit(self, work: list[tuple]) -> Callable[[], list]:
        """Start deciding ``work``; the returned function waits for the decisions, in order."""
        if self.pool is None:
            return lambda: self.deciding.decide(work)
        size = max(1, -(-len(work) // (self.jobs * 2)))
        pending = self.pool.map_async(_decide_in_worker, [work[i:i + size] for i in range(0, len(work), size)])
        return lambda: [result for chunk in pending.get() for result in chunk]

    def start(self) -> None:
        global _forked
        if self.pool is not None or self.jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return
        _forked = self.deciding
        # A forked worker shares this process's open database files, and SQLite must never see a
        # connection used or closed in a process that did not open it (closing what it takes for the last
        # one checkpoints the write-ahead log and deletes it). The workers never touch the database, but
        # garbage they inherit could be collected there, closing a connection: so what is garbage is
        # collected here first, and the workers start frozen (they never collect inherited objects).
        gc.collect()
        gc.freeze()
        try:
            self.pool = multiprocessing.get_context("fork").Pool(self.jobs, initializer=_start_worker)
        finally:
            gc.unfreeze()

    def close(self) -> None:
        global _forked
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
        _forked = None


@dataclass
class _Batch:
    """The cases of one batch as read, and the decisions asked for them."""

    ids: list[int]
    views: list[CaseView]
    seen: dict[int, int]
    work: list[tuple]  # what :meth:`_Deciding.decide` is asked about these cases
    decided: Callable[[], list] = list  # waits for the decisions, in the order of ``views``


def process_cases(
    store, config, *, limit: int | None = None, batch: int = 200, progress: Callable[[int], None] | None = None,
    dated: Callable[[CaseView], datetime] | None = None, jobs: int = 1,
) -> ProcessReport:
    """Process every new case (or at most ``limit``); see the module docstring for plugin faults.

    The decisions' events are dated when they are made, unless ``dated`` gives
    each case's date (a simulated history: the demo processes a year of cases
    at once and dates each case's decisions as a run right after its opening
    would have; the log publishes an event with the period of its date).

    ``jobs`` > 1 decides the cases in that many worker processes (0: one per
    core) while this process reads the next batch and writes the previous
    one; each batch is still written in one transaction under the append
    lock, and a case that another run processed meanwhile is left as that
    run wrote it. The events are the same whatever ``jobs`` is.

    Event hook calls still owed from earlier runs are delivered first.
    """
    failed = deliver(store).error()
    settings = config.plugin_view()
    redactors = plugins.redactors(settings)
    keep = keep_from_config(config.data)

    def redact_text(text: str) -> str:
        return redact(text, redactors, keep).text
    deciding = _Deciding(plugins.classifiers(settings), plugins.responders(settings), Limits.from_config(settings),
                         LabelCleaner(label_finder(redactors)), redact_text)
    maps = mappers(settings)
    workers = _Workers(deciding, jobs if jobs > 0 else (os.cpu_count() or 1))
    report = ProcessReport()
    after, tried = 0, 0
    pending: _Batch | None = None
    try:
        while True:
            read = None
            if limit is None or tried < limit:
                size = batch if limit is None else min(batch, limit - tried)
                read = _read_batch(store, after, size, maps, dated)
            if read is not None:
                after, tried = read.ids[-1], tried + len(read.ids)
                if len(read.ids) == batch:
                    workers.start()  # more than one batch may follow: worth the worker processes
                read.decided = workers.submit(read.work)
            if pending is not None:
                _write_batch(store, pending, report)
                if progress:
                    progress(len(pending.ids))
            if read is None:
                break
            pending = read
    finally:
        workers.close()
    _read_arrived(store, ReplyLabels.of(deciding.classifiers, redactors, keep, deciding.limits, deciding.clean),
                  report)
    report.undelivered = failed
    return report


def _read_batch(store, after: int, size: int, maps: dict[str, CategoryMapper],
                dated: Callable[[CaseView], datetime] | None) -> _Batch | None:
    """The next ``size`` unprocessed cases after case ``after``, as the plugins see them; None when none is left."""
    with store.engine.begin() as conn:
        ids = list(conn.execute(
            select(cases_t.c.id).where(cases_t.c.processed_at.is_(None), cases_t.c.id > after)
            .order_by(cases_t.c.id).limit(size)).scalars())
        if not ids:
            return None
        seen = dict(conn.execute(  # the newest event of each case: its replies so far are read now
            select(events_t.c.case_id, func.max(events_t.c.id)).where(events_t.c.case_id.in_(ids))
            .group_by(events_t.c.case_id)).all())
        mapped = _mapped_categories(conn, ids, maps) if maps else {}
        ratings = _ratings(conn, ids)
        # picklable for the worker processes: plain dicts, not read-only views. A case's labels are empty unless
        # another run processed it between the reads above and this one (each read sees what was committed before it);
        # such a case is decided again here and left as that run wrote it (see _write_batch)
        views = [replace(view, labels={name: replace(label, detail=dict(label.detail))
                                       for name, label in view.labels.items()}) for view in case_views(conn, ids)]
    stamp = now()
    work = [(view, mapped.get(view.id), ratings.get(view.id), dated(view) if dated else None, stamp)
            for view in views]
    return _Batch(ids, views, seen, work)


def _write_batch(store, done: _Batch, report: ProcessReport) -> None:
    """Record one batch's decisions in one transaction: the events, the cases' new state, the plugin faults."""
    events: list[dict] = []
    updates: list[dict] = []
    with store.engine.begin() as conn:
        ledger.lock(conn)
        still = set(conn.execute(  # another run may have processed some of them since they were read
            select(cases_t.c.id).where(cases_t.c.id.in_(done.ids), cases_t.c.processed_at.is_(None))).scalars())
        for view, (decision, relabelled) in zip(done.views, done.decided()):
            if view.id not in still:
                continue
            report.relabelled += relabelled
            if not isinstance(decision, _Decision):
                message, plugin, subject = decision
                fault = PluginError(message, plugin=plugin, subject=subject)
                report.faults.append(fault)
                record_fault(conn, plugin or "?", subject or f"case {view.id}", message)
                continue
            _publishable_gag(conn, view, decision.events[0])
            events.extend(decision.events)
            updates.append({**decision.update, "seen": done.seen.get(view.id)})
            report.drafted += decision.drafted
            report.escalated += decision.escalated
            report.remedies += decision.remedy
        append_events(conn, events)
        if updates:
            conn.execute(
                update(cases_t)
                .where(cases_t.c.id == bindparam("cid"))
                .values(
                    status=sa_case((cases_t.c.status == "new", "open"), else_=cases_t.c.status),
                    kind=bindparam("kind"),
                    category=bindparam("category"),
                    severity=bindparam("severity"),
                    tier=bindparam("tier"),
                    escalated=bindparam("escalated"),
                    processed_at=bindparam("processed_at"),
                    replies_read=bindparam("seen"),
                ),
                updates,
            )
    report.cases += len(updates)


def _read_arrived(store, labels: ReplyLabels, report: ProcessReport) -> None:
    """Classify the company's replies imported after their case was processed
    (:func:`openledger.cases.replies.read_arrived_replies`) with the plugins this run loaded; a plugin fault
    leaves them to the next run."""
    if not labels.classifiers:
        return
    try:
        with store.engine.begin() as conn:
            ledger.lock(conn)
            report.replies = read_arrived_replies(conn, labels)
    except PluginError as fault:
        report.faults.append(fault)
        with store.engine.begin() as conn:
            record_fault(conn, fault.plugin or "?", fault.subject or "a reply", str(fault))

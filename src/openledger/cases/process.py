"""``openledger process``: classify new cases and draft their responses.

For each case not processed yet, every registered classifier is asked (the
first one in hook order that answers decides a label), then responders draft
a reply with a tier and service targets, and propose a remedy from the
channel-blind view. Each decision is an event naming the plugin and version
that made it. Cases are handled in batches, each batch one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from types import MappingProxyType

from sqlalchemy import bindparam, select, update
from sqlalchemy import case as sa_case

from openledger import plugins
from openledger.cases.blinding import blind_view
from openledger.cases.events import append_events, event_row
from openledger.cases.views import case_views
from openledger.errors import OpenLedgerError
from openledger.records import (
    REMEDIES,
    CaseView,
    ClassifyInput,
    Draft,
    Label,
    RemedyProposal,
)
from openledger.store import ledger
from openledger.store.models import cases_table as cases_t
from openledger.timeutil import now

MAX_TEXT = 10_000


@dataclass
class ProcessReport:
    cases: int = 0
    escalated: int = 0
    drafted: int = 0
    remedies: int = 0


def _decider(obj) -> dict:
    return {"name": obj.name, "version": obj.version}


def classify_text(classifiers, item: ClassifyInput) -> dict[str, tuple[Label, object]]:
    """Ask classifiers in order; the first answer per label decides. {label: (Label, classifier)}."""
    decided: dict[str, tuple[Label, object]] = {}
    for classifier in classifiers:
        if classifier.label in decided:
            continue
        try:
            label = classifier.classify(item)
        except Exception as exc:  # a plugin's bug must not look like a traceback of ours
            raise OpenLedgerError(f"classifier {classifier.name!r} failed: {type(exc).__name__}: {exc}") from exc
        if label is None:
            continue
        if not isinstance(label, Label):
            raise OpenLedgerError(f"classifier {classifier.name!r} returned {type(label).__name__}, not a Label")
        decided[classifier.label] = (label, classifier)
    return decided


def severity_of(labels) -> int:
    """Severity 1-4: a ``severity`` label if a classifier gives one, else from urgency and kind."""
    if "severity" in labels:
        try:
            return min(4, max(1, int(labels["severity"].value)))
        except (TypeError, ValueError):
            pass
    if "urgency" in labels and labels["urgency"].value == "high":
        return 4
    kind = labels["kind"].value if "kind" in labels else "complaint"
    if kind != "complaint":
        return 1
    sentiment = labels.get("sentiment")
    if sentiment is not None and float(sentiment.detail.get("compound", 0.0)) <= -0.6:
        return 3
    return 2


def _input_of(view: CaseView) -> ClassifyInput:
    inbound = [m.text for m in view.messages if m.direction == "in"] or [m.text for m in view.messages]
    return ClassifyInput(text="\n\n".join(inbound)[:MAX_TEXT], channel=view.channel)


def _first(responders, method: str, view, expected: type):
    for responder in responders:
        fn = getattr(responder, method, None)
        if fn is None:
            continue
        try:
            result = fn(view)
        except Exception as exc:
            raise OpenLedgerError(
                f"responder {responder.name!r} failed in {method}: {type(exc).__name__}: {exc}"
            ) from exc
        if result is None:
            continue
        if not isinstance(result, expected):
            raise OpenLedgerError(f"responder {responder.name!r} {method} returned {type(result).__name__}")
        return result, responder
    return None, None


def process_cases(
    store, config, *, limit: int | None = None, batch: int = 200, progress: Callable[[int], None] | None = None
) -> ProcessReport:
    """Process every new case (or at most ``limit``)."""
    classifiers = plugins.classifiers(config.plugin_view())
    responders = plugins.responders(config.plugin_view())
    report = ProcessReport()
    while limit is None or report.cases < limit:
        size = batch if limit is None else min(batch, limit - report.cases)
        with store.engine.begin() as conn:
            ledger.lock(conn)
            ids = list(
                conn.execute(
                    select(cases_t.c.id).where(cases_t.c.processed_at.is_(None)).order_by(cases_t.c.id).limit(size)
                ).scalars()
            )
            if not ids:
                break
            stamp = now()
            events, updates = [], []
            for view in case_views(conn, ids):
                decided = classify_text(classifiers, _input_of(view))
                labels = MappingProxyType({name: label for name, (label, _) in decided.items()})
                view = replace(view, labels=labels, severity=severity_of(labels))
                data = {
                    "labels": {
                        name: {"value": label.value, "confidence": round(float(label.confidence), 4)}
                        for name, (label, _) in sorted(decided.items())
                    },
                    "severity": view.severity,
                    "deciders": [_decider(c) for _, (_, c) in sorted(decided.items())],
                }
                details = {name: dict(label.detail) for name, (label, _) in decided.items() if label.detail}
                events.append(
                    event_row(view.id, "classified", stamp, "process", data,
                              {"detail": details} if details else None, stamp)
                )
                draft, drafter = _first(responders, "draft", view, Draft)
                tier, escalated = 1, False
                if draft is not None:
                    tier = max(1, int(draft.tier))
                    if isinstance(draft.detail.get("severity"), int):  # the responder's assessment wins
                        view = replace(view, severity=min(4, max(1, draft.detail["severity"])))
                    targets = {
                        "first_response_hours": draft.first_response_hours,
                        "resolution_hours": draft.resolution_hours,
                        "business_hours": draft.business_hours,
                    }
                    events.append(
                        event_row(view.id, "drafted", stamp, "process",
                                  {"tier": tier, "targets": targets, "deciders": [_decider(drafter)]},
                                  {"reply": draft.reply}, stamp)
                    )
                    report.drafted += 1
                    reasons = list(draft.detail.get("escalation") or ())
                    if tier > 1 and (reasons or "escalation" not in draft.detail):
                        escalated = True
                        events.append(
                            event_row(view.id, "escalated", stamp, "process",
                                      {"tier": tier, "reason": "policy", "rules": reasons,
                                       "deciders": [_decider(drafter)]},
                                      None, stamp)
                        )
                        report.escalated += 1
                remedy, proposer = _first(responders, "propose_remedy", blind_view(view), RemedyProposal)
                if remedy is not None:
                    if remedy.remedy not in REMEDIES:
                        raise OpenLedgerError(f"responder {proposer.name!r} proposed unknown remedy {remedy.remedy!r}")
                    events.append(
                        event_row(view.id, "remedy-proposed", stamp, "process",
                                  {"remedy": remedy.remedy, "amount": float(remedy.amount),
                                   "deciders": [_decider(proposer)]},
                                  {"reason": remedy.reason} if remedy.reason else None, stamp)
                    )
                    report.remedies += 1
                updates.append(
                    {
                        "cid": view.id,
                        "kind": labels["kind"].value if "kind" in labels else None,
                        "category": labels["category"].value if "category" in labels else None,
                        "severity": view.severity,
                        "tier": tier,
                        "escalated": escalated,
                        "processed_at": stamp,
                    }
                )
            append_events(conn, events)
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
                ),
                updates,
            )
            report.cases += len(updates)
            if progress:
                progress(len(updates))
    return report

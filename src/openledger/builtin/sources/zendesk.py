"""The ``zendesk`` source: Zendesk Support API exports (JSON).

Reads the response bodies of the Zendesk Support REST API v2 saved as files:

- ``GET /api/v2/incremental/tickets.json`` (time-based) and
  ``/incremental/tickets/cursor.json`` (cursor-based): ``{"tickets": [...]}``;
- ``GET /api/v2/tickets.json`` (page-based list): ``{"tickets": [...]}``;
- ``GET /api/v2/ticket_audits.json`` or ``/tickets/{id}/audits.json``:
  ``{"audits": [...]}`` whose ``Comment`` events are the conversation;
- ``GET /api/v2/tickets/{id}/comments.json``: ``{"comments": [...]}``.

The path is one such file or a folder of them (every ``*.json``; ticket lists
are read first so comments know the requester and the ticket's channel).
A ticket's description is its first message (id ``ticket-ID``); comments
thread into the ticket (``thread`` = the ticket id, ``reply_to`` =
``ticket-ID``). The creation audit's comment *is* the description, so it gets
the same id and the engine's de-duplication keeps one of them.

As a webhook (``POST /intake/zendesk``) or a poller's page, one payload is
one such response (a trigger whose JSON body is ``{"ticket": ...}``, a page of
the incremental export), or a ticket event of an event-subscribed webhook:
``ticket.created`` (the ticket) and ``ticket.comment_added`` (a public
comment; the requester's first one is the description, stored once); other
events carry no message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from openledger import hookimpl, patterns
from openledger.errors import SourceError
from openledger.intake.sourcekit import Source, html_to_text, load_json
from openledger.records import MessageRecord, Rejected
from openledger.timeutil import parse_time

VERSION = "1.0"

#: ``via.channel`` -> openledger channel; anything else is kept as it is.
CHANNELS = {
    "email": "email",
    "web": "webform",
    "web_form": "webform",
    "web_widget": "webform",
    "voice": "phone",
    "phone": "phone",
    "sms": "sms",
    "twitter": "twitter",
    "facebook": "facebook",
    "instagram_dm": "instagram",
    "chat": "chat",
    "native_messaging": "chat",
    "mobile_sdk": "app",
    "api": "api",
    "web_service": "api",
    "sample_ticket": "sample_ticket",
}
PUBLIC_CHANNELS = {"twitter", "facebook"}
PRIVATE_RELS = {"direct_message", "message", "private_message"}
_TICKET_IN_URL = patterns.compile(r"/tickets/(\d+)/")


def channel_of(via: Mapping | None) -> tuple[str, str]:
    """(channel, visibility) from a ``via`` object.

    Twitter and Facebook are public unless ``via.source.rel`` says the
    message came privately (a direct message, a Messenger message).
    """
    via = via or {}
    raw = str(via.get("channel") or "unknown")
    channel = CHANNELS.get(raw, raw)
    rel = str((via.get("source") or {}).get("rel") or "")
    public = channel in PUBLIC_CHANNELS and rel not in PRIVATE_RELS
    return channel, "public" if public else "private"


def _identities(via: Mapping | None) -> tuple[str, ...]:
    sender = ((via or {}).get("source") or {}).get("from") or {}
    found = []
    if sender.get("address"):
        found.append(str(sender["address"]).lower())
    if sender.get("username"):
        found.append("@" + str(sender["username"]).lstrip("@").lower())
    if sender.get("phone"):
        found.append(str(sender["phone"]))
    return tuple(found)


class _Tickets:
    """What comments need to know about their ticket: requester and channel."""

    def __init__(self) -> None:
        self.requester: dict[str, str] = {}
        self.via: dict[str, Mapping] = {}


def _ticket_record(ticket: Mapping, location: str, known: _Tickets) -> MessageRecord | Rejected:
    try:
        ticket_id = str(ticket["id"])
        when = parse_time(ticket["created_at"])
    except (KeyError, TypeError, ValueError) as error:
        return Rejected(location, f"ticket without a readable id or created_at: {error}", repr(ticket)[:2000])
    channel, visibility = channel_of(ticket.get("via"))
    requester = ticket.get("requester_id")
    if requester is not None:
        known.requester[ticket_id] = str(requester)
    known.via[ticket_id] = ticket.get("via") or {}
    return MessageRecord(
        id=f"ticket-{ticket_id}",
        channel=channel,
        visibility=visibility,
        timestamp=when,
        text=str(ticket.get("description") or ""),
        author=str(requester) if requester is not None else None,
        direction="in",
        thread=ticket_id,
        subject=ticket.get("subject") or ticket.get("raw_subject") or None,
        identities=_identities(ticket.get("via")),
        location=location,
        meta={
            key: ticket.get(key)
            for key in ("status", "priority", "type", "tags", "satisfaction_rating", "external_id")
            if ticket.get(key) not in (None, [], "")
        } | {"zendesk_channel": (ticket.get("via") or {}).get("channel")},
    )


def _comment_text(comment: Mapping) -> str:
    if comment.get("plain_body") or comment.get("body"):
        return str(comment.get("body") or comment.get("plain_body"))
    return html_to_text(str(comment.get("html_body") or ""))


def _comment_record(
    comment: Mapping,
    ticket_id: str,
    when_value,
    via: Mapping | None,
    location: str,
    known: _Tickets,
    *,
    creation: bool,
) -> MessageRecord | Rejected | None:
    if comment.get("public") is False:
        return None  # an internal note: not part of the conversation with the customer
    try:
        when = parse_time(comment.get("created_at") or when_value)
        comment_id = str(comment["id"])
    except (KeyError, TypeError, ValueError) as error:
        return Rejected(location, f"comment without a readable id or time: {error}", repr(comment)[:2000])
    author = str(comment.get("author_id")) if comment.get("author_id") is not None else None
    requester = known.requester.get(ticket_id)
    incoming = author == requester if requester is not None else creation
    ticket_via = known.via.get(ticket_id) or via
    channel, visibility = channel_of(ticket_via)
    return MessageRecord(
        id=f"ticket-{ticket_id}" if creation else f"comment-{comment_id}",
        channel=channel,
        visibility=visibility,
        timestamp=when,
        text=_comment_text(comment),
        author=author,
        reply_to=None if creation else f"ticket-{ticket_id}",
        direction="in" if incoming else "out",
        thread=ticket_id,
        identities=(_identities(comment.get("via") or via) or _identities(ticket_via)) if incoming else (),
        location=location,
        meta={"attachments": len(comment.get("attachments") or []), "comment_id": comment_id},
    )


def _audits(data: Mapping, known: _Tickets, where: str = "") -> Iterator[MessageRecord | Rejected]:
    for number, audit in enumerate(data.get("audits") or [], start=1):
        if not isinstance(audit, dict) or "ticket_id" not in audit:
            yield Rejected(f"{where}audit {number}", "not a ticket audit", repr(audit)[:2000])
            continue
        ticket_id = str(audit["ticket_id"])
        events = [e for e in audit.get("events") or [] if isinstance(e, dict)]
        creation = any(e.get("type") == "Create" for e in events)
        for event in events:
            if event.get("type") == "Create" and event.get("field_name") == "requester_id":
                known.requester.setdefault(ticket_id, str(event.get("value")))
        comments = [e for e in events if e.get("type") == "Comment"]
        for index, comment in enumerate(comments, start=1):
            record = _comment_record(
                comment, ticket_id, audit.get("created_at"), audit.get("via"),
                f"{where}audit {number} comment {index}", known, creation=creation and index == 1,
            )
            if record is not None:
                yield record


def _comments(
    data: Mapping, path: Path | str, options: Mapping, known: _Tickets, where: str = ""
) -> Iterator[MessageRecord | Rejected]:
    ticket_id = options.get("ticket_id")
    if ticket_id is None:
        urls = " ".join(str(u) for u in (data.get("links") or {}).values()) + " " + str(data.get("next_page") or "")
        match = _TICKET_IN_URL.search(urls) or re.search(r"ticket[_-]?(\d+)", Path(path).name)
        if match is None:
            raise SourceError(
                "a comments list that does not say its ticket: set the option ticket_id=...", path=path
            )
        ticket_id = match.group(1)
    ticket_id = str(ticket_id)
    for number, comment in enumerate(data.get("comments") or [], start=1):
        if not isinstance(comment, dict):
            yield Rejected(f"{where}comment {number}", "not a comment object", repr(comment)[:2000])
            continue
        record = _comment_record(
            comment, ticket_id, None, comment.get("via"), f"{where}comment {number}", known,
            creation=False,
        )
        if record is not None:
            yield record


API_KEYS = {"tickets", "audits", "comments", "ticket"}


def _check_response(data, path: Path | str) -> None:
    if not isinstance(data, dict) or not API_KEYS & set(data):
        raise SourceError(
            "not a Zendesk tickets, audits or comments response (no 'tickets', 'audits' or 'comments' key)",
            path=path,
        )


def read(path: Path, options: Mapping) -> Iterator[MessageRecord | Rejected]:
    """Read one Zendesk API response file or a folder of them."""
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise SourceError("folder holds no .json Zendesk export", path=path)
    loaded: list[tuple[Path | str, Mapping]] = []
    for file in files:
        data = load_json(file)
        _check_response(data, file)
        loaded.append((file, data))
    yield from _responses(loaded, options, named=path.is_dir())


def _responses(loaded: list[tuple[Path | str, Mapping]], options: Mapping,
               named: bool) -> Iterator[MessageRecord | Rejected]:
    known = _Tickets()

    def where(file: Path | str) -> str:
        return f"{Path(file).name}: " if named else ""

    for file, data in loaded:  # ticket lists first: comments need their requester
        tickets = data.get("tickets") if "tickets" in data else [data["ticket"]] if "ticket" in data else None
        if tickets is None:
            continue
        for number, ticket in enumerate(tickets, start=1):
            if not isinstance(ticket, dict):
                yield Rejected(f"{where(file)}ticket {number}", "not a ticket object", repr(ticket)[:2000])
                continue
            yield _ticket_record(ticket, f"{where(file)}ticket {number}", known)
    for file, data in loaded:
        if "audits" in data:
            yield from _audits(data, known, where(file))
        elif "comments" in data:
            yield from _comments(data, file, options, known, where(file))


# --- webhooks -------------------------------------------------------------------
# A Zendesk webhook posts either what a trigger's JSON body says (set it to the
# ticket as the API shows it, {"ticket": {...}}) or, subscribed to ticket
# events, an event: {"type": "zen:event-type:ticket.created" | ".comment_added",
# "detail": <the ticket, ids as strings>, "event": {...}, "time", "id", ...}.

EVENT_PREFIX = "zen:event-type:"


def _event_ticket(detail: Mapping) -> dict:
    """The ``detail`` of a ticket event as the API's ticket (the fields the records use)."""
    ticket = dict(detail)
    ticket["via"] = detail.get("via") or {}
    for key in ("status", "priority", "type"):
        if isinstance(ticket.get(key), str):
            ticket[key] = ticket[key].lower()  # events spell them OPEN, HIGH; the API open, high
    return ticket


def _event_records(data: Mapping) -> Iterator[MessageRecord | Rejected]:
    kind = str(data.get("type"))[len(EVENT_PREFIX):]
    detail = data.get("detail")
    if not isinstance(detail, Mapping) or detail.get("id") in (None, ""):
        yield Rejected("event", f"a {kind} event without its ticket (detail.id)", repr(data)[:2000])
        return
    known = _Tickets()
    ticket = _event_ticket(detail)
    if kind == "ticket.created":
        yield _ticket_record(ticket, "event", known)
        return
    if kind != "ticket.comment_added":
        return  # status, priority, assignment changes... are not messages
    comment = (data.get("event") or {}).get("comment")
    if not isinstance(comment, Mapping):
        yield Rejected("event", "a comment_added event without event.comment", repr(data)[:2000])
        return
    ticket_id = str(detail["id"])
    author = comment.get("author") or {}
    requester = detail.get("requester_id")
    if requester is not None:
        known.requester[ticket_id] = str(requester)
    known.via[ticket_id] = ticket["via"]
    # the ticket's first comment is its description: same id as the ticket's record, stored once
    creation = (not author.get("is_staff") and str(comment.get("body") or "").strip()
                == str(detail.get("description") or "").strip() != "")
    record = _comment_record(
        {"id": comment.get("id"), "body": comment.get("body"), "public": comment.get("is_public", True),
         "author_id": author.get("id"), "created_at": data.get("time")},
        ticket_id, data.get("time"), ticket["via"], "event", known, creation=creation,
    )
    if record is not None and isinstance(record, MessageRecord) and author.get("is_staff") is not None:
        record = replace(record, direction="out" if author.get("is_staff") else "in")
    if record is not None:
        yield record


def read_payload(body: bytes, options: Mapping, content_type: str) -> Iterator[MessageRecord | Rejected]:
    """A webhook's body (a ticket event, or a trigger's API-shaped JSON), or one API page a poller fetched."""
    data = load_json("payload", body)
    if isinstance(data, dict) and str(data.get("type", "")).startswith(EVENT_PREFIX):
        yield from _event_records(data)
        return
    _check_response(data, "payload")
    yield from _responses([("payload", data)], options, named=False)


SOURCE = Source(
    name="zendesk",
    version=VERSION,
    description="Zendesk tickets, audits and comments (API v2 JSON exports, webhooks)",
    channel=None,
    visibility=None,
    reader=read,
    payload_reader=read_payload,
)


@hookimpl
def register_sources(register, config):
    """Register the ``zendesk`` source."""
    register(SOURCE)

"""The small value types that cross the plugin boundary.

Sources yield :class:`MessageRecord`, :class:`CaseRecord` or :class:`Rejected`;
pollers yield :class:`Page` (fetched :class:`Payload` plus the cursor after them);
classifiers return :class:`Label`; responders return :class:`Draft` and
:class:`RemedyProposal`; redactors return :class:`Span`. The engine hands
plugins read-only views (:class:`CaseView`, :class:`BlindCaseView`).

All of them are frozen dataclasses with ``slots``, so a plugin can neither
change what it was given nor read an attribute that a view leaves out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

VISIBILITIES = ("public", "private")
DIRECTIONS = ("in", "out")
OUTCOMES = ("upheld", "partly-upheld", "explained", "declined", "withdrawn")
REMEDIES = ("refund", "credit", "replacement", "repair", "apology", "none")
MONEYLESS_REMEDIES = ("none", "apology")  # carry no amount, and do not count as a remedy in the audit
LABELS = ("kind", "category", "sentiment", "urgency", "wants", "spam")

_EMPTY: Mapping = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """One communication read by a source.

    ``id`` is the external id, unique within the source (tweet id, Message-ID,
    ticket comment id, CSV ``id`` column). ``timestamp`` must be timezone-aware.
    ``reply_to`` names an earlier ``id`` of the same source; ``thread`` is an
    optional explicit thread key (an e-mail thread root, a Zendesk ticket id)
    used when ``reply_to`` is absent. ``identities`` are contact points the
    customer gave (e-mail address, phone number, handle): the engine stores
    only keyed hashes of them, to link one customer across channels.
    ``location`` says where in the file the record was ("line 12", "tweet 40"),
    for error messages. ``meta`` holds extra private fields (e.g. ``audience``).
    """

    id: str
    channel: str
    visibility: str
    timestamp: datetime
    text: str
    author: str | None = None
    reply_to: str | None = None
    direction: str = "in"
    thread: str | None = None
    subject: str | None = None
    identities: tuple[str, ...] = ()
    location: str | None = None
    meta: Mapping = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """A whole historical case with its outcome, from a history or CFPB import.

    Field meanings follow ``docs/history-format.md``: times are timezone-aware,
    ``resolved_at`` None means the case is still open.
    """

    id: str
    channel: str
    visibility: str
    category: str
    opened_at: datetime
    severity: int = 2
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    outcome: str | None = None
    remedy: str = "none"
    amount: float = 0.0
    escalated: bool = False
    reopened: bool = False
    audience: int | None = None
    text: str = ""
    author: str | None = None
    location: str | None = None
    meta: Mapping = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record a source could not read: where it was and why.

    Yield it instead of raising, so ``--skip-bad`` can quarantine it and go on.
    """

    location: str
    reason: str
    raw: str | None = None


@dataclass(frozen=True, slots=True)
class Payload:
    """One document as a service delivers it: a webhook's body, a fetched mail or API page.

    ``content_type`` is the media type it came with (``application/json``,
    ``message/rfc822``, ``application/x-www-form-urlencoded``); ``location``
    names it in messages ("UID 4711", "page 3").
    """

    body: bytes
    content_type: str = "application/json"
    location: str = ""


@dataclass(frozen=True, slots=True)
class Page:
    """What a poller fetched in one step: payloads, and the cursor that follows them.

    The engine imports the payloads and stores ``cursor`` (a JSON-compatible
    mapping) in one transaction, so after a crash the poller resumes from the
    last page that was stored: nothing is lost, and a page fetched twice is
    de-duplicated on its records' ids.
    """

    payloads: tuple[Payload, ...]
    cursor: Mapping
    note: str = ""


@dataclass(frozen=True, slots=True)
class ClassifyInput:
    """What a classifier sees: the customer's text and, if known, the channel."""

    text: str
    channel: str | None = None
    subject: str | None = None
    #: how many different people wrote the customer's side of the thread (None: not known)
    authors: int | None = None


@dataclass(frozen=True, slots=True)
class Label:
    """A classifier's decision: a value with a confidence in [0, 1]."""

    value: str
    confidence: float
    detail: Mapping = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True)
class MessageView:
    """A message as shown to responders (read-only)."""

    direction: str
    channel: str
    visibility: str
    timestamp: datetime
    text: str


@dataclass(frozen=True, slots=True)
class CaseView:
    """A case as responders and event hooks see it (read-only).

    ``labels`` maps a label name (``kind``, ``category``, ...) to its
    :class:`Label`. ``messages`` are in time order.
    """

    id: int
    status: str
    channel: str
    visibility: str
    opened_at: datetime
    severity: int
    labels: Mapping
    messages: tuple[MessageView, ...]
    audience: int | None = None
    outcome: str | None = None
    remedy: str | None = None
    amount: float = 0.0
    #: how many different people wrote the inbound messages (2 or more: a group thread)
    authors: int | None = None


@dataclass(frozen=True, slots=True)
class BlindMessageView:
    """A message with channel, visibility and handles removed."""

    direction: str
    timestamp: datetime
    text: str


@dataclass(frozen=True, slots=True)
class BlindCaseView:
    """The channel-blind view given to remedy proposals.

    It has no ``channel``, ``visibility``, ``audience`` or author handle, and
    handles in texts are masked: a remedy cannot depend on how loudly or where
    the customer complained. Reading ``view.channel`` raises AttributeError.
    """

    id: int
    opened_at: datetime
    severity: int
    labels: Mapping
    messages: tuple[BlindMessageView, ...]


@dataclass(frozen=True, slots=True)
class Draft:
    """A responder's proposed reply, escalation tier and service targets (hours)."""

    reply: str
    tier: int = 1
    first_response_hours: float | None = None
    resolution_hours: float | None = None
    business_hours: bool = True
    detail: Mapping = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True)
class RemedyProposal:
    """A proposed remedy (one of ``REMEDIES``) with an amount and a reason."""

    remedy: str
    amount: float = 0.0
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Span:
    """A personal-data span found by a redactor: ``text[start:end]`` is a ``kind``.

    ``kind`` is upper case and becomes the placeholder (``EMAIL`` -> ``[EMAIL]``).
    """

    start: int
    end: int
    kind: str
    score: float = 1.0

"""The small value types that cross the plugin boundary.

Sources yield :class:`MessageRecord`, :class:`CaseRecord` or :class:`Rejected`;
pollers yield :class:`Page` (fetched :class:`Payload` plus the cursor after them);
classifiers return :class:`Label`; responders return :class:`Draft` and
:class:`RemedyProposal`; redactors return :class:`Span`. The engine hands
plugins read-only views (:class:`CaseView`, :class:`BlindCaseView`).

All of them are frozen dataclasses with ``slots``, so a plugin can neither
change what it was given nor read an attribute that a view leaves out.
:class:`MessageRecord` and :class:`CaseRecord` can be weakly referenced: the
record contract remembers, for as long as a record lives, that openledger's
own helpers found it valid (:func:`openledger.intake.contract.vouch`).
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
LABELS = ("kind", "category", "sentiment", "urgency", "wants", "spam", "leverage", "tone", "moves_private", "gag")
#: the values of each label whose values are fixed (``category`` follows the instance's taxonomy,
#: see :data:`DEFAULT_CATEGORIES`; a plugin's own label declares its values)
LABEL_VALUES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "kind": ("complaint", "compliment", "question", "suggestion"),
    "sentiment": ("negative", "neutral", "positive"),
    "urgency": ("high", "normal"),
    "wants": ("sympathy", "fix", "compensation", "none"),
    "spam": ("yes", "no"),
    "severity": ("1", "2", "3", "4"),
    # what the customer's text threatens (inbound): going public, to the press, to a regulator, to law
    "leverage": ("publicity", "press", "regulator", "legal", "none"),
    # how the customer's text treats the company (inbound; a star rating is evidence where there is one)
    "tone": ("hostile", "negative", "neutral", "positive"),
    # whether the company's replies ask to move to a private channel (DM, call, e-mail, a form)
    "moves_private": ("yes", "no"),
    # whether the company's replies ask to delete, edit or not post, or tie a remedy to silence
    "gag": ("yes", "no"),
})
#: the labels read from the company's replies (``ClassifyInput.replies``), not the customer's text: a reply's
#: ``classified`` event, recorded when ``respond`` sends it (:mod:`openledger.cases.replies`), holds only these
OUTBOUND_LABELS = ("moves_private", "gag")
#: the categories of the default taxonomy (``[taxonomy]`` in the config replaces or extends them);
#: ``other`` is always one
DEFAULT_CATEGORIES = ("fraud", "billing", "delivery", "product-fault", "technical", "account", "travel",
                      "insurance", "banking", "privacy", "service", "other")

_EMPTY: Mapping = MappingProxyType({})


@dataclass(frozen=True, slots=True, weakref_slot=True)
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
    """the external id, unique within the source (tweet id, Message-ID, ticket comment id, CSV ``id``); at most 500
    characters
    """
    channel: str
    """where it was written (``twitter``, ``email``, ``reddit``, ...), stored lower case, at most 50 characters;
    the source's declared ``channel`` when it has one
    """
    visibility: str
    """``public`` (anyone could read it) or ``private``; the source's declared ``visibility`` when it has one"""
    timestamp: datetime
    """when it was written: a timezone-aware :class:`~datetime.datetime` (a naive one is a fault of the source)"""
    text: str
    """the message text, plain (a string, possibly empty; never None)"""
    author: str | None = None
    """the author as the source shows them (a name, a handle, an id); private, used to link the customer when no
    identity is given
    """
    reply_to: str | None = None
    """the ``id`` of an earlier message of the same source this one answers (threads it into that case), or None"""
    direction: str = "in"
    """``in`` (from the customer) or ``out`` (from the company)"""
    thread: str | None = None
    """an explicit thread key (an e-mail thread root, a ticket id), used when ``reply_to`` is absent"""
    subject: str | None = None
    """a subject line or title, if the channel has one"""
    identities: tuple[str, ...] = ()
    """contact points the customer gave, each in one of the forms of :func:`openledger.privacy.identity.form_of`:
    ``jo@example.org``, ``+44 20 7946 0018``, ``@jo`` (a handle of this channel), ``@jo@mastodon.social``,
    ``NETWORK:VALUE`` (``twitter-id:2000``); stored only as keyed hashes
    """
    location: str | None = None
    """where in the file the record was (``line 12``, ``tweet 40``), for messages"""
    meta: Mapping = field(default_factory=lambda: _EMPTY)
    """extra private fields (``audience``: the author's follower count, a number)"""


@dataclass(frozen=True, slots=True, weakref_slot=True)
class CaseRecord:
    """A whole historical case with its outcome, from a history or CFPB import.

    Field meanings follow ``docs/history-format.md``: times are timezone-aware,
    ``resolved_at`` None means the case is still open.
    """

    id: str
    """the external id of the case, unique within the source"""
    channel: str
    """the channel the case was opened in, lower case"""
    visibility: str
    """``public`` or ``private``"""
    category: str
    """the complaint category (free text from the history; a classifier's must be in the taxonomy)"""
    opened_at: datetime
    """when the case was opened (timezone-aware)"""
    severity: int = 2
    """1 (low) to 4 (critical)"""
    first_response_at: datetime | None = None
    """the first answer of the company, or None"""
    resolved_at: datetime | None = None
    """when it was resolved; None for a case still open"""
    outcome: str | None = None
    """one of ``upheld``, ``partly-upheld``, ``explained``, ``declined``, ``withdrawn`` when resolved, else None"""
    remedy: str = "none"
    """one of ``refund``, ``credit``, ``replacement``, ``repair``, ``apology``, ``none``"""
    amount: float = 0.0
    """the amount of the remedy, >= 0 (0 for ``none`` and ``apology``)"""
    escalated: bool = False
    """whether the case went to a higher tier"""
    reopened: bool = False
    """whether it was reopened after a resolution"""
    audience: int | None = None
    """the author's follower count, if known"""
    text: str = ""
    """the complaint text"""
    author: str | None = None
    """the author as the source shows them (private)"""
    location: str | None = None
    """where in the file the record was, for messages"""
    meta: Mapping = field(default_factory=lambda: _EMPTY)
    """extra private fields"""
    leverage: str | None = None
    """what the customer threatened: ``publicity``, ``press``, ``regulator``, ``legal`` or ``none``; None if not
    known (recorded as the label ``leverage``)"""
    moved_private: bool | None = None
    """a company reply asked to move the case to a private channel (DM, phone, e-mail, form); None if not known
    (the label ``moves_private``)"""
    tone: str | None = None
    """the customer's tone: ``hostile``, ``negative``, ``neutral`` or ``positive``; None if not known"""
    gag: bool | None = None
    """a company reply asked the customer to delete, edit or not post, or tied a remedy to silence; None if not
    known (the label ``gag``)"""
    followed_up_at: datetime | None = None
    """a public reply of the company on the case's own channel after its resolution (a public follow-up), or None"""


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record a source could not read: where it was and why.

    Yield it instead of raising, so ``--skip-bad`` can quarantine it and go on.
    """

    location: str
    """where in the file (``line 12``); required"""
    reason: str
    """why it cannot be read, one line; required"""
    raw: str | None = None
    """the record as read (at most a few thousand characters), kept in the quarantine file so it can be fixed and
    imported again
    """


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
    """What a classifier sees: the customer's text, the company's replies and, if known, the channel."""

    text: str
    """the customer's messages of the case, joined by blank lines (at most 10,000 characters)"""
    channel: str | None = None
    """the channel, when known (the built-in classifiers never use it: labels must not depend on it)"""
    subject: str | None = None
    """a subject line, when there is one"""
    authors: int | None = None
    """how many different people wrote the customer's side of the case's conversation: its
    messages that share a ``thread`` (a chat, a direct-message conversation, an e-mail thread);
    replies to a public post do not count, anyone may write one (None: not known, or none)"""
    replies: tuple[str, ...] = ()
    """the company's messages of the case (direction ``out``), oldest first, each at most 10,000 characters;
    empty when the company has not answered yet (the outbound labels ``moves_private`` and ``gag`` read them)"""
    rating: float | None = None
    """the star rating the customer gave with the text (a review's ``meta["rating"]``, 1 to 5), or None"""
    opening: str | None = None
    """the customer's first message alone (at most 10,000 characters) when the case holds more than one,
    else None (``text`` is that message). The built-in ``tone`` and ``spam`` read it: a customer's later
    messages may be angry because the company kept them waiting (the tone audit asks how customers are
    treated for the way they came in, not for the answer's own delay), and bystanders' replies under a
    public complaint do not make the complaint spam"""


@dataclass(frozen=True, slots=True)
class Label:
    """A classifier's decision: a value with a confidence in [0, 1]."""

    value: str
    """the decided value: within the values of the label (see ``register_classifiers``)"""
    confidence: float
    """a number in [0, 1]"""
    detail: Mapping = field(default_factory=lambda: _EMPTY)
    """the evidence, a mapping recorded privately with the ``classified`` event"""


@dataclass(frozen=True, slots=True)
class MessageView:
    """A message as shown to responders (read-only)."""

    direction: str
    """``in`` or ``out``"""
    channel: str
    """the channel of the message"""
    visibility: str
    """``public`` or ``private``"""
    timestamp: datetime
    """when it was written (timezone-aware, UTC)"""
    text: str
    """the message text"""


@dataclass(frozen=True, slots=True)
class CaseView:
    """A case as responders and event hooks see it (read-only).

    ``labels`` maps a label name (``kind``, ``category``, ...) to its
    :class:`Label`. ``messages`` are in time order.
    """

    id: int
    """the case number of this instance (private: the site shows keyed pseudonyms)"""
    status: str
    """``new`` (not processed yet), ``open`` or ``resolved``"""
    channel: str
    """the channel the case was opened in"""
    visibility: str
    """``public`` or ``private``"""
    opened_at: datetime
    """when the case was opened (timezone-aware, UTC)"""
    severity: int
    """1 (low) to 4 (critical)"""
    labels: Mapping
    """label name -> :class:`Label` (empty before ``openledger process``)"""
    messages: tuple[MessageView, ...]
    """the case's messages, as :class:`MessageView`, in time order"""
    audience: int | None = None
    """the author's follower count, if known"""
    outcome: str | None = None
    """the outcome once resolved, else None"""
    remedy: str | None = None
    """the remedy once resolved, else None"""
    amount: float = 0.0
    """the remedy's amount once resolved, else 0"""
    authors: int | None = None
    """how many different people wrote the inbound messages of the case's conversation (those
    with a ``thread``; 2 or more: a group chat), else None"""


@dataclass(frozen=True, slots=True)
class BlindMessageView:
    """A message with channel, visibility and handles removed."""

    direction: str
    """``in`` or ``out``"""
    timestamp: datetime
    """when it was written"""
    text: str
    """the text, with ``@handles`` masked as ``@[handle]``"""


@dataclass(frozen=True, slots=True)
class BlindCaseView:
    """The channel-blind view given to remedy proposals.

    It has no ``channel``, ``visibility``, ``audience`` or author handle, and
    handles in texts are masked: a remedy cannot depend on how loudly or where
    the customer complained. Reading ``view.channel`` raises AttributeError.
    """

    id: int
    """the case number"""
    opened_at: datetime
    """when the case was opened"""
    severity: int
    """1 to 4"""
    labels: Mapping
    """label name -> :class:`Label`"""
    messages: tuple[BlindMessageView, ...]
    """the messages as :class:`BlindMessageView`, in time order"""


@dataclass(frozen=True, slots=True)
class Draft:
    """A responder's proposed reply, escalation tier and service targets (hours)."""

    reply: str
    """the drafted reply text"""
    tier: int = 1
    """the escalation tier, a whole number from 1 to ``[escalation] max_tier`` (default 3)"""
    first_response_hours: float | None = None
    """the first-response target in hours (>= 0), or None"""
    resolution_hours: float | None = None
    """the resolution target in hours (>= 0), or None"""
    business_hours: bool = True
    """whether the targets count opening hours (True) or calendar hours"""
    detail: Mapping = field(default_factory=lambda: _EMPTY)
    """how it was decided (``template``, ``rule``, ``severity``, ``escalation`` reasons, ...); an ``int``
    ``severity`` here sets the case's severity
    """


@dataclass(frozen=True, slots=True)
class RemedyProposal:
    """A proposed remedy (one of ``REMEDIES``) with an amount and a reason."""

    remedy: str
    """one of ``refund``, ``credit``, ``replacement``, ``repair``, ``apology``, ``none``"""
    amount: float = 0.0
    """from 0 to ``[remedies] max_amount`` (default 500); 0 for ``none`` and ``apology``"""
    reason: str = ""
    """why, one line (kept private)"""


@dataclass(frozen=True, slots=True)
class Span:
    """A personal-data span found by a redactor: ``text[start:end]`` is a ``kind``.

    ``kind`` is upper case and becomes the placeholder (``EMAIL`` -> ``[EMAIL]``).
    """

    start: int
    """where the personal data starts in the text"""
    end: int
    """where it ends (exclusive)"""
    kind: str
    """upper case: the placeholder (``EMAIL`` -> ``[EMAIL]``)"""
    score: float = 1.0
    """how sure the redactor is, in [0, 1]"""

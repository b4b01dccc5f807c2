"""Erasure: a customer's request to be forgotten.

The customer is named by one of their cases (internal id or public id) or by
an identity they wrote from (e-mail address, phone number, handle, or the
author name a source gave); every case linked to them through the keyed
identity hashes (:mod:`openledger.intake.linking`) is erased.

Erasing deletes the private details and keeps the public record:

- their messages (both directions: a reply may quote or name them): the text
  becomes :data:`MARKER`; author, subject and source metadata are removed;
- the private details of every event of their cases become
  :data:`PRIVATE_MARKER` (reply drafts, reasons, agent notes);
- the salts of their ledger entries are removed, so the commitments in the
  log can no longer be opened: they prove nothing about the customer;
- the customer link on their cases and their identity hashes are removed, so
  nothing links them any more and a new message from them starts afresh;
- a gag request's sentence to them is withdrawn (:func:`openledger.cases.gag.withdraw_sentences`):
  the site lists the request as withdrawn, its digest stays on the log.

The public data of events and every ledger entry stay byte for byte, so the
log still verifies. Each erased case gets an ``erased`` event (public data
``{}``, nothing personal) as the audit trail. Message ids (``external_id``,
``reply_to``, ``thread``) stay so that re-importing the same export does not
bring the erased texts back. Everything happens in one transaction, with
set-based statements, under the ledger's append lock.

After the transaction the affected tables are compacted
(:meth:`openledger.store.database.Store.compact`): on SQLite the database
file is rebuilt and its WAL emptied, so the erased text is in no file of the
instance; on PostgreSQL the tables are rewritten with ``VACUUM FULL`` (see
docs/anonymization.md for what that guarantees). The identities the
customer wrote from (:attr:`ErasureReport.identities_seen`) let the caller
remove their records from files outside the database (the quarantine).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from openledger.cases.events import append_events, event_row
from openledger.cases.gag import withdraw_sentences
from openledger.errors import NotFoundError, OpenLedgerError
from openledger.privacy.identity import InvalidIdentity, keyed_hash, link_key
from openledger.store import ledger
from openledger.store.models import cases_table as cases_t
from openledger.store.models import events_table as events_t
from openledger.store.models import identities_table as identities_t
from openledger.store.models import ledger_entries_table as entries_t
from openledger.store.models import messages_table as messages_t
from openledger.timeutil import now

MARKER = "[erased]"
PRIVATE_MARKER = {"erased": True}
ACTOR = "erasure"


@dataclass(frozen=True)
class ErasureTarget:
    """Whose cases an erasure covers, found before anything changes."""

    named_by: str  # "case", "public id" or "identity"
    case_ids: tuple[int, ...]
    public_ids: tuple[str, ...]
    customers: tuple[str, ...] = ()  # their customer links (identity hashes point to these)


@dataclass(frozen=True)
class ErasureReport:
    cases: int
    messages: int
    events: int
    salts: int
    identities: int
    already_erased: int
    identities_seen: tuple[str, ...] = ()  # the authors of their messages, before erasure (never printed)
    compacted: str = ""  # what ran to rewrite the tables' files


def identity_keys(who: str, secret: bytes, channels, region: str | None = None) -> dict[str, str]:
    """Every link key ``who`` may have been stored under: ``{key: channel or ""}``.

    An e-mail address or phone number has one key whatever the channel; a
    handle is scoped by its channel, and an author name that is no contact
    point is linked within its channel only (as :func:`openledger.intake.linking.record_keys`
    does), so those are tried for each channel in the database.
    """
    keys: dict[str, str] = {}
    try:
        keys[link_key(who, secret, region=region)] = ""
    except InvalidIdentity:
        pass
    for channel in channels:
        try:
            keys.setdefault(link_key(who, secret, channel=channel, region=region), channel)
        except InvalidIdentity:
            pass
        keys.setdefault(keyed_hash(f"{channel}:author:{who.strip().lower()}", secret), channel)
    return keys


def _customers_of(conn: Connection, who: str, secret: bytes, channel: str | None, region: str | None) -> list[str]:
    channels = [channel.lower()] if channel else list(conn.execute(select(cases_t.c.channel).distinct()).scalars())
    keys = identity_keys(who, secret, channels, region)
    found = conn.execute(
        select(identities_t.c.key, identities_t.c.customer).where(identities_t.c.key.in_(list(keys)))
    ).all()
    scoped = {keys[k] for k, _ in found if keys[k]}
    if len(scoped) > 1 and not any(keys[k] == "" for k, _ in found):
        raise OpenLedgerError(
            f"{who!r} names customers in channels {', '.join(sorted(scoped))}: give --channel"
        )
    return sorted({c for _, c in found})


def find_target(
    conn: Connection, secret: bytes, who: str, *, identity: bool = False, channel: str | None = None,
    region: str | None = None,
) -> ErasureTarget:
    """The cases of the customer named by ``who``: a case id, a public case id or an identity.

    A case that is linked to a customer brings every case of that customer.
    ``identity=True`` reads ``who`` as an identity even when it is all digits;
    ``channel`` scopes a handle; ``region`` is the default country of phone numbers.
    """
    who = who.strip()
    if not who:
        raise OpenLedgerError("name a case id, a public case id or the customer's identity")
    row, named_by = None, "identity"
    if not identity:
        if who.isdigit():
            row = conn.execute(select(cases_t.c.id, cases_t.c.customer).where(cases_t.c.id == int(who))).first()
            named_by = "case"
        if row is None:
            row = conn.execute(select(cases_t.c.id, cases_t.c.customer).where(cases_t.c.public_id == who)).first()
            named_by = "public id" if row is not None else "identity"
    if row is not None:
        where = cases_t.c.id == row.id if row.customer is None else cases_t.c.customer == row.customer
        customers = [row.customer] if row.customer else []
    else:
        customers = _customers_of(conn, who, secret, channel, region)
        where = cases_t.c.customer.in_(customers)
    found = conn.execute(select(cases_t.c.id, cases_t.c.public_id).where(where).order_by(cases_t.c.id)).all()
    if not found:
        raise NotFoundError(f"no case and no customer found for {who!r}")
    return ErasureTarget(
        named_by, tuple(r.id for r in found), tuple(r.public_id or "" for r in found), tuple(customers)
    )


def erase(conn: Connection, secret: bytes, target: ErasureTarget) -> ErasureReport:
    """Erase the private details of ``target``'s cases in the caller's transaction."""
    ledger.lock(conn)
    ids = list(target.case_ids)
    in_cases = messages_t.c.case_id.in_(ids)
    already = set(
        conn.execute(
            select(events_t.c.case_id).where(events_t.c.case_id.in_(ids), events_t.c.type == "erased").distinct()
        ).scalars()
    )
    seen = conn.execute(
        select(messages_t.c.author).where(in_cases, messages_t.c.direction == "in", messages_t.c.author.is_not(None))
        .distinct()
    ).scalars()
    identities_seen = tuple(sorted({a.strip() for a in seen if a and a.strip()}))
    messages = conn.execute(
        update(messages_t).where(in_cases).values(text=MARKER, author=None, subject=None, meta=None)
    ).rowcount
    events = conn.execute(
        update(events_t).where(events_t.c.case_id.in_(ids)).values(private=PRIVATE_MARKER)
    ).rowcount
    salts = conn.execute(
        update(entries_t).where(entries_t.c.case_id.in_(ids), entries_t.c.salt.is_not(None)).values(salt=None)
    ).rowcount
    conn.execute(update(cases_t).where(cases_t.c.id.in_(ids)).values(customer=None))
    withdraw_sentences(conn, ids)  # the company's words to them, redacted, may still say who they are
    identities = 0
    if target.customers:
        identities = conn.execute(
            delete(identities_t).where(identities_t.c.customer.in_(list(target.customers)))
        ).rowcount
    stamp = now()
    append_events(
        conn, [event_row(cid, "erased", stamp, ACTOR, {}, None, stamp) for cid in ids if cid not in already]
    )
    return ErasureReport(len(ids), messages, events, salts, identities, len(already), identities_seen)


ERASED_TABLES = ["messages", "events", "ledger_entries", "cases", "identities"]


def erase_customer(store, secret: bytes, who: str, **how) -> tuple[ErasureTarget, ErasureReport]:
    """Find (``how``: as :func:`find_target`) and erase in one transaction, under the ledger's append lock;
    then compact the tables so that the old rows leave the database's files."""
    with store.engine.begin() as conn:
        ledger.lock(conn)  # no case of this customer can be added meanwhile
        target = find_target(conn, secret, who, **how)
        report = erase(conn, secret, target)
    return target, replace(report, compacted=store.compact(ERASED_TABLES))


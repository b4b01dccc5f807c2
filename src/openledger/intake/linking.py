"""Cross-channel memory: one customer, whichever channel they use.

Every contact point a customer gives (the e-mail address they write from, the
phone number they call from, their handle, an address they mention in a
message) is normalised and stored only as a keyed hash
(:func:`openledger.privacy.identity.link_key`). Contact points that arrive together
belong to one customer, so a customer who e-mails and later tweets from an
account whose DM gave the same address is one customer, and their cases are
linked by the ``customer`` key. Nothing is stored in clear.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from openledger.privacy.identity import InvalidIdentity, keyed_hash, link_key
from openledger.store.models import identities_table as identities_t

CHUNK = 500


def record_keys(record, secret: bytes, region: str | None) -> list[str]:
    """The link keys of a record's identities (and its author, when it is one)."""
    keys: list[str] = []
    values = list(getattr(record, "identities", ()) or ())
    if record.author:
        values.append(record.author)
    for value in values:
        try:
            key = link_key(value, secret, channel=record.channel, region=region)
        except InvalidIdentity:
            continue
        if key not in keys:
            keys.append(key)
    if not keys and record.author and record.author.strip():
        # a name or an id that is no contact point: linked within its channel only
        keys.append(keyed_hash(f"{record.channel}:author:{record.author.strip().lower()}", secret))
    return keys


def _insert(conn: Connection):
    if conn.dialect.name == "postgresql":
        return pg_insert(identities_t).on_conflict_do_nothing(index_elements=["key"])
    return sqlite_insert(identities_t).on_conflict_do_nothing(index_elements=["key"])


def link_customers(conn: Connection, keys_per_record: Sequence[list[str]]) -> list[str | None]:
    """The customer of each record (None without identities), registering new keys.

    A record whose keys are already known joins that customer; otherwise its
    first key names a new customer. All of a record's keys then point to it.
    """
    wanted = sorted({k for keys in keys_per_record for k in keys})
    known: dict[str, str] = {}
    for i in range(0, len(wanted), CHUNK):
        rows = conn.execute(
            select(identities_t.c.key, identities_t.c.customer).where(identities_t.c.key.in_(wanted[i : i + CHUNK]))
        )
        known.update((k, c) for k, c in rows)
    customers: list[str | None] = []
    new_rows: dict[str, str] = {}
    for keys in keys_per_record:
        if not keys:
            customers.append(None)
            continue
        customer = next((known[k] for k in keys if k in known), None) or keys[0][:64]
        for k in keys:
            if k not in known:
                known[k] = customer
                new_rows[k] = customer
        customers.append(customer)
    if new_rows:
        conn.execute(_insert(conn), [{"key": k, "customer": c} for k, c in new_rows.items()])
    return customers


def customers_of(conn: Connection, records: Sequence, secret: bytes, region: str | None) -> list[str | None]:
    """The customer of each record (a message or a whole case), linking their identities."""
    return link_customers(conn, [record_keys(r, secret, region) for r in records])

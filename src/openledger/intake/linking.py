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

from sqlalchemy.engine import Connection

from openledger.privacy.identity import InvalidIdentity, keyed_hash, link_key
from openledger.store.bulk import marker, select_in
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


def link_customers(conn: Connection, keys_per_record: Sequence[list[str]]) -> list[str | None]:
    """The customer of each record (None without identities), registering new keys.

    A record whose keys are already known joins that customer; otherwise its
    first key names a new customer. All of a record's keys then point to it.
    """
    wanted = sorted({k for keys in keys_per_record for k in keys})
    known: dict[str, str] = dict(select_in(conn, identities_t, ["key", "customer"], {}, "key", wanted, chunk=CHUNK))
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
    if new_rows:  # another writer cannot have added them meanwhile (the ledger lock), but stay safe
        mark, key = marker(conn), conn.dialect.identifier_preparer.quote("key")
        conn.exec_driver_sql(f"INSERT INTO identities ({key}, customer) VALUES ({mark}, {mark}) "
                             f"ON CONFLICT ({key}) DO NOTHING", list(new_rows.items()))
    return customers


def customers_of(conn: Connection, records: Sequence, secret: bytes, region: str | None) -> list[str | None]:
    """The customer of each record (a message or a whole case), linking their identities."""
    return link_customers(conn, [record_keys(r, secret, region) for r in records])

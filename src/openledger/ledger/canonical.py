"""Canonical JSON and the commitment to an event's private details.

Canonical JSON here is ``json.dumps`` with sorted keys, ``","`` and ``":"``
separators, no ASCII escaping (UTF-8 output) and no NaN or infinity. Objects
must have string keys. For entries, prefer integers and strings: they have
one spelling in every JSON library (a float such as ``1e-07`` does not).

Commitment (hex of 32 bytes), in two layers::

    inner      = hex SHA-256( inner salt || canonical_json(details) )
    opening    = {"at": exact time of the event, "inner": inner}
    commitment = hex SHA-256( outer salt || canonical_json(opening) )

Both salts are 32 random bytes from :mod:`secrets`, kept with the details in
the database and never published. Publishing the commitment binds the entry
to the exact time and the private details without revealing them. A
customer's receipt *opens* the outer layer (outer salt and opening): its
holder learns the exact times of their own case, and nothing of the private
details (the agent, internal notes), which only the inner salt opens.
"""

from __future__ import annotations

import json
import secrets
from hashlib import sha256
from typing import Any

from openledger.ledger.errors import LedgerFormatError

SALT_SIZE = 32
EVENT_SALT_SIZE = 2 * SALT_SIZE  # an event's salts: the outer, then the inner
# One encoder, built once: json.dumps would build a new one on every call.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_json(value: Any, *, keys_known: bool = False) -> bytes:
    """The canonical UTF-8 JSON bytes of ``value``.

    Raises :class:`LedgerFormatError` for NaN/infinity, non-string keys
    (which ``json`` would silently turn into strings), unserialisable values
    or strings that are not valid Unicode.

    ``keys_known``: the caller knows that every object key in ``value`` is a
    string (it was decoded from JSON, or built of such values under literal
    keys), so the walk that looks for other keys is skipped; on a seal of
    millions of entries that walk costs about a third of the encoding itself.
    """
    if not keys_known:
        _check_keys(value)
    try:
        return _ENCODER.encode(value).encode("utf-8")
    except ValueError as exc:  # NaN/inf, circular
        raise LedgerFormatError(f"cannot write canonical JSON: {exc}") from None
    except TypeError as exc:  # non-string key mix, unsupported type
        raise LedgerFormatError(f"cannot write canonical JSON: {exc}") from None
    except UnicodeEncodeError as exc:  # lone surrogate
        raise LedgerFormatError(f"cannot write canonical JSON: invalid Unicode at {exc.start}") from None


def _check_keys(value: Any) -> None:
    """Refuse non-string object keys anywhere in ``value`` (iterative: it is on the hot path)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str):
                    raise LedgerFormatError(f"cannot write canonical JSON: key {key!r} is not a string")
                if isinstance(child, (dict, list, tuple)):
                    stack.append(child)
        elif isinstance(item, (list, tuple)):
            stack.extend(child for child in item if isinstance(child, (dict, list, tuple)))


def new_salt() -> bytes:
    """32 fresh random bytes for one event's commitment."""
    return secrets.token_bytes(SALT_SIZE)


def commitment(salt: bytes, details: Any, *, keys_known: bool = False) -> str:
    """Hex SHA-256 over ``salt || canonical_json(details)`` (``keys_known`` as for :func:`canonical_json`)."""
    if len(salt) != SALT_SIZE:
        raise LedgerFormatError(f"a commitment salt is {SALT_SIZE} bytes, got {len(salt)}")
    return sha256(salt + canonical_json(details, keys_known=keys_known)).hexdigest()


def commit(details: Any) -> tuple[bytes, str]:
    """A new salt and the commitment of ``details`` under it."""
    salt = new_salt()
    return salt, commitment(salt, details)


def check_commitment(value: str, salt: bytes, details: Any) -> bool:
    """Whether ``value`` is the commitment of ``details`` under ``salt``."""
    return secrets.compare_digest(value, commitment(salt, details))


def new_salts(events: int = 1) -> bytes:
    """Fresh random bytes for ``events`` events: 64 each, the outer salt, then the inner salt (a seal draws
    them for a chunk of events at once and gives each its slice to :func:`commit_event`)."""
    return secrets.token_bytes(EVENT_SALT_SIZE * events)


def opening(salts: bytes, at: str, details: Any, *, keys_known: bool = False) -> dict[str, str]:
    """What a receipt reveals of an event: its exact time and the inner commitment."""
    if len(salts) != EVENT_SALT_SIZE:
        raise LedgerFormatError(f"commitment salts are {EVENT_SALT_SIZE} bytes, got {len(salts)}")
    return {"at": at, "inner": commitment(salts[SALT_SIZE:], details, keys_known=keys_known)}


def commit_event(at: str, details: Any, *, salts: bytes | None = None, keys_known: bool = False) -> tuple[bytes, str]:
    """The salts (new ones unless given: 64 bytes from :func:`new_salts`) and the two-layer commitment of an
    event at ``at`` with ``details`` (``keys_known`` as for :func:`canonical_json`)."""
    if salts is None:
        salts = new_salts()
    inner = opening(salts, at, details, keys_known=keys_known)  # literal keys, a string and a hex digest
    return salts, commitment(salts[:SALT_SIZE], inner, keys_known=True)


def check_opening(value: str, outer_salt: bytes, opened: Any) -> bool:
    """Whether ``opened`` (an opening) under ``outer_salt`` is the commitment ``value``."""
    return check_commitment(value, outer_salt, opened)

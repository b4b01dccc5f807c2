"""The tlog-witness ``add-checkpoint`` call (https://c2sp.org/tlog-witness), as bytes.

Request body::

    old <size>\\n
    <consistency proof hash, base64>\\n      (0 to 63 lines)
    \\n
    <signed checkpoint note>

A 200 answer is one or more signature lines (cosignatures); a 409 answer is
the witness's stored tree size and a newline, with the content type
``text/x.tlog.size``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from openledger.ledger.merkle import HASH_SIZE

ADD_CHECKPOINT = "add-checkpoint"
SIZE_CONTENT_TYPE = "text/x.tlog.size"
MAX_PROOF = 63
MAX_BODY = 1 << 20  # a request is a few hundred bytes; a megabyte allows many signatures
_DECIMAL = re.compile(rb"0|[1-9][0-9]{0,19}")


class BadRequest(ValueError):
    """The request body is not an ``add-checkpoint`` body (the witness answers 400)."""


@dataclass(frozen=True)
class AddCheckpoint:
    """A parsed ``add-checkpoint`` request."""

    old_size: int
    proof: tuple[bytes, ...]
    checkpoint: bytes  # the signed note, as sent


def encode_request(old_size: int, proof: list[bytes] | tuple[bytes, ...], signed_note: bytes) -> bytes:
    """The request body for ``add-checkpoint``."""
    if old_size < 0 or len(proof) > MAX_PROOF:
        raise ValueError(f"old size {old_size} with {len(proof)} proof hashes cannot be sent")
    lines = [f"old {old_size}\n".encode()]
    lines += [base64.b64encode(h) + b"\n" for h in proof]
    return b"".join(lines) + b"\n" + signed_note


def parse_request(body: bytes) -> AddCheckpoint:
    """Parse a request body strictly; :class:`BadRequest` says what is wrong."""
    if len(body) > MAX_BODY:
        raise BadRequest(f"the body is larger than {MAX_BODY} bytes")
    end = body.find(b"\n\n")
    if end < 0:
        raise BadRequest("no empty line after the old size and proof lines")
    head, note = body[: end + 1].split(b"\n")[:-1], body[end + 2 :]
    first = head[0]
    if not first.startswith(b"old ") or not _DECIMAL.fullmatch(first[4:]):
        raise BadRequest("the first line must be 'old <size>' (decimal, no leading zeros)")
    proof_lines = head[1:]
    if len(proof_lines) > MAX_PROOF:
        raise BadRequest(f"{len(proof_lines)} consistency proof lines, more than {MAX_PROOF}")
    proof = []
    for n, line in enumerate(proof_lines, start=2):
        try:
            value = base64.b64decode(line, validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest(f"line {n} is not a base64 hash") from None
        if len(value) != HASH_SIZE or base64.b64encode(value) != line:
            raise BadRequest(f"line {n} is not the base64 of a {HASH_SIZE}-byte hash")
        proof.append(value)
    if not note:
        raise BadRequest("no checkpoint after the empty line")
    return AddCheckpoint(int(first[4:]), tuple(proof), note)


def encode_size(size: int) -> bytes:
    """The body of a 409 answer."""
    return f"{size}\n".encode()


def parse_size(body: bytes) -> int:
    """The tree size of a 409 answer's body; ValueError if it is not ``<decimal>\\n``."""
    if not body.endswith(b"\n") or not _DECIMAL.fullmatch(body[:-1]):
        raise ValueError(f"not a tree size: {body[:40]!r}")
    return int(body[:-1])


def origin_hash(origin: str) -> str:
    """The lowercase hex SHA-256 of an origin: the path element of the monitoring API."""
    return hashlib.sha256(origin.encode("utf-8")).hexdigest()

"""C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature): Ed25519 ``cosignature/v1``.

A witness (a *cosigner*) states that, as of a time, the checkpoint is the
largest consistent tree it has seen for the log. The statement is one more
signature line of the checkpoint's signed note (see
:mod:`openledger.ledger.note`)::

    — <cosigner name> base64(key id || timestamp || Ed25519 signature)

* key id = the first 4 bytes of SHA-256(name || 0x0A || 0x04 || 32-byte public key)
  (signature type 0x04, "timestamped Ed25519 checkpoint cosignatures");
* timestamp = POSIX seconds, a big-endian uint64 (never zero, at most 2**63 - 1);
* the signed message is ``cosignature/v1\\n``, ``time <timestamp>\\n`` and then
  the whole note text of the checkpoint (extension lines included).

A cosigner key is written as a verifier key with type byte 0x04:
``<name>+<key id>+base64(0x04 || public key)``. Its private half is an
ordinary signed-note signer key (``PRIVATE+KEY+...``, type 0x01), as the Go
tools of transparency-dev keep witness keys; the same Ed25519 key then has a
different key id as a cosigner, so a cosignature can never pass for a plain
note signature, nor the reverse.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from openledger.ledger.errors import LedgerFormatError, VerificationError
from openledger.ledger.note import EM_DASH, Signature, Signer, _b64decode, key_id, parse_note, valid_name

ALG_COSIGNATURE_V1 = 0x04
HEADER = "cosignature/v1"
SIGNATURE_SIZE = 4 + 8 + 64  # key id, timestamp, Ed25519 signature
MAX_TIMESTAMP = 2**63 - 1


def message(text: str, timestamp: int) -> bytes:
    """The bytes a ``cosignature/v1`` signs: header, time line, the whole note text."""
    if not 0 < timestamp <= MAX_TIMESTAMP:
        raise LedgerFormatError(f"cosignature timestamp {timestamp} is not in 1..2**63-1")
    return f"{HEADER}\ntime {timestamp}\n{text}".encode()


@dataclass(frozen=True)
class CosignerKey:
    """The public key of a cosigner (a witness): name, key id (type 0x04) and Ed25519 key."""

    name: str
    key_id: int
    public_key: Ed25519PublicKey

    def raw(self) -> bytes:
        """The 32-byte Ed25519 public key."""
        return self.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)

    def encode(self) -> str:
        """The verifier key ``<name>+<key id>+base64(0x04 || key)``."""
        typed = bytes([ALG_COSIGNATURE_V1]) + self.raw()
        return f"{self.name}+{self.key_id:08x}+{base64.b64encode(typed).decode()}"

    def verify(self, text: str, cosignature: Cosignature) -> bool:
        """Whether ``cosignature`` is this key's cosignature of the note ``text``."""
        if (cosignature.name, cosignature.key_id) != (self.name, self.key_id):
            return False
        try:
            self.public_key.verify(cosignature.signature, message(text, cosignature.timestamp))
        except (InvalidSignature, LedgerFormatError):
            return False
        return True


def cosigner_key(name: str, raw_public_key: bytes) -> CosignerKey:
    """The cosigner key of ``name`` for a 32-byte Ed25519 public key."""
    if not valid_name(name):
        raise LedgerFormatError(f"invalid cosigner name {name!r}: it must be non-empty, without spaces or '+'")
    if len(raw_public_key) != 32:
        raise LedgerFormatError(f"an Ed25519 public key is 32 bytes, not {len(raw_public_key)}")
    typed = bytes([ALG_COSIGNATURE_V1]) + raw_public_key
    return CosignerKey(name, key_id(name, typed), Ed25519PublicKey.from_public_bytes(raw_public_key))


def parse_cosigner_key(text: str, path: str | os.PathLike[str] | None = None) -> CosignerKey:
    """Parse a cosigner verifier key ``<name>+<key id>+base64(0x04 || key)``; the key id must match."""

    def fail(why: str) -> LedgerFormatError:
        return LedgerFormatError(f"witness key {text.strip()[:60]!r}: {why}", path=path)

    fields = text.strip().split("+", 2)
    if len(fields) != 3:
        raise fail("expected <name>+<key id>+<base64 key>")
    name, hex_id, b64 = fields
    if not valid_name(name):
        raise fail("the key name is empty or has a space or '+'")
    if len(hex_id) != 8 or any(c not in "0123456789abcdef" for c in hex_id.lower()):
        raise fail("the key id is not 8 hex digits")
    try:
        typed = _b64decode(b64)
    except ValueError:
        raise fail("the key is not base64") from None
    if len(typed) != 33:
        raise fail(f"the key data is {len(typed)} bytes, expected 33")
    if typed[0] != ALG_COSIGNATURE_V1:
        raise fail(f"key type 0x{typed[0]:02x} is not a cosignature/v1 key (type 0x04)")
    key = cosigner_key(name, typed[1:])
    if key.key_id != int(hex_id, 16):
        raise fail("the key id does not match the key")
    return key


@dataclass(frozen=True)
class Cosigner:
    """A witness's private key, used to cosign checkpoints."""

    signer: Signer

    @property
    def key(self) -> CosignerKey:
        """The public cosigner key (what verifiers trust)."""
        raw = self.signer.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return cosigner_key(self.signer.name, raw)

    def cosign(self, text: str, timestamp: int) -> Cosignature:
        """The ``cosignature/v1`` of the checkpoint note ``text`` at ``timestamp``."""
        key = self.key
        return Cosignature(key.name, key.key_id, timestamp, self.signer.sign(message(text, timestamp)))


@dataclass(frozen=True)
class Cosignature:
    """One cosignature: the cosigner's name and key id, the timestamp and the Ed25519 signature."""

    name: str
    key_id: int
    timestamp: int
    signature: bytes

    def line(self) -> str:
        """The signature line ``— <name> <base64>`` with its newline."""
        blob = self.key_id.to_bytes(4, "big") + self.timestamp.to_bytes(8, "big") + self.signature
        return f"{EM_DASH} {self.name} {base64.b64encode(blob).decode()}\n"


def from_signature(sig: Signature) -> Cosignature:
    """Read a note signature as a cosignature; LedgerFormatError if it is not 72 bytes or its time is 0."""
    blob = sig.signature
    if len(blob) != SIGNATURE_SIZE - 4:
        raise LedgerFormatError(f"the signature by {sig.name} is not a cosignature/v1 "
                                f"({len(blob) + 4} bytes, expected {SIGNATURE_SIZE})")
    timestamp = int.from_bytes(blob[:8], "big")
    if not 0 < timestamp <= MAX_TIMESTAMP:
        raise LedgerFormatError(f"the cosignature by {sig.name} has timestamp {timestamp}, not in 1..2**63-1")
    return Cosignature(sig.name, sig.key_id, timestamp, blob[8:])


def parse_lines(data: bytes, path: str | os.PathLike[str] | None = None) -> list[Signature]:
    """The signature lines of a tlog-witness response body (one or more ``— name base64`` lines)."""
    _, sigs = parse_note(b"x\n\n" + data, path)
    return sigs


def add_lines(signed_note: bytes, lines: Iterable[str]) -> bytes:
    """The signed note with more signature lines appended (a line already there is not repeated)."""
    have = set(signed_note.decode("utf-8").split("\n"))
    extra = "".join(line for line in lines if line.rstrip("\n") not in have)
    return signed_note + extra.encode("utf-8")


@dataclass(frozen=True)
class Cosigned:
    """What a note's cosignatures say: each trusted key's verified cosignature (or none)."""

    text: str
    verified: tuple[tuple[CosignerKey, Cosignature], ...]
    missing: tuple[CosignerKey, ...]

    def cosigners(self) -> set[str]:
        """The cosigner keys (encoded) whose cosignature verified."""
        return {key.encode() for key, _ in self.verified}


def check_cosignatures(data: bytes, keys: Iterable[CosignerKey],
                       path: str | os.PathLike[str] | None = None) -> Cosigned:
    """Verify the cosignatures of a signed note by the trusted ``keys``.

    Lines by other keys (the log's own signature, unknown witnesses) are
    ignored, as signed-note says; a line whose name and key id are a trusted
    key's but whose signature (or format) is wrong raises
    :class:`VerificationError`: the note was altered or the witness misbehaved.
    """
    trusted = {(k.name, k.key_id): k for k in keys}
    text, sigs = parse_note(data, path)
    found: dict[tuple[str, int], Cosignature] = {}
    for sig in sigs:
        ident = (sig.name, sig.key_id)
        key = trusted.get(ident)
        if key is None or ident in found:
            continue
        try:
            cosig = from_signature(sig)
        except LedgerFormatError as exc:
            raise VerificationError(f"{exc.message}: the note was altered", path=path) from None
        if not key.verify(text, cosig):
            raise VerificationError(
                f"the cosignature by witness {key.name}+{key.key_id:08x} does not verify: the note was altered",
                path=path,
            )
        found[ident] = cosig
    verified = tuple((trusted[i], c) for i, c in found.items())
    missing = tuple(k for i, k in trusted.items() if i not in found)
    return Cosigned(text, verified, missing)

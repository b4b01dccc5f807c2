"""C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys.

Compatible with golang.org/x/mod/sumdb/note, the reference implementation:

* key id = the first 4 bytes (big-endian uint32) of
  SHA-256(name || 0x0A || 0x01 || 32-byte Ed25519 public key);
* verifier key: ``<name>+<key id, 8 hex digits>+<base64(0x01 || public key)>``;
* signer key: ``PRIVATE+KEY+<name>+<key id>+<base64(0x01 || 32-byte seed)>``;
* signed note: the text (ending in a newline), a blank line, then one line per
  signature: ``— <name> <base64(key id || Ed25519 signature of the text)>``.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from hashlib import sha256

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from openledger.files import create_private, read_private
from openledger.ledger.errors import LedgerFormatError, VerificationError

ALG_ED25519 = 1
EM_DASH = "\u2014"
MAX_SIGNATURES = 100


def _b64decode(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise ValueError("not standard base64") from None


def valid_name(name: str) -> bool:
    """A key name is non-empty and has no Unicode space and no ``+``."""
    return bool(name) and "+" not in name and not any(c.isspace() for c in name)


def key_id(name: str, typed_public_key: bytes) -> int:
    """SHA-256(name || 0x0A || type byte || public key), first 4 bytes as uint32."""
    digest = sha256(name.encode("utf-8") + b"\n" + typed_public_key).digest()
    return int.from_bytes(digest[:4], "big")


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class Verifier:
    """A public key that checks signatures of one named signer."""

    name: str
    key_id: int
    public_key: Ed25519PublicKey

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this key's Ed25519 signature of ``message``."""
        try:
            self.public_key.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def encode(self) -> str:
        """The verifier key string ``<name>+<keyid>+<base64>``."""
        typed = bytes([ALG_ED25519]) + _raw_public(self.public_key)
        return f"{self.name}+{self.key_id:08x}+{base64.b64encode(typed).decode()}"


@dataclass(frozen=True)
class Signer:
    """A private key that signs notes under a name. Keep its encoding secret."""

    name: str
    key_id: int
    private_key: Ed25519PrivateKey

    def sign(self, message: bytes) -> bytes:
        """The Ed25519 signature of ``message``."""
        return self.private_key.sign(message)

    def verifier(self) -> Verifier:
        """The matching public :class:`Verifier`."""
        return Verifier(self.name, self.key_id, self.private_key.public_key())

    def encode(self) -> str:
        """The signer key string ``PRIVATE+KEY+<name>+<keyid>+<base64>``."""
        seed = self.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        typed = bytes([ALG_ED25519]) + seed
        return f"PRIVATE+KEY+{self.name}+{self.key_id:08x}+{base64.b64encode(typed).decode()}"


def _signer_from_seed(name: str, seed: bytes) -> Signer:
    private = Ed25519PrivateKey.from_private_bytes(seed)
    typed = bytes([ALG_ED25519]) + _raw_public(private.public_key())
    return Signer(name, key_id(name, typed), private)


def generate_key(name: str) -> Signer:
    """A new random Ed25519 signer for ``name`` (e.g. the log origin ``example.com/ledger``)."""
    if not valid_name(name):
        raise LedgerFormatError(f"invalid key name {name!r}: it must be non-empty, without spaces or '+'")
    return _signer_from_seed(name, os.urandom(32))


def _split_key(text: str, parts: int, what: str) -> list[str]:
    fields = text.strip().split("+", parts - 1)
    if len(fields) != parts:
        raise LedgerFormatError(f"malformed {what}: expected {parts} fields separated by '+'")
    return fields


def _parse_id_and_key(name: str, hex_id: str, b64: str, what: str) -> tuple[int, bytes]:
    if not valid_name(name):
        raise LedgerFormatError(f"malformed {what}: invalid key name {name!r}")
    if len(hex_id) != 8 or any(c not in "0123456789abcdefABCDEF" for c in hex_id):
        raise LedgerFormatError(f"malformed {what}: key id {hex_id!r} is not 8 hex digits")
    try:
        typed = _b64decode(b64)
    except ValueError:
        raise LedgerFormatError(f"malformed {what}: key data is not base64") from None
    if len(typed) != 33:
        raise LedgerFormatError(f"malformed {what}: key data is {len(typed)} bytes, expected 33")
    if typed[0] != ALG_ED25519:
        raise LedgerFormatError(f"unsupported {what}: algorithm {typed[0]} (only 1, Ed25519, is supported)")
    return int(hex_id, 16), typed


def parse_verifier_key(text: str) -> Verifier:
    """Parse ``<name>+<keyid>+<base64>``; the key id must match the key."""
    name, hex_id, b64 = _split_key(text, 3, "verifier key")
    kid, typed = _parse_id_and_key(name, hex_id, b64, "verifier key")
    if kid != key_id(name, typed):
        raise LedgerFormatError(f"verifier key for {name}: key id {hex_id} does not match the key")
    return Verifier(name, kid, Ed25519PublicKey.from_public_bytes(typed[1:]))


def parse_signer_key(text: str) -> Signer:
    """Parse ``PRIVATE+KEY+<name>+<keyid>+<base64>``; the key id must match the key."""
    p1, p2, name, hex_id, b64 = _split_key(text, 5, "signer key")
    if (p1, p2) != ("PRIVATE", "KEY"):
        raise LedgerFormatError("malformed signer key: it must start with PRIVATE+KEY+")
    kid, typed = _parse_id_and_key(name, hex_id, b64, "signer key")
    signer = _signer_from_seed(name, typed[1:])
    if signer.key_id != kid:
        raise LedgerFormatError(f"signer key for {name}: key id {hex_id} does not match the key")
    return signer


def write_signer_key(path: str | os.PathLike[str], signer: Signer) -> None:
    """Create ``path`` with mode 0600 holding the signer key; never overwrite."""
    create_private(path, signer.encode() + "\n", "the key file")


def read_signer_key(path: str | os.PathLike[str]) -> Signer:
    """Read a signer key file; refuse one that group or others can read."""
    text = read_private(path, "the key file")
    try:
        return parse_signer_key(text)
    except LedgerFormatError as exc:
        raise LedgerFormatError(exc.message, path=path) from None


@dataclass(frozen=True)
class Signature:
    """One signature line: key name, key id and the signature bytes."""

    name: str
    key_id: int
    signature: bytes

    def line(self) -> str:
        """The signature line ``— <name> <base64(key id || signature)>`` with its newline."""
        blob = self.key_id.to_bytes(4, "big") + self.signature
        return f"{EM_DASH} {self.name} {base64.b64encode(blob).decode()}\n"


@dataclass(frozen=True)
class Note:
    """An opened note: its text and which signatures were verified."""

    text: str
    verified: tuple[Signature, ...]
    unverified: tuple[Signature, ...]


def _check_text(text: str, what: str, path: str | os.PathLike[str] | None) -> None:
    if not text.endswith("\n"):
        raise LedgerFormatError(f"{what} does not end with a newline", path=path)
    for i, c in enumerate(text):
        if c < " " and c != "\n":
            line = text.count("\n", 0, i) + 1
            raise LedgerFormatError(f"{what} has control character {c!r} on line {line}", path=path)


def sign_note(text: str, signers: Sequence[Signer]) -> bytes:
    """The signed note: ``text``, a blank line, one signature line per signer."""
    _check_text(text, "note text", None)
    if not signers:
        raise LedgerFormatError("a note needs at least one signer")
    message = text.encode("utf-8")
    lines = []
    for signer in signers:
        blob = signer.key_id.to_bytes(4, "big") + signer.sign(message)
        lines.append(f"{EM_DASH} {signer.name} {base64.b64encode(blob).decode()}\n")
    return message + b"\n" + "".join(lines).encode("utf-8")


def parse_note(data: bytes, path: str | os.PathLike[str] | None = None) -> tuple[str, list[Signature]]:
    """Split a signed note into its text and signature lines (nothing verified)."""
    try:
        whole = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LedgerFormatError(f"note is not valid UTF-8 (byte {exc.start})", path=path) from None
    _check_text(whole, "note", path)
    split = whole.rfind("\n\n")
    if split < 0:
        raise LedgerFormatError("note has no blank line before its signatures", path=path)
    text, block = whole[: split + 1], whole[split + 2 :]
    lines = block.split("\n")[:-1]
    if not lines:
        raise LedgerFormatError("note has no signature lines", path=path)
    if len(lines) > MAX_SIGNATURES:
        raise LedgerFormatError(f"note has more than {MAX_SIGNATURES} signatures", path=path)
    base = text.count("\n") + 1
    sigs = []
    for n, line in enumerate(lines, start=base + 1):
        fields = line.split(" ")
        if len(fields) != 3 or fields[0] != EM_DASH or not valid_name(fields[1]):
            raise LedgerFormatError(f"line {n} is not a signature line '— <name> <base64>'", path=path)
        try:
            blob = _b64decode(fields[2])
        except ValueError:
            raise LedgerFormatError(f"line {n}: signature is not base64", path=path) from None
        if len(blob) < 5:
            raise LedgerFormatError(f"line {n}: signature is too short", path=path)
        sigs.append(Signature(fields[1], int.from_bytes(blob[:4], "big"), blob[4:]))
    return text, sigs


def open_note(data: bytes, verifiers: Iterable[Verifier], path: str | os.PathLike[str] | None = None) -> Note:
    """Parse and verify a signed note against known keys.

    Signatures by unknown keys (name and key id not both known) are ignored.
    A signature by a known key that does not verify, or no signature by a
    known key at all, raises :class:`VerificationError`.
    """
    known = {(v.name, v.key_id): v for v in verifiers}
    text, sigs = parse_note(data, path)
    message = text.encode("utf-8")
    verified, unverified, seen = [], [], set()
    for sig in sigs:
        ident = (sig.name, sig.key_id)
        if ident in seen:
            continue
        seen.add(ident)
        verifier = known.get(ident)
        if verifier is None:
            unverified.append(sig)
        elif verifier.verify(message, sig.signature):
            verified.append(sig)
        else:
            raise VerificationError(
                f"the signature by {sig.name}+{sig.key_id:08x} does not verify: the note was altered", path=path
            )
    if not verified:
        keys = ", ".join(f"{n}+{k:08x}" for n, k in known) or "none"
        found = ", ".join(f"{s.name}+{s.key_id:08x}" for s in sigs)
        raise VerificationError(f"not signed by a trusted key (trusted: {keys}; signed by: {found})", path=path)
    return Note(text, tuple(verified), tuple(unverified))

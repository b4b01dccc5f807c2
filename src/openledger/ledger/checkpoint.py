"""C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): a log's signed tree head.

The note text is::

    <origin>
    <tree size, ASCII decimal, no leading zeros>
    <root hash, standard base64 of 32 bytes>
    [extension lines, each non-empty]

and it is signed as a C2SP signed note (see :mod:`openledger.ledger.note`).
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from openledger.ledger.errors import LedgerFormatError, VerificationError
from openledger.ledger.merkle import HASH_SIZE
from openledger.ledger.note import Note, Signer, Verifier, open_note, sign_note

_SIZE = re.compile(r"0|[1-9][0-9]{0,18}", re.ASCII)
MAX_SIZE = 2**63 - 1
"""The largest tree size a checkpoint may claim (tlog-checkpoint sizes are uint64; like Go's
``strconv.ParseInt(..., 10, 64)`` readers we stop at 2**63 - 1)."""


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: origin, size and root hash, plus optional extension lines."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def to_text(self) -> str:
        """The checkpoint note text (ends with a newline)."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode(), *self.extensions]
        return "\n".join(lines) + "\n"

    @classmethod
    def parse(cls, text: str, path: str | os.PathLike[str] | None = None) -> Checkpoint:
        """Parse a checkpoint note text strictly; errors name the line."""

        def fail(message: str) -> LedgerFormatError:
            return LedgerFormatError(f"checkpoint {message}", path=path)

        if not text.endswith("\n"):
            raise fail("text does not end with a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise fail(f"has {len(lines)} lines; it needs origin, tree size and root hash")
        origin, size, root, *extensions = lines
        if not origin:
            raise fail("line 1: the origin is empty")
        if not _SIZE.fullmatch(size) or int(size) > MAX_SIZE:
            shown = size if len(size) <= 40 else size[:40] + "..."
            raise fail(f"line 2: tree size {shown!r} is not a decimal number without leading zeros "
                       f"from 0 to 2**63-1")
        try:
            raw = base64.b64decode(root.encode("ascii"), validate=True)
        except (ValueError, UnicodeEncodeError):
            raise fail(f"line 3: root hash {root!r} is not standard base64") from None
        if len(raw) != HASH_SIZE or base64.b64encode(raw).decode() != root:
            raise fail(f"line 3: root hash is not the base64 of {HASH_SIZE} bytes")
        for n, line in enumerate(extensions, start=4):
            if not line:
                raise fail(f"line {n}: extension lines must not be empty")
        return cls(origin, int(size), raw, tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signers: Signer | Iterable[Signer]) -> bytes:
    """The signed note of ``checkpoint``."""
    if isinstance(signers, Signer):
        signers = [signers]
    return sign_note(checkpoint.to_text(), list(signers))


def open_checkpoint(
    data: bytes,
    verifiers: Iterable[Verifier],
    path: str | os.PathLike[str] | None = None,
    *,
    origin: str | None = None,
) -> tuple[Checkpoint, Note]:
    """Verify a signed checkpoint and parse it; optionally require its origin."""
    note = open_note(data, verifiers, path=path)
    checkpoint = Checkpoint.parse(note.text, path=path)
    if origin is not None and checkpoint.origin != origin:
        raise VerificationError(f"checkpoint origin {checkpoint.origin!r} is not the expected {origin!r}", path=path)
    return checkpoint, note

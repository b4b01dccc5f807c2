"""Errors raised by the ledger library.

Both are :class:`openledger.errors.OpenLedgerError`, so the CLI prints them as
one line and exits 1. ``LedgerFormatError`` means a file or string is not in
the documented format; ``VerificationError`` means it is well formed but a
cryptographic check failed (a hash, a proof or a signature).
"""

from __future__ import annotations

from openledger.errors import OpenLedgerError


class LedgerFormatError(OpenLedgerError):
    """A key, note, checkpoint, tile, bundle or receipt is malformed."""


class VerificationError(OpenLedgerError):
    """A signature, proof, tile or root hash does not match."""

"""Customer receipts: a case's entries with inclusion proofs and a signed checkpoint.

Receipt JSON (version 1; see docs/ledger-format.md)::

    {
      "v": 1,
      "case": "<public case id>",
      "checkpoint": "<signed checkpoint note, as text>",
      "entries": [
        {"index": <leaf index>, "entry": "<base64 entry bytes>",
         "proof": ["<base64 32-byte hash>", ...]}
      ]
    }

A receipt is valid against a published log when the checkpoint is signed by
the log's key, every entry belongs to the case and is proven included in the
checkpoint's tree, and the log's current checkpoint is a consistent extension
of the receipt's checkpoint.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openledger.ledger.checkpoint import Checkpoint
from openledger.ledger.errors import LedgerFormatError, VerificationError
from openledger.ledger.merkle import (
    HASH_SIZE,
    HashReader,
    inclusion_proof,
    leaf_hash,
    verify_inclusion,
)
from openledger.ledger.note import parse_note
from openledger.ledger.published import PublishedFiles, as_published
from openledger.ledger.verify import check_extension, load_verifier, read_checkpoint

RECEIPT_VERSION = 1


def make_receipt(
    case: str, entries: Sequence[tuple[int, bytes]], signed_checkpoint: bytes, reader: HashReader
) -> dict[str, Any]:
    """A receipt for ``case``: its ``(index, entry bytes)`` proven against the checkpoint.

    Every index must be below the checkpoint's tree size; each proof costs
    O(log n) hash reads from ``reader``.
    """
    text, _ = parse_note(signed_checkpoint)
    checkpoint = Checkpoint.parse(text)
    items = []
    for index, entry in entries:
        if not 0 <= index < checkpoint.size:
            raise LedgerFormatError(f"entry {index} of case {case} is not in the checkpoint of size {checkpoint.size}")
        proof = inclusion_proof(index, checkpoint.size, reader)
        items.append(
            {
                "index": index,
                "entry": base64.b64encode(entry).decode(),
                "proof": [base64.b64encode(h).decode() for h in proof],
            }
        )
    return {"v": RECEIPT_VERSION, "case": case, "checkpoint": signed_checkpoint.decode("utf-8"), "entries": items}


def receipt_json(receipt: dict[str, Any]) -> str:
    """The receipt as indented JSON text (what ``openledger receipt --json`` prints)."""
    return json.dumps(receipt, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class ReceiptSummary:
    """The result of a successful receipt verification."""

    case: str
    entries: tuple[int, ...]
    receipt_size: int
    log_size: int

    def line(self) -> str:
        """One line for the user."""
        return (
            f"ok: case {self.case}: {len(self.entries)} entries (indexes {', '.join(map(str, self.entries))}) "
            f"included in the tree of size {self.receipt_size}, "
            f"consistent with the published log of size {self.log_size}"
        )


def _b64(value: Any, where: str, length: int | None = None) -> bytes:
    if not isinstance(value, str):
        raise LedgerFormatError(f"{where} is not a base64 string")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise LedgerFormatError(f"{where} is not standard base64") from None
    if length is not None and len(raw) != length:
        raise LedgerFormatError(f"{where} is {len(raw)} bytes, expected {length}")
    return raw


def parse_receipt(data: str | bytes | dict[str, Any], name: str = "receipt") -> dict[str, Any]:
    """Check the receipt's JSON shape; errors name the field."""
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise LedgerFormatError(f"not JSON: {exc}", path=name) from None
    if not isinstance(data, dict):
        raise LedgerFormatError("a receipt is a JSON object", path=name)
    missing = {"v", "case", "checkpoint", "entries"} - set(data)
    if missing:
        raise LedgerFormatError(f"missing field(s): {', '.join(sorted(missing))}", path=name)
    if data["v"] != RECEIPT_VERSION:
        raise LedgerFormatError(f"unsupported receipt version {data['v']!r}", path=name)
    if not isinstance(data["case"], str) or not data["case"]:
        raise LedgerFormatError("case is not a non-empty string", path=name)
    if not isinstance(data["checkpoint"], str):
        raise LedgerFormatError("checkpoint is not a string", path=name)
    if not isinstance(data["entries"], list) or not data["entries"]:
        raise LedgerFormatError("entries is not a non-empty list", path=name)
    for k, item in enumerate(data["entries"]):
        where = f"entries[{k}]"
        if not isinstance(item, dict) or set(item) != {"index", "entry", "proof"}:
            raise LedgerFormatError(f"{where} must have exactly index, entry and proof", path=name)
        if not isinstance(item["index"], int) or isinstance(item["index"], bool) or item["index"] < 0:
            raise LedgerFormatError(f"{where}.index is not a non-negative integer", path=name)
        if not isinstance(item["proof"], list):
            raise LedgerFormatError(f"{where}.proof is not a list", path=name)
        try:
            _b64(item["entry"], f"{where}.entry")
            for j, h in enumerate(item["proof"]):
                _b64(h, f"{where}.proof[{j}]", HASH_SIZE)
        except LedgerFormatError as exc:
            raise LedgerFormatError(exc.message, path=name) from None
    return data


AHEAD = ("the receipt is proven in a log of {old} entries but the published log has {current}: "
         "the site was not published since the receipt was made (publish the site again), "
         "or the log was truncated or rolled back")


def verify_receipt(
    receipt: str | bytes | dict[str, Any],
    location: str | Path | PublishedFiles,
    *,
    key: str | Path | None = None,
    name: str = "receipt",
) -> ReceiptSummary:
    """Verify a receipt against the log published at ``location``.

    Uses the given verifier key, or else the site's ``verifier.key``. Reads
    only the site's checkpoint and the O(log n) tiles of one consistency proof.
    """
    data = parse_receipt(receipt, name)
    files = as_published(location)
    verifier = load_verifier(files, key)
    current = read_checkpoint(files, verifier)
    signed = data["checkpoint"].encode("utf-8")
    old = check_extension(files, verifier, current, signed, f"{name}: checkpoint", ahead=AHEAD)
    case = data["case"]
    indexes = []
    for k, item in enumerate(data["entries"]):
        where = f"entries[{k}] (log index {item['index']})"
        entry = _b64(item["entry"], where)
        try:
            parsed = json.loads(entry.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise VerificationError(f"{where}: the entry is not UTF-8 JSON", path=name) from None
        if not isinstance(parsed, dict) or parsed.get("case") != case:
            raise VerificationError(f"{where}: the entry is not about case {case}", path=name)
        proof = [_b64(h, where, HASH_SIZE) for h in item["proof"]]
        try:
            verify_inclusion(item["index"], old.size, leaf_hash(entry), proof, old.root)
        except VerificationError as exc:
            raise VerificationError(f"{where}: {exc.message}", path=name) from None
        indexes.append(item["index"])
    return ReceiptSummary(case, tuple(indexes), old.size, current.size)


def read_receipt_file(path: str | Path) -> bytes:
    """The bytes of a receipt file (helper for the CLI)."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise LedgerFormatError(f"cannot read the receipt: {exc.strerror}", path=path) from None

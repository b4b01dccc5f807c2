"""Customer receipts: a case's entries with inclusion proofs and a signed checkpoint.

Receipt JSON (version 2; see docs/ledger-format.md)::

    {
      "v": 2,
      "case": "<public case id>",
      "checkpoint": "<signed checkpoint note, as text>",
      "entries": [
        {"index": <leaf index>, "entry": "<base64 entry bytes>",
         "proof": ["<base64 32-byte hash>", ...],
         "opening": {"salt": "<base64 32-byte outer salt>", "at": "<exact time>", "inner": "<hex>"}}
      ],
      "pending": [{"type": "<event type>", "at": "<exact time>"}]
    }

``opening`` (absent once the case is erased) opens the entry's commitment for
the receipt's holder: ``SHA-256(salt || canonical_json({"at", "inner"}))`` is
the entry's ``commitment``, so the exact time is proven without being public.
``pending`` lists the case's events that are recorded but not yet in the log
(they are sealed with their period).

:func:`judge_receipt` holds the rules, the same as the Check-your-case page's
script: the checkpoint is signed by the site's key and of the site's log;
every entry belongs to the case and is proven in the receipt's checkpoint;
every opening matches its commitment; then either the published log extends
the receipt's (``verified``), or the receipt is newer than the site
(``newer``: its entries beyond the published log are not published yet, the
others are proven in the published log). Anything else is refused.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openledger.ledger.canonical import SALT_SIZE, check_opening
from openledger.ledger.checkpoint import Checkpoint, open_checkpoint
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
from openledger.ledger.tiles import TileHashReader
from openledger.ledger.verify import check_extension, load_verifier, read_checkpoint

RECEIPT_VERSION = 2


def make_receipt(
    case: str, entries: Sequence[tuple[int, bytes]], signed_checkpoint: bytes, reader: HashReader,
    openings: Mapping[int, Mapping[str, str]] | None = None, pending: Sequence[Mapping[str, str]] = (),
) -> dict[str, Any]:
    """A receipt for ``case``: its ``(index, entry bytes)`` proven against the checkpoint.

    Every index must be below the checkpoint's tree size; each proof costs
    O(log n) hash reads from ``reader``. ``openings`` (log index -> salt, at,
    inner) and ``pending`` (type, at) are the holder's private part.
    """
    text, _ = parse_note(signed_checkpoint)
    checkpoint = Checkpoint.parse(text)
    items = []
    for index, entry in entries:
        if not 0 <= index < checkpoint.size:
            raise LedgerFormatError(f"entry {index} of case {case} is not in the checkpoint of size {checkpoint.size}")
        proof = inclusion_proof(index, checkpoint.size, reader)
        item: dict[str, Any] = {
            "index": index,
            "entry": base64.b64encode(entry).decode(),
            "proof": [base64.b64encode(h).decode() for h in proof],
        }
        if openings and index in openings:
            item["opening"] = dict(openings[index])
        items.append(item)
    return {"v": RECEIPT_VERSION, "case": case, "checkpoint": signed_checkpoint.decode("utf-8"), "entries": items,
            "pending": [dict(p) for p in pending]}


def receipt_json(receipt: dict[str, Any]) -> str:
    """The receipt as indented JSON text (what ``openledger receipt --json`` prints)."""
    return json.dumps(receipt, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Verdict:
    """What a receipt proves against a published log (see :func:`judge_receipt`)."""

    status: str  # "verified" or "newer"
    case: str
    entries: tuple[int, ...]
    receipt_size: int
    log_size: int
    unpublished: tuple[int, ...] = ()
    exact: Mapping[int, str] = field(default_factory=dict)  # log index -> exact time, from the openings
    pending: tuple[str, ...] = ()

    def line(self) -> str:
        """One line for the user."""
        waiting = f"; {len(self.pending)} more event(s) recorded, not yet in the log" if self.pending else ""
        if self.status == "newer":
            return (f"the receipt is newer than this site: made from a log of {self.receipt_size} entries, the site "
                    f"publishes {self.log_size}; not published yet: {', '.join(f'#{i}' for i in self.unpublished)}; "
                    "publish the site again" + waiting)
        return (
            f"ok: case {self.case}: {len(self.entries)} entries (indexes {', '.join(map(str, self.entries))}) "
            f"included in the tree of size {self.receipt_size}, "
            f"consistent with the published log of size {self.log_size}" + waiting
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
        except RecursionError:  # "[[[[…": deeper than the parser goes
            raise LedgerFormatError("not JSON: nested too deeply", path=name) from None
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
        if not isinstance(item, dict) or not {"index", "entry", "proof"} <= set(item) <= {
                "index", "entry", "proof", "opening"}:
            raise LedgerFormatError(f"{where} must have index, entry, proof and optionally opening", path=name)
        opened = item.get("opening")
        if opened is not None and (not isinstance(opened, dict) or set(opened) != {"salt", "at", "inner"}
                                   or not all(isinstance(v, str) for v in opened.values())):
            raise LedgerFormatError(f"{where}.opening must have salt, at and inner (strings)", path=name)
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
    pending = data.get("pending", [])
    if not isinstance(pending, list) or not all(isinstance(p, dict) and isinstance(p.get("type"), str)
                                                for p in pending):
        raise LedgerFormatError("pending is not a list of events", path=name)
    return data


def judge_receipt(
    receipt: str | bytes | dict[str, Any],
    location: str | Path | PublishedFiles,
    *,
    key: str | Path | None = None,
    name: str = "receipt",
) -> Verdict:
    """Judge a receipt against the log published at ``location``; refuse it with VerificationError.

    Uses the given verifier key, or else the site's ``verifier.key``. Reads
    the site's checkpoint and O(log n) tiles per proof. The rules are in the
    module docstring; the Check-your-case page's script applies the same.
    """
    data = parse_receipt(receipt, name)
    files = as_published(location)
    verifier = load_verifier(files, key)
    current = read_checkpoint(files, verifier)
    try:
        mine, _ = open_checkpoint(data["checkpoint"].encode("utf-8"), [verifier], path=f"{name}: checkpoint")
    except VerificationError:
        raise VerificationError("the receipt's checkpoint is not signed by this site's key: a receipt of another "
                                "log, or altered", path=name) from None
    if mine.origin != current.origin:
        raise VerificationError(f"the receipt is of another log ({mine.origin}), not of this site's "
                                f"({current.origin})", path=name)
    case = data["case"]
    proven: list[tuple[int, bytes]] = []
    exact: dict[int, str] = {}
    for k, item in enumerate(data["entries"]):
        where = f"entries[{k}] (log index {item['index']})"
        entry = _b64(item["entry"], where)
        try:
            parsed = json.loads(entry.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise VerificationError(f"{where}: the entry is not UTF-8 JSON", path=name) from None
        if not isinstance(parsed, dict) or parsed.get("case") != case:
            raise VerificationError(f"{where}: the entry is not about case {case}", path=name)
        proof = [_b64(h, where, HASH_SIZE) for h in item["proof"]]
        try:
            verify_inclusion(item["index"], mine.size, leaf_hash(entry), proof, mine.root)
        except VerificationError as exc:
            raise VerificationError(f"{where}: {exc.message}", path=name) from None
        if "opening" in item:
            o = item["opening"]
            salt = _b64(o["salt"], f"{where}.opening.salt", SALT_SIZE)
            if not check_opening(str(parsed.get("commitment")), salt, {"at": o["at"], "inner": o["inner"]}):
                raise VerificationError(f"{where}: the opening does not match the entry's commitment", path=name)
            exact[item["index"]] = o["at"]
        proven.append((item["index"], entry))
    proven.sort()
    indexes = tuple(i for i, _ in proven)
    pending = tuple(p["type"] for p in data.get("pending", []))
    if mine.size <= current.size:
        check_extension(files, verifier, current, data["checkpoint"].encode("utf-8"), f"{name}: checkpoint")
        return Verdict("verified", case, indexes, mine.size, current.size, (), exact, pending)
    reader = TileHashReader(files, current.size)
    for index, entry in proven:
        if index < current.size:
            try:
                verify_inclusion(index, current.size, leaf_hash(entry), inclusion_proof(index, current.size, reader),
                                 current.root)
            except VerificationError:
                raise VerificationError(f"log index {index}: not the entry this site publishes there: a fork",
                                        path=name) from None
    unpublished = tuple(i for i in indexes if i >= current.size)
    return Verdict("newer", case, indexes, mine.size, current.size, unpublished, exact, pending)


def read_receipt_file(path: str | Path) -> bytes:
    """The bytes of a receipt file (helper for the CLI)."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise LedgerFormatError(f"cannot read the receipt: {exc.strerror}", path=path) from None

"""Write a whole log as C2SP tlog-tiles static files.

Layout written into the target directory::

    checkpoint              the signed checkpoint (C2SP signed note)
    verifier.key            one line: the verifier key <name>+<keyid>+<base64>
    tile/<L>/<N>[.p/<W>]    hash tiles read from the store
    tile/entries/<N>[.p/<W>] entry bundles

Each entry is checked against the stored leaf hash before it is published, so
a store whose entries and hashes disagree is caught here, not by auditors.
Files are written to a temporary name and renamed; ``checkpoint`` is written
last, so a reader never sees a checkpoint whose tiles are not there yet.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from openledger.errors import StoreError
from openledger.ledger.checkpoint import Checkpoint, sign_checkpoint
from openledger.ledger.merkle import RangeReader, leaf_hash, root_from_store
from openledger.ledger.note import Signer
from openledger.ledger.tiles import (
    TILE_HEIGHT,
    bundle_path,
    encode_bundle,
    level_tiles,
    tile_levels,
    tile_path,
)
from openledger.progress import Staged


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_log` wrote."""

    checkpoint: Checkpoint
    signed: bytes
    files: int


def _write(root: Path, rel: str, data: bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def export_log(
    directory: str | os.PathLike[str],
    entries: Iterable[bytes],
    size: int,
    reader: RangeReader,
    signer: Signer,
    *,
    origin: str | None = None,
    extensions: Sequence[str] = (),
    cosign: Callable[[Checkpoint, bytes], bytes] | None = None,
    progress: Staged | None = None,
) -> ExportResult:
    """Write the tree of the first ``size`` entries as tlog-tiles under ``directory``.

    ``entries`` yields the entry bytes in log order (at least ``size`` of them;
    a database cursor is fine). ``reader`` gives the stored hashes. The
    checkpoint's origin defaults to the signer's key name. ``cosign``, if
    given, takes the checkpoint and its signed note and returns the note to
    publish (with witnesses' cosignature lines), or raises to publish none.
    ``progress`` is told of the tiles written (stage "tiles written": each
    entry bundle and hash tile).
    """
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    files = 0
    levels = [level_tiles(size, level) for level in range(tile_levels(size))]
    total = sum(len(tiles) for tiles in levels) + (len(levels[0]) if levels else 0)  # + the entry bundles
    stream = iter(entries)
    for index, width in levels[0] if levels else ():
        batch = list(islice(stream, width))
        first = index << TILE_HEIGHT
        if len(batch) < width:
            raise StoreError(f"the store gave {first + len(batch)} entries for a log of size {size}")
        stored = reader.read_range(0, first, first + width)
        for offset, entry in enumerate(batch):
            if leaf_hash(entry) != stored[offset]:
                raise StoreError(f"entry {first + offset} does not match its stored leaf hash")
        _write(root, bundle_path(index, width), encode_bundle(batch))
        _write(root, tile_path(0, index, width), b"".join(stored))
        files += 2
        if progress is not None:
            progress("tiles written", 2, total)
    for level in range(1, len(levels)):
        for index, width in levels[level]:
            first = index << TILE_HEIGHT
            hashes = reader.read_range(TILE_HEIGHT * level, first, first + width)
            _write(root, tile_path(level, index, width), b"".join(hashes))
            files += 1
            if progress is not None:
                progress("tiles written", 1, total)
    checkpoint = Checkpoint(origin or signer.name, size, root_from_store(size, reader), tuple(extensions))
    signed = sign_checkpoint(checkpoint, signer)
    if cosign is not None:
        signed = cosign(checkpoint, signed)
    _write(root, "verifier.key", (signer.verifier().encode() + "\n").encode("utf-8"))
    _write(root, "checkpoint", signed)
    return ExportResult(checkpoint, signed, files + 2)

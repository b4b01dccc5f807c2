"""C2SP tlog-tiles (https://c2sp.org/tlog-tiles): paths, bundles and tile reading.

* ``tile/<L>/<N>[.p/<W>]``: the hashes of tree level ``8 * L``, 256 per full
  tile (8,192 bytes); ``<N>`` is written as 3-digit path elements, all but
  the last prefixed with ``x`` (1234067 -> ``x001/x234/067``); a partial tile
  of ``W`` (1..255) hashes has the suffix ``.p/<W>``.
* ``tile/entries/<N>[.p/<W>]``: entry bundles, the entries of level-0 tile
  ``N``, each as a big-endian uint16 length followed by the entry bytes.
* For a tree of ``size`` leaves, level ``L`` has ``size >> (8 * L)`` hashes:
  that many // 256 full tiles and, if the remainder is not 0, one partial tile.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from openledger.errors import StoreError
from openledger.ledger.errors import LedgerFormatError, VerificationError
from openledger.ledger.merkle import HASH_SIZE, Node, reduce_level
from openledger.ledger.published import PublishedFiles

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
MAX_ENTRY = 0xFFFF


def encode_index(n: int) -> str:
    """``n`` as tlog-tiles path elements: 1234067 -> ``x001/x234/067``."""
    if n < 0:
        raise ValueError(f"negative tile index {n}")
    parts = [f"{n % 1000:03d}"]
    n //= 1000
    while n:
        parts.append(f"x{n % 1000:03d}")
        n //= 1000
    return "/".join(reversed(parts))


def _suffix(width: int) -> str:
    if not 1 <= width <= TILE_WIDTH:
        raise ValueError(f"tile width {width} is not in 1..{TILE_WIDTH}")
    return "" if width == TILE_WIDTH else f".p/{width}"


def tile_path(level: int, index: int, width: int = TILE_WIDTH) -> str:
    """The path of hash tile ``index`` at tile level ``level``."""
    return f"tile/{level}/{encode_index(index)}{_suffix(width)}"


def bundle_path(index: int, width: int = TILE_WIDTH) -> str:
    """The path of entry bundle ``index``."""
    return f"tile/entries/{encode_index(index)}{_suffix(width)}"


def iter_level_tiles(size: int, level: int) -> Iterator[tuple[int, int]]:
    """``(index, width)`` of every tile at tile level ``level`` for a tree of ``size``, lazily.

    Readers of published files use this, never a list: a checkpoint may claim
    2**63 - 1 entries, and the work must stay bounded by the files present.
    """
    count = size >> (TILE_HEIGHT * level)
    for n in range(count >> TILE_HEIGHT):
        yield n, TILE_WIDTH
    if count & (TILE_WIDTH - 1):
        yield count >> TILE_HEIGHT, count & (TILE_WIDTH - 1)


def level_tiles(size: int, level: int) -> list[tuple[int, int]]:
    """``(index, width)`` of every tile at tile level ``level`` for a tree of ``size`` (a list:
    for a tree this instance holds; see :func:`iter_level_tiles`)."""
    return list(iter_level_tiles(size, level))


def last_tile(size: int, level: int) -> tuple[int, int]:
    """``(index, width)`` of the last tile at tile level ``level`` (``size`` must reach that level)."""
    count = size >> (TILE_HEIGHT * level)
    if not count:
        raise ValueError(f"a tree of size {size} has no tile level {level}")
    if count & (TILE_WIDTH - 1):
        return count >> TILE_HEIGHT, count & (TILE_WIDTH - 1)
    return (count >> TILE_HEIGHT) - 1, TILE_WIDTH


def tile_levels(size: int) -> int:
    """How many tile levels a tree of ``size`` has (0 for the empty tree)."""
    levels = 0
    while size >> (TILE_HEIGHT * levels):
        levels += 1
    return levels


def tile_width(size: int, level: int, index: int) -> int:
    """The width of tile ``(level, index)`` in a tree of ``size`` (0 if it does not exist)."""
    count = size >> (TILE_HEIGHT * level)
    full = count >> TILE_HEIGHT
    if index < full:
        return TILE_WIDTH
    return count & (TILE_WIDTH - 1) if index == full else 0


def encode_bundle(entries: Iterable[bytes]) -> bytes:
    """An entry bundle: each entry prefixed by its big-endian uint16 length."""
    parts = []
    for i, entry in enumerate(entries):
        if len(entry) > MAX_ENTRY:
            raise LedgerFormatError(f"entry {i} of the bundle is {len(entry)} bytes, more than {MAX_ENTRY}")
        parts.append(len(entry).to_bytes(2, "big"))
        parts.append(entry)
    return b"".join(parts)


def decode_bundle(data: bytes, where: str = "entry bundle", first: int = 0) -> list[bytes]:
    """The entries of a bundle; a truncated length or entry raises, naming the entry."""
    out: list[bytes] = []
    pos, end = 0, len(data)
    while pos < end:
        if pos + 2 > end:
            raise LedgerFormatError(f"{where}: entry {first + len(out)} has a truncated length prefix")
        stop = pos + 2 + (data[pos] << 8 | data[pos + 1])
        if stop > end:
            raise LedgerFormatError(f"{where}: entry {first + len(out)} runs past the end of the bundle")
        out.append(data[pos + 2 : stop])
        pos = stop
    return out


class BundleSink(Protocol):
    """What takes each entry bundle as the log's proof reads it (:class:`HeldEntries` holds them)."""

    def add(self, first: int, width: int, data: bytes, where: str, entries: Sequence[bytes]) -> None:
        """The bundle ``data`` of the ``width`` entries from index ``first`` (``where`` names its file), and
        its ``entries`` as the proof decoded them."""


class HeldEntries:
    """The entries of entry bundles held in memory: ``(log index, entry bytes)`` in log order, decoded
    from their bundle only as they are read (iterate as often as needed, or :meth:`read_once`).

    Holding the bundles instead of one object per entry saves most of the memory (a million-case log's
    2.7 million entries: the bundles' 0.7 GB, without about 1.1 GB more of separate bytes objects and
    pairs), and a process forked to verify the same bundles shares their pages untouched. Reading stops
    at the first bundle that cannot be decoded: its verification says what is wrong with it. ``len`` is
    the number of entries the held bundles are meant to hold.
    """

    def __init__(self) -> None:
        self._bundles: list[tuple[int, bytes, str]] = []
        self._size = 0

    def add(self, first: int, width: int, data: bytes, where: str, entries: Sequence[bytes] = ()) -> None:
        """Hold the bundle ``data`` of the ``width`` entries from index ``first`` (``where`` names its file);
        its decoded ``entries`` are let go of (decoded again only as they are read, to hold less)."""
        self._bundles.append((first, data, where))
        self._size += width

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        for bundle in self._bundles:
            entries = bundle_entries(*bundle)
            if entries is None:
                return
            yield from entries

    def read_once(self) -> _Draining:
        """The same entries, to be read once: each bundle is let go of as soon as its entries are read
        (this object holds nothing afterwards), so a large log's bundles are not kept while what was
        made of their entries is worked on."""
        draining = _Draining(self._bundles[::-1], self._size)
        self._bundles, self._size = [], 0
        return draining


class _Draining:
    """Held entries read once (:meth:`HeldEntries.read_once`)."""

    def __init__(self, reversed_bundles: list[tuple[int, bytes, str]], size: int) -> None:
        self._bundles, self._size = reversed_bundles, size

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        while self._bundles:
            entries = bundle_entries(*self._bundles.pop())
            if entries is None:
                self._bundles.clear()
                return
            yield from entries


def bundle_entries(first: int, data: bytes, where: str) -> Iterator[tuple[int, bytes]] | None:
    """(index, entry) of a held bundle, or None when it cannot be decoded."""
    try:
        decoded = decode_bundle(data, where, first)
    except LedgerFormatError:
        return None
    return zip(range(first, first + len(decoded)), decoded)


def split_hashes(data: bytes) -> list[bytes]:
    """The 32-byte hashes of a tile."""
    return [data[i : i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE)]


class TileHashReader:
    """A :class:`~openledger.ledger.merkle.HashReader` over published tiles.

    A complete subtree at level ``8 * L + s`` is read from tile level ``L``
    (``2**s`` hashes, hashed up ``s`` times). This is how a tlog-tiles client
    builds inclusion and consistency proofs from static files.
    """

    def __init__(self, files: PublishedFiles, size: int) -> None:
        self.files = files
        self.size = size
        self._tiles: dict[tuple[int, int], list[bytes]] = {}

    def tile(self, level: int, index: int) -> list[bytes]:
        """The hashes of tile ``(level, index)`` of this tree; checks its length."""
        key = (level, index)
        if key not in self._tiles:
            width = tile_width(self.size, level, index)
            if not width:
                raise StoreError(f"tile {level}/{index} is outside a tree of size {self.size}")
            path = tile_path(level, index, width)
            data = self.files.read(path)
            if len(data) != width * HASH_SIZE:
                raise VerificationError(
                    f"{self.files.where(path)}: tile is {len(data)} bytes, expected {width * HASH_SIZE}"
                )
            self._tiles[key] = split_hashes(data)
        return self._tiles[key]

    def read_hashes(self, nodes: Sequence[Node]) -> list[bytes]:
        """See :meth:`openledger.ledger.merkle.HashReader.read_hashes`."""
        out = []
        for level, index in nodes:
            tile_level, sub = divmod(level, TILE_HEIGHT)
            first = index << sub
            tile_index, offset = divmod(first, TILE_WIDTH)
            hashes = self.tile(tile_level, tile_index)
            if offset + (1 << sub) > len(hashes):
                raise StoreError(f"node ({level}, {index}) is not complete in a tree of size {self.size}")
            run = hashes[offset : offset + (1 << sub)]
            for _ in range(sub):
                run = reduce_level(run)
            out.append(run[0])
        return out


def iter_entries(files: PublishedFiles, size: int, start: int = 0) -> Iterator[tuple[int, bytes]]:
    """Yield ``(index, entry bytes)`` of a published log of ``size`` from ``start``.

    Reads the entry bundles only; it checks their framing and entry counts but
    not the hashes: run :func:`openledger.ledger.verify.verify_log` first.
    """
    for index, width in iter_level_tiles(size, 0):
        first = index << TILE_HEIGHT
        if first + width <= start:
            continue
        path = bundle_path(index, width)
        entries = decode_bundle(files.read(path), files.where(path), first)
        if len(entries) != width:
            raise VerificationError(f"{files.where(path)}: bundle has {len(entries)} entries, expected {width}")
        for offset, entry in enumerate(entries):
            if first + offset >= start:
                yield first + offset, entry

"""RFC 6962 / RFC 9162 Merkle tree hashing, appends and proofs.

Hashing (RFC 9162 section 2.1.1)::

    leaf hash = SHA-256(0x00 || entry)
    node hash = SHA-256(0x01 || left || right)
    empty tree root = SHA-256("")

Storage model. A log never recomputes its tree: it stores the hash of every
*complete* subtree, addressed as ``(level, index)`` (the subtree of the
``2**level`` leaves starting at ``index * 2**level``), exactly the hashes the
C2SP tlog-tiles layout publishes. :class:`Appender` keeps the compact
*frontier* of the tree (one hash per set bit of the tree size) and, for each
new leaf, returns the leaf and every subtree it completes, so a store can
persist them: one leaf hash plus on average one node hash per append.

Roots and proofs of any size are then assembled from O(log n) stored hashes,
fetched through one :meth:`HashReader.read_hashes` call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from hashlib import sha256
from typing import Protocol

from openledger.errors import StoreError
from openledger.ledger.errors import VerificationError

HASH_SIZE = 32
EMPTY_ROOT = sha256(b"").digest()

Node = tuple[int, int]
"""A complete subtree: ``(level, index)``; it covers leaves
``[index << level, (index + 1) << level)``."""

Row = tuple[int, int, bytes]
"""A stored hash: ``(level, index, hash)``."""


def leaf_hash(entry: bytes) -> bytes:
    """The RFC 6962 leaf hash of one entry: SHA-256(0x00 || entry)."""
    return sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The RFC 6962 interior node hash: SHA-256(0x01 || left || right)."""
    return sha256(b"\x01" + left + right).digest()


class HashReader(Protocol):
    """Read access to stored complete-subtree hashes.

    A database implements it with one ``SELECT ... WHERE (level, idx) IN``
    query per call; tiles implement it by reading tile files.
    """

    def read_hashes(self, nodes: Sequence[Node]) -> list[bytes]:
        """The hashes of ``nodes``, in the same order.

        Raise :class:`openledger.errors.StoreError` if one is missing.
        """
        ...


class RangeReader(HashReader, Protocol):
    """A :class:`HashReader` that can also read a run of one level in bulk."""

    def read_range(self, level: int, start: int, stop: int) -> list[bytes]:
        """The hashes of nodes ``(level, start)`` .. ``(level, stop - 1)``."""
        ...


class MemoryHashStore:
    """An in-memory hash store (one list per level); counts the hashes read.

    It refuses a write that would change a stored hash or leave a gap, the
    same rule a database store enforces with its primary key: a log can only
    grow, never fork.
    """

    def __init__(self) -> None:
        self.levels: list[list[bytes]] = []
        self.reads = 0

    def write_hashes(self, rows: Iterable[Row]) -> None:
        """Store ``(level, index, hash)`` rows (e.g. from :meth:`Appender.append`)."""
        levels = self.levels
        for level, index, value in rows:
            while len(levels) <= level:
                levels.append([])
            row = levels[level]
            if index == len(row):
                row.append(value)
            elif index < len(row):
                if row[index] != value:
                    raise StoreError(f"hash ({level}, {index}) already stored with another value")
            else:
                raise StoreError(f"hash ({level}, {index}) would leave a gap after {len(row)} hashes")

    def read_hashes(self, nodes: Sequence[Node]) -> list[bytes]:
        """See :meth:`HashReader.read_hashes`."""
        self.reads += len(nodes)
        out = []
        for level, index in nodes:
            try:
                out.append(self.levels[level][index])
            except IndexError:
                raise StoreError(f"hash ({level}, {index}) is not stored") from None
        return out

    def read_range(self, level: int, start: int, stop: int) -> list[bytes]:
        """See :meth:`RangeReader.read_range`."""
        row = self.levels[level] if level < len(self.levels) else []
        if stop > len(row) or start < 0 or start > stop:
            raise StoreError(f"hashes ({level}, {start}..{stop - 1}) are not stored")
        self.reads += stop - start
        return row[start:stop]

    @property
    def size(self) -> int:
        """Number of leaves stored."""
        return len(self.levels[0]) if self.levels else 0


def frontier_nodes(size: int) -> list[Node]:
    """The complete subtrees whose hashes make up the compact range ``[0, size)``.

    One per set bit of ``size``, largest (leftmost) first.
    """
    return [(level, (size >> level) - 1) for level in range(size.bit_length() - 1, -1, -1) if size >> level & 1]


def fold_root(hashes: Sequence[bytes]) -> bytes:
    """The root over consecutive perfect subtrees given largest first (RFC 6962 shape)."""
    if not hashes:
        return EMPTY_ROOT
    root = hashes[-1]
    for value in reversed(hashes[:-1]):
        root = node_hash(value, root)
    return root


class Appender:
    """Appends leaves to a tree given its compact frontier; O(log n) per append.

    ``frontier`` holds the hashes of :func:`frontier_nodes` ``(size)``, largest
    first. Each append returns the rows to persist: the leaf and each complete
    subtree it closes. Amortised, that is two rows and one node hash per leaf.
    """

    def __init__(self, size: int = 0, frontier: Sequence[bytes] = ()) -> None:
        if size < 0 or len(frontier) != size.bit_count():
            raise StoreError(
                f"a tree of size {size} needs {max(size, 0).bit_count()} frontier hashes, got {len(frontier)}"
            )
        self.size = size
        self._stack = list(frontier)

    @classmethod
    def resume(cls, size: int, reader: HashReader) -> Appender:
        """An appender for a stored tree of ``size`` leaves (popcount(size) reads)."""
        return cls(size, reader.read_hashes(frontier_nodes(size)))

    @property
    def frontier(self) -> tuple[bytes, ...]:
        """The current compact frontier, largest subtree first."""
        return tuple(self._stack)

    def append(self, entry: bytes) -> list[Row]:
        """Append one entry; return the new ``(level, index, hash)`` rows."""
        return self.append_hash(leaf_hash(entry))

    def append_hash(self, value: bytes) -> list[Row]:
        """Append one leaf by its leaf hash; return the new rows."""
        index = self.size
        rows = [(0, index, value)]
        stack = self._stack
        count = index + 1
        level = 0
        while not count & 1:
            count >>= 1
            level += 1
            value = node_hash(stack.pop(), value)
            rows.append((level, count - 1, value))
        stack.append(value)
        self.size = index + 1
        return rows

    def extend(self, entries: Iterable[bytes]) -> list[Row]:
        """Append many entries; return all new rows (for one bulk insert)."""
        rows: list[Row] = []
        for entry in entries:
            rows += self.append_hash(leaf_hash(entry))
        return rows

    def root(self) -> bytes:
        """The root hash of the current tree."""
        return fold_root(self._stack)


def _pieces(start: int, end: int) -> list[Node]:
    """Split ``[start, end)`` into aligned complete subtrees, largest first."""
    out = []
    while start < end:
        level = (end - start).bit_length() - 1
        if start:
            level = min(level, (start & -start).bit_length() - 1)
        out.append((level, start >> level))
        start += 1 << level
    return out


def _split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def _range_hashes(ranges: list[tuple[int, int]], reader: HashReader) -> list[bytes]:
    """MTH of each range, reading all the needed stored hashes in one call."""
    plans = [_pieces(a, b) for a, b in ranges]
    flat = [node for plan in plans for node in plan]
    values = reader.read_hashes(flat) if flat else []
    out, pos = [], 0
    for plan in plans:
        out.append(fold_root(values[pos : pos + len(plan)]))
        pos += len(plan)
    return out


def root_from_store(size: int, reader: HashReader) -> bytes:
    """The root of the tree of ``size`` leaves from popcount(size) stored hashes."""
    if size < 0:
        raise StoreError(f"invalid tree size {size}")
    return fold_root(reader.read_hashes(frontier_nodes(size))) if size else EMPTY_ROOT


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """Leaf ranges whose MTH form PATH(index, D[0:size]) (RFC 9162 2.1.3.1), leaf upward."""
    if not 0 <= index < size:
        raise StoreError(f"leaf {index} is not in a tree of size {size}")
    out: list[tuple[int, int]] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            start += k
    out.reverse()
    return out


def consistency_ranges(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """Leaf ranges whose MTH form PROOF(old, D[0:new]) (RFC 9162 2.1.4.1)."""
    if not 0 <= old_size <= new_size:
        raise StoreError(f"no consistency proof from size {old_size} to size {new_size}")
    if old_size in (0, new_size):
        return []
    out: list[tuple[int, int]] = []
    start, end, complete = 0, new_size, True
    while end != old_size:
        k = _split(end - start)
        if old_size - start <= k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            start += k
            complete = False
    if not complete:
        out.append((start, end))
    out.reverse()
    return out


def inclusion_proof(index: int, size: int, reader: HashReader) -> list[bytes]:
    """The inclusion proof of leaf ``index`` in the tree of ``size`` (O(log n) reads)."""
    return _range_hashes(inclusion_ranges(index, size), reader)


def consistency_proof(old_size: int, new_size: int, reader: HashReader) -> list[bytes]:
    """The consistency proof from ``old_size`` to ``new_size`` (O(log n) reads)."""
    return _range_hashes(consistency_ranges(old_size, new_size), reader)


def _check_hashes(proof: Sequence[bytes], what: str) -> None:
    for i, value in enumerate(proof):
        if not isinstance(value, bytes) or len(value) != HASH_SIZE:
            raise VerificationError(f"{what}: proof hash {i} is not {HASH_SIZE} bytes")


def _decompose(index: int, size: int) -> tuple[int, int]:
    """How the inclusion proof of leaf ``index`` in a tree of ``size`` splits:
    (inner, border), the hashes below the point where the leaf's path and the
    tree's right border meet, and those along the border above it."""
    inner = (index ^ (size - 1)).bit_length()
    return inner, (index >> inner).bit_count()


def _chain_inner(seed: bytes, proof: Sequence[bytes], index: int) -> bytes:
    """Climb from ``seed`` through the inner proof hashes, left or right by the bits of ``index``."""
    for i, value in enumerate(proof):
        seed = node_hash(value, seed) if (index >> i) & 1 else node_hash(seed, value)
    return seed


def _chain_inner_right(seed: bytes, proof: Sequence[bytes], index: int) -> bytes:
    """Like :func:`_chain_inner`, but only through the siblings on the left (the old tree's part)."""
    for i, value in enumerate(proof):
        if (index >> i) & 1:
            seed = node_hash(value, seed)
    return seed


def _chain_border_right(seed: bytes, proof: Sequence[bytes]) -> bytes:
    """Climb the right border: every remaining sibling is on the left."""
    for value in proof:
        seed = node_hash(value, seed)
    return seed


def _expect_length(proof: Sequence[bytes], expected: int, what: str) -> None:
    if len(proof) > expected:
        raise VerificationError(f"{what}: the proof is too long ({len(proof)} hashes, expected {expected})")
    if len(proof) < expected:
        raise VerificationError(f"{what}: the proof is too short ({len(proof)} hashes, expected {expected})")


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root that an inclusion proof of ``leaf`` (a leaf hash) at ``index`` leads to (RFC 9162 2.1.3.2).

    Raises :class:`VerificationError` when the proof cannot belong to such a tree.
    """
    what = f"inclusion proof of leaf {index} in tree size {size}"
    _check_hashes(proof, what)
    if not 0 <= index < size:
        raise VerificationError(f"{what}: the leaf index is not below the tree size")
    inner, border = _decompose(index, size)
    _expect_length(proof, inner + border, what)
    return _chain_border_right(_chain_inner(leaf, proof[:inner], index), proof[inner:])


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Check an inclusion proof of a leaf hash against a root; raise if it fails."""
    if root_from_inclusion_proof(index, size, leaf, proof) != root:
        raise VerificationError(f"inclusion proof of leaf {index} in tree size {size}: "
                                "the computed root does not match the tree head")


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> None:
    """Check a consistency proof (RFC 9162 2.1.4.2); raise if it fails.

    The proof is read as the tail of the inclusion proof of the old tree's
    last leaf in the new tree, so the same chain routines as inclusion serve.
    Sizes 0 and ``old == new`` take an empty proof (the roots must then match).
    """
    what = f"consistency proof from tree size {old_size} to {new_size}"
    _check_hashes(proof, what)
    if not 0 <= old_size <= new_size:
        raise VerificationError(f"{what}: the new tree is smaller than the old one")
    if old_size == 0 or old_size == new_size:
        if proof:
            raise VerificationError(f"{what}: the proof must be empty")
        if old_size and old_root != new_root:
            raise VerificationError(f"{what}: same size but different root hashes")
        return
    if not proof:
        raise VerificationError(f"{what}: the proof is empty")
    inner, border = _decompose(old_size - 1, new_size)
    shift = (old_size & -old_size).bit_length() - 1  # the old tree's last subtree covers 2**shift leaves
    inner -= shift
    seed, start = (old_root, 0) if old_size == 1 << shift else (proof[0], 1)
    _expect_length(proof, start + inner + border, what)
    rest, mask = proof[start:], (old_size - 1) >> shift
    if _chain_border_right(_chain_inner_right(seed, rest[:inner], mask), rest[inner:]) != old_root:
        raise VerificationError(f"{what}: the proof does not lead to the old root hash")
    if _chain_border_right(_chain_inner(seed, rest[:inner], mask), rest[inner:]) != new_root:
        raise VerificationError(f"{what}: the proof does not lead to the new root hash")


def reduce_level(hashes: Sequence[bytes]) -> list[bytes]:
    """Hash adjacent pairs: the complete parents of a run of sibling hashes."""
    return [node_hash(a, b) for a, b in zip(hashes[0::2], hashes[1::2])]


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """The root of the tree whose leaf hashes are given (level by level)."""
    frontier: list[bytes] = []
    level = list(hashes)
    while level:
        if len(level) & 1:
            frontier.append(level[-1])
        level = reduce_level(level)
    frontier.reverse()
    return fold_root(frontier)

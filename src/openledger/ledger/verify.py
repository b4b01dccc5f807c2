"""Verify a published log from its files alone (directory or http(s) URL).

:func:`verify_log` checks, in order:

1. the ``checkpoint`` is a signed note with a valid signature by the verifier
   key (given, or else the published ``verifier.key``), and parses strictly
   (its tree size is ASCII decimal without leading zeros, at most 2**63 - 1);
   the last entry bundle and the last tile of every level that its size needs
   are present (so a checkpoint claiming more entries than the files hold
   fails at once, whatever it claims);
2. every entry bundle the checkpoint's size requires decodes, has the right
   number of entries, and the leaf hash of each entry equals the matching
   hash of the published level-0 tile, byte for byte;
3. every higher tile equals, byte for byte, the hashes recomputed from the
   entries (never from the published tiles);
4. the root recomputed from the entries equals the checkpoint's root;
5. with an older signed checkpoint: same key and origin, not larger, and an
   RFC 9162 consistency proof built from the published tiles verifies.

Work and memory are bounded by the files present, never by the size a
checkpoint claims: tiles are listed lazily and read in order, so the first
missing file stops the check.

Any failure raises :class:`~openledger.ledger.errors.VerificationError` (or
:class:`~openledger.ledger.errors.LedgerFormatError`, or NotFoundError for a
missing file) whose message names the file, the entry or tile and the check.
"""

from __future__ import annotations

import base64
import functools
import io
import os
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from openledger.errors import NotFoundError, OpenLedgerError
from openledger.ledger.aside import Aside, forks, gc_paused
from openledger.ledger.checkpoint import Checkpoint, open_checkpoint
from openledger.ledger.errors import LedgerFormatError, VerificationError
from openledger.ledger.merkle import (
    HASH_SIZE,
    consistency_proof,
    fold_root,
    leaf_hash,
    reduce_level,
    verify_consistency,
)
from openledger.ledger.note import Verifier, parse_verifier_key
from openledger.ledger.published import PublishedFiles, as_published
from openledger.ledger.tiles import (
    TILE_HEIGHT,
    TILE_WIDTH,
    BundleSink,
    HeldEntries,
    TileHashReader,
    bundle_entries,
    bundle_path,
    decode_bundle,
    iter_level_tiles,
    last_tile,
    tile_levels,
    tile_path,
)
from openledger.progress import Staged


@dataclass(frozen=True)
class Summary:
    """The result of a successful verification."""

    origin: str
    size: int
    entries: int
    root: bytes
    key: str
    since: Checkpoint | None = None

    def line(self) -> str:
        """The one-line summary printed by ``openledger verify``."""
        extra = f", consistent with the checkpoint of size {self.since.size}" if self.since else ""
        root = base64.b64encode(self.root).decode()
        return f"ok: {self.origin}: {self.entries} entries, tree size {self.size}, root {root}{extra}"


def load_verifier(files: PublishedFiles, key: str | Path | None = None) -> Verifier:
    """The given verifier key, or else the one published in ``verifier.key``.

    ``key`` is a verifier key string or the path of a file holding one (as
    ``--key`` accepts both).
    """
    if key is not None:
        text = str(key)
        if "+" not in text and Path(text).is_file():
            try:
                return parse_verifier_key(Path(text).read_text("utf-8"))
            except (LedgerFormatError, UnicodeDecodeError) as exc:
                raise LedgerFormatError(getattr(exc, "message", str(exc)), path=text) from None
        return parse_verifier_key(text)
    data = files.read("verifier.key")
    try:
        return parse_verifier_key(data.decode("utf-8"))
    except (LedgerFormatError, UnicodeDecodeError) as exc:
        raise LedgerFormatError(getattr(exc, "message", str(exc)), path=files.where("verifier.key")) from None


def read_checkpoint(files: PublishedFiles, verifier: Verifier) -> Checkpoint:
    """The published checkpoint, verified against ``verifier``."""
    checkpoint, _ = open_checkpoint(files.read("checkpoint"), [verifier], path=files.where("checkpoint"))
    return checkpoint


def _first_difference(published: bytes, expected: bytes) -> int:
    for k in range(0, len(expected), HASH_SIZE):
        if published[k : k + HASH_SIZE] != expected[k : k + HASH_SIZE]:
            return k // HASH_SIZE
    return len(expected) // HASH_SIZE


def _check_tile(files: PublishedFiles, level: int, index: int, width: int, published: bytes, expected: bytes) -> None:
    if published == expected:
        return
    path = tile_path(level, index, width)
    if len(published) != len(expected):
        raise VerificationError(
            f"tile is {len(published)} bytes, expected {len(expected)} ({width} hashes)", path=files.where(path)
        )
    k = _first_difference(published, expected)
    if level == 0:
        entry = (index << TILE_HEIGHT) + k
        raise VerificationError(
            f"hash {k} is not the leaf hash of entry {entry} in {bundle_path(index, width)}", path=files.where(path)
        )
    first = ((index << TILE_HEIGHT) + k) << (TILE_HEIGHT * level)
    raise VerificationError(
        f"hash {k} does not match the hash recomputed from entries {first}..{first + (1 << (TILE_HEIGHT * level)) - 1}",
        path=files.where(path),
    )


def _frontier(hashes: list[bytes]) -> list[bytes]:
    """Hashes of the complete subtrees left over by a partial tile, lowest level first."""
    out = []
    for _ in range(TILE_HEIGHT):
        if len(hashes) & 1:
            out.append(hashes[-1])
        hashes = reduce_level(hashes)
    return out


def _reduce_tile(hashes: list[bytes]) -> bytes:
    for _ in range(TILE_HEIGHT):
        hashes = reduce_level(hashes)
    return hashes[0]


def check_present(files: PublishedFiles, size: int) -> None:
    """Fail fast when the files cannot hold a tree of ``size``.

    Reads the last entry bundle and the last tile of each level that ``size``
    needs (at most 9 files): a checkpoint claiming 2**40 entries over a log of
    a few hundred is refused here, in one line, before any other work.
    """
    paths = []
    if size:
        paths.append(bundle_path(*last_tile(size, 0)))
    paths.extend(tile_path(level, *last_tile(size, level)) for level in range(tile_levels(size)))
    for path in paths:
        try:
            files.read(path)
        except NotFoundError:
            raise NotFoundError(
                f"file is missing: the checkpoint claims a tree of {size} entries and the published files "
                "do not hold them", path=files.where(path)) from None


def recompute_root(files: PublishedFiles, size: int,
                   keep: BundleSink | None = None, progress: Staged | None = None) -> tuple[bytes, int]:
    """Check all bundles and tiles of a tree of ``size``; return (root, entries read).

    Reads the files in order and stops at the first that is missing or wrong,
    so memory and time grow with the entries present, not with ``size``.
    ``keep`` is given every bundle as it is read (a :class:`HeldEntries` holds them; trust nothing made of
    them before this returns);
    ``progress`` is told of the entries checked (stage "entries checked", of
    ``size``).
    """
    frontier: list[bytes] = []
    above: list[bytes] = []
    count = 0
    paths = (p for index, width in iter_level_tiles(size, 0)
             for p in (bundle_path(index, width), tile_path(0, index, width)))
    contents = files.read_many(paths)
    for index, width in iter_level_tiles(size, 0):
        bundle, tile = next(contents), next(contents)
        first = index << TILE_HEIGHT
        where = files.where(bundle_path(index, width))
        entries = decode_bundle(bundle, where, first)
        if len(entries) != width:
            raise VerificationError(
                f"bundle has {len(entries)} entries, expected {width} (entries {first}..{first + width - 1})",
                path=where,
            )
        count += width
        if keep is not None:
            keep.add(first, width, bundle, where, entries)
        leaves = [leaf_hash(e) for e in entries]
        _check_tile(files, 0, index, width, tile, b"".join(leaves))
        if progress is not None:
            progress("entries checked", width, size)
        if width == TILE_WIDTH:
            above.append(_reduce_tile(leaves))
        else:
            frontier.extend(_frontier(leaves))
    for level in range(1, tile_levels(size)):
        hashes, above = above, []
        contents = files.read_many(tile_path(level, index, width) for index, width in iter_level_tiles(size, level))
        for (index, width), published in zip(iter_level_tiles(size, level), contents):
            run = hashes[index << TILE_HEIGHT : (index << TILE_HEIGHT) + width]
            _check_tile(files, level, index, width, published, b"".join(run))
            if width == TILE_WIDTH:
                above.append(_reduce_tile(run))
            else:
                frontier.extend(_frontier(run))
    return fold_root(frontier[::-1]), count  # the frontier was gathered smallest subtree first


def verify_log(
    location: str | Path | PublishedFiles,
    *,
    key: str | Path | None = None,
    since: bytes | None = None,
    since_name: str = "old checkpoint",
    entries: BundleSink | None = None,
    progress: Staged | None = None,
) -> Summary:
    """Verify everything published at ``location``; see the module docstring.

    ``key`` is a verifier key string (or a file holding one) that overrides
    the published one.
    ``since`` is an older signed checkpoint (bytes); ``since_name`` names it
    in messages (e.g. its file name).
    ``entries`` is given the bundle of every entry as it is checked: a
    :class:`~openledger.ledger.tiles.HeldEntries`, read, gives ``(index, entry
    bytes)`` (what :func:`openledger.ledger.tiles.iter_entries` would read
    again), complete once the log verifies.
    ``progress`` is told of the entries checked (see :func:`recompute_root`).
    """
    files = as_published(location)
    verifier = load_verifier(files, key)
    checkpoint = read_checkpoint(files, verifier)
    check_present(files, checkpoint.size)
    root, count = recompute_root(files, checkpoint.size, entries, progress)
    if root != checkpoint.root:
        raise VerificationError(
            f"the root recomputed from the entries, {base64.b64encode(root).decode()}, is not the signed root",
            path=files.where("checkpoint"),
        )
    old = None
    if since is not None:
        old = check_extension(files, verifier, checkpoint, since, since_name)
    return Summary(checkpoint.origin, checkpoint.size, count, checkpoint.root, verifier.encode(), old)


#: the files :func:`verify_log_beside` reads once and hands to the log's proof (the entry bundles and level-0 tiles)
_PIPED = ("tile/entries/", "tile/0/")
_FRAME = struct.Struct(">IQ")  # a file handed over: its path's length, its length; then the path and the bytes


class _Piped:
    """Published files of which the entry bundles and level-0 tiles come through a pipe, in the order the log's
    proof reads them, as the process that forked it read them: both work on the same bytes. Once the pipe
    ends (that process stopped early: a file it could not read, a check that ended), the rest is read
    here, so the proof is whole either way."""

    def __init__(self, files: PublishedFiles, pipe: int) -> None:
        self.files = files
        self._pipe: io.BufferedReader | None = open(pipe, "rb")  # noqa: SIM115 (closed when the pipe ends)

    def where(self, path: str) -> str:
        return self.files.where(path)

    def read(self, path: str) -> bytes:
        return self.files.read(path)

    def read_many(self, paths: Iterable[str]) -> Iterator[bytes]:
        for path in paths:
            yield self._received(path)

    def _received(self, path: str) -> bytes:
        if self._pipe is not None and path.startswith(_PIPED):
            head = self._pipe.read(_FRAME.size)
            if len(head) == _FRAME.size:
                length, size = _FRAME.unpack(head)
                sent, data = self._pipe.read(length), self._pipe.read(size)
                if sent == path.encode("utf-8") and len(data) == size:
                    return data
            self._pipe.close()
            self._pipe = None
        return self.files.read(path)


class Beside(BundleSink, Protocol):
    """Work on the entries that the log's forked proof does too (:func:`verify_log_beside`): given each
    bundle as it is checked, then asked for its :meth:`result` once the log is proven."""

    def result(self) -> Any:
        """What it made of the entries (picklable); None when it could not (the caller then works alone)."""


def _verify_piped(files: PublishedFiles, pipe: tuple[int, int], beside: Callable[[], Beside] | None = None,
                  **options: Any) -> Summary | tuple[Summary, Any]:
    """:func:`verify_log` in the forked process, the bundles and level-0 tiles from ``pipe`` (read end, write
    end: the write end is the parent's, closed here so that the pipe ends when the parent closes it); with
    ``beside``, also what it made of the entries proven (None if it failed: never the log's failure)."""
    os.close(pipe[1])
    sink = beside() if beside is not None else None
    summary = verify_log(_Piped(files, pipe[0]), entries=sink, **options)
    if sink is None:
        return summary
    try:
        made = sink.result()
    except Exception:  # noqa: BLE001 (the caller does the work itself: a failure here is not the log's)
        made = None
    return summary, made


class StreamedEntries:
    """The log's entries as :func:`verify_log_beside` reads them, once, in order: ``(log index, entry bytes)``
    of each entry bundle, decoded as its bytes (and its level-0 tile) are handed to the log's proof in the
    forked process, so neither process holds the log. ``len`` is the number of entries the checkpoint
    commits to; iterating stops at the first file that cannot be read or decoded, or once the proof has
    ended (with an error: it says what is wrong).
    """

    def __init__(self, files: PublishedFiles, size: int, pipe: int) -> None:
        self._files, self._size = files, size
        self._pipe: io.BufferedWriter | None = open(pipe, "wb")  # noqa: SIM115 (closed by close())

    def __len__(self) -> int:
        return self._size

    def read_once(self) -> StreamedEntries:
        """The same entries (they are read once in any case)."""
        return self

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        if self._pipe is None:  # read already (or given up): once only, as the proof saw them
            return
        tiles = iter_level_tiles(self._size, 0)
        paths = (p for index, width in iter_level_tiles(self._size, 0)
                 for p in (bundle_path(index, width), tile_path(0, index, width)))
        try:
            contents = self._files.read_many(paths)
            for index, width in tiles:
                first, bundle = index << TILE_HEIGHT, bundle_path(index, width)
                try:
                    data, tile = next(contents), next(contents)
                    self._send(bundle, data)
                    self._send(tile_path(0, index, width), tile)
                except (OpenLedgerError, BrokenPipeError):  # the proof reads it itself, or has ended: it says why
                    return
                if width < TILE_WIDTH or first + width >= self._size:
                    self.close()  # the last: the proof needs nothing more from here
                entries = bundle_entries(first, data, self._files.where(bundle))
                if entries is None:
                    return
                yield from entries
        finally:
            self.close()

    def _send(self, path: str, data: bytes) -> None:
        name = path.encode("utf-8")
        if self._pipe is None:
            raise BrokenPipeError("the pipe to the proof is closed")
        self._pipe.write(_FRAME.pack(len(name), len(data)) + name)
        self._pipe.write(data)

    def close(self) -> None:
        """End the pipe: the proof reads whatever it still needs itself (called before waiting for it)."""
        if self._pipe is not None:
            pipe, self._pipe = self._pipe, None
            try:
                pipe.close()
            except BrokenPipeError:  # the proof has ended already
                pass


def _widen(pipe: int) -> None:
    """Let ``pipe`` hold several bundles (Linux: as much as the system allows, up to 1 MiB), so that this
    process hands a bundle over without waiting for the proof to take the one before."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system: nothing forks there
        return
    setting = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setting is not None:
        try:
            fcntl.fcntl(pipe, setting, 1 << 20)
        except OSError:  # more than this system allows unprivileged: keep its size
            pass


#: from how many entries :func:`verify_log_beside` forks when ``jobs`` is 0 (automatic)
PARALLEL_ENTRIES = 50_000


def verify_log_beside(location: str | Path | PublishedFiles, *, key: str | Path | None = None,
                      since: bytes | None = None, since_name: str = "old checkpoint", jobs: int = 0,
                      progress: Staged | None = None,
                      beside: Callable[[], Beside] | None = None) -> tuple[HeldEntries | StreamedEntries, Proof]:
    """:func:`verify_log` in a forked process while this one works on the entries: (the entries, the
    :class:`Proof`: called, it waits for the verification and returns its :class:`Summary` or raises its error).

    This process checks the signed checkpoint and that the files can hold its tree, and forks the
    verification; then, as the entries returned are read (:class:`StreamedEntries`, once), it reads every
    entry bundle and level-0 tile the tree needs, in order, and hands their bytes to the forked process
    through a pipe: the proof is made over exactly the bytes the entries are decoded from, and neither
    process holds the whole log. The entries are not verified until the returned function returns: trust
    nothing derived from them before, and call it before saying anything of them (its error comes first).
    ``jobs`` 1, or a system without ``fork``, verifies the log here first, as :func:`verify_log` does
    (the entries are then a :class:`~openledger.ledger.tiles.HeldEntries`); 0 (the default) forks from
    :data:`PARALLEL_ENTRIES` entries, 2 or more always. ``progress`` is told of the entries checked (at
    once when forked). ``beside`` makes, in the forked process, a :class:`Beside` given the same bundles
    as the proof checks them; its result is :meth:`Proof.beside` (None where nothing was forked: the
    caller then does that work itself).
    """
    files = as_published(location)
    checkpoint = read_checkpoint(files, load_verifier(files, key))
    if not forks(jobs, checkpoint.size, PARALLEL_ENTRIES):
        entries = HeldEntries()
        summary = verify_log(files, key=key, since=since, since_name=since_name, entries=entries, progress=progress)
        return entries, Proof(summary)
    check_present(files, checkpoint.size)
    pipe = os.pipe()
    _widen(pipe[1])
    try:
        with gc_paused():
            aside = Aside(functools.partial(_verify_piped, files, pipe, beside, key=key, since=since,
                                            since_name=since_name),
                          "verify: the process verifying the log")
    except BaseException:
        os.close(pipe[1])
        raise
    finally:
        os.close(pipe[0])
    streamed = StreamedEntries(files, checkpoint.size, pipe[1])
    return streamed, Proof(aside, progress, streamed.close)


class Proof:
    """The log's verification by :func:`verify_log_beside`: done already (a :class:`Summary`), or running in
    a forked process (an :class:`~openledger.ledger.aside.Aside`)."""

    def __init__(self, work: Summary | Aside[Summary | tuple[Summary, Any]], progress: Staged | None = None,
                 before: Callable[[], None] | None = None) -> None:
        self._work, self._progress, self._before = work, progress, before
        self._outcome: Summary | OpenLedgerError | None = work if isinstance(work, Summary) else None
        self._beside: Any = None

    def beside(self) -> Any:
        """Wait for the verification: what its ``beside`` made of the entries, or None (no ``beside``, no
        forked process, the ``beside`` failed, or the log's proof did: calling the proof says why)."""
        try:
            self()
        except OpenLedgerError:
            return None
        return self._beside

    def __call__(self) -> Summary:
        """Wait for the verification: its :class:`Summary`, or its error (raised again on every call)."""
        if self._outcome is None:
            aside = self._work
            assert isinstance(aside, Aside)
            if self._before is not None:  # the entries not read by now are read by the proof itself
                self._before()
            try:
                outcome = aside.result()
                if isinstance(outcome, tuple):
                    outcome, self._beside = outcome
                self._outcome = outcome
            except OpenLedgerError as exc:
                self._outcome = exc
            finally:
                aside.close()
            if self._progress is not None and isinstance(self._outcome, Summary):
                self._progress("entries checked", self._outcome.entries, self._outcome.size)
        if isinstance(self._outcome, OpenLedgerError):
            raise self._outcome
        return self._outcome

    def stop_if_failed(self) -> None:
        """Raise the verification's error now if it has already ended with one; never wait for it."""
        if self._outcome is not None or (isinstance(self._work, Aside) and self._work.ready()):
            self()


AHEAD = "the log has {current} entries but this older checkpoint has {old}: the log was truncated or rolled back"


def check_extension(files: PublishedFiles, verifier: Verifier, current: Checkpoint, old_signed: bytes, old_name: str,
                    ahead: str = AHEAD) -> Checkpoint:
    """Prove that ``current`` (published at ``files``) extends an older signed checkpoint.

    ``ahead`` is the message (with ``{old}`` and ``{current}`` sizes) for a
    genuine checkpoint larger than the published log.
    """
    old, _ = open_checkpoint(old_signed, [verifier], path=old_name)
    if old.origin != current.origin:
        raise VerificationError(f"origin {old.origin!r} is not the log's origin {current.origin!r}", path=old_name)
    if old.size > current.size:
        raise VerificationError(ahead.format(old=old.size, current=current.size), path=old_name)
    proof = consistency_proof(old.size, current.size, TileHashReader(files, current.size))
    try:
        verify_consistency(old.size, current.size, old.root, current.root, proof)
    except VerificationError as exc:
        raise VerificationError(
            f"the log is not an extension of this checkpoint: {exc.message}", path=old_name
        ) from None
    return old

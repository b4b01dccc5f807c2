"""Opening export files in the form services deliver them: gzip-compressed, or zipped.

- :func:`open_binary` / :func:`open_text` / :func:`read_bytes`: a file, read
  through gzip when it is gzip-compressed (RFC 1952; recognised by its first
  bytes, whatever its name), so every CSV and JSON Lines source reads
  ``complaints.csv.gz`` as it reads ``complaints.csv``. A compressed file cut
  short is a :class:`~openledger.errors.SourceError` naming the file and how
  far it could be read, never records silently missing at the end.
- :class:`ExportFiles`: the files of an export, a folder or a ``.zip`` read in
  place with :mod:`zipfile` (nothing is extracted; member names are only
  matched as text, never used as paths on disk). A zip whose central
  directory is missing (a download cut short) is a SourceError naming the file
  and its size.
- :func:`logical_name`: a file's name without its ``.gz`` (for choosing the
  format from ``.csv``, ``.jsonl``).
"""

from __future__ import annotations

import fnmatch
import gzip
import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from openledger.errors import SourceError

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
ZIP_EMPTY = b"PK\x05\x06"


def logical_name(path: Path | str) -> str:
    """The file's name without a trailing ``.gz``: ``complaints.csv.gz`` -> ``complaints.csv``."""
    name = Path(path).name
    return name[:-3] if name.lower().endswith(".gz") else name


def logical_suffix(path: Path | str) -> str:
    """The suffix that says the format, lower case: ``.csv`` for ``complaints.csv.gz``."""
    return Path(logical_name(path)).suffix.lower()


def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(magic)) == magic
    except (IsADirectoryError, FileNotFoundError, PermissionError):
        return False


def is_gzip(path: Path) -> bool:
    return _starts_with(path, GZIP_MAGIC)


def is_zip(path: Path) -> bool:
    """A zip archive by its first bytes (also a cut one, which :class:`ExportFiles` then reports)."""
    return path.is_file() and (_starts_with(path, ZIP_MAGIC) or _starts_with(path, ZIP_EMPTY))


class _Gunzip(io.RawIOBase):
    """The content of a gzip file; a cut or damaged one raises SourceError with the position."""

    def __init__(self, path: Path, raw: IO[bytes]):
        self.path = path
        self.raw = raw
        self.stream = gzip.GzipFile(fileobj=raw, mode="rb")
        self.done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            count = self.stream.readinto(buffer)
        except EOFError:
            raise SourceError(
                f"truncated gzip file: the compressed data ends before its end marker "
                f"(cut after {self.done:,} bytes of content)", path=self.path) from None
        except (gzip.BadGzipFile, zlib.error) as exc:
            raise SourceError(f"damaged gzip file after {self.done:,} bytes of content: {exc}",
                              path=self.path) from None
        self.done += count
        return count

    def close(self) -> None:
        self.stream.close()
        super().close()


@contextmanager
def open_binary(path: Path) -> Iterator[IO[bytes]]:
    """The bytes of ``path``, through gzip when it is gzip-compressed."""
    with open(path, "rb") as raw:
        # peek, not read and seek back: a pipe (``ingest jsonl /dev/stdin``, a FIFO) cannot seek
        if raw.peek(2)[:2] != GZIP_MAGIC:
            yield raw
            return
        with io.BufferedReader(_Gunzip(path, raw), buffer_size=1 << 16) as unzipped:
            yield unzipped


@contextmanager
def open_text(path: Path, encoding: str = "utf-8", newline: str | None = None) -> Iterator[IO[str]]:
    """The text of ``path`` (through gzip when compressed), like :func:`open` in text mode."""
    with open_binary(path) as binary:
        text = io.TextIOWrapper(binary, encoding=encoding, newline=newline)
        try:
            yield text
        finally:
            text.detach()


def read_bytes(path: Path) -> bytes:
    """All of ``path``'s content (through gzip when compressed)."""
    with open_binary(path) as f:
        return f.read()


# --- the files of an export: a folder or a zip ------------------------------------


def matches(name: str, pattern: str) -> bool:
    """Whether the relative POSIX ``name`` matches ``pattern`` as :meth:`Path.glob` would.

    ``**/`` at the start matches any number of folders (also none); every
    other part is matched with :func:`fnmatch.fnmatchcase` against one part.
    """
    parts, wanted = name.split("/"), pattern.split("/")
    if wanted[0] == "**":
        wanted = wanted[1:]
        parts = parts[len(parts) - len(wanted):] if len(parts) >= len(wanted) else []
    return len(parts) == len(wanted) and all(fnmatch.fnmatchcase(p, w) for p, w in zip(parts, wanted))


@dataclass(frozen=True)
class ExportFile:
    """One file of an export: its name inside the export (POSIX), and where it is for messages."""

    name: str
    where: str
    _files: ExportFiles

    @property
    def parent_name(self) -> str:
        """The name of the folder holding it (``''`` at the top)."""
        return self.name.rpartition("/")[0].rpartition("/")[2]

    @property
    def basename(self) -> str:
        return self.name.rpartition("/")[2]

    def read_bytes(self) -> bytes:
        return self._files.read(self.name)


class ExportFiles:
    """The files of an export: a folder on disk, a ``.zip`` archive read in place, or one file."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.archive: zipfile.ZipFile | None = None
        self.base = self.path
        if self.path.is_dir():
            self._names = sorted(p.relative_to(self.path).as_posix() for p in self.path.rglob("*") if p.is_file())
        elif is_zip(self.path):
            self.archive = open_zip(self.path)
            self._names = sorted(i.filename for i in self.archive.infolist() if not i.is_dir())
        else:
            self.base = self.path.parent
            self._names = [self.path.name]

    @property
    def is_zip(self) -> bool:
        return self.archive is not None

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()

    def __enter__(self) -> ExportFiles:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def where(self, name: str) -> str:
        """How messages name a file: ``export.zip: data/tweets.js`` or the path on disk."""
        return f"{self.path}: {name}" if self.archive is not None else str(self.base / name)

    def glob(self, pattern: str) -> list[ExportFile]:
        """The files matching ``pattern`` (``**/messages/inbox/*/message_*.json``), sorted by name."""
        return [ExportFile(n, self.where(n), self) for n in self._names if matches(n, pattern)]

    def find(self, *patterns: str) -> ExportFile | None:
        """The first file matching one of ``patterns``, tried in order."""
        for pattern in patterns:
            found = self.glob(pattern)
            if found:
                return found[0]
        return None

    def read(self, name: str) -> bytes:
        if self.archive is None:
            return read_bytes(self.base / name)
        try:
            return self.archive.read(name)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise SourceError(f"damaged zip member: {exc}", path=self.path, location=name) from None
        except (NotImplementedError, RuntimeError) as exc:  # encrypted, or a compression zipfile lacks
            raise SourceError(f"cannot read this zip member: {exc}", path=self.path, location=name) from None


def open_zip(path: Path) -> zipfile.ZipFile:
    """Open a zip archive; a cut one (no central directory) is a SourceError with its size."""
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        size = path.stat().st_size
        if _starts_with(path, ZIP_MAGIC):
            raise SourceError(
                f"truncated zip archive: its central directory is missing (the file ends at byte {size:,}); "
                "download it again", path=path) from None
        raise SourceError("not a zip archive", path=path) from None

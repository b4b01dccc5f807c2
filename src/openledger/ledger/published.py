"""The files of a published site or log, read from a folder or an http(s) URL
(standard library only): :class:`PublishedFiles` is what every reader of a
published log takes."""

from __future__ import annotations

import http.client
import json
import os
import stat
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from openledger.errors import NotFoundError, OpenLedgerError
from openledger.ledger.fetching import AnswerTooLarge, DeadlineExceeded, fetch

#: seconds any one wait on a server may take (connecting, or the next bytes of an answer)
HTTP_TIMEOUT = 30
#: seconds a published file may take to arrive whole (connection, redirects, headers and body): a server that
#: sends a byte every few seconds never trips :data:`HTTP_TIMEOUT`, and the verifier must end, not wait for ever
HTTP_DEADLINE = 900
HTTP_THREADS = 8
#: the largest published file read (bytes): a 1,000,000-case site's largest, ``data/outcomes.csv``, is about
#: 100 MB; a site is the company's word, and a server that sends without end must not fill the verifier's memory
MAX_FILE = 1 << 30


class PublishedFiles(Protocol):
    """Where published files are read from (a directory or a URL)."""

    def read(self, path: str) -> bytes:
        """The bytes of ``path`` (relative, ``/``-separated); OpenLedgerError if missing."""
        ...

    def where(self, path: str) -> str:
        """The full location of ``path``, for messages."""
        ...

    def read_many(self, paths: Iterable[str]) -> Iterator[bytes]:
        """The bytes of each path, in order (``paths`` is read lazily: it may be a generator)."""
        ...


def inside(path: str, where: str) -> str:
    """``path`` if it names a file inside the published folder (relative, ``/``-separated, no ``..``, no scheme or
    drive); else OpenLedgerError. The paths read are openledger's own names, but a few come from the site's
    files (the summaries' parts), and a site is the company's word: ``../../home/me/.ssh`` or
    ``file:///etc/passwd`` must never reach ``open`` or ``urlopen``."""
    if not path or path.startswith(("/", "\\")) or ":" in path or "\\" in path or "\0" in path \
            or ".." in path.split("/"):
        raise OpenLedgerError(f"not a path inside the published files: {path[:80]!r}", path=where)
    return path


def load_json(raw: bytes, where: str) -> Any:
    """A published file's JSON (RFC 8259); OpenLedgerError naming it when it is not JSON or nests deeper than
    the parser goes (``[[[[…``: a site is the company's word, and the verifier must say so, not crash)."""
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise OpenLedgerError(f"not valid JSON: {exc}", path=where) from None
    except RecursionError:
        raise OpenLedgerError("not valid JSON: nested too deeply", path=where) from None


class LocalFiles:
    """Published files under a local directory.

    Only files that are inside it are read: a symbolic link (to ``~/.ssh/id_ed25519``, say, whose text a
    difference would then quote), a folder reached through one, a named pipe (whose read would wait for
    ever) or a device is refused in one line naming it, as is a file over :data:`MAX_FILE` bytes.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        if not self.root.is_dir():
            raise NotFoundError("no such directory", path=self.root)
        self._root = str(self.root)
        self._real = os.path.realpath(self._root)
        self._folders: set[str] = {""}  # the folders (relative) found to be inside the root, not through a link

    def where(self, path: str) -> str:
        """The file's full path, for messages."""
        return str(self.root / path)

    def _folder_inside(self, path: str) -> None:
        folder = path.rpartition("/")[0]
        if folder in self._folders:
            return
        real = os.path.realpath(os.path.join(self._root, folder))
        if os.path.exists(real) and os.path.relpath(real, self._real) != folder.replace("/", os.sep):
            raise OpenLedgerError("not read: its folder is reached through a symbolic link",
                                  path=self.where(path))
        self._folders.add(folder)

    def read(self, path: str) -> bytes:
        """The bytes of ``path``; NotFoundError naming the file if it is missing."""
        inside(path, self._root)
        self._folder_inside(path)
        try:  # an unbuffered read, without a Path per file: a 1,000,000-case log is 21,000 files read in a row
            fd = os.open(os.path.join(self._root, path), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except FileNotFoundError:
            raise NotFoundError("file is missing", path=self.where(path)) from None
        except OSError as exc:
            if os.path.islink(os.path.join(self._root, path)):
                raise OpenLedgerError("not read: a symbolic link", path=self.where(path)) from None
            raise OpenLedgerError(f"cannot read file: {exc.strerror}", path=self.where(path)) from None
        mode = os.fstat(fd)
        if not stat.S_ISREG(mode.st_mode) or mode.st_size > MAX_FILE:
            os.close(fd)
            if stat.S_ISREG(mode.st_mode):
                raise OpenLedgerError(f"not read: {mode.st_size:,} bytes, over the {MAX_FILE:,} a published file "
                                      "may hold", path=self.where(path))
            kind = "a folder" if stat.S_ISDIR(mode.st_mode) else "not a regular file"
            raise OpenLedgerError(f"not read: {kind}", path=self.where(path))
        with open(fd, "rb", buffering=0) as f:
            try:
                return f.readall()
            except OSError as exc:
                raise OpenLedgerError(f"cannot read file: {exc.strerror}", path=self.where(path)) from None

    def read_many(self, paths: Iterable[str]) -> Iterator[bytes]:
        """The bytes of each path, in order."""
        for path in paths:
            yield self.read(path)


class WebFiles:
    """Published files under an http(s) URL prefix (e.g. a site on localhost).

    Each file must arrive whole within :data:`HTTP_DEADLINE` seconds, with no wait longer than
    :data:`HTTP_TIMEOUT`, and hold at most :data:`MAX_FILE` bytes: a site is the company's word, and a server
    that drips its answer or sends without end is cut and named, never waited on for ever.
    """

    def __init__(self, url: str) -> None:
        self.base = url if url.endswith("/") else url + "/"

    def where(self, path: str) -> str:
        """The file's URL, for messages."""
        return urllib.parse.urljoin(self.base, path)

    def read(self, path: str) -> bytes:
        """GET the file; NotFoundError on 404, OpenLedgerError on other failures."""
        url = self.where(inside(path, self.base))
        try:
            answer = fetch(url, timeout=HTTP_TIMEOUT, deadline=HTTP_DEADLINE, limit=MAX_FILE)
        except DeadlineExceeded as exc:
            raise OpenLedgerError(f"not read: {exc}, the longest a published file may take to arrive",
                                  path=url) from None
        except AnswerTooLarge:  # the server sends more than any published file holds: stop reading there
            raise OpenLedgerError(f"not read: over the {MAX_FILE:,} bytes a published file may hold",
                                  path=url) from None
        except (OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            raise OpenLedgerError(f"cannot fetch: {reason}", path=url) from None
        if answer.status == 404:
            raise NotFoundError("file is missing (HTTP 404)", path=url)
        if not 200 <= answer.status < 300:
            raise OpenLedgerError(f"HTTP {answer.status} {answer.reason}", path=url)
        return answer.body

    def read_many(self, paths: Iterable[str]) -> Iterator[bytes]:
        """Fetch the paths with a few parallel connections; yield in order.

        Works in chunks so that a large log is never held in memory at once
        (``paths`` is read a chunk at a time).
        """
        chunk = HTTP_THREADS * 8
        pending = iter(paths)
        with ThreadPoolExecutor(HTTP_THREADS) as pool:
            while batch := list(islice(pending, chunk)):
                yield from pool.map(self.read, batch)


def open_published(location: str | Path) -> LocalFiles | WebFiles:
    """The published files at a directory path or an ``http://`` / ``https://`` URL."""
    text = str(location)
    if text.startswith(("http://", "https://")):
        return WebFiles(text)
    return LocalFiles(text)


def as_published(location: str | Path | PublishedFiles) -> PublishedFiles:
    """The published files at a folder or a URL (or ``location`` itself, already opened)."""
    if isinstance(location, (str, Path)):
        return open_published(str(location))  # by its text, as a folder or a URL
    return location


def locate(where: str) -> tuple[str | Path, str | Path | None]:
    """(the log's folder or URL, the site root or None) for a site, its ``ledger/`` folder or a URL."""
    if where.startswith(("http://", "https://")):
        base = where.rstrip("/") + "/"
        try:
            open_published(base).read("checkpoint")
        except NotFoundError:
            return base + "ledger/", base
        return base, base[: -len("ledger/")] if base.endswith("/ledger/") else None
    path = Path(where)
    if not (path / "checkpoint").exists() and (path / "ledger").is_dir():
        site = path if (path / "index.html").exists() or (path / "data").exists() else None
        return path / "ledger", site  # a built site's root (or a folder holding only an exported log)
    if path.is_dir() and not (path / "checkpoint").exists() and not (path / "verifier.key").exists():
        raise NotFoundError("no published log here (no checkpoint, nor ledger/checkpoint)", path=path)
    return path, path.parent if path.name == "ledger" and (path.parent / "data").is_dir() else None

"""Files that hold secrets or personal data: created mode 0600 in one step, refused when others
can read them (secrets), written atomically (personal data).

The instance secret and the log's signing key are written with
``O_CREAT | O_EXCL`` and mode 0600 in one system call, so they are never
readable by others, not even for a moment, and an existing one is never
overwritten; reading one that group or others can read is refused.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from openledger.errors import OpenLedgerError


def create_private(path: str | os.PathLike, text: str, what: str,
                   error: type[OpenLedgerError] = OpenLedgerError) -> None:
    """Create ``path`` holding ``text`` (ASCII) with mode 0600; never overwrite.

    ``what`` names the file in messages ("the secret", "the key file").
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise error(f"{what} already exists; refusing to overwrite it", path=path) from None
    except OSError as exc:
        raise error(f"cannot create {what}: {exc.strerror}", path=path) from None
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        os.write(fd, text.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read_private(path: str | os.PathLike, what: str, error: type[OpenLedgerError] = OpenLedgerError,
                 missing: str | None = None) -> str:
    """The text of a file written by :func:`create_private`; refuse one others can read.

    ``missing`` is the message when the file does not exist (default: a read error).
    """
    p = Path(path)
    try:
        mode = p.stat().st_mode
        text = p.read_text("ascii")
    except FileNotFoundError:
        if missing is None:
            raise error(f"cannot read {what}: no such file", path=path) from None
        raise error(missing, path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"cannot read {what}: {exc}", path=path) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise error(f"{what} is readable by others (mode {stat.S_IMODE(mode):04o}); chmod 600 it", path=path)
    return text


def private_file(path: str | os.PathLike) -> None:
    """Make sure ``path`` is a file only its owner can read: create it empty with mode 0600 if it is
    missing, tighten its mode to 0600 if it exists.

    For files that hold personal data and are written by someone else (SQLite
    creates its -wal and -shm files with the mode of the database file, so
    creating the database file 0600 covers all three).

    An existing file is never opened, only changed by name: closing any
    descriptor of a file drops every POSIX lock this process holds on it, and
    SQLite's locks on a database, its -wal and its -shm are such locks. A
    process with a connection open would lose them, and another connection
    closing would then take itself for the last one, checkpoint and delete
    the write-ahead log under the first ("file is not a database").
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        try:
            if stat.S_IMODE(os.stat(path).st_mode) & (stat.S_IRWXG | stat.S_IRWXO):
                os.chmod(path, 0o600)
        except FileNotFoundError:  # deleted meanwhile (SQLite removes its -wal and -shm): nothing to tighten
            pass
        except OSError as exc:
            raise OpenLedgerError(f"cannot make the file private: {exc.strerror}", path=path) from None
        return
    except OSError as exc:
        raise OpenLedgerError(f"cannot create the file: {exc.strerror}", path=path) from None
    os.close(fd)


def write_private(path: str | os.PathLike, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8), mode 0600, atomically: a temporary file beside it, then a rename.

    A reader sees the old file or the new one, never half of either; a full
    disk leaves the old file as it was (and no temporary file behind).
    """
    target = Path(path)
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(fd, 0o600)
            data = text.encode("utf-8")
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OpenLedgerError(f"cannot write the file: {exc.strerror}", path=target) from None

"""Files that hold secrets: created mode 0600 in one step, refused when others can read them.

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

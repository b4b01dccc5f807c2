"""The instance secret and what is keyed with it: the public case ids.

- :func:`create_secret` / :func:`load_secret`: the instance secret, a file of
  mode 0600 created atomically (``O_CREAT | O_EXCL``), never overwritten;
- :func:`pseudonym`: the public case id, ``C-`` and the base32 of the first 10
  bytes of HMAC-SHA256(secret, case id): stable across builds, not reversible
  without the secret.
"""

from __future__ import annotations

import base64
import hmac
import os
import secrets
import stat
from pathlib import Path

from openledger.errors import ConfigError, OpenLedgerError

SECRET_BYTES = 32


def create_secret(path: str | os.PathLike) -> bytes:
    """Create a new random secret in ``path`` (hex, mode 0600) and return it.

    The file is created with ``O_CREAT | O_EXCL`` and mode 0600 in one system
    call, so it is never readable by others, not even for a moment, and an
    existing secret is never overwritten.
    """
    path = Path(path)
    secret = secrets.token_bytes(SECRET_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise OpenLedgerError("the secret already exists; refusing to overwrite it", path=path) from None
    except OSError as error:
        raise OpenLedgerError(f"cannot create the secret: {error.strerror}", path=path) from None
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret.hex() + "\n")
    return secret


def load_secret(path: str | os.PathLike) -> bytes:
    """Read the secret written by :func:`create_secret`; refuse one readable by others."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise ConfigError("the instance secret is missing (run openledger init)", path=path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read the secret: {error}", path=path) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"the secret is readable by others (mode {stat.S_IMODE(mode):o}); chmod 600 it", path=path)
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        raise ConfigError("the secret is not hexadecimal", path=path) from None
    if len(secret) < 16:
        raise ConfigError("the secret is shorter than 16 bytes", path=path)
    return secret


def pseudonym(case_id: str | int, secret: bytes, prefix: str = "C-") -> str:
    """The public id of a case: ``C-`` + base32 of HMAC-SHA256(secret, id)[:10], in groups of 4."""
    if not secret:
        raise ConfigError("an empty secret cannot make pseudonyms")
    digest = hmac.digest(secret, str(case_id).encode("utf-8"), "sha256")[:10]
    code = base64.b32encode(digest).decode("ascii")  # 16 characters, no padding for 10 bytes
    return prefix + "-".join(code[i : i + 4] for i in range(0, 16, 4))

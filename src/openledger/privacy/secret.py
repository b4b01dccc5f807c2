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

from openledger.errors import ConfigError
from openledger.files import create_private, read_private

SECRET_BYTES = 32


def create_secret(path: str | os.PathLike[str]) -> bytes:
    """Create a new random secret in ``path`` (hex, mode 0600) and return it.

    The file is created with ``O_CREAT | O_EXCL`` and mode 0600 in one system
    call, so it is never readable by others, not even for a moment, and an
    existing secret is never overwritten.
    """
    secret = secrets.token_bytes(SECRET_BYTES)
    create_private(path, secret.hex() + "\n", "the secret")
    return secret


def load_secret(path: str | os.PathLike[str]) -> bytes:
    """Read the secret written by :func:`create_secret`; refuse one readable by others."""
    text = read_private(path, "the secret", ConfigError,
                        missing="the instance secret is missing (run openledger init)").strip()
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
    return f"{prefix}{code[0:4]}-{code[4:8]}-{code[8:12]}-{code[12:16]}"

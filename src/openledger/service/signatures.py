"""Who may post: signatures of webhook bodies (HMAC-SHA256, RFC 2104).

Every sender signs the raw body it posts with the instance's intake key
(``HOME/intake.key``, one line of text used as the key)::

    X-Openledger-Signature: sha256=<hex HMAC-SHA256(key, body)>

Two platforms sign with their own secret and header, which openledger
checks too on their own source's path when the secret is configured (a file
of mode 0600 named in ``[intake]``, never the secret itself):

- Meta (Facebook Pages, Messenger), ``meta_app_secret_file``:
  ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, body)>``;
- Zendesk webhooks, ``zendesk_secret_file``: ``X-Zendesk-Webhook-Signature:
  <base64 HMAC-SHA256(signing secret, timestamp + body)>`` with the timestamp
  in ``X-Zendesk-Webhook-Signature-Timestamp``.

Every comparison is constant-time (:func:`hmac.compare_digest`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from openledger.errors import ConfigError
from openledger.files import read_private

HEADER = "x-openledger-signature"
META_HEADER = "x-hub-signature-256"
ZENDESK_HEADER = "x-zendesk-webhook-signature"
ZENDESK_TIMESTAMP = "x-zendesk-webhook-signature-timestamp"


def sign(key: bytes, body: bytes) -> str:
    """The ``X-Openledger-Signature`` value for ``body``: ``sha256=`` and the hex HMAC."""
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def _hex_matches(given: str | None, key: bytes, body: bytes) -> bool:
    if not given or not given.startswith("sha256="):
        return False
    expected = hmac.new(key, body, hashlib.sha256).hexdigest().encode("ascii")
    return hmac.compare_digest(expected, given[len("sha256="):].strip().lower().encode("ascii", "replace"))


def _secret(path_value: object, what: str) -> bytes:
    path = Path(str(path_value)).expanduser()
    text = read_private(path, what, ConfigError).strip()
    if not text:
        raise ConfigError(f"{what} is empty", path=path)
    return text.splitlines()[0].encode("utf-8")


@dataclass(frozen=True)
class Keys:
    """The keys a post may be signed with."""

    intake: bytes
    meta: bytes | None = None
    zendesk: bytes | None = None

    @classmethod
    def load(cls, intake: bytes, settings: Mapping) -> Keys:
        """The intake key and the platforms' secrets named in ``[intake]``."""
        meta = settings.get("meta_app_secret_file")
        zendesk = settings.get("zendesk_secret_file")
        return cls(intake, _secret(meta, "the Meta app secret") if meta else None,
                   _secret(zendesk, "the Zendesk webhook signing secret") if zendesk else None)

    def verify(self, source: str, headers: Mapping[str, str], body: bytes) -> bool:
        """Whether ``body``, posted to ``source``'s path, carries a valid signature."""
        if _hex_matches(headers.get(HEADER), self.intake, body):
            return True
        if source == "facebook" and self.meta is not None:
            return _hex_matches(headers.get(META_HEADER), self.meta, body)
        if source == "zendesk" and self.zendesk is not None:
            given, stamp = headers.get(ZENDESK_HEADER), headers.get(ZENDESK_TIMESTAMP)
            if not given or not stamp:
                return False
            expected = base64.b64encode(hmac.new(self.zendesk, stamp.encode("utf-8") + body,
                                                 hashlib.sha256).digest())
            return hmac.compare_digest(expected, given.strip().encode("ascii", "replace"))
        return False

    def signed_by_anyone(self, headers: Mapping[str, str]) -> bool:
        """Whether the post carries any signature header at all (to tell 'missing' from 'wrong')."""
        return any(headers.get(h) for h in (HEADER, META_HEADER, ZENDESK_HEADER))

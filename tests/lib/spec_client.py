"""A minimal tlog-witness client and cosignature check, written from the C2SP spec text alone.

It uses nothing of openledger's witness code: the request body is written as
c2sp.org/tlog-witness's "add-checkpoint" section describes it, and a
cosignature is checked as c2sp.org/tlog-cosignature describes it (key id over
0x04, ``cosignature/v1``, ``time``, the note text) with the ``cryptography``
package directly, so the tests do not check openledger against itself.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class SpecClient:
    """A minimal tlog-witness client, from the spec text alone."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port

    def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, str, bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=body)
            response = conn.getresponse()
            return response.status, response.getheader("Content-Type") or "", response.read()
        finally:
            conn.close()

    def add_checkpoint(self, old: int, proof: list[bytes], checkpoint: bytes) -> tuple[int, str, bytes]:
        # "an old size line, zero or more consistency proof lines, and an empty line, followed by a checkpoint"
        body = f"old {old}\n".encode() + b"".join(base64.b64encode(h) + b"\n" for h in proof) + b"\n" + checkpoint
        return self.request("POST", "/add-checkpoint", body)


def spec_verify(vkey: str, checkpoint_note: bytes, line: bytes) -> int:
    """Check one cosignature line against a cosigner vkey; return its timestamp."""
    name, hex_id, b64 = vkey.split("+", 2)
    typed = base64.b64decode(b64)
    assert typed[0] == 0x04
    assert hashlib.sha256(name.encode() + b"\n" + typed).digest()[:4].hex() == hex_id
    assert line.startswith("\u2014 ".encode() + name.encode() + b" ") and line.endswith(b"\n")
    blob = base64.b64decode(line.split(b" ")[2])
    assert len(blob) == 4 + 8 + 64 and blob[:4].hex() == hex_id
    timestamp = int.from_bytes(blob[4:12], "big")
    text = checkpoint_note[: checkpoint_note.rindex(b"\n\n") + 1]  # the note text, final newline included
    message = b"cosignature/v1\ntime " + str(timestamp).encode() + b"\n" + text
    Ed25519PublicKey.from_public_bytes(typed[1:]).verify(blob[12:], message)  # raises if it does not verify
    return timestamp

"""Asking witnesses over HTTP (httpx, with keep-alive connections).

:meth:`WitnessClient.add_checkpoint` is the log's side of c2sp.org/tlog-witness;
:meth:`WitnessClient.latest_checkpoint` reads a witness's (or a monitor's)
monitoring API, ``GET <prefix>/<sha256(origin) hex>/checkpoint``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from openledger.errors import OpenLedgerError
from openledger.witness import protocol

DEFAULT_TIMEOUT = 10.0
USER_AGENT = "openledger-witness-client"


@dataclass(frozen=True)
class Reply:
    """A witness's answer: HTTP status, body and content type."""

    status: int
    body: bytes
    content_type: str

    def first_line(self) -> str:
        """The body's first line (for messages), at most 200 characters."""
        return self.body.decode("utf-8", errors="replace").strip().split("\n")[0][:200]


def _join(prefix: str, path: str) -> str:
    return prefix.rstrip("/") + "/" + path


class WitnessClient:
    """An HTTP client for witnesses and monitors; close it (or use ``with``) when done."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT):
        self.http = httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=False)

    def __enter__(self) -> WitnessClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def add_checkpoint(self, prefix: str, old_size: int, proof: Sequence[bytes], signed_note: bytes) -> Reply:
        """POST ``<prefix>/add-checkpoint``; OpenLedgerError if the witness cannot be reached."""
        url = _join(prefix, protocol.ADD_CHECKPOINT)
        try:
            response = self.http.post(url, content=protocol.encode_request(old_size, tuple(proof), signed_note))
        except httpx.HTTPError as exc:
            raise OpenLedgerError(f"cannot reach the witness: {exc}", path=url) from None
        return Reply(response.status_code, response.content, response.headers.get("content-type", ""))

    def latest_checkpoint(self, prefix: str, origin: str) -> bytes | None:
        """The latest checkpoint of ``origin`` that a witness or monitor serves; None on 404."""
        url = _join(prefix, f"{protocol.origin_hash(origin)}/checkpoint")
        try:
            response = self.http.get(url)
        except httpx.HTTPError as exc:
            raise OpenLedgerError(f"cannot reach: {exc}", path=url) from None
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise OpenLedgerError(f"HTTP {response.status_code}", path=url)
        return response.content

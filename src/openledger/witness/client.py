"""Asking witnesses over HTTP, each answer whole within a deadline (:mod:`openledger.ledger.fetching`).

:meth:`WitnessClient.add_checkpoint` is the log's side of c2sp.org/tlog-witness;
:meth:`WitnessClient.latest_checkpoint` reads a witness's (or a monitor's)
monitoring API, ``GET <prefix>/<sha256(origin) hex>/checkpoint``.
"""

from __future__ import annotations

import http.client
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from openledger.errors import OpenLedgerError
from openledger.ledger.fetching import Answer, AnswerTooLarge, fetch
from openledger.witness import protocol

DEFAULT_TIMEOUT = 10.0
#: seconds a witness's or a monitor's whole answer may take (a peer is anyone's: one that drips its answer
#: must not hold a build's cosigning or a monitor's round open for ever)
DEADLINE = 60.0
#: the most a witness's or a monitor's answer may hold (a checkpoint and its cosignatures are a few kB)
MAX_ANSWER = 1 << 20
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
    """An HTTP client for witnesses and monitors (redirects are not followed); close it (or use ``with``)."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT):
        self.timeout = timeout

    def __enter__(self) -> WitnessClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Nothing is kept between requests (each answer is read whole, then its connection closed)."""

    def _fetch(self, request: urllib.request.Request, url: str, failing: str) -> Answer:
        try:
            return fetch(request, timeout=self.timeout, deadline=max(DEADLINE, self.timeout), limit=MAX_ANSWER,
                         redirects=False)
        except AnswerTooLarge as exc:
            raise OpenLedgerError(f"{failing}: its answer holds {exc}", path=url) from None
        except (OSError, http.client.HTTPException) as exc:
            raise OpenLedgerError(f"{failing}: {getattr(exc, 'reason', exc)}", path=url) from None

    def add_checkpoint(self, prefix: str, old_size: int, proof: Sequence[bytes], signed_note: bytes) -> Reply:
        """POST ``<prefix>/add-checkpoint``; OpenLedgerError if the witness cannot be reached."""
        url = _join(prefix, protocol.ADD_CHECKPOINT)
        body = protocol.encode_request(old_size, tuple(proof), signed_note)
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "User-Agent": USER_AGENT, "Content-Type": "text/plain; charset=utf-8"})
        answer = self._fetch(request, url, "cannot reach the witness")
        return Reply(answer.status, answer.body, answer.headers.get("content-type", ""))

    def latest_checkpoint(self, prefix: str, origin: str) -> bytes | None:
        """The latest checkpoint of ``origin`` that a witness or monitor serves; None on 404."""
        url = _join(prefix, f"{protocol.origin_hash(origin)}/checkpoint")
        answer = self._fetch(urllib.request.Request(url, headers={"User-Agent": USER_AGENT}), url, "cannot reach")
        if answer.status == 404:
            return None
        if answer.status != 200:
            raise OpenLedgerError(f"HTTP {answer.status}", path=url)
        return answer.body

"""HTTP requests that end: every wait bounded, and the whole answer too (standard library only).

urllib's ``timeout`` bounds each wait on the socket (connecting, or the next bytes), not the answer: a server
that sends a byte every few seconds keeps a reader waiting for ever. :func:`fetch` makes one request with a
deadline for the whole of it (connection, TLS handshake, redirects, headers and body): when it passes, the
request's connections are shut down, which ends whatever read waits on them, and :class:`DeadlineExceeded`
is raised, even where the cut answer would otherwise read as a whole one (an answer without a length ends
where its connection does). It reads the answer of any status, at most so many bytes.

Used by the readers of published sites (:mod:`~openledger.ledger.published`: a site is the company's word),
the pollers (:mod:`openledger.intake.pollkit`: an unattended ``openledger run`` must not hang on an API that
stalls) and the witness client (:mod:`openledger.witness.client`: a monitor asks peers that may be anyone's).
"""

from __future__ import annotations

import heapq
import http.client
import os
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

#: the most read of an answer outside 2xx (its first line goes into messages; the rest is not needed)
ERROR_BODY = 1 << 16


class DeadlineExceeded(TimeoutError):
    """The whole answer did not arrive within its deadline (a :class:`TimeoutError`, as a per-wait one is)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"not whole within {seconds:,g} s")
        self.seconds = seconds


class AnswerTooLarge(ValueError):
    """An answer holds more bytes than the reader accepts (it is not read further)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"over {limit:,} bytes")
        self.limit = limit


@dataclass(frozen=True)
class Answer:
    """An HTTP answer, whatever its status: status, reason, headers (names lower case), body."""

    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes


class _Fetch:
    """One request's connections (each a duplicate of its socket's descriptor, so that TLS wrapping or
    closing the original never frees the number for another connection), shut down at once when the
    deadline passes."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.sockets: list[socket.socket] = []
        self.cut = False
        self.lock = threading.Lock()

    def watch(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.append(sock.dup())
            if self.cut:
                self._shut()

    def shut(self) -> None:
        with self.lock:
            self.cut = True
            self._shut()

    def _shut(self) -> None:
        for sock in self.sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:  # already closed by the server
                pass

    def close(self) -> None:
        with self.lock:
            for sock in self.sockets:
                sock.close()
            self.sockets.clear()


class _Watchdog:
    """One thread per process that shuts every request whose deadline has passed (a heap of deadlines)."""

    def __init__(self) -> None:
        self.due: list[tuple[float, int, _Fetch]] = []
        self.wake = threading.Condition()
        self.thread: threading.Thread | None = None

    def start(self, fetch: _Fetch) -> None:
        with self.wake:
            heapq.heappush(self.due, (fetch.deadline, id(fetch), fetch))
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="openledger-fetch-deadlines", daemon=True)
                self.thread.start()
            self.wake.notify()

    def _run(self) -> None:
        with self.wake:
            while True:
                now = time.monotonic()
                while self.due and self.due[0][0] <= now:
                    heapq.heappop(self.due)[2].shut()
                self.wake.wait(self.due[0][0] - now if self.due else None)

    def stop(self, fetch: _Fetch) -> None:
        with self.wake:
            try:
                self.due.remove((fetch.deadline, id(fetch), fetch))
            except ValueError:  # already due and shut
                pass
            else:
                heapq.heapify(self.due)


_watchdog = _Watchdog()
_current = threading.local()  # the request this thread runs, whose connections are watched


def _fresh_watchdog() -> None:  # a forked process has none of its parent's threads
    global _watchdog
    _watchdog = _Watchdog()


os.register_at_fork(after_in_child=_fresh_watchdog)


@contextmanager
def _within(seconds: float) -> Iterator[None]:
    """Run the requests made in this block (this thread's, through :func:`fetch`) within ``seconds`` in
    all: past it, their connections are shut down and :class:`DeadlineExceeded` is raised (from the block's
    read that was cut, or at the block's end if that read returned what arrived until then)."""
    fetch = _Fetch(time.monotonic() + seconds)
    outer = getattr(_current, "fetch", None)
    _current.fetch = fetch
    _watchdog.start(fetch)
    try:
        yield
    except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
        if fetch.cut and not isinstance(exc, urllib.error.HTTPError):
            raise DeadlineExceeded(seconds) from None
        raise
    finally:
        _current.fetch = outer
        _watchdog.stop(fetch)
        fetch.close()
    if fetch.cut:
        raise DeadlineExceeded(seconds)


def _connect(*args: Any, **kwargs: Any) -> socket.socket:
    sock = socket.create_connection(*args, **kwargs)
    fetch = getattr(_current, "fetch", None)
    if fetch is not None:
        fetch.watch(sock)
    return sock


class _Watched(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _WatchedTLS(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_Watched, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_WatchedTLS, req, context=getattr(self, "_context", None))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx is the answer


def _opener(context: ssl.SSLContext | None, redirects: bool) -> urllib.request.OpenerDirector:
    handlers: list[Any] = [_HTTPHandler, _HTTPSHandler(context=context) if context is not None else _HTTPSHandler]
    if not redirects:
        handlers.append(_NoRedirects)
    return urllib.request.build_opener(*handlers)


_OPENERS = {True: _opener(None, True), False: _opener(None, False)}


def fetch(request: str | urllib.request.Request, *, timeout: float, deadline: float, limit: int,
          context: ssl.SSLContext | None = None, redirects: bool = True) -> Answer:
    """Make ``request`` (a URL: GET) and read its answer within ``deadline`` seconds in all, with no wait
    over ``timeout``: the answer of any status (urllib's opener: proxies from the environment, redirects
    followed unless ``redirects`` is false, ``context`` for TLS). The body of a 2xx answer holds at most
    ``limit`` bytes (more: :class:`AnswerTooLarge`); of any other, its first :data:`ERROR_BODY` bytes.
    Network failures raise ``OSError`` (``urllib.error.URLError``, :class:`DeadlineExceeded`) or
    ``http.client.HTTPException``."""
    opener = _OPENERS[redirects] if context is None else _opener(context, redirects)
    with _within(deadline):
        try:
            answer = opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            answer = error
        with answer:
            ok = 200 <= answer.status < 300
            body = answer.read(limit + 1 if ok else ERROR_BODY)
            if ok and len(body) > limit:
                raise AnswerTooLarge(limit)
            return Answer(answer.status, str(getattr(answer, "reason", "") or ""),
                          {k.lower(): v for k, v in (answer.headers or {}).items()}, body)

"""Helpers for writing pollers (see ``register_pollers``): secrets and a patient HTTP client.

- :func:`secret_option`: a password or token named by the poller's options as
  a file (``password_file``, mode 0600 enforced) or an environment variable
  (``password_env``), never written in the config itself;
- :class:`HttpClient`: GET requests over HTTPS that wait as the service asks
  (HTTP 429 with ``Retry-After``, RFC 9110), retry 5xx answers and network
  failures with growing pauses, and raise :class:`~openledger.errors.PollError`
  with one line when they give up; :func:`links` reads a ``Link`` header
  (RFC 8288), as paginated APIs (Mastodon, GitHub) use it.

Built-in pollers and third-party ones use the same helpers, so every poller
reports a failing service the same way.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import math
import os
import re
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from openledger import __version__
from openledger.errors import ConfigError, PollError
from openledger.files import read_private
from openledger.ledger.fetching import AnswerTooLarge, fetch

USER_AGENT = f"openledger/{__version__} (+https://example.invalid/openledger)"


def secret_option(options: Mapping, name: str, *, poller: str = "poller") -> str:
    """The secret ``name`` (``password``, ``token``) from ``NAME_file`` or ``NAME_env``.

    ``NAME_file`` is a file holding it on one line, readable only by its owner
    (mode 0600); ``NAME_env`` names an environment variable holding it. The
    secret itself in the config is refused: configs get shared and committed.
    """
    if options.get(name):
        raise ConfigError(f"[pollers.{poller}] {name}: never put a secret in the config; give {name}_file "
                          f"(a file of mode 0600) or {name}_env (an environment variable's name)")
    if options.get(f"{name}_file"):
        path = Path(str(options[f"{name}_file"])).expanduser()
        text = read_private(path, f"the {name} file", ConfigError).strip()
        if not text:
            raise ConfigError(f"the {name} file is empty", path=path)
        return text.splitlines()[0]
    if options.get(f"{name}_env"):
        variable = str(options[f"{name}_env"])
        value = os.environ.get(variable, "")
        if not value:
            raise ConfigError(f"[pollers.{poller}] {name}_env: the environment variable {variable} is not set")
        return value
    raise ConfigError(f"[pollers.{poller}] needs {name}_file (a file of mode 0600) or {name}_env "
                      "(an environment variable's name)")


_LINK = re.compile(r'<([^>]*)>\s*((?:;\s*[^;,]*)*)')


def links(header: str | None) -> dict[str, str]:
    """The URLs of a ``Link`` header by relation: ``{"next": ..., "prev": ...}``."""
    found: dict[str, str] = {}
    for match in _LINK.finditer(header or ""):
        for param in match.group(2).split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "rel":
                for rel in value.strip().strip('"').split():
                    found.setdefault(rel.lower(), match.group(1))
    return found


def retry_after(value: str | None, default: float) -> float:
    """Seconds to wait from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class HttpStatusError(PollError):
    """The service answered with an error status (after the retries a 5xx gets)."""

    def __init__(self, url: str, status: int, body: bytes):
        self.url, self.status, self.body = url, status, body
        super().__init__(f"{url}: HTTP {status} {_excerpt(body)}".rstrip())


@dataclass
class Response:
    """An HTTP answer: status, headers (names lower case) and body."""

    status: int
    headers: dict[str, str]
    body: bytes
    url: str

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise PollError(f"{self.url}: the answer is not JSON ({exc})") from None
        except RecursionError:
            raise PollError(f"{self.url}: the answer is not JSON (nested too deeply)") from None


@dataclass
class HttpClient:
    """A small HTTP client for pollers: JSON APIs, patient with rate limits and outages.

    ``attempts`` is how many times one request is tried on a 5xx answer or a
    network failure (pausing ``backoff``, doubled each time); a 429 waits
    its ``Retry-After`` (at most ``max_wait`` seconds, else the poll stops
    and resumes next time). ``ca_file`` trusts another certificate
    authority (a company proxy, a test server). No wait on the server
    lasts over ``timeout`` seconds and no answer over ``deadline`` in all
    (a server that sends a byte every few seconds is cut there, and the
    attempt counts as a network failure), nor holds over ``max_bytes``: an
    unattended ``openledger run`` must not hang on an API that stalls.
    """

    headers: Mapping[str, str] = field(default_factory=dict)
    attempts: int = 4
    backoff: float = 1.0
    max_wait: float = 300.0
    timeout: float = 30.0
    deadline: float = 300.0
    max_bytes: int = 256 << 20
    ca_file: str | None = None
    sleep: Callable[[float], None] = time.sleep
    waited: float = 0.0

    @classmethod
    def from_options(cls, options: Mapping[str, Any], headers: Mapping[str, str]) -> HttpClient:
        """A client set from a poller's ``[pollers.NAME]`` options: ``ca_file``, ``max_wait``, ``backoff``,
        ``timeout`` and ``deadline`` (seconds), each defaulting to the client's own."""
        client = cls(headers=headers, ca_file=options.get("ca_file"))
        for name in ("max_wait", "backoff", "timeout", "deadline"):
            if name in options:
                value = options[name]
                try:
                    seconds = math.nan if isinstance(value, bool) else float(value)
                except (TypeError, ValueError):
                    seconds = math.nan
                if not 0 <= seconds < math.inf:
                    raise ConfigError(f"poller option {name} = {value!r}: not a number of seconds")
                setattr(client, name, seconds)
        return client

    def _context(self) -> ssl.SSLContext | None:
        return ssl.create_default_context(cafile=self.ca_file) if self.ca_file else None

    def _answer(self, request: urllib.request.Request, url: str) -> Response:
        """One attempt's answer, whatever its status, read whole within ``deadline``."""
        try:
            answer = fetch(request, timeout=self.timeout, deadline=self.deadline, limit=self.max_bytes,
                           context=self._context())
        except AnswerTooLarge:
            raise PollError(f"{url}: the answer holds over {self.max_bytes:,} bytes; not read") from None
        return Response(answer.status, dict(answer.headers), answer.body, url)

    def get(self, url: str, params: Mapping[str, Any] | None = None) -> Response:
        """GET ``url`` (with ``params`` as its query); a 2xx answer, or :class:`PollError`."""
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params, doseq=True)
        pause = self.backoff
        for attempt in range(1, self.attempts + 1):
            request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json",
                                                           **self.headers})
            try:
                answer = self._answer(request, url)
            except (OSError, http.client.HTTPException) as error:  # URLError, timeouts, TLS, a cut answer
                reason = getattr(error, "reason", error)
                if attempt < self.attempts:
                    self.sleep(pause)
                    pause *= 2
                    continue
                raise PollError(f"{url}: cannot connect ({reason})") from None
            if 200 <= answer.status < 300:
                return answer
            if answer.status == 429:
                wait = retry_after(answer.headers.get("retry-after"), pause)
                if wait > self.max_wait:
                    raise PollError(f"{url}: rate limited (HTTP 429) for {wait:.0f} s, longer than "
                                    f"max_wait {self.max_wait:.0f} s; resuming next time")
                self.waited += wait
                self.sleep(wait)
                continue  # a rate limit is not a failure: it does not use up an attempt's pause
            if 500 <= answer.status < 600 and attempt < self.attempts:
                self.sleep(pause)
                pause *= 2
                continue
            raise HttpStatusError(url, answer.status, answer.body)
        raise PollError(f"{url}: no answer after {self.attempts} attempts")


def _excerpt(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip().replace("\n", " ")
    return f"({text[:200]})" if text else ""

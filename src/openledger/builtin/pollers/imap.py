"""The ``imap`` poller: new mail in a mailbox (IMAP4rev1, RFC 3501), read by the ``email`` source.

Configured in the instance config, the password never in it::

    [pollers.support-mail]
    type = "imap"                      # the table's name when it is "imap"
    host = "imap.example.com"
    user = "support@example.com"
    password_file = "/etc/openledger/imap-password"   # mode 0600; or password_env = "IMAP_PASSWORD"
    mailbox = "INBOX"                  # default
    tls = "ssl"                        # implicit TLS on port 993 (default); "starttls" on 143
    # ca_file = "/etc/ssl/company-ca.pem"  # to trust another certificate authority
    # batch = 50                       # messages fetched per page

The mailbox is opened read-only (``EXAMINE``) and messages are fetched with
``BODY.PEEK[]``: nothing is marked read, moved or deleted. The cursor is the
mailbox's ``UIDVALIDITY`` and the highest UID stored (RFC 3501 2.3.1.1): each
run fetches the messages above it, oldest first, a page of ``batch`` at a
time. When the server changes ``UIDVALIDITY`` (the mailbox was recreated,
UIDs renumbered) the whole mailbox is read again; the ``email`` source's ids
(Message-ID, else a hash of the message) keep anything already stored from
being stored twice. ``tls = "none"`` (a password in clear) is accepted only
for a server on this machine.
"""

from __future__ import annotations

import imaplib
import re
import ssl
from collections.abc import Iterator, Mapping
from typing import Any

from openledger import __version__, hookimpl
from openledger.errors import ConfigError, PollError
from openledger.intake.pollkit import secret_option
from openledger.records import Page, Payload

TLS_MODES = {"ssl": 993, "starttls": 143, "none": 143}
LOOPBACK = {"localhost", "127.0.0.1", "::1"}
_UID = re.compile(rb"UID (\d+)")


def _quote(mailbox: str) -> str:
    """A mailbox name as an IMAP quoted string."""
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(value: Any, name: str, default: int) -> int:
    number = value if value is not None else default
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise ConfigError(f"[pollers] imap: {name} must be a whole number of at least 1, not {value!r}")
    return number


class ImapPoller:
    name = "imap"
    version = __version__
    description = "New mail in an IMAP mailbox (read-only, TLS), read by the email source"
    source = "email"

    def _connect(self, options: Mapping) -> imaplib.IMAP4:
        host = str(options.get("host") or "")
        if not host:
            raise ConfigError("[pollers] imap: host is required")
        tls = str(options.get("tls", "ssl")).lower()
        if tls not in TLS_MODES:
            raise ConfigError(f"[pollers] imap: tls must be one of {', '.join(TLS_MODES)}, not {tls!r}")
        if tls == "none" and host not in LOOPBACK:
            raise ConfigError(f"[pollers] imap: tls = \"none\" would send the password to {host} in clear; "
                              "use ssl or starttls")
        port = _number(options.get("port"), "port", TLS_MODES[tls])
        timeout = _number(options.get("timeout"), "timeout", 60)
        context = ssl.create_default_context(cafile=str(options["ca_file"]) if options.get("ca_file") else None)
        try:
            if tls == "ssl":
                return imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=timeout)
            conn = imaplib.IMAP4(host, port, timeout=timeout)
            if tls == "starttls":
                conn.starttls(ssl_context=context)
            return conn
        except ssl.SSLError as exc:
            raise PollError(f"IMAP {host}:{port}: TLS failed: {exc.reason or exc}") from None
        except (TimeoutError, OSError, imaplib.IMAP4.error) as exc:
            raise PollError(f"IMAP {host}:{port}: cannot connect: {exc}") from None

    def poll(self, cursor: Mapping | None, options: Mapping) -> Iterator[Page]:
        user = str(options.get("user") or "")
        if not user:
            raise ConfigError("[pollers] imap: user is required")
        password = secret_option(options, "password", poller="imap")
        mailbox = str(options.get("mailbox") or "INBOX")
        batch = _number(options.get("batch"), "batch", 50)
        conn = self._connect(options)
        try:
            try:
                conn.login(user, password)
            except imaplib.IMAP4.error as exc:
                raise PollError(f"IMAP login as {user} refused: {_text(exc)}") from None
            status, data = conn.select(_quote(mailbox), readonly=True)
            if status != "OK":
                raise PollError(f"IMAP mailbox {mailbox!r} cannot be opened: {_text(data)}")
            validity = _response_number(conn, "UIDVALIDITY")
            last = 0
            if cursor and cursor.get("uidvalidity") == validity and cursor.get("mailbox", mailbox) == mailbox:
                last = int(cursor.get("uid") or 0)
            status, data = conn.uid("SEARCH", f"UID {last + 1}:*")
            if status != "OK":
                raise PollError(f"IMAP search in {mailbox!r} failed: {_text(data)}")
            # "n:*" always includes the last message, even below n: keep only the new ones
            uids = sorted(u for u in (int(x) for x in (data[0] or b"").split()) if u > last)
            for start in range(0, len(uids), batch):
                chunk = uids[start : start + batch]
                payloads = self._fetch(conn, chunk, mailbox)
                yield Page(payloads, {"mailbox": mailbox, "uidvalidity": validity, "uid": chunk[-1]},
                           note=f"UIDs {chunk[0]}..{chunk[-1]}")
        except (OSError, imaplib.IMAP4.abort) as exc:
            raise PollError(f"IMAP connection lost: {exc}") from None
        finally:
            try:
                conn.logout()
            except (OSError, imaplib.IMAP4.error):
                pass

    def _fetch(self, conn: imaplib.IMAP4, uids: list[int], mailbox: str) -> tuple[Payload, ...]:
        status, data = conn.uid("FETCH", ",".join(str(u) for u in uids), "(UID BODY.PEEK[])")
        if status != "OK":
            raise PollError(f"IMAP fetch in {mailbox!r} failed: {_text(data)}")
        found: dict[int, bytes] = {}
        for n, part in enumerate(data):
            if not isinstance(part, tuple):
                continue
            header, body = part
            match = _UID.search(header)
            if match is None and n + 1 < len(data) and isinstance(data[n + 1], bytes):
                match = _UID.search(data[n + 1])  # some servers send the UID after the body
            if match is not None:
                found[int(match.group(1))] = body
        missing = [u for u in uids if u not in found]
        if missing:  # expunged meanwhile: nothing to store, the cursor passes them
            uids = [u for u in uids if u in found]
        return tuple(Payload(found[u], "message/rfc822", f"UID {u}") for u in uids)


def _response_number(conn: imaplib.IMAP4, name: str) -> int:
    _, values = conn.response(name)
    try:
        return int(values[0])
    except (TypeError, ValueError, IndexError):
        raise PollError(f"the IMAP server sent no {name} for the mailbox") from None


def _text(value: Any) -> str:
    if isinstance(value, imaplib.IMAP4.error):
        value = value.args[0] if value.args else value
    if isinstance(value, list):
        value = b" ".join(v for v in value if isinstance(v, bytes))
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value).strip()


@hookimpl
def register_pollers(register, config):
    """Register the ``imap`` poller."""
    register(ImapPoller())

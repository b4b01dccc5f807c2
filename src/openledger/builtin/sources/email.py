"""The ``email`` source: mbox, Maildir and .eml files (RFC 5322 / MIME), and single
messages fetched over IMAP (``read_payload``, see the ``imap`` poller).

Reads with the standard library's :mod:`mailbox` and :mod:`email` (policy
``email.policy.default``): MIME multipart, quoted-printable and base64,
RFC 2047 encoded headers in any charset, HTML-only mails reduced to text.
Threads follow RFC 5322: ``reply_to`` is the In-Reply-To message id,
``thread`` the root (first id) of References.

The path may be an mbox file (RFC 4155, including Mailman "pipermail"
archives), a Maildir folder (with ``cur``/``new``/``tmp``), one ``.eml``
file, or a folder of ``.eml`` files and mbox files (any file that starts with
``From ``, whatever its name: pipermail's ``2018-January.txt``), read in name
order, each message's location naming its file. An mbox that does not end with a line
break was cut in its last message: that message is refused (quarantined with
``--skip-bad``), never imported half. Pipermail does not escape body lines
that begin with ``From ``, so a naive mbox reader sees a false message
without headers; such a fragment is merged back into the message before it.
"""

from __future__ import annotations

import email
import email.header
import email.policy
import email.utils
import hashlib
import mailbox
from collections.abc import Iterator, Mapping
from datetime import datetime
from email.errors import CloseBoundaryNotFoundDefect
from email.message import EmailMessage, Message
from pathlib import Path

from openledger import hookimpl, patterns
from openledger.errors import SourceError
from openledger.intake.sourcekit import Source, checked, html_to_text, option_list
from openledger.records import MessageRecord, Rejected
from openledger.timeutil import parse_time

VERSION = "1.0"

_OBFUSCATED = patterns.compile(r"(?<![\w.+'-])([\w.+'-]+) at ([\w-]+(?:\.[\w-]+)+)")
_MSG_ID = patterns.compile(r"<([^<>\s]+)>")
_FROM_LINE_DATE = patterns.compile(r"(\w{3} \w{3} +\d{1,2} \d\d:\d\d:\d\d \d{4})\s*$")


def _parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def unraw(text: str) -> str:
    """Header text as real characters: raw 8-bit bytes in a header (against RFC 5322, common in
    old mbox files: ``From: J\xf6rg``) reach Python as surrogate escapes, which no database or
    hash can encode; they are decoded as UTF-8, else as Windows-1252."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    data = text.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _raw(message: EmailMessage, name: str) -> str:
    return unraw(next((str(v) for k, v in message.raw_items() if k.lower() == name.lower()), ""))


def _header(message: EmailMessage, name: str) -> str:
    """A header's decoded text ('' if absent); the raw text if it cannot be parsed."""
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError, AttributeError):
        value = _raw(message, name)
    text = str(value or "").strip()
    if "\ufffd" in text:  # raw 8-bit bytes the parser replaced: read them from the raw header
        raw = _raw(message, name).strip()
        if raw and "\ufffd" not in raw:
            return raw
    return unraw(text)


def _is_fragment(message: EmailMessage) -> bool:
    """A false message: a body line 'From ...' taken as an mbox separator."""
    return not any(_raw(message, name) for name in ("From", "Date", "Message-ID", "Subject"))


def sender(message: EmailMessage) -> tuple[str, str]:
    """(display name, lower-case address) of From, undoing pipermail's 'x at y'."""
    try:
        addresses = getattr(message.get("From"), "addresses", ())
    except (ValueError, IndexError, TypeError, AttributeError):
        addresses = ()
    if addresses and "@" in addresses[0].addr_spec:
        return unraw(addresses[0].display_name), unraw(addresses[0].addr_spec).lower()
    raw = _raw(message, "From")
    if "@" not in raw:
        raw = _OBFUSCATED.sub(r"\1@\2", raw)
    name, address = email.utils.parseaddr(raw)
    if name:
        try:
            name = str(email.header.make_header(email.header.decode_header(name)))
        except (ValueError, LookupError, UnicodeError):
            pass  # an encoded word that does not decode: the name as written
    return unraw(name), unraw(address).lower()


def _ids(value: str) -> list[str]:
    return _MSG_ID.findall(value or "")


def _decode_text(part: Message) -> str:
    """Decode a text part; a body whose declared charset is wrong is tried as UTF-8.

    Mail in the wild often declares one charset and carries another (UTF-8
    labelled GB2312, Windows-1252 labelled UTF-8): the declared charset wins
    if it decodes without errors, then UTF-8, then Windows-1252.
    """
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(part.get_payload())
    declared = part.get_content_charset() or "us-ascii"
    for charset in (declared, "utf-8"):
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        lenient = payload.decode(declared, errors="replace")
    except LookupError:
        lenient = payload.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") * 100 <= len(lenient):
        return lenient  # the right charset with a few broken bytes
    return payload.decode("cp1252", errors="replace")


def body_text(message: EmailMessage) -> str:
    """The plain text of a message: text/plain, else text/html reduced to text."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        for candidate in message.walk():
            if candidate.get_content_maintype() == "text":
                part = candidate
                break
    if part is None:
        return ""
    content = _decode_text(part)
    if part.get_content_subtype() == "html":
        return html_to_text(content)
    return content.replace("\r\n", "\n").strip()


def _timestamp(message: EmailMessage, from_line: str | None) -> datetime:
    try:
        value = message.get("Date")
    except (ValueError, IndexError, TypeError, AttributeError):
        value = _raw(message, "Date")
    when = getattr(value, "datetime", None)
    if when is None and value:
        try:
            when = email.utils.parsedate_to_datetime(str(value))
        except (TypeError, ValueError):
            when = None
    if when is None and from_line:
        match = _FROM_LINE_DATE.search(from_line)
        if match:
            when = datetime.strptime(" ".join(match.group(1).split()), "%a %b %d %H:%M:%S %Y")
    if when is None:
        raise ValueError("no readable Date header")
    return parse_time(when)


class _Company:
    """The company's own addresses (``user@domain``) and domains (``@domain``)."""

    def __init__(self, options: Mapping) -> None:
        entries = [e.lower() for e in option_list(options, "company_addresses")]
        self.domains = {e[1:] for e in entries if e.startswith("@")}
        self.addresses = {e for e in entries if not e.startswith("@")}

    def __contains__(self, address: str) -> bool:
        return address in self.addresses or address.rpartition("@")[2] in self.domains


def to_record(
    message: EmailMessage,
    raw: bytes,
    location: str,
    company: _Company,
    *,
    from_line: str | None = None,
    extra_text: str = "",
) -> MessageRecord | Rejected:
    """Map one parsed e-mail to a MessageRecord (or a Rejected)."""
    if any(isinstance(d, CloseBoundaryNotFoundDefect) for part in message.walk() for d in part.defects):
        return Rejected(
            location, "truncated message: a MIME part has no closing boundary", raw[:2000].decode("utf-8", "replace")
        )
    try:
        when = _timestamp(message, from_line)
    except ValueError as error:
        return Rejected(location, str(error), raw[:2000].decode("utf-8", "replace"))
    name, address = sender(message)
    own_ids = _ids(_header(message, "Message-ID"))
    message_id = own_ids[0] if own_ids else "sha256:" + hashlib.sha256(raw).hexdigest()[:32]
    in_reply_to = _ids(_header(message, "In-Reply-To"))
    references = _ids(_header(message, "References"))
    outgoing = bool(address) and address in company
    text = body_text(message)
    if extra_text:
        text = (text + "\n" + extra_text).strip()
    # headers are the sender's to write (a Message-ID of 600 characters, a reply to itself): checked as input
    return checked(MessageRecord(
        id=message_id,
        channel="email",
        visibility="private",
        timestamp=when,
        text=text,
        author=name or address or None,
        reply_to=in_reply_to[0] if in_reply_to else (references[-1] if references else None),
        direction="out" if outgoing else "in",
        thread=references[0] if references else None,
        subject=_header(message, "Subject") or None,
        identities=(address,) if "@" in address and not outgoing else (),
        location=location,
        meta={"to": _header(message, "To"), "list_id": _header(message, "List-Id") or None},
    ), raw=raw[:2000].decode("utf-8", "replace"))


def _ends_cut(path: Path) -> bool:
    """An mbox whose last byte is not a line break was cut in the middle of its last message."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        if handle.tell() == 0:
            return False
        handle.seek(-1, 2)
        return handle.read(1) != b"\n"


def _read_mbox(path: Path, company: _Company, prefix: str = "") -> Iterator[MessageRecord | Rejected]:
    """The messages of an mbox; ``prefix`` goes before each location ("message 3"), naming the file in a folder."""
    cut = _ends_cut(path)
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        pending: tuple | None = None  # (message, raw, location, from_line, extra_text)
        number = 0  # real messages, not the false ones pipermail creates
        for key in box.keys():
            with box.get_file(key, from_=True) as handle:
                raw_with_from = handle.read()
            from_line, _, raw = raw_with_from.partition(b"\n")
            message = _parse(raw)
            if _is_fragment(message):
                fragment = raw_with_from.decode("utf-8", errors="replace").rstrip("\n")
                if pending is None:
                    yield Rejected(
                        f"{prefix}message {number + 1}", "a message without headers at the start of the mbox",
                        fragment[:2000]
                    )
                else:
                    pending = (*pending[:4], (pending[4] + "\n" + fragment).strip("\n"))
                continue
            if pending is not None:
                yield to_record(
                    pending[0], pending[1], pending[2], company, from_line=pending[3], extra_text=pending[4]
                )
            number += 1
            pending = (message, raw, f"{prefix}message {number}", from_line.decode("latin-1"), "")
        if pending is not None and cut:
            reason = (f"truncated: the file ends in the middle of this message (at byte {path.stat().st_size:,}, "
                      "without the line break that ends every mbox message)")
            yield Rejected(pending[2], reason, pending[1][-2000:].decode("utf-8", "replace"))
        elif pending is not None:
            yield to_record(pending[0], pending[1], pending[2], company, from_line=pending[3], extra_text=pending[4])
    finally:
        box.close()


def _read_maildir(path: Path, company: _Company) -> Iterator[MessageRecord | Rejected]:
    box = mailbox.Maildir(path, factory=None, create=False)
    for number, key in enumerate(sorted(box.keys()), start=1):
        raw = box.get_bytes(key)
        yield to_record(_parse(raw), raw, f"message {number} ({key})", company)


def _read_eml(path: Path, company: _Company, location: str | None = None) -> Iterator[MessageRecord | Rejected]:
    raw = path.read_bytes()
    message = _parse(raw)
    if _is_fragment(message):
        raise SourceError("not an e-mail message (no From, Date, Message-ID or Subject header)", path=path)
    yield to_record(message, raw, location or path.name, company)


def read(path: Path, options: Mapping) -> Iterator[MessageRecord | Rejected]:
    """Read an mbox file, a Maildir, one .eml file or a folder of .eml files."""
    company = _Company(options)
    if path.is_dir():
        if all((path / sub).is_dir() for sub in ("cur", "new", "tmp")):
            yield from _read_maildir(path, company)
            return
        files = sorted(f for f in path.iterdir() if f.is_file() and (f.suffix.lower() == ".eml" or _is_mbox(f)))
        if not files:
            raise SourceError("not a Maildir (no cur/, new/ and tmp/ folders) and holds no .eml or mbox files "
                              "(files that start with 'From ')", path=path)
        for file in files:
            if file.suffix.lower() == ".eml":
                yield from _read_eml(file, company, f"{file.name}")
            else:
                yield from _read_mbox(file, company, f"{file.name}: ")
        return
    if _is_mbox(path):
        yield from _read_mbox(path, company)
    else:
        yield from _read_eml(path, company)


def _is_mbox(path: Path) -> bool:
    """Whether a file starts as an mbox does (RFC 4155: a ``From `` line before each message)."""
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def read_payload(body: bytes, options: Mapping, content_type: str) -> Iterator[MessageRecord | Rejected]:
    """One message as RFC 5322 bytes (``message/rfc822``): what IMAP fetches."""
    message = _parse(body)
    if _is_fragment(message):
        raise SourceError("not an e-mail message (no From, Date, Message-ID or Subject header)")
    yield to_record(message, body, "message", _Company(options))


SOURCE = Source(
    name="email",
    version=VERSION,
    description="E-mail from mbox, Maildir or .eml files (MIME, encoded headers, HTML)",
    channel="email",
    visibility="private",
    reader=read,
    payload_reader=read_payload,
)


@hookimpl
def register_sources(register, config):
    """Register the ``email`` source."""
    register(SOURCE)

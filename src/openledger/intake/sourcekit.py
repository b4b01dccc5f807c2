"""Helpers for writing source plugins: the source object, times, HTML, JSON, CSV,
the generic message fields, and opening files as exports deliver them
(gzip, zip: :mod:`openledger.intake.openers`, re-exported here).

Built-in sources and third-party source plugins use the same helpers, so
every source reports bad input the same way (and :func:`checked`, from the
record contract, turns a record copied from bad input into a ``Rejected``): a :class:`~openledger.errors.SourceError`
naming the file (and the record) for a whole unusable file, a
:class:`~openledger.records.Rejected` with a human location ("row 12",
"tweet 40") for one bad record.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType
from typing import Any

from openledger import patterns
from openledger.errors import SourceError
from openledger.intake.contract import checked, vouch
from openledger.intake.openers import (  # noqa: F401 (the kit's file helpers, in one import for plugins)
    ExportFile,
    ExportFiles,
    is_gzip,
    is_zip,
    logical_name,
    logical_suffix,
    open_binary,
    open_text,
    read_bytes,
)
from openledger.records import MessageRecord, Rejected
from openledger.timeutil import parse_time

Reader = Callable[[Path, Mapping], Iterator[Any]]
PayloadReader = Callable[[bytes, Mapping, str], Iterator[Any]]


@dataclass(frozen=True)
class Source:
    """A source object as ``register_sources`` expects it (see ``hookspecs``).

    ``reader(path, options)`` does the work; ``read`` turns a missing path
    into a :class:`SourceError` before calling it. With a
    ``payload_reader(body, options, content_type)`` the source also reads
    single payloads (``read_payload``): a webhook's body, a polled mail.
    """

    name: str
    version: str
    description: str
    channel: str | None
    visibility: str | None
    reader: Reader
    payload_reader: PayloadReader | None = None

    def read(self, path, options: Mapping | None = None) -> Iterator[Any]:
        """Yield the records of ``path`` (a file or folder)."""
        path = Path(path)
        if not path.exists():
            raise SourceError("no such file or folder", path=path)
        yield from self.reader(path, options or {})

    @property
    def read_payload(self) -> Callable[..., Iterator[Any]] | None:
        """``read_payload(body, options, content_type)``, or None for a source that reads only files."""
        if self.payload_reader is None:
            return None
        reader = self.payload_reader

        def read_payload(body: bytes, options: Mapping | None = None,
                         content_type: str = "application/json") -> Iterator[Any]:
            yield from reader(body, options or {}, content_type)

        return read_payload


# --- HTML ------------------------------------------------------------------

_BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "table", "ul", "ol", "hr", "section", "article",
}
_DROP_TAGS = {"script", "style", "head", "title", "template", "noscript"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _DROP_TAGS:
            self.dropping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _DROP_TAGS:
            self.dropping = max(0, self.dropping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.dropping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Reduce HTML to plain text: drop script/style, keep block breaks.

    Runs of spaces collapse to one, blank lines collapse to one empty line,
    and character references are decoded.
    """
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def unescape(text: str) -> str:
    """Undo HTML character references (``&amp;``, ``&gt;``) in plain text."""
    return html.unescape(text)


# --- JSON and CSV ----------------------------------------------------------


def load_json(path: Path | str, text: str | bytes | None = None, **kwargs) -> Any:
    """Parse a JSON file (gzip-compressed or not), or ``text`` read from it.

    A syntax or encoding error is a SourceError naming ``path`` and the
    position; ``path`` may be a name for messages only, such as a zip member's
    (``export.zip: data/tweets.js``) when ``text`` is given.
    """
    try:
        if text is None:
            text = read_bytes(Path(path))
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        return json.loads(text, **kwargs)
    except UnicodeDecodeError as error:
        raise SourceError(f"not UTF-8 text (byte {error.start})", path=path) from None
    except RecursionError:  # "[[[[…": deeper than Python's parser goes
        raise SourceError("invalid JSON: nested too deeply", path=path) from None
    except json.JSONDecodeError as error:
        at_end = error.pos >= len((text or "").rstrip())
        truncated = at_end or error.msg.startswith("Unterminated")
        reason = "truncated JSON" if truncated else "invalid JSON"
        raise SourceError(
            f"{reason}: {error.msg}", path=path, location=f"line {error.lineno} column {error.colno}"
        ) from None


BARE_CR = "\ue000"
_BARE_CR = patterns.compile(r"\r(?!\n)")


def _keep_bare_cr(handle) -> Iterator[str]:
    for line in handle:
        yield _BARE_CR.sub(BARE_CR, line) if "\r" in line else line


_MAX_ELEMENT = 64 * 1024 * 1024


def iter_json_array(
    path: Path, chunk_size: int = 1 << 16, *, unit: str = "element"
) -> Iterator[tuple[int, Any]]:
    """Stream the elements of a file holding one top-level JSON array.

    Yields ``(element number, value)`` while reading the file in chunks, so a
    multi-gigabyte export needs memory for one element at a time. A file that
    is cut short or broken raises SourceError naming the element (called
    ``unit`` in messages: "complaint 12").
    """
    decoder = json.JSONDecoder()
    number = 0
    try:
        with open_text(path, encoding="utf-8") as handle:
            buffer, pos, eof = "", 0, False

            def fill() -> bool:
                nonlocal buffer, pos, eof
                more = handle.read(chunk_size)
                eof = not more
                buffer, pos = buffer[pos:] + more, 0
                return bool(more)

            def skip_space() -> str:
                nonlocal pos
                while True:
                    while pos < len(buffer) and buffer[pos] in " \t\r\n":
                        pos += 1
                    if pos < len(buffer):
                        return buffer[pos]
                    if not fill():
                        return ""

            if skip_space() != "[":
                raise SourceError("not a JSON array", path=path, location="line 1")
            pos += 1
            expect_value = True
            while True:
                char = skip_space()
                if char == "]" and (number == 0 or not expect_value):
                    return
                if not expect_value:
                    if char != ",":
                        reason = (
                            "truncated JSON" if char == "" else f"invalid JSON: expected ',' or ']', found {char!r}"
                        )
                        raise SourceError(reason, path=path, location=f"after {unit} {number}")
                    pos += 1
                    expect_value = True
                    continue
                if char == "":
                    raise SourceError("truncated JSON", path=path, location=f"{unit} {number + 1}")
                try:
                    value, end = decoder.raw_decode(buffer, pos)
                    # a number at the end of the buffer may go on in the next chunk
                    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
                    complete = eof or (
                        end < len(buffer) and not (numeric and buffer[end] in "0123456789.eE+-")
                    )
                except json.JSONDecodeError as error:
                    value, complete = None, False
                    if eof or len(buffer) - pos > _MAX_ELEMENT:
                        reason = (
                            "truncated JSON"
                            if eof and error.pos >= len(buffer.rstrip()) or error.msg.startswith("Unterminated")
                            else "invalid JSON"
                        )
                        raise SourceError(
                            f"{reason}: {error.msg}", path=path, location=f"{unit} {number + 1}"
                        ) from None
                except RecursionError:  # "[[[[…": deeper than Python's parser goes
                    raise SourceError("invalid JSON: nested too deeply", path=path,
                                      location=f"{unit} {number + 1}") from None
                if not complete:
                    fill()
                    continue
                number += 1
                pos = end
                expect_value = False
                yield number, value
    except UnicodeDecodeError as error:
        raise SourceError(f"not UTF-8 text (byte {error.start} of a read block)", path=path,
                          location=f"after {unit} {number}") from None


_SHORT: Any = object()  # the value DictReader gives the columns a row lacks
# A CSV field longer than the csv module's default limit (131,072 characters) would stop the
# reader in the middle of a file; the limit is lifted, and a record holding a string longer than
# intake.contract.MAX_TEXT is one bad record instead.
csv.field_size_limit(2**31 - 1)


def csv_rows(
    path: Path,
    required: Iterable[str] = (),
    *,
    encoding: str = "utf-8-sig",
    bare_cr: bool = False,
) -> Iterator[tuple[int, dict[str, str]] | Rejected]:
    """Stream a CSV file (gzip-compressed or not) with a header row as ``(row number, row)`` pairs.

    Row numbers count data rows from 1 (the header is not a row), which is
    what a user sees in a spreadsheet below the header. A missing required
    column, a file that is not text in ``encoding`` or a broken quoted field
    (a file cut inside quotes, text after a closing quote; the reader is
    strict) raises SourceError naming the file and the row. A row with fewer
    fields than the header (a file cut in its last row, outside quotes) is a
    :class:`Rejected` naming the row, for the caller to yield as it is.

    With ``bare_cr``, a carriage return that does not end a line (scraped
    texts have them inside unquoted fields) does not split the row: it is
    replaced by :data:`BARE_CR`, which the caller turns back into a line break.
    """
    number = 0
    try:
        with open_text(path, newline="\n" if bare_cr else "", encoding=encoding) as handle:
            reader = csv.DictReader(_keep_bare_cr(handle) if bare_cr else handle, strict=True, restval=_SHORT)
            header = reader.fieldnames
            if header is None:
                raise SourceError("empty file (no header row)", path=path)
            missing = [name for name in required if name not in header]
            if missing:
                raise SourceError(
                    "missing column " + ", ".join(repr(m) for m in missing)
                    + f" (header has: {', '.join(header)})",
                    path=path,
                    location="header",
                )
            for number, row in enumerate(reader, start=1):
                lacking = sum(1 for value in row.values() if value is _SHORT)
                if lacking:
                    given = {k: v for k, v in row.items() if v is not _SHORT}
                    yield Rejected(f"row {number}", f"{len(header) - lacking} fields where the header has "
                                   f"{len(header)}: the row is cut short", repr(given)[:2000])
                    continue
                yield number, row
    except UnicodeDecodeError as error:
        raise SourceError(
            f"not {encoding} text (byte {error.start} of a read block); "
            "set the option encoding=... to the file's encoding",
            path=path,
            location=f"after row {number}",
        ) from None
    except csv.Error as error:
        raise SourceError(f"broken CSV: {error}", path=path, location=f"row {number + 1}") from None


def option_list(options: Mapping, key: str) -> list[str]:
    """Read a list option given in TOML (list) or on the command line (comma separated)."""
    value = options.get(key) or []
    if isinstance(value, str):
        value = value.split(",")
    return [str(v).strip() for v in value if str(v).strip()]


# --- the generic message fields ----------------------------------------------
# The JSONL format, and the CSV columns by default: ``id``, ``channel``,
# ``visibility`` (public/private), ``timestamp`` (ISO 8601), ``author``,
# ``text``, ``reply_to`` (an earlier id or empty), ``direction`` (in/out,
# default in), and optionally ``subject``, ``thread`` and ``audience``.

REQUIRED = ("id", "channel", "visibility", "timestamp", "text")
OPTIONAL = ("author", "reply_to", "direction", "subject", "thread", "audience")
FIELDS = REQUIRED + OPTIONAL


def _text(value: object) -> str | None:
    if type(value) is str:  # the usual value, first
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def message_from_fields(
    fields: Mapping[str, Any], location: str, defaults: Mapping[str, Any] | None = None, raw: str | None = None
) -> MessageRecord | Rejected:
    """A :class:`MessageRecord` from generic fields, or :class:`Rejected` with the reason.

    ``defaults`` fills fields that are absent or empty (e.g. ``channel`` for a
    phone-call log that has no channel column); ``raw`` is the record as read,
    kept in a rejection so that it can be fixed and imported again. The
    record contract (:func:`openledger.intake.contract.checked`) is applied:
    fields copied from the input may break it, and that is bad input. A
    record returned has been checked once and for all
    (:func:`openledger.intake.contract.vouch`): the webhook receiver and the
    ingest engine do not check it again.
    """
    defaults = defaults or {}
    merged: dict[str, Any] = {k: fields.get(k) for k in FIELDS}
    for key, value in defaults.items():
        if key in FIELDS and _text(merged.get(key)) is None:
            merged[key] = value
    required: dict[str, str] = {}  # the required fields but text, as _text gives them
    for key in REQUIRED:
        if key == "text":
            if not isinstance(merged["text"], str):
                return Rejected(location, "missing text" if merged["text"] is None else "text must be a string", raw)
        elif (found := _text(merged[key])) is None:
            return Rejected(location, f"missing {key}", raw)
        else:
            required[key] = found
    try:
        timestamp = parse_time(str(merged["timestamp"]), strict=True)
    except ValueError as exc:
        return Rejected(location, f"bad timestamp: {exc}", raw)
    visibility = required["visibility"].lower()
    direction = (_text(merged["direction"]) or "in").lower()
    audience = merged["audience"]
    meta = {}
    if _text(audience) is not None:
        try:
            meta["audience"] = int(float(audience))
        except (TypeError, ValueError):
            return Rejected(location, f"audience must be a number, not {audience!r}", raw)
    record = checked(MessageRecord(
        id=required["id"],
        channel=required["channel"].lower(),
        visibility=visibility,
        timestamp=timestamp,
        text=merged["text"],
        author=_text(merged["author"]),
        reply_to=_text(merged["reply_to"]),
        direction=direction,
        thread=_text(merged["thread"]),
        subject=_text(merged["subject"]),
        location=location,
        meta=MappingProxyType(meta),  # of its own dict: nobody can change it
    ), raw=raw)
    return record if isinstance(record, Rejected) else vouch(record)

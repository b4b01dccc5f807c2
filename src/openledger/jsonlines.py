"""Reading JSON Lines (https://jsonlines.org/, RFC 8259 objects one per line).

One reader, two ways of failing:

- :func:`json_lines` streams a file for the sources (``jsonl``, ``history``,
  ``cfpb``): a bad line is a :class:`~openledger.records.Rejected` naming the
  line, and reading goes on, so ``--skip-bad`` can quarantine it;
- :func:`parse_jsonl` reads all of it for the preview commands
  ``openledger classify`` and ``openledger redact``: the first bad line stops
  the command with one error naming the file and the line, before anything is
  printed.

Their wording differs (tests and users rely on both), so the messages are a
parameter of the one reader (:class:`Wording`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, overload

from openledger.errors import BadRecordError, NotFoundError, SourceError
from openledger.records import Rejected


def json_type(value: Any) -> str:
    """The JSON (RFC 8259) name of a parsed value's type, with its article."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    names: dict[type, str] = {list: "an array", dict: "an object", str: "a string"}
    return names.get(type(value), "null")


@dataclass(frozen=True)
class Wording:
    """How a bad line is described; fields are :meth:`str.format` templates."""

    not_utf8: str = "not UTF-8 ({reason} at byte {start})"
    not_json: str = "invalid JSON: {msg} at column {column}"
    not_object: str = "not a JSON object ({type})"


SOURCE_WORDING = Wording()
PREVIEW_WORDING = Wording(not_utf8="not UTF-8 (byte {position})", not_json="not JSON: {msg} (column {column})")


def json_lines(
    lines: Iterable[bytes | str], prefix: str = "", unwrap: Callable[[Any], Any] | None = None, keep: int = 2000,
    wording: Wording = SOURCE_WORDING,
) -> Iterator[tuple[int, str, dict, str] | Rejected]:
    """Stream a JSON Lines file: one object per line.

    Yields ``(number, location, object, line)`` for every object (``unwrap``
    may first take the record out of an envelope), and a :class:`Rejected`
    naming the line for a line that is not UTF-8, not JSON or not an object
    (with at most ``keep`` characters of the line); reading goes on after it.
    Blank lines and a byte order mark are skipped.
    """
    for number, raw in enumerate(lines, start=1):
        location = f"{prefix}line {number}"
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Rejected(location, wording.not_utf8.format(reason=exc.reason, start=exc.start,
                                                                 position=exc.start + 1))
                continue
        if number == 1:
            raw = raw.removeprefix("\ufeff")
        if not raw.strip():
            continue
        text = raw.rstrip("\r\n")
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Rejected(location, wording.not_json.format(msg=exc.msg, column=exc.colno), text[:keep])
            continue
        except RecursionError:  # "[[[[...": deeper than Python's parser goes; one bad line, not a bad file
            yield Rejected(location, wording.not_json.format(msg="nested too deeply", column=1), text[:keep])
            continue
        if unwrap is not None:
            value = unwrap(value)
        if not isinstance(value, dict):
            yield Rejected(location, wording.not_object.format(type=json_type(value)), text[:keep])
            continue
        yield number, location, value, text


def parse_jsonl(lines: Iterable[bytes | str], name: str) -> list[tuple[int, dict]]:
    """(line number, object) for every JSON object in ``lines`` (bytes in UTF-8, or
    text); blank lines are skipped.

    A line that is not UTF-8, not JSON or not an object raises
    :class:`~openledger.errors.BadRecordError` with ``name`` and ``line N``.
    """
    records = []
    for item in json_lines(lines, wording=PREVIEW_WORDING):
        if isinstance(item, Rejected):
            raise BadRecordError(item.reason, path=name, location=item.location)
        number, _, record, _ = item
        records.append((number, record))
    return records


@contextmanager
def open_jsonl(path: str) -> Iterator[tuple[Iterable[bytes], str]]:
    """The lines (bytes) of the file at ``path`` (``-``: standard input) and its name for errors."""
    if path == "-":
        yield sys.stdin.buffer, "<stdin>"
        return
    file = Path(path)
    if file.is_dir():
        raise SourceError("is a directory; give a .jsonl file", path=path)
    try:
        f = open(file, "rb")  # noqa: SIM115 (closed below; open errors are told apart from the reader's)
    except FileNotFoundError:
        raise NotFoundError("no such file", path=path) from None
    except PermissionError:
        raise SourceError("cannot read: permission denied", path=path) from None
    with f:
        yield f, path


def read_jsonl(path: str) -> tuple[list[tuple[int, dict]], str]:
    """Parse the JSON Lines file at ``path`` (``-``: standard input): the records and the name for errors."""
    with open_jsonl(path) as (lines, name):
        return parse_jsonl(lines, name), name


@overload
def text_field(
    record: dict, name: str, number: int, field: str = "text", required: Literal[True] = True
) -> str: ...
@overload
def text_field(record: dict, name: str, number: int, field: str = "text", required: bool = True) -> str | None: ...


def text_field(record: dict, name: str, number: int, field: str = "text", required: bool = True) -> str | None:
    """``record[field]`` as a string; a missing or non-string value names the file and line."""
    value = record.get(field)
    if value is None and not required:
        return None
    if value is None:
        raise BadRecordError(f"'{field}' is missing", path=name, location=f"line {number}")
    if not isinstance(value, str):
        raise BadRecordError(f"'{field}' is not a string ({json_type(value)})", path=name, location=f"line {number}")
    return value

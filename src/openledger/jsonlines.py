"""Reading JSON Lines (https://jsonlines.org/, RFC 8259 objects one per line)
for the preview commands ``openledger classify`` and ``openledger redact``.

The whole file is read and checked before anything is printed, so a bad line
stops the command with one error naming the file and the line, and no partial
output.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from openledger.errors import BadRecordError, NotFoundError, SourceError


def json_type(value) -> str:
    """The JSON (RFC 8259) name of a parsed value's type, with its article."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return {list: "an array", dict: "an object", str: "a string"}.get(type(value), "null")


def parse_jsonl(lines: Iterable[bytes | str], name: str) -> list[tuple[int, dict]]:
    """(line number, object) for every JSON object in ``lines`` (bytes in UTF-8, or
    text); blank lines are skipped.

    A line that is not UTF-8, not JSON or not an object raises
    :class:`~openledger.errors.BadRecordError` with ``name`` and ``line N``.
    """
    records = []
    for number, raw in enumerate(lines, start=1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as exc:
            raise BadRecordError(f"not UTF-8 (byte {exc.start + 1})", path=name, location=f"line {number}") from None
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadRecordError(f"not JSON: {exc.msg} (column {exc.colno})", path=name, location=f"line {number}") from None
        if not isinstance(record, dict):
            raise BadRecordError(f"not a JSON object ({json_type(record)})", path=name, location=f"line {number}")
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

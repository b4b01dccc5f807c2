"""JSON Lines source: one message per line with the generic fields.

See :mod:`openledger.intake.sourcekit` for the fields. Unknown fields are an error,
so a typo in a field name cannot silently drop data. A ``.jsonl.gz`` file is
read through gzip. As a webhook (``POST /intake/jsonl``) the body is one JSON
object, a JSON array of objects, or JSON Lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from openledger import __version__, hookimpl
from openledger.errors import SourceError
from openledger.intake.sourcekit import FIELDS, message_from_fields, open_binary
from openledger.jsonlines import json_lines, json_type
from openledger.records import MessageRecord, Rejected

_FIELDS = frozenset(FIELDS)


def _records(items: Iterable, options: Mapping) -> Iterator[MessageRecord | Rejected]:
    defaults = {k: v for k, v in options.items() if k in FIELDS}
    for item in items:
        if isinstance(item, Rejected):
            yield item
            continue
        _, location, obj, line = item
        if not _FIELDS.issuperset(obj):
            unknown = sorted(set(obj) - _FIELDS)
            yield Rejected(location, f"unknown field {unknown[0]!r}", _text(obj, line)[:500])
            continue
        if line is not None:
            yield message_from_fields(obj, location, defaults, raw=line[:500])
            continue
        record = message_from_fields(obj, location, defaults)
        # the raw text of an object of a posted body is written only for a rejection, which keeps it
        yield replace(record, raw=_text(obj, None)[:500]) if isinstance(record, Rejected) else record


def _text(obj: dict, line: str | None) -> str:
    """The record as read: its line, or (an object of a body holding one JSON value) the object written again."""
    return line if line is not None else json.dumps(obj, ensure_ascii=False)


def _whole(body: bytes) -> Iterator[tuple[int, str, dict, str | None] | Rejected]:
    """A body holding one JSON value: an object, or an array of objects (their text is written when needed)."""
    value = json.loads(body)
    items = value if isinstance(value, list) else [value]
    for number, obj in enumerate(items, start=1):
        location = f"record {number}"
        if isinstance(obj, dict):
            yield number, location, obj, None
        else:
            yield Rejected(location, f"not a JSON object ({json_type(obj)})",
                           json.dumps(obj, ensure_ascii=False)[:500])


class JsonlSource:
    name = "jsonl"
    version = __version__
    description = (
        "JSON Lines: one message per line (id, channel, visibility, timestamp, author, text, reply_to, direction)"
    )
    channel = None
    visibility = None

    def read(self, path: Path, options):
        if path.is_dir():
            raise SourceError("is a directory; give a .jsonl file", path=path)
        with open_binary(path) as f:
            yield from _records(json_lines(f, keep=500), options)

    def read_payload(self, body: bytes, options, content_type: str = "application/json"):
        """One posted message (a JSON object), several (a JSON array), or JSON Lines."""
        if not body.strip():
            raise SourceError("empty body: expected a JSON object with the message fields")
        try:
            items: Iterable = list(_whole(body))
        except (ValueError, UnicodeDecodeError, RecursionError):  # not one JSON value: JSON Lines, each line alone
            items = json_lines(body.splitlines(keepends=True), keep=500)
        yield from _records(items, options)


@hookimpl
def register_sources(register):
    register(JsonlSource())

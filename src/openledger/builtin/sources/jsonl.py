"""JSON Lines source: one message per line with the generic fields.

See :mod:`openledger.intake.sourcekit` for the fields. Unknown fields are an error,
so a typo in a field name cannot silently drop data.
"""

from __future__ import annotations

from pathlib import Path

from openledger import __version__, hookimpl
from openledger.errors import SourceError
from openledger.intake.sourcekit import FIELDS, message_from_fields
from openledger.jsonlines import json_lines
from openledger.records import Rejected


class JsonlSource:
    name = "jsonl"
    version = __version__
    description = (
        "JSON Lines: one message per line (id, channel, visibility, timestamp, author, text, reply_to, direction)"
    )
    channel = None
    visibility = None

    def read(self, path: Path, options):
        defaults = {k: v for k, v in options.items() if k in FIELDS}
        if path.is_dir():
            raise SourceError("is a directory; give a .jsonl file", path=path)
        with open(path, "rb") as f:
            for item in json_lines(f, keep=500):
                if isinstance(item, Rejected):
                    yield item
                    continue
                _, location, obj, line = item
                unknown = sorted(set(obj) - set(FIELDS))
                if unknown:
                    yield Rejected(location, f"unknown field {unknown[0]!r}", line[:500])
                    continue
                yield message_from_fields(obj, location, defaults, raw=line[:500])


@hookimpl
def register_sources(register):
    register(JsonlSource())

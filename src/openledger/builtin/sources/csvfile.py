"""Generic CSV source for call logs, web forms, scanned letters and the like.

The header row names the columns. By default the columns are the generic
field names (``id, channel, visibility, timestamp, author, text, reply_to,
direction``; optional ``subject, thread, audience``). A file with other
column names is mapped in the config or on the command line::

    [sources.csv]
    columns = { text = "Call notes", timestamp = "Call start", id = "Call ID" }
    channel = "phone"          # a default for every row without one
    visibility = "private"

or ``openledger ingest csv calls.csv -o columns.text="Call notes" -o channel=phone``.
A column that is neither a field nor mapped is an error naming it, so no data
is silently dropped (``ignore = ["Agent"]`` lists columns to leave out).
"""

from __future__ import annotations

import csv
from pathlib import Path

from openledger import __version__, hookimpl
from openledger.errors import SourceError
from openledger.intake.sourcekit import FIELDS, REQUIRED, message_from_fields, open_text
from openledger.records import Rejected


def _columns(options) -> dict[str, str]:
    mapping = dict(options.get("columns") or {})
    for key, value in options.items():
        if key.startswith("columns."):
            mapping[key.split(".", 1)[1]] = value
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise SourceError(f"column mapping names unknown field {unknown[0]!r} (fields: {', '.join(FIELDS)})")
    return mapping


class CsvSource:
    name = "csv"
    version = __version__
    description = "CSV with a header row; columns mapped to the generic message fields"
    channel = None
    visibility = None

    def read(self, path: Path, options):
        mapping = _columns(options)  # field -> column name
        ignore = options.get("ignore") or ()
        if isinstance(ignore, str):
            ignore = [c.strip() for c in ignore.split(",")]
        defaults = {k: v for k, v in options.items() if k in FIELDS}
        delimiter = options.get("delimiter", ",")
        if path.is_dir():
            raise SourceError("is a directory; give a .csv file", path=path)
        with open_text(path, encoding=options.get("encoding", "utf-8-sig"), newline="") as f:
            reader = csv.reader(f, delimiter=delimiter, strict=True)
            try:
                header = next(reader)
            except StopIteration:
                raise SourceError("empty file, no header row", path=path) from None
            header = [h.strip() for h in header]
            column_of = {field: mapping.get(field, field) for field in FIELDS}
            field_of = {col: field for field, col in column_of.items()}
            for col in header:
                if col not in field_of and col not in ignore:
                    raise SourceError(
                        f"unknown column {col!r} (map it with columns.FIELD=... or list it in ignore)",
                        path=path, location="header",
                    )
            for field in REQUIRED:
                if column_of[field] not in header and field not in defaults:
                    raise SourceError(
                        f"missing column {column_of[field]!r} for field {field!r}", path=path, location="header"
                    )
            for row in reader:
                location = f"line {reader.line_num}"
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    yield Rejected(location, f"{len(row)} fields, the header has {len(header)}", ",".join(row)[:500])
                    continue
                fields = {field_of[col]: value for col, value in zip(header, row) if col in field_of}
                yield message_from_fields(fields, location, defaults, raw=",".join(row)[:500])


@hookimpl
def register_sources(register):
    register(CsvSource())

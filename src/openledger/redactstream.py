"""What ``openledger redact`` does: redact plain text or the ``text`` field of JSON Lines.

The CLI stays thin: it builds the redactors from the configured plugins, takes
the keep list from the config and calls :func:`redact_plain` (standard input)
or :func:`redact_jsonl` (``--jsonl FILE``). Companies use it to preview what
would be published.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TextIO

from openledger.errors import ConfigError
from openledger.jsonlines import parse_jsonl, text_field
from openledger.redaction import Keep, redact


def keep_from_config(config: Mapping | None) -> Keep:
    """The company's own public strings from ``[publication] keep`` (a list of strings)."""
    publication = (config or {}).get("publication") or {}
    keep = publication.get("keep") or ()
    if isinstance(keep, str) or not isinstance(keep, (list, tuple)) or not all(isinstance(k, str) for k in keep):
        raise ConfigError("[publication] keep must be a list of strings")
    return Keep(keep)


def redact_plain(text: str, redactors: Sequence, keep: Keep | Iterable[str] = ()) -> str:
    """Redact a whole plain text (standard input of ``openledger redact``)."""
    return redact(text, redactors, keep).text


def redact_jsonl(
    source: Iterable[bytes | str], out: TextIO, redactors: Sequence, keep: Keep | Iterable[str] = (), *,
    name: str = "<stdin>", field: str = "text",
) -> int:
    """Redact the ``field`` of every JSON object in ``source``, keeping every other field.

    ``source`` yields lines (bytes in UTF-8, or text). Writes one JSON object
    per line to ``out`` and returns how many were written. Nothing is written
    when any line is bad: a line that is not UTF-8, not a JSON object, or
    whose ``field`` is not a string, raises
    :class:`openledger.errors.BadRecordError` naming the file and the line.
    """
    keep = keep if isinstance(keep, Keep) else Keep(keep)
    records = parse_jsonl(source, name)
    for number, record in records:  # check every line before writing any
        text_field(record, name, number, field, required=False)
    for _, record in records:
        if isinstance(record.get(field), str):
            record = {**record, field: redact(record[field], redactors, keep).text}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(records)

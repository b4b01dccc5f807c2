"""The publication allowlist and the leak scanner for a built site.

Only fields declared in :data:`PUBLICATION_SCHEMA` (dataset -> field -> type)
may reach the public site; everything else is private by default. Adding a
field is a deliberate change: here in code, or in the config under
``[publication.fields.DATASET]`` (``field = "type"``), read by
:func:`schema_from_config`. :func:`check_row` raises
:class:`openledger.errors.OpenLedgerError` naming the dataset, the record and
the field when a row carries anything else.

:func:`find_leaks` is the last line of defence: it searches every file of a
built site (HTML, Markdown, JSON, CSV, tiles, anything) for the raw
identifiers held in the database and reports where each kind was found.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from urllib.parse import quote, quote_plus

from openledger.errors import ConfigError, OpenLedgerError

TYPES = {
    "str": str,
    "int": int,
    "float": (int, float),
    "bool": bool,
    "date": str,  # ISO 8601 date, week or month after coarsening
}

#: The public projection of ledger events and the outcomes dataset of the audit.
#: A type ending in "?" may also be null.
PUBLICATION_SCHEMA: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "entries": MappingProxyType(
            {
                "case": "str",
                "type": "str",
                "channel": "str",
                "visibility": "str",
                "at": "date",
                "data": "str?",
                "plugins": "str?",
                "commitment": "str",
            }
        ),
        "outcomes": MappingProxyType(
            {
                "case": "str",
                "channel": "str",
                "visibility": "str",
                "category": "str",
                "severity": "int",
                "opened": "date",
                "first_response_hours": "float?",
                "resolution_hours": "float?",
                "resolved": "bool",
                "outcome": "str?",
                "remedy": "str",
                "amount": "float",
                "response_level": "int?",
                "escalated": "bool",
                "reopened": "bool",
            }
        ),
        "summaries": MappingProxyType({"case": "str", "summary": "str"}),
    }
)


def schema_from_config(config: Mapping | None) -> dict[str, dict[str, str]]:
    """The built-in schema plus the fields a company added in ``[publication.fields]``."""
    schema = {name: dict(fields) for name, fields in PUBLICATION_SCHEMA.items()}
    extra = ((config or {}).get("publication") or {}).get("fields") or {}
    for dataset, fields in extra.items():
        if not hasattr(fields, "items"):
            raise ConfigError("must be a table of field = \"type\"", location=f"publication.fields.{dataset}")
        for field, kind in fields.items():
            if str(kind).rstrip("?") not in TYPES:
                raise ConfigError(
                    f"unknown type {kind!r}; use one of {', '.join(TYPES)} (with ? for nullable)",
                    location=f"publication.fields.{dataset}.{field}",
                )
            schema.setdefault(dataset, {})[field] = str(kind)
    return schema


def check_row(dataset: str, row: Mapping, schema: Mapping = PUBLICATION_SCHEMA, location: str | None = None) -> None:
    """Raise :class:`OpenLedgerError` unless every field of ``row`` is allowed with its type."""
    allowed = schema.get(dataset)
    where = location or f"dataset {dataset}"
    if allowed is None:
        raise OpenLedgerError(f"dataset {dataset!r} is not on the publication allowlist", location=where)
    for field, value in row.items():
        kind = allowed.get(field)
        if kind is None:
            raise OpenLedgerError(
                f"field {field!r} is not on the publication allowlist of {dataset!r}", location=where
            )
        if value is None:
            if not kind.endswith("?"):
                raise OpenLedgerError(f"field {field!r} may not be empty", location=where)
            continue
        expected = TYPES[kind.rstrip("?")]
        if isinstance(value, bool) and kind.rstrip("?") != "bool" or not isinstance(value, expected):
            raise OpenLedgerError(
                f"field {field!r} must be {kind.rstrip('?')}, not {type(value).__name__}", location=where
            )


def check_rows(dataset: str, rows: Iterable[Mapping], schema: Mapping = PUBLICATION_SCHEMA) -> int:
    """Check every row of a dataset; return how many were checked."""
    count = 0
    for count, row in enumerate(rows, 1):
        check_row(dataset, row, schema, location=f"dataset {dataset}, row {count}")
    return count


@dataclass(frozen=True, slots=True)
class Leak:
    """A raw identifier found in a built site: which file and which kind (never the value)."""

    file: str
    kind: str


def _variants(value: str) -> set[str]:
    """The forms an identifier can take in HTML, JSON, CSV and URLs."""
    forms = {value, html.escape(value), json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
    forms |= {quote(value), quote_plus(value), value.replace("/", "\\/")}
    return {f for f in forms if f}


SHORT_NUMBER = re.compile(r"\d{4,8}")
# Files that carry words (pages, Markdown, summaries): the only places a short
# number can be told apart from the site's own counts, minutes and coordinates.
TEXT_SUFFIXES = (".html", ".htm", ".md", ".txt")


def is_short_number(value: str) -> bool:
    """A value of 4 to 8 digits only (longer ones are phone-like and matched by their tail)."""
    return SHORT_NUMBER.fullmatch(value) is not None


def carries_text(rel: str) -> bool:
    """Whether a site file (path relative to the root) holds free text rather than generated numbers."""
    return rel.endswith(TEXT_SUFFIXES) or rel.startswith("data/summaries/")


def whole_token(text: str, start: int, end: int, number: bool = False) -> bool:
    """Whether ``text[start:end]`` stands alone: no letter or digit runs on at either end.

    An identifier inside a longer word or number (``jo`` in ``john``, ``4471`` in
    a hash ``a94471f3``) is another token, not that identifier. A short
    ``number`` must also not be part of a decimal (``277.117099``).
    """
    if start > 0 and text[start].isalnum() and text[start - 1].isalnum():
        return False
    if end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        return False
    if number:
        if start >= 2 and text[start - 1] == "." and text[start - 2].isdigit():
            return False
        if end + 1 < len(text) and text[end] == "." and text[end + 1].isdigit():
            return False
    return True


def _found(lower: str, form: str, number: bool) -> bool:
    start = lower.find(form)
    while start != -1:
        if whole_token(lower, start, start + len(form), number):
            return True
        start = lower.find(form, start + 1)
    return False


def phone_digits(value: str) -> str | None:
    """The digits of a phone-like value: 9 to 15 of them (E.164's most) and no letter, else None.

    A longer number (a 19-digit tweet id) is an id, matched only as written.
    """
    digits = re.sub(r"\D", "", value)
    if not 9 <= len(digits) <= 15 or re.search(r"[A-Za-z]", value):
        return None
    return digits


DIGIT_RUN = re.compile(r"\d(?:[\s().\-/]{0,3}\d){8,}")


def phone_runs(text: str, textual: bool = True):
    """The runs of nine digits or more (with separators) where a phone number could hide.

    In files that do not carry text a run with a decimal point is one of the
    site's own numbers (``2495.2083333333335`` hours, ``20.79 46.0958`` chart
    coordinates), not a phone number.
    """
    for match in DIGIT_RUN.finditer(text):
        if textual or "." not in match.group():
            yield match.group()


def _digit_pattern(value: str) -> re.Pattern | None:
    """Phone-like numbers also match with other separators (``+44 7700 900123`` ~ ``07700900123``)."""
    digits = phone_digits(value)
    if digits is None:
        return None
    tail = digits[-9:]  # the national significant part survives a change of prefix
    return re.compile(r"[\s().\-/]{0,3}".join(tail) + r"(?!\d)")


def find_leaks(site_dir: str | Path, identifiers: Mapping[str, Iterable[str]] | Iterable[tuple[str, str]]) -> list[Leak]:
    """Search every file under ``site_dir`` for raw identifiers.

    ``identifiers`` maps a kind (``email``, ``phone``, ``name``, ``case_id``,
    ...) to raw values, or is an iterable of ``(kind, value)`` pairs. Matching
    is case-insensitive and covers HTML, JSON and URL escaping; phone-like
    numbers (nine to fifteen digits) also match with other separators or
    another prefix (not inside decimals in files that do not carry text). Values shorter
    than four characters are skipped (they would match everywhere).
    A match counts only as a whole token (see :func:`whole_token`); numbers of
    four to eight digits are searched only in files that carry text (pages,
    Markdown, summaries), because the site's own counts, durations, entry
    indices and chart coordinates would match them by chance elsewhere.
    Returns one :class:`Leak` per (file, kind), sorted.
    """
    root = Path(site_dir)
    if not root.is_dir():
        raise OpenLedgerError("not a directory", path=root)
    pairs = identifiers.items() if isinstance(identifiers, Mapping) else None
    flat: list[tuple[str, str]] = []
    if pairs is not None:
        for kind, values in pairs:
            flat.extend((kind, str(v)) for v in values)
    else:
        flat = [(str(k), str(v)) for k, v in identifiers]
    checks: list[tuple[str, set[str], re.Pattern | None, bool]] = []
    for kind, value in flat:
        value = value.strip()
        if len(value) >= 4:
            checks.append((kind, {v.lower() for v in _variants(value)}, _digit_pattern(value), is_short_number(value)))
    leaks: set[Leak] = set()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", errors="ignore")
        lower = text.lower()
        rel = path.relative_to(root).as_posix()
        textual = carries_text(rel)
        for kind, forms, digits, number in checks:
            if Leak(rel, kind) in leaks or (number and not textual):
                continue
            if any(_found(lower, f, number) for f in forms) or (
                    digits is not None and any(digits.search(run) for run in phone_runs(text, textual))):
                leaks.add(Leak(rel, kind))
    return sorted(leaks, key=lambda leak: (leak.file, leak.kind))

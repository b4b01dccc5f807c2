"""The publication allowlist: which fields may reach the public site.

Only fields declared in :data:`PUBLICATION_SCHEMA` (dataset -> field -> type)
may reach the public site; everything else is private by default. Adding a
field is a deliberate change: here in code, or in the config under
``[publication.fields.DATASET]`` (``field = "type"``), read by
:func:`schema_from_config`. :func:`check_row` raises
:class:`openledger.errors.OpenLedgerError` naming the dataset, the record and
the field when a row carries anything else.

The leak scan of a built site (:mod:`openledger.privacy.leaks`) is the last
line of defence behind it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from openledger.errors import ConfigError, OpenLedgerError

TYPES: dict[str, type[object] | tuple[type[object], ...]] = {
    "str": str,
    "int": int,
    "float": (int, float),
    "bool": bool,
    "date": str,  # ISO 8601 date, week or month after coarsening
}

#: The datasets of the site besides the log: the published outcomes rows (the audit's input) and the
#: optional summaries. A type ending in "?" may also be null. (The log's entries are closed by their own
#: format, :mod:`openledger.ledger.entry`, and their data by :mod:`openledger.privacy.projection`.)
PUBLICATION_SCHEMA: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
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


def schema_from_config(config: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
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


def check_row(
    dataset: str,
    row: Mapping[str, object],
    schema: Mapping[str, Mapping[str, str]] = PUBLICATION_SCHEMA,
    location: str | None = None,
) -> None:
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


def check_rows(
    dataset: str, rows: Iterable[Mapping[str, object]], schema: Mapping[str, Mapping[str, str]] = PUBLICATION_SCHEMA
) -> int:
    """Check every row of a dataset; return how many were checked."""
    count = 0
    for count, row in enumerate(rows, 1):
        check_row(dataset, row, schema, location=f"dataset {dataset}, row {count}")
    return count


def _type_allowed(value_type: type, kind: str) -> bool:
    """Whether every value of ``value_type`` passes :func:`check_row` for a field of ``kind``."""
    if value_type is type(None):
        return kind.endswith("?")
    base = kind.rstrip("?")
    return issubclass(value_type, TYPES[base]) and not (issubclass(value_type, bool) and base != "bool")


def check_columns(
    dataset: str, columns: Mapping[str, Sequence[object]],
    schema: Mapping[str, Mapping[str, str]] = PUBLICATION_SCHEMA,
) -> int:
    """Check a dataset given as columns (field -> values, all of one length) exactly as
    :func:`check_rows` checks its rows; return how many rows were checked.

    Each column is checked by the types it holds (one pass in C); only when some
    column may fail are the rows checked one by one, for the same error on the same
    row and field.
    """
    allowed = schema.get(dataset)
    n = len(next(iter(columns.values()), ()))
    if n and allowed is not None and all(
        field in allowed and all(_type_allowed(t, allowed[field]) for t in set(map(type, values)))
        for field, values in columns.items()
    ):
        return n
    return check_rows(dataset, (dict(zip(columns, row)) for row in zip(*columns.values())), schema)

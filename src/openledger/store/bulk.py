"""Set-based inserts and look-ups for the hot paths (ingest, webhooks and ledger appends).

SQLAlchemy's executemany processes every parameter of every row in Python;
for the millions of rows of a bulk ingest that is most of the time spent.
:func:`insert_rows` converts only the columns that need it (times, JSON,
booleans), once per value, in the exact form SQLAlchemy itself would store,
and hands the rows to the driver's ``executemany`` in one call. The result
is the same stored data, read back through the models as usual.

A small transaction (a webhook's group of posts) is the other way round:
few rows, the same handful of statements each time, where building a Core
statement and its cache key costs several times what the database does.
:func:`select_in` and :func:`scalar` send plain SQL of text and integer
columns through the driver (:func:`marker` is its parameter placeholder).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any, overload

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from openledger.timeutil import to_utc


def _sqlite_time(value: datetime | None):
    """SQLAlchemy's SQLite DATETIME text (``YYYY-MM-DD HH:MM:SS.ffffff``, UTC)."""
    if value is None:
        return None
    if value.tzinfo is not UTC:
        if value.tzinfo is None:
            raise ValueError("datetimes must be timezone-aware")
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def _pg_time(value: datetime | None):
    if value is not None and value.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return value


def _converter(column: sa.Column, dialect: str) -> Callable | None:
    kind = column.type
    if isinstance(kind, sa.JSON):
        if dialect == "postgresql":
            from psycopg.types.json import Json

            return lambda v: None if v is None else Json(v)
        return lambda v: None if v is None else json.dumps(v)
    if isinstance(kind, sa.DateTime) or getattr(kind, "impl", None) is not None and isinstance(
        getattr(kind, "impl", None), sa.DateTime
    ) or type(kind).__name__ == "UTCDateTime":
        return _sqlite_time if dialect == "sqlite" else _pg_time
    if isinstance(kind, sa.Boolean) and dialect == "sqlite":
        return lambda v: None if v is None else int(bool(v))
    return None


@dataclass(frozen=True)
class _Plan:
    """How rows with given keys go into a table: the statement, the column order, the conversions."""

    sql: str
    names: tuple[str, ...]
    converters: tuple[Callable | None, ...]
    defaults: dict[str, object]


_PLANS: dict[tuple, _Plan] = {}  # (table, names, dialect, paramstyle) -> plan: a webhook inserts a few rows per commit


def _plan(conn: Connection, table: sa.Table, names: tuple[str, ...]) -> _Plan:
    key = (table, names, conn.dialect.name, conn.dialect.paramstyle)
    plan = _PLANS.get(key)
    if plan is None:
        defaults = {
            c.name: c.default.arg
            for c in table.columns
            # is_scalar: a fixed Python value, a kind of ColumnDefault (which declares its arg)
            if c.name not in names and isinstance(c.default, sa.ColumnDefault) and c.default.is_scalar
        }
        every = names + tuple(defaults)  # model defaults SQLAlchemy would fill in (severity, flags, amounts)
        quote = conn.dialect.identifier_preparer.quote
        sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in every)}) "
               f"VALUES ({', '.join([marker(conn)] * len(every))})")
        converters = tuple(_converter(table.c[name], conn.dialect.name) for name in every)
        plan = _PLANS[key] = _Plan(sql, every, converters, defaults)
    return plan


def insert_rows(conn: Connection, table: sa.Table, rows: Sequence[dict], columns: Sequence[str] | None = None) -> None:
    """Insert ``rows`` (dicts keyed by column name) into ``table`` with one executemany."""
    if not rows:
        return
    plan = _plan(conn, table, tuple(columns or rows[0].keys()))
    names, converters = plan.names, plan.converters
    if plan.defaults:
        rows = [{**plan.defaults, **row} for row in rows]
    get = itemgetter(*names)
    converting = [(i, conv) for i, conv in enumerate(converters) if conv is not None]
    if len(names) == 1:  # itemgetter of one name gives a value, not a tuple
        name, conv = names[0], converters[0]
        params = [(row[name] if conv is None else conv(row[name]),) for row in rows]
    elif not converting:
        params = [get(row) for row in rows]
    else:
        params = []
        for row in rows:
            values = list(get(row))
            for i, conv in converting:
                values[i] = conv(values[i])
            params.append(tuple(values))
    conn.exec_driver_sql(plan.sql, params)


def marker(conn: Connection) -> str:
    """The driver's parameter placeholder: ``?`` (sqlite3) or ``%s`` (psycopg)."""
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def select_in(conn: Connection, table: sa.Table, columns: Sequence[str], where: dict[str, object], column: str,
              keys: Iterable[object], *, chunk: int = 500) -> Iterator[tuple]:
    """Rows (tuples of ``columns``) of ``table`` matching ``where`` (column = value) whose ``column`` is in ``keys``.

    One statement per ``chunk`` keys, through the driver; ``where`` and
    ``keys`` are text or integers. Values come back as the driver gives them:
    read a time column with :func:`driver_time`, a JSON one with
    :func:`driver_json`.
    """
    keys = list(keys)
    if not keys:
        return
    quote = conn.dialect.identifier_preparer.quote
    mark = marker(conn)
    head = f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table.name)} WHERE " + "".join(
        f"{quote(name)} = {mark} AND " for name in where)
    fixed = tuple(where.values())
    for i in range(0, len(keys), chunk):
        part = keys[i : i + chunk]
        sql = f"{head}{quote(column)} IN ({', '.join([mark] * len(part))})"
        yield from (tuple(row) for row in conn.exec_driver_sql(sql, fixed + tuple(part)))


def driver_rows(conn: Connection, statement: sa.Select) -> Iterator[tuple]:
    """The rows of ``statement`` as the driver gives them, without SQLAlchemy's per-value processing: for
    reading millions of rows (the seal's pending events and case facts). Its parameters are written into the
    SQL as literals (text and numbers only). Text and number columns come back as they are; read a time column
    with :func:`driver_time`."""
    sql = str(statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    yield from conn.exec_driver_sql(sql)


@overload
def driver_time(value: str | datetime) -> datetime: ...
@overload
def driver_time(value: None) -> None: ...


def driver_time(value: str | datetime | None) -> datetime | None:
    """A time column as :func:`driver_rows` or :func:`select_in` give it (SQLite: the stored text; PostgreSQL:
    a datetime), as the models read it: aware UTC."""
    if value is None:
        return None
    return to_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)


def driver_json(value: Any) -> Any:
    """A JSON column holding an object, an array or null, as :func:`driver_rows` or :func:`select_in` give it
    (SQLite: the stored text; PostgreSQL: already decoded by psycopg), as the models read it."""
    return json.loads(value) if isinstance(value, str) else value


def scalar(conn: Connection, sql: str, params: tuple = ()):
    """The first column of the first row of ``sql`` (plain SQL, the driver's placeholders), or None."""
    return conn.exec_driver_sql(sql, params).scalar()

"""Opening a database: SQLite with its settings on every connection, or a database server.

One place for what each of openledger's databases needs when it is opened:
the instance's (:class:`~openledger.store.database.Store`, with its
migrations), and the small ones of the witness and the monitor, whose tables
are created on first use (:func:`open_tables`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine

from openledger.errors import StoreError


def _settings(pragmas: Sequence[str]) -> Callable:
    def apply(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()
    return apply


def create(url: URL, pragmas: Sequence[str]) -> Engine:
    """An engine on ``url``: on SQLite each new connection runs ``pragmas`` first; a server's
    connections are checked before use (a restarted server is not an error)."""
    if url.get_backend_name() == "sqlite":
        engine = sa.create_engine(url)
        event.listen(engine, "connect", _settings(tuple(pragmas)))
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def open_tables(url: str, metadata: sa.MetaData, what: str, pragmas: Sequence[str], *,
                make_folder: bool = False) -> Engine:
    """An engine on the ``what`` database (``"witness"``, ``"monitor"``) at ``url``, ``metadata``'s tables
    created if missing. A SQLite file's folder is made when ``make_folder``, else must exist."""
    try:
        parsed = sa.engine.make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).parent
            if make_folder:
                folder.mkdir(parents=True, exist_ok=True)
            elif not folder.is_dir():
                raise StoreError(f"database folder does not exist: {folder}")
        engine = create(parsed, pragmas)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ValueError) as exc:
        raise StoreError(f"invalid {what} database URL: {exc}") from None
    try:
        metadata.create_all(engine)
    except sa.exc.OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(f"cannot open the {what} database: {reason}") from None
    return engine

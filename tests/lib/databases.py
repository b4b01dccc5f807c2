"""The test PostgreSQL server: where it is, whether it answers, and a fresh schema on it.

PostgreSQL comes from ``OPENLEDGER_TEST_POSTGRES_URL`` (default: the local
server at 127.0.0.1:5432, database ``test``, user ``postgres``). Outside CI a
missing server skips the tests that need it, with the reason; with ``CI=true``
it fails them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

PG_URL = os.environ.get("OPENLEDGER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

_pg_problem: str | None = None
_pg_checked = False


def postgres_problem() -> str | None:
    """Why the test server cannot be used, or None."""
    global _pg_checked, _pg_problem
    if not _pg_checked:
        _pg_checked = True
        try:
            engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(sa.text("select 1"))
            engine.dispose()
        except (SQLAlchemyError, OSError) as exc:  # refused, unknown host, bad login or URL: no usable server
            _pg_problem = f"PostgreSQL at {PG_URL} is not available: {str(exc).splitlines()[0]}"
    return _pg_problem


def require_postgres() -> None:
    """Skip (or, with CI=true, fail) the calling test when the server cannot be used."""
    problem = postgres_problem()
    if problem:
        if IN_CI:
            pytest.fail(problem + " (CI=true: PostgreSQL tests must run)")
        pytest.skip(problem)


@contextmanager
def fresh_schema() -> Iterator[str]:
    """A URL to a new, empty schema on the test server, dropped afterwards."""
    require_postgres()
    schema = "t_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'create schema "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'drop schema "{schema}" cascade'))
        engine.dispose()

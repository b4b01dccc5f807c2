"""Shared fixtures: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``OPENLEDGER_TEST_POSTGRES_URL`` (default: the local
server at 127.0.0.1:5432, database ``test``, user ``postgres``). Each test gets
a schema of its own. Outside CI a missing server skips those tests with the
reason; with ``CI=true`` it fails them.
"""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from openledger.testing import InstanceRunner, make_instance

PG_URL = os.environ.get("OPENLEDGER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

_pg_problem: str | None = None
_pg_checked = False


def _postgres_available() -> str | None:
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


@pytest.fixture
def postgres_url():
    """A URL to a fresh, empty schema on the test PostgreSQL server."""
    problem = _postgres_available()
    if problem:
        if IN_CI:
            pytest.fail(problem + " (CI=true: PostgreSQL tests must run)")
        pytest.skip(problem)
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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """Each test using it runs twice: on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def instance(tmp_path, db_url) -> InstanceRunner:
    """A fresh openledger instance (home in a temporary folder) on each database."""
    inst = make_instance(tmp_path / "home", db_url=db_url)
    yield inst
    inst.close()

"""Shared fixtures: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``OPENLEDGER_TEST_POSTGRES_URL`` (default: the local
server at 127.0.0.1:5432, database ``test``, user ``postgres``). Each test gets
a schema of its own. Outside CI a missing server skips those tests with the
reason; with ``CI=true`` it fails them.
"""

from __future__ import annotations

import functools
import importlib

import broken_plugins
import pytest
from databases import fresh_schema

from openledger.testing import PUBLISH_AT_ONCE, InstanceRunner, make_instance


@pytest.fixture
def postgres_url():
    """A URL to a fresh, empty schema on the test PostgreSQL server."""
    with fresh_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """Each test using it runs twice: on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def instance(tmp_path, db_url) -> InstanceRunner:
    """A fresh openledger instance (home in a temporary folder) on each database."""
    inst = make_instance(tmp_path / "home", db_url=db_url, site=PUBLISH_AT_ONCE)
    yield inst
    inst.close()


@pytest.fixture
def install(tmp_path, monkeypatch):
    """``install(entry_point, target)``: declare a broken plugin of ``tests/lib/broken_plugins`` installed,
    for this test only (load it alone with ``openledger.testing.plugin_manager``)."""
    root = tmp_path / "site-packages"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    importlib.invalidate_caches()
    return functools.partial(broken_plugins.install, root)

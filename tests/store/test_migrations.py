"""The Alembic migrations create exactly the schema the models describe."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from openledger.store.database import Store


def test_migrations_match_models(db_url):
    store = Store(db_url)
    store.upgrade()
    assert store.revision() == store.head()
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []
    store.upgrade()  # idempotent
    with store.engine.connect() as conn:
        assert set(sa.inspect(conn).get_table_names()) >= {"cases", "messages", "events", "alembic_version"}
    store.dispose()

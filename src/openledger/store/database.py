"""The database: engine creation, migrations and sessions.

SQLite is the embedded default; PostgreSQL is used by URL. The schema is
created and upgraded by Alembic migrations shipped in the package.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlmodel import Session

from openledger.errors import StoreError
from openledger.files import private_file
from openledger.store import engines

MIGRATIONS = Path(__file__).parent / "migrations"


#: each SQLite connection of an instance
PRAGMAS = ("PRAGMA foreign_keys=ON", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
           "PRAGMA busy_timeout=30000")


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def _alembic_config(connection: Connection) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


class Store:
    """A database holding an openledger instance."""

    def __init__(self, url: str):
        self.url = url
        try:
            parsed = sa.engine.make_url(url)
            if parsed.get_backend_name() == "sqlite":
                if parsed.database and parsed.database != ":memory:":
                    folder = Path(parsed.database).parent
                    if not folder.is_dir():
                        raise StoreError(f"database folder does not exist: {folder}")
                    # personal data: the file is 0600 before SQLite opens it, and SQLite gives its
                    # -wal and -shm files the database file's mode
                    private_file(parsed.database)
                    for suffix in ("-wal", "-shm"):
                        if Path(parsed.database + suffix).exists():
                            private_file(parsed.database + suffix)
            self.engine: Engine = engines.create(parsed, PRAGMAS)
        except (ArgumentError, NoSuchModuleError, ValueError) as exc:
            raise StoreError(f"invalid database URL {safe_url(url)}: {exc}") from None
        except ImportError as exc:
            raise StoreError(f"cannot use database URL {safe_url(url)}: its driver is not installed ({exc}); "
                             "openledger runs on SQLite and PostgreSQL (postgresql+psycopg://...)") from None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def _connect(self) -> Connection:
        try:
            return self.engine.connect()
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise StoreError(f"cannot open database {safe_url(self.url)}: {reason}") from None

    def revision(self) -> str | None:
        with self._connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def head(self) -> str | None:
        return ScriptDirectory(str(MIGRATIONS)).get_current_head()

    def upgrade(self) -> None:
        """Create or upgrade the schema to the newest migration."""
        with self._connect() as conn:
            with conn.begin():
                command.upgrade(_alembic_config(conn), "head")

    def check(self) -> None:
        """Make sure the schema exists; upgrade an older one in place."""
        current = self.revision()
        if current is None:
            raise StoreError(
                f"database {safe_url(self.url)} holds no openledger instance (run 'openledger init')"
            )
        if current != self.head():
            self.upgrade()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def compact(self, tables: list[str]) -> str:
        """Rewrite the files of ``tables`` so that rows updated or deleted are gone from disk too.

        SQLite: ``VACUUM`` (the whole file is rebuilt: freed pages and old cell
        contents go) then ``PRAGMA wal_checkpoint(TRUNCATE)`` (the WAL is
        emptied). PostgreSQL: ``VACUUM FULL`` of ``tables`` (each is rewritten
        into a new file and the old file is deleted; what the server's WAL,
        its replicas and its backups keep is outside a client's reach). Runs
        outside any transaction; says what it ran.
        """
        with self.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            if self.dialect == "sqlite":
                conn.exec_driver_sql("VACUUM")
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                return "VACUUM"
            quoted = ", ".join(conn.dialect.identifier_preparer.quote(t) for t in tables)
            conn.exec_driver_sql(f"VACUUM FULL {quoted}")
            return f"VACUUM FULL {quoted}"

    def dispose(self) -> None:
        self.engine.dispose()

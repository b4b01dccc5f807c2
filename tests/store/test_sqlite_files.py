"""The SQLite database's files: private, and never opened behind SQLite's back.

Closing any descriptor of a file drops every POSIX lock the process holds on
it. A ``Store`` opened in a process that already has a connection to the same
database (a long-running service, a test that runs commands in-process) must
not open and close the database, its -wal or its -shm: the connection would
lose its locks, and the next connection to close anywhere would take itself
for the last one, checkpoint and delete the write-ahead log under it.
"""

from __future__ import annotations

import stat
import subprocess
import sys

import sqlalchemy as sa

from openledger.store.database import Store


def test_opening_a_store_keeps_the_locks_of_a_connection_already_open(tmp_path):
    db = tmp_path / "openledger.db"
    url = f"sqlite:///{db}"
    first = Store(url)
    with first.engine.begin() as conn:
        conn.exec_driver_sql("create table t (x integer)")
        conn.exec_driver_sql("insert into t values (1)")
    held = first.engine.connect()  # an open connection in WAL mode: it holds a lock on the -shm
    assert held.exec_driver_sql("select count(*) from t").scalar_one() == 1
    assert (tmp_path / "openledger.db-shm").exists() and (tmp_path / "openledger.db-wal").exists()

    second = Store(url)  # in the same process: checks the files' modes
    # another process opens and closes a connection: with this process's locks gone it would be "the last
    # connection", checkpoint the WAL and delete it and the -shm under the connection still open here
    subprocess.run([sys.executable, "-c", f"import sqlite3; c = sqlite3.connect({str(db)!r}); "
                    "c.execute('select count(*) from t').fetchall(); c.close()"], check=True)
    assert (tmp_path / "openledger.db-shm").exists() and (tmp_path / "openledger.db-wal").exists()
    with second.engine.begin() as conn:
        conn.exec_driver_sql("insert into t values (2)")
    assert held.exec_driver_sql("select count(*) from t").scalar_one() == 2
    held.close()
    for store in (first, second):
        store.engine.dispose()
    for name in ("openledger.db", "openledger.db-wal", "openledger.db-shm"):
        path = tmp_path / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name


def test_a_database_file_readable_by_others_is_made_private(tmp_path):
    db = tmp_path / "openledger.db"
    db.touch(mode=0o644)
    db.chmod(0o644)
    Store(f"sqlite:///{db}").engine.dispose()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    with sa.create_engine(f"sqlite:///{db}").connect() as conn:
        assert conn.exec_driver_sql("select 1").scalar_one() == 1

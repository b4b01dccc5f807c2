"""A witness killed -9 never cosigns two inconsistent checkpoints (SQLite and PostgreSQL).

The witness runs as ``openledger witness serve`` in its own process. The
first test stops it in the middle of a cosign: the database write that must
precede the cosignature is held up by a lock the test takes, and the process
is killed there. The second kills it at random moments while a client keeps
submitting checkpoints of two forks of one log; every cosignature it ever
returned must belong to one fork, and the state it restarts with must cover
every checkpoint it cosigned.
"""

from __future__ import annotations

import http.client
import random
import sqlite3
import threading
import time

import sqlalchemy as sa
from spec_client import SpecClient, spec_verify
from witness_fixtures import MemoryLog, WitnessProcess, cosigner_key, make_witness

from openledger.witness.protocol import origin_hash

FORK_AT = 10
LENGTH = 80


def _stored_size(client: SpecClient, origin: str) -> int:
    status, _, note = client.request("GET", f"/{origin_hash(origin)}/checkpoint")
    return int(note.split(b"\n")[1]) if status == 200 else 0


class _Lock:
    """Hold the witness database's write lock from outside (SQLite) or its row lock (PostgreSQL)."""

    def __init__(self, url: str):
        self.url = url

    def __enter__(self):
        if self.url.startswith("sqlite"):
            self.conn = sqlite3.connect(self.url.removeprefix("sqlite:///"), isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            self.engine = sa.create_engine(self.url)
            self.conn = self.engine.connect()
            self.transaction = self.conn.begin()
            self.conn.execute(sa.text("select size from witness_logs for update"))
        return self

    def __exit__(self, *exc):
        if self.url.startswith("sqlite"):
            self.conn.execute("ROLLBACK")
            self.conn.close()
        else:
            self.transaction.rollback()
            self.conn.close()
            self.engine.dispose()


def _witness(tmp_path, db_url, log):
    home = make_witness(tmp_path / "w", "witness.example/w1", [log.signer.verifier().encode()], db_url)
    return home, WitnessProcess(home)


def test_killed_in_the_middle_of_a_cosign_it_has_neither_stored_nor_returned_it(tmp_path, db_url):
    log = MemoryLog.create().append(FORK_AT)
    home, proc = _witness(tmp_path, db_url, log)
    try:
        client = SpecClient(proc.url)
        assert client.add_checkpoint(0, [], log.signed())[0] == 200
        a = log.fork(FORK_AT).append(6, tag="a")
        b = log.fork(FORK_AT).append(6, tag="b")
        answers: list = []

        def submit() -> None:
            try:
                answers.append(client.add_checkpoint(FORK_AT, a.proof(FORK_AT), a.signed()))
            except (OSError, http.client.HTTPException) as exc:  # the connection dies with the process
                answers.append(exc)

        with _Lock(home.database_url()):
            thread = threading.Thread(target=submit)
            thread.start()
            time.sleep(1.0)
            assert thread.is_alive() and not answers  # it is waiting for the database, before answering
            proc.kill9()
            thread.join(30)
        assert len(answers) == 1 and isinstance(answers[0], (OSError, http.client.HTTPException))  # no cosignature
        proc.start()
        assert _stored_size(client, log.origin) == FORK_AT  # nor was the new state kept
        status, _, line = client.add_checkpoint(FORK_AT, b.proof(FORK_AT), b.signed())
        assert status == 200
        spec_verify(cosigner_key(home), b.signed(), line)
        assert client.add_checkpoint(FORK_AT + 6, [], a.signed())[0] == 422  # the other fork: never
        assert client.add_checkpoint(FORK_AT, a.proof(FORK_AT), a.signed())[0] == 409
    finally:
        proc.close()


def test_killed_at_random_moments_it_never_cosigns_both_forks(tmp_path, db_url):
    rng = random.Random(19)
    trunk = MemoryLog.create().append(FORK_AT)
    forks = {"a": trunk.fork(FORK_AT).append(LENGTH - FORK_AT, tag="a"),
             "b": trunk.fork(FORK_AT).append(LENGTH - FORK_AT, tag="b")}
    home, proc = _witness(tmp_path, db_url, trunk)
    vkey = cosigner_key(home)
    cosigned: list[tuple[str, int]] = []
    try:
        client = SpecClient(proc.url)
        for _ in range(5):
            stop = threading.Event()

            def run(stop: threading.Event = stop) -> None:
                known = 0
                while not stop.is_set():
                    name = rng.choice("ab")
                    size = known + rng.randint(1, 3)
                    if size > LENGTH:
                        return
                    fork = forks[name]
                    signed = fork.signed_at(size)
                    try:
                        status, _, body = client.add_checkpoint(known, fork.proof_between(known, size), signed)
                    except (OSError, http.client.HTTPException):
                        return  # killed
                    if status == 200:
                        spec_verify(vkey, signed, body)
                        cosigned.append((name, size))
                        known = size
                    elif status == 409:
                        known = int(body)

            thread = threading.Thread(target=run)
            thread.start()
            time.sleep(rng.uniform(0.05, 0.6))
            proc.kill9()
            stop.set()
            thread.join(30)
            proc.start()
            stored = _stored_size(client, trunk.origin)
            assert stored >= max((s for _, s in cosigned), default=0), "it returned a cosignature it did not keep"
        past_fork = {name for name, size in cosigned if size > FORK_AT}
        assert len(cosigned) > 5 and len(past_fork) <= 1, cosigned
    finally:
        proc.close()

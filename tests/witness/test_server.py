"""The witness server against c2sp.org/tlog-witness, through a client written from the spec text.

``SpecClient`` (tests/lib/spec_client.py) uses nothing of openledger's
witness code. Every answer of the spec is exercised on a real server
(uvicorn on 127.0.0.1), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import base64
import hashlib
import threading

import pytest
import sqlalchemy as sa
from spec_client import SpecClient, spec_verify
from witness_fixtures import MemoryLog, ThreadWitness, cosigner_key, make_witness

from openledger.ledger.note import generate_key, sign_note
from openledger.witness import state


@pytest.fixture
def served(tmp_path, db_url):
    log = MemoryLog.create("example.com/log").append(10)
    home = make_witness(tmp_path / "w", "witness.example/w1", [log.signer.verifier().encode()], db_url)
    server = ThreadWitness(home)
    yield log, server, SpecClient(server.url), cosigner_key(home)
    server.close()


def test_cosigns_a_growing_log_and_answers_each_case_as_the_spec_says(served):
    log, server, client, vkey = served
    # first sight: old size 0, no proof
    status, _, body = client.add_checkpoint(0, [], log.signed())
    assert status == 200
    first = log.signed()
    assert spec_verify(vkey, first, body) > 1_700_000_000
    # the same old size again: 409 with the stored size, as text/x.tlog.size
    status, ctype, body = client.add_checkpoint(0, [], log.append(5).signed())
    assert (status, ctype, body) == (409, "text/x.tlog.size", b"10\n")
    # retried from the size it reported, with the proof from there
    status, _, body = client.add_checkpoint(10, log.proof(10), log.signed())
    assert status == 200 and body.count(b"\n") == 1
    spec_verify(vkey, log.signed(), body)
    # the same checkpoint again (old size = size, same root): cosigned again
    assert client.add_checkpoint(15, [], log.signed())[0] == 200
    # the monitoring API: the latest cosigned checkpoint, with the log's signature and the cosignature
    digest = hashlib.sha256(log.origin.encode()).hexdigest()
    status, _, stored = client.request("GET", f"/{digest}/checkpoint")
    assert status == 200 and stored.startswith(log.checkpoint().to_text().encode())
    lines = stored.split(b"\n\n", 1)[1].splitlines(keepends=True)
    assert len(lines) == 2 and spec_verify(vkey, stored, lines[1])
    assert client.request("GET", f"/{'0' * 64}/checkpoint")[0] == 404
    assert client.request("GET", "/add-checkpoint")[0] == 405


def test_refusals(served):
    log, server, client, _ = served
    assert client.add_checkpoint(0, [], log.signed())[0] == 200
    grown = MemoryLog(log.signer, list(log.entries), log.store).append(6)
    fork = log.fork(8).append(8, tag="b")  # same size as `grown`, other entries from entry 8 on
    # malformed bodies: 400
    assert client.request("POST", "/add-checkpoint", b"old 10\n")[0] == 400
    assert client.request("POST", "/add-checkpoint", b"old 010\n\n" + grown.signed())[0] == 400
    assert client.request("POST", "/add-checkpoint", b"old 10\nnot-base64\n\n" + grown.signed())[0] == 400
    assert client.add_checkpoint(10, [b"\0" * 32] * 64, grown.signed())[0] == 400  # more than 63 proof lines
    assert client.add_checkpoint(10, [], b"not a note\n")[0] == 400
    # old size larger than the checkpoint's: 400
    assert client.add_checkpoint(20, [], grown.signed())[0] == 400
    # unknown origin: 404
    stranger = MemoryLog.create("other.example/log").append(3)
    assert client.add_checkpoint(0, [], stranger.signed())[0] == 404
    # known origin, signed by another key only, or a known key's signature altered: 403
    impostor = MemoryLog(generate_key("example.com/log"), grown.entries, grown.store)
    assert client.add_checkpoint(10, grown.proof(10), impostor.signed())[0] == 403
    altered = bytearray(grown.signed())
    altered[-5] = ord("A") if altered[-5] != ord("A") else ord("B")
    assert client.add_checkpoint(10, grown.proof(10), bytes(altered))[0] == 403
    # a fork: the proof from the stored size does not lead to its root: 422, and kept as evidence
    status, _, body = client.add_checkpoint(10, fork.proof(10), fork.signed())
    assert status == 422 and b"proof" in body
    assert client.add_checkpoint(10, grown.proof(10)[:-1], grown.signed())[0] == 422  # a truncated proof
    # the stored size with another root: 422
    same_size = log.fork(9).append(1, tag="c")
    assert client.add_checkpoint(10, [], same_size.signed())[0] == 422
    # the honest extension still works
    assert client.add_checkpoint(10, grown.proof(10), grown.signed())[0] == 200
    with server.witness.engine.connect() as conn:
        refused = conn.execute(sa.select(state.refusals_table.c.status, state.refusals_table.c.checkpoint)).all()
    assert [r.status for r in refused] == [422, 422, 422]
    assert refused[0].checkpoint.encode() == fork.signed()


def test_size_zero_rules(served):
    log, _, client, _ = served
    empty = MemoryLog(log.signer)
    assert client.add_checkpoint(0, [b"\1" * 32], log.signed())[0] == 422  # old 0 takes no proof
    bad_root = ("example.com/log\n0\n" + base64.b64encode(b"\1" * 32).decode() + "\n")
    assert client.add_checkpoint(0, [], sign_note(bad_root, [log.signer]))[0] == 422
    assert client.add_checkpoint(0, [], empty.signed())[0] == 200
    assert client.add_checkpoint(0, [], log.signed())[0] == 200  # from size 0, any tree is consistent


SPEC_REQUEST = (
    "old 20852014\n"
    "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n"
    "jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n"
    "5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n"
    "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n"
    "\n"
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    "\n"
    "\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
    "\u2014 example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n"
).encode()


def test_the_spec_example_request(tmp_path):
    """The example body of the spec parses; its log is unknown here (404), then known by another key (403)."""
    from openledger.witness.protocol import parse_request

    parsed = parse_request(SPEC_REQUEST)
    assert parsed.old_size == 20852014 and len(parsed.proof) == 4
    assert parsed.checkpoint.startswith(b"example.com/behind-the-sofa\n20852163\n")
    log = MemoryLog.create("example.com/log")
    home = make_witness(tmp_path / "w", "witness.example/w1", [log.signer.verifier().encode()])
    server = ThreadWitness(home)
    try:
        client = SpecClient(server.url)
        assert client.request("POST", "/add-checkpoint", SPEC_REQUEST)[0] == 404
        home.add_log(generate_key("example.com/behind-the-sofa").verifier().encode())
    finally:
        server.close()
    server = ThreadWitness(home)
    try:
        assert SpecClient(server.url).request("POST", "/add-checkpoint", SPEC_REQUEST)[0] == 403
    finally:
        server.close()


def test_racing_requests_from_the_same_size_cosign_only_one(served):
    """The spec's race (two requests checked against the same stored size): compare-and-swap lets one win."""
    log, _, client, vkey = served
    assert client.add_checkpoint(0, [], log.signed())[0] == 200
    forks = [log.fork(10).append(3 + i, tag=f"f{i}") for i in range(8)]
    answers: list[tuple[int, bytes, MemoryLog]] = []
    barrier = threading.Barrier(len(forks))

    def submit(fork: MemoryLog) -> None:
        signed, proof = fork.signed(), fork.proof(10)
        barrier.wait()
        status, _, body = client.add_checkpoint(10, proof, signed)
        answers.append((status, body, fork))

    threads = [threading.Thread(target=submit, args=(f,)) for f in forks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    won = [a for a in answers if a[0] == 200]
    assert len(won) == 1, [a[0] for a in answers]
    assert sorted(a[0] for a in answers if a[0] != 200) == [409] * 7
    assert {a[1] for a in answers if a[0] == 409} == {f"{won[0][2].size}\n".encode()}
    spec_verify(vkey, won[0][2].signed(), won[0][1])

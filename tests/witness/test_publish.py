"""Publishing with witnesses: the instance asks its witnesses, applies its policy, and a split view is caught.

Real instances (SQLite and PostgreSQL, through the CLI) and real witness
servers (uvicorn on 127.0.0.1, each with its own SQLite database).
"""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from dripping import DrippingServer
from site_fixtures import history_lines
from witness_fixtures import ThreadWitness, cosigner_key, make_witness

from openledger.errors import OpenLedgerError
from openledger.ledger.cosignature import check_cosignatures, parse_cosigner_key
from openledger.ledger.note import parse_note
from openledger.store.database import Store
from openledger.testing import InstanceRunner


def _ingest(inst: InstanceRunner, count: int, seed: int) -> None:
    path = inst.home.parent / f"history-{seed}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in history_lines(count, seed=seed)), "utf-8")
    inst.run("ingest", "history", str(path))


def _configure(inst: InstanceRunner, witnesses: list[ThreadWitness], policy: str) -> None:
    lines = [f'\n[witnesses]\npolicy = "{policy}"\ntimeout = 5\n']
    for i, w in enumerate(witnesses):
        lines.append(f'\n[[witnesses.witness]]\nname = "w{i + 1}"\nurl = "{w.url}"\nkey = "{cosigner_key(w.home)}"\n')
    with (inst.home / "openledger.toml").open("a", encoding="utf-8") as f:
        f.write("".join(lines))


def _verifier(inst: InstanceRunner) -> str:
    return (inst.home / "verifier.key").read_text().strip()


@pytest.fixture
def witnesses(tmp_path, instance):
    servers = [ThreadWitness(make_witness(tmp_path / f"w{i}", f"w{i}.example/witness", [_verifier(instance)]))
               for i in range(1, 4)]
    yield servers
    for s in servers:
        s.close()


def test_export_is_cosigned_under_the_policy_and_refused_below_it(tmp_path, instance, witnesses):
    _ingest(instance, 20, seed=1)
    _configure(instance, witnesses, "2 of 3")
    out = tmp_path / "log"
    instance.run("export-log", str(out))
    keys = [parse_cosigner_key(cosigner_key(w.home)) for w in witnesses]
    signed = (out / "checkpoint").read_bytes()
    assert len(check_cosignatures(signed, keys).verified) == 3
    published = json.loads((out / "witnesses.json").read_text())
    assert published["policy"] == "2 of 3" and published["quorum"] == 2
    assert [w["key"] for w in published["witnesses"]] == [k.encode() for k in keys]
    assert "url" not in published["witnesses"][0]
    args = [a for k in keys for a in ("--witness-key", k.encode())]
    assert "witnessed: 3 of 3 witnesses cosigned" in instance.run("verify", str(out), *args).stdout
    assert "policy 2 of 3 (w1, w2, w3) met" in instance.run(
        "verify", str(out), "--witness-policy", str(out / "witness-policy")).stdout

    witnesses[2].close()  # one witness down: 2 of 3 still publish
    _ingest(instance, 5, seed=2)
    instance.run("export-log", str(out))
    assert len(check_cosignatures((out / "checkpoint").read_bytes(), keys).verified) == 2
    failed = instance.run("verify", str(out), *args, expect=1)
    assert failed.stderr.count("\n") == 1 and "the witness policy is not met" in failed.stderr
    instance.run("verify", str(out), *args, "--witness-quorum", "2")

    witnesses[1].close()  # two down: the policy is not met, nothing is published
    _ingest(instance, 5, seed=3)
    before = (out / "checkpoint").read_bytes()
    refused = instance.run("export-log", str(out), expect=1)
    assert refused.stderr.count("\n") == 1
    assert 'refusing to publish the checkpoint of size' in refused.stderr
    assert 'policy "2 of 3" is not met, 1 of 3 witnesses cosigned (w2: ' in refused.stderr
    assert (out / "checkpoint").read_bytes() == before
    instance.run("verify", str(out))


def test_a_witness_ahead_of_what_the_instance_remembers_answers_409_and_the_retry_succeeds(tmp_path, instance,
                                                                                           witnesses):
    _ingest(instance, 12, seed=1)
    _configure(instance, witnesses[:1], "all")
    instance.run("export-log", str(tmp_path / "a"))
    with instance.engine.begin() as conn:
        conn.execute(sa.text("delete from ledger_checkpoints"))  # the instance forgets what was cosigned
    _ingest(instance, 3, seed=2)
    instance.run("export-log", str(tmp_path / "b"))
    key = parse_cosigner_key(cosigner_key(witnesses[0].home))
    assert len(check_cosignatures((tmp_path / "b" / "checkpoint").read_bytes(), [key]).verified) == 1


def test_a_company_showing_two_logs_is_refused_by_one_witness(tmp_path, instance, witnesses):
    """The split view: the same key and origin sign a second, different log; the witness refuses it."""
    _configure(instance, witnesses[:1], "all")
    fork_home = tmp_path / "fork-home"
    shutil.copytree(instance.home, fork_home)  # the same keys, secret and configuration
    fork = InstanceRunner(fork_home, f"sqlite:///{fork_home / 'fork.db'}")
    Store(fork.db_url).upgrade()
    _ingest(instance, 10, seed=1)
    _ingest(fork, 25, seed=9)  # other entries, and more of them
    instance.run("export-log", str(tmp_path / "shown-to-auditor"))
    refused = fork.run("export-log", str(tmp_path / "shown-to-everybody"), expect=1)
    assert "refusing to publish" in refused.stderr and "w1: HTTP 422" in refused.stderr
    assert not (tmp_path / "shown-to-everybody" / "checkpoint").exists()
    with witnesses[0].witness.engine.connect() as conn:
        evidence = conn.execute(sa.text("select checkpoint from witness_refusals")).scalars().all()
    assert len(evidence) == 1
    text, sigs = parse_note(evidence[0].encode())
    assert text.split("\n")[1] != (tmp_path / "shown-to-auditor" / "checkpoint").read_text().split("\n")[1]
    fork.close()


def test_verify_refuses_a_cosignature_that_does_not_verify(tmp_path, instance, witnesses):
    _ingest(instance, 8, seed=1)
    _configure(instance, witnesses[:2], "all")
    out = tmp_path / "log"
    instance.run("export-log", str(out))
    key_file = tmp_path / "w1.pub"
    key_file.write_text(cosigner_key(witnesses[0].home) + "\n")
    ok = instance.run("verify", str(out), "--witness-key", str(key_file))
    assert "witnessed: 1 of 1 witnesses cosigned (w1.example/witness at " in ok.stdout
    lines = (out / "checkpoint").read_text().splitlines(keepends=True)
    name, blob = lines[-2].split(" ")[1:]
    raw = bytearray(base64.b64decode(blob))
    raw[-1] ^= 1
    lines[-2] = f"\u2014 {name} {base64.b64encode(bytes(raw)).decode()}\n"
    (out / "checkpoint").write_text("".join(lines))
    instance.run("verify", str(out))  # the log's own signature still holds
    failed = instance.run("verify", str(out), "--witness-key", str(key_file), expect=1)
    assert failed.stderr.count("\n") == 1
    assert "the cosignature by witness w1.example/witness+" in failed.stderr and "does not verify" in failed.stderr
    bad = instance.run("verify", str(out), "--witness-key", _verifier(instance), expect=1)
    assert "not a cosignature/v1 key" in bad.stderr


def test_a_bad_witnesses_section_is_one_line(instance):
    with (instance.home / "openledger.toml").open("a", encoding="utf-8") as f:
        f.write('\n[witnesses]\npolicy = "2 of 3"\n[[witnesses.witness]]\nurl = "http://127.0.0.1:9/"\n'
                'key = "w.example/w+00000000+BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"\n')
    failed = instance.run("export-log", str(Path(instance.home) / "out"), expect=1)
    assert failed.stderr.count("\n") == 1 and "openledger.toml" in failed.stderr
    assert "[[witnesses.witness]] number 1" in failed.stderr


def test_a_witness_or_peer_that_drips_its_answer_is_cut_at_the_deadline(monkeypatch):
    """A witness or a monitor's peer is anyone's: one that sends its answer a byte at a time (each wait short)
    is cut at the client's deadline for the whole answer, in one line, instead of holding the build's cosigning
    or the monitor's round open."""
    import openledger.witness.client as client_module

    monkeypatch.setattr(client_module, "DEADLINE", 1)
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 500\r\n\r\n"
    with DrippingServer(head, b"x" * 500) as server, client_module.WitnessClient(timeout=0.5) as client:
        with pytest.raises(OpenLedgerError, match=r"/checkpoint: cannot reach: not whole within 1 s"):
            client.latest_checkpoint(server.url, "example.com/log")
        with pytest.raises(OpenLedgerError, match=r"/add-checkpoint: cannot reach the witness: not whole within 1 s"):
            client.add_checkpoint(server.url, 0, [], b"example.com/log\n1\nAAAA\n\n")

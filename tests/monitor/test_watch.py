"""Monitors: a split view caught by monitors exchanging checkpoints (or asking a witness), a rollback,
audit verdicts tracked over time; SQLite and PostgreSQL, real HTTP servers for sites, peers and witnesses."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from spec_client import SpecClient
from witness_fixtures import (
    MemoryLog,
    StaticServer,
    ThreadApp,
    ThreadWitness,
    make_witness,
    publish,
)

from openledger.ledger.checkpoint import open_checkpoint
from openledger.ledger.errors import VerificationError
from openledger.ledger.merkle import consistency_proof, verify_consistency
from openledger.monitor import db, server
from openledger.monitor.watch import check_site
from openledger.testing import command


@pytest.fixture
def split_view(tmp_path):
    """One log key; the auditor is shown 20 entries, everybody else a fork of 24 (shared first 10)."""
    log = MemoryLog.create("northwind.example/complaints").append(20, tag="honest")
    fork = log.fork(10).append(14, tag="rewritten")
    sites = [StaticServer(publish(log, tmp_path / "a")), StaticServer(publish(fork, tmp_path / "b"))]
    yield log, fork, sites[0].url, sites[1].url
    for s in sites:
        s.close()


def _engines(tmp_path, db_url):
    return db.open_engine(f"sqlite:///{tmp_path / 'm1' / 'monitor.db'}"), db.open_engine(db_url)


def test_monitors_exchanging_checkpoints_raise_the_fork_with_both_signed_checkpoints(tmp_path, db_url, split_view):
    log, fork, url_a, url_b = split_view
    m1, m2 = _engines(tmp_path, db_url)
    first = check_site(m1, url_a, tmp_path / "m1" / "evidence")
    assert first.status == "ok" and first.size == 20 and first.new, first.line()
    peer = ThreadApp(server.app(m1))
    try:
        report = check_site(m2, url_b, tmp_path / "m2" / "evidence", peers=[peer.url])
    finally:
        peer.close()
    assert report.status == "alarm" and [a.kind for a in report.alarms] == ["fork"]
    line = report.line()
    assert line.count("\n") == 0 and line.startswith("ALARM fork: northwind.example/complaints: the tree of 24")
    folder = tmp_path / "m2" / "evidence" / report.alarms[0].evidence.rsplit("/", 1)[1]
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == ["1-size-24.checkpoint", "2-size-20.checkpoint", "alarm.json"]
    # the evidence stands on its own: both validly signed by the log's key, and provably inconsistent
    verifier = log.signer.verifier()
    big, _ = open_checkpoint((folder / "1-size-24.checkpoint").read_bytes(), [verifier])
    small, _ = open_checkpoint((folder / "2-size-20.checkpoint").read_bytes(), [verifier])
    with pytest.raises(VerificationError):
        verify_consistency(20, 24, small.root, big.root, consistency_proof(20, 24, fork.store))
    assert json.loads((folder / "alarm.json").read_text())["checkpoints"][1]["source"] == peer.url
    with m2.connect() as conn:
        assert [k for k, _, _ in db.alarms(conn, log.origin)] == ["fork"]
    # the other monitor, shown the smaller tree, asks the first one back: not provable from its site's tiles,
    # so a note, not an alarm; its own view stays consistent
    peer2 = ThreadApp(server.app(m2))
    try:
        back = check_site(m1, url_a, tmp_path / "m1" / "evidence", peers=[peer2.url])
    finally:
        peer2.close()
    assert back.status == "ok" and back.peers == {peer2.url: "tree size 24"}
    m1.dispose()
    m2.dispose()


def test_asking_a_witness_catches_the_fork_too(tmp_path, db_url, split_view):
    log, fork, url_a, url_b = split_view
    witness = ThreadWitness(make_witness(tmp_path / "w", "w.example/w", [log.signer.verifier().encode()]))
    try:
        assert SpecClient(witness.url).add_checkpoint(0, [], log.signed())[0] == 200
        engine = db.open_engine(db_url)
        report = check_site(engine, url_b, tmp_path / "evidence", peers=[witness.url])
        assert [a.kind for a in report.alarms] == ["fork"], report.line()
        engine.dispose()
    finally:
        witness.close()


def test_a_site_that_rolls_back_raises_a_rollback(tmp_path, db_url):
    log = MemoryLog.create().append(30)
    site = tmp_path / "site"
    publish(log, site)
    engine = db.open_engine(db_url)
    assert check_site(engine, str(site), tmp_path / "evidence").status == "ok"
    shutil.rmtree(site)
    publish(log.fork(25), site)  # the same log, five entries taken back
    report = check_site(engine, str(site), tmp_path / "evidence")
    assert [a.kind for a in report.alarms] == ["rollback"]
    assert "now shows a tree of 25 entries, but it published a signed checkpoint of 30" in report.line()
    again = check_site(engine, str(site), tmp_path / "evidence")
    assert again.status == "ok"  # reported once, kept in the database
    with engine.connect() as conn:
        assert len(db.alarms(conn, log.origin)) == 1
    engine.dispose()


def test_growth_is_checked_and_verdict_changes_are_reported(tmp_path, db_url):
    log = MemoryLog.create().append(12)
    site = tmp_path / "site"
    publish(log, site / "ledger")
    (site / "data").mkdir()

    def audit(overall: str, response: str) -> None:
        (site / "data" / "audit-visibility.json").write_text(json.dumps({
            "overall": overall, "findings": [
                {"metric": "response_rate", "group": "private", "verdict": response},
                {"metric": "resolution_days", "group": "private", "verdict": "equal"}]}))

    audit("fair", "equal")
    engine = db.open_engine(db_url)
    first = check_site(engine, str(site), tmp_path / "evidence")
    assert first.verdicts == {"visibility": "fair"} and first.verdict_changes == []
    log.append(7)
    shutil.rmtree(site / "ledger")
    publish(log, site / "ledger")
    audit("unfair", "unequal")
    second = check_site(engine, str(site), tmp_path / "evidence")
    assert second.status == "ok" and second.size == 19 and second.consistent_with == 1
    assert {(c["what"], c["before"], c["after"]) for c in second.verdict_changes} == {
        ("overall", "fair", "unfair"), ("response_rate (private)", "equal", "unequal")}
    assert "2 verdict(s) changed: visibility/overall fair -> unfair" in second.line()
    with engine.connect() as conn:
        stored = conn.execute(sa.select(db.verdicts_table.c.size).distinct()).scalars().all()
    assert sorted(stored) == [12, 19]
    engine.dispose()


def test_a_site_whose_log_does_not_verify_is_an_error(tmp_path, db_url):
    log = MemoryLog.create().append(5)
    site = publish(log, tmp_path / "site")
    bundle = next((site / "tile" / "entries").rglob("*"))
    while bundle.is_dir():
        bundle = next(bundle.iterdir())
    data = bytearray(bundle.read_bytes())
    data[-2] ^= 1
    bundle.write_bytes(bytes(data))
    engine = db.open_engine(db_url)
    report = check_site(engine, str(site), tmp_path / "evidence")
    assert report.status == "error" and report.line().startswith("error: ") and "entry" in report.line()
    engine.dispose()


def test_the_command_line(tmp_path, split_view):
    log, fork, url_a, url_b = split_view
    runner = CliRunner()
    ok = runner.invoke(command(), ["monitor", url_a, "--state", str(tmp_path / "m")])
    assert ok.exit_code == 0 and ok.output.startswith("ok: northwind.example/complaints: tree size 20 (new)")
    peer = ThreadApp(server.app(db.open_engine(f"sqlite:///{tmp_path / 'm' / 'monitor.db'}")))
    try:
        alarm = runner.invoke(command(), ["monitor", "check", url_b, "--state", str(tmp_path / "m2"),
                                          "--peer", peer.url, "--json"])
    finally:
        peer.close()
    assert alarm.exit_code == 1
    report = json.loads(alarm.stdout)
    assert report["status"] == "alarm" and report["alarms"][0]["kind"] == "fork"
    assert (tmp_path / "m2" / "evidence").is_dir()


def test_a_site_that_says_what_its_log_does_not_raises_a_site_alarm(tmp_path_factory, tmp_path):
    """The monitor derives the site from its verified log, as ``verify`` does (issue 19 with issue 14)."""
    from site_fixtures import built_site

    _, root = built_site(tmp_path_factory)
    site = tmp_path / "site"
    shutil.copytree(root, site)
    runner = CliRunner()
    state = tmp_path / "m"
    ok = runner.invoke(command(), ["monitor", "check", str(site), "--state", str(state)])
    assert ok.exit_code == 0, ok.output
    assert "note: the site says what its log says" in ok.output
    home = site / "index.html"
    text = home.read_text("utf-8")
    verdict = re.search(r'id="verdict"[^>]*>([^<]+)<', text)
    assert verdict is not None
    home.write_text(text.replace(verdict.group(0), verdict.group(0).replace(verdict.group(1), "Equal treatment")),
                    "utf-8")
    alarm = runner.invoke(command(), ["monitor", "check", str(site), "--state", str(state)])
    assert alarm.exit_code == 1
    line = alarm.output.strip()
    assert line.startswith("ALARM site: ") and "does not say what its log says: " in line and "index.html" in line
    evidence = json.loads(next((state / "evidence").glob("*-site-*/alarm.json")).read_text())
    assert evidence["kind"] == "site" and any("index.html" in d for d in evidence["differences"])
    # --log-only checks the log alone, which is intact
    assert runner.invoke(command(), ["monitor", "check", str(site), "--state", str(state), "--log-only"]).exit_code == 0


def test_the_site_is_compared_with_the_entries_as_verified_never_fetched_again(tmp_path_factory, tmp_path):
    """The monitor derives the site from the bytes it verified: checking the site fetches no entry bundle
    beyond those the log's verification fetched (a host cannot serve the comparison other bytes)."""
    from site_fixtures import built_site

    _, root = built_site(tmp_path_factory)
    requests: list[str] = []
    host = StaticServer(root, requests)
    try:
        log_only = CliRunner().invoke(command(), ["monitor", "check", host.url, "--state", str(tmp_path / "a"),
                                                  "--log-only"])
        fetched_by_the_log = sorted(path for path in requests if "/tile/entries/" in path)
        requests.clear()
        both = CliRunner().invoke(command(), ["monitor", "check", host.url, "--state", str(tmp_path / "b")])
    finally:
        host.close()
    assert log_only.exit_code == 0 and both.exit_code == 0, (log_only.output, both.output)
    assert "note: the site says what its log says" in both.output
    assert fetched_by_the_log and sorted(path for path in requests if "/tile/entries/" in path) == fetched_by_the_log

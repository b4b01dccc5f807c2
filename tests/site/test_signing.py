"""``build`` never signs a history it already signed differently, and never publishes a site its own
``verify`` would reject (issue 22: a rolled-back head, a rewritten log, an edited entry)."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from audit_sim import history_lines
from pluggy import HookimplMarker

from openledger.testing import make_instance, plugin_manager

hookimpl = HookimplMarker("openledger")


def instance_with_site(tmp_path, db_url):
    inst = make_instance(tmp_path / "home", db_url=db_url, site={"k": 5, "settle": "0d"})
    history = tmp_path / "history.jsonl"
    history.write_text("\n".join(history_lines(400, 11)) + "\n")
    inst.run("ingest", "history", history)
    inst.run("build", "--out", tmp_path / "site")
    return inst, tmp_path / "site"


def refused(inst, site, expect: str) -> str:
    before = (site / "ledger" / "checkpoint").read_bytes()
    line = inst.run("build", "--out", site, expect=1).stderr.strip()
    assert "\n" not in line and "Traceback" not in line, line
    assert expect in line, line
    assert (site / "ledger" / "checkpoint").read_bytes() == before  # the published site is untouched
    return line


def test_a_rolled_back_head_is_not_signed(tmp_path, db_url):
    inst, site = instance_with_site(tmp_path, db_url)
    with inst.engine.begin() as conn:
        conn.execute(sa.text("update ledger_head set size = size - 7"))
    line = refused(inst, site, "the log was rolled back or truncated; refusing to sign")
    assert "signed.checkpoint" in line
    # the checkpoint command refuses the same way
    assert "refusing to sign" in inst.run("checkpoint", expect=1).stderr
    inst.close()


def test_a_log_rewritten_in_the_database_is_not_signed(tmp_path, db_url):
    inst, site = instance_with_site(tmp_path, db_url)
    with inst.engine.begin() as conn:  # the whole log dropped and sealed again: other salts, another root
        for table in ("ledger_entries", "ledger_hashes", "published_cases"):
            conn.execute(sa.text(f"delete from {table}"))
        conn.execute(sa.text("update ledger_head set size = 0, last_event_id = 0"))
    assert "its history was changed" in refused(inst, site, "refusing to sign")
    # without the copy in the home, the database's own record of what it signed still holds
    (inst.home / "signed.checkpoint").unlink()
    refused(inst, site, "(the database")
    inst.close()


def test_an_entry_edited_in_the_database_is_not_exported(tmp_path, db_url):
    inst, site = instance_with_site(tmp_path, db_url)
    with inst.engine.begin() as conn:
        idx, entry = next((i, e) for i, e in conn.execute(sa.text("select idx, entry from ledger_entries order by idx"))
                          if b'"type":"resolved"' in bytes(e))
        edited = bytes(entry).replace(b'"after_h":', b'"after_h":1')  # resolved ten times later, or more
        assert edited != bytes(entry)
        conn.execute(sa.text("update ledger_entries set entry = :e where idx = :i"), {"e": edited, "i": idx})
    refused(inst, site, "does not match its stored leaf hash")
    inst.close()


class TickerPlugin:
    """A plugin page that says something new every time it is rendered: what no verifier can reproduce."""

    @hookimpl
    def register_site_pages(self, register, context):
        class Page:
            path = "ticker.md"
            title = "Ticker"

            @staticmethod
            def render(ctx):  # new in every rendering, in every process (the build verifies in its own)
                return f"# Ticker\n\nToday's number: {secrets.token_hex(8)}.\n"

        register(Page())


def test_a_site_that_fails_its_own_verification_is_not_published(tmp_path):
    inst, site = instance_with_site(tmp_path, None)
    with plugin_manager(only=[TickerPlugin()]):
        refused(inst, site, "refusing to publish: the built site fails its own verification")
    assert not (site / "ticker.html").exists()
    inst.close()


def test_the_last_signed_checkpoint_is_kept_private_and_extended(tmp_path):
    inst, site = instance_with_site(tmp_path, None)
    kept = inst.home / "signed.checkpoint"
    assert kept.stat().st_mode & 0o777 == 0o600
    assert kept.read_bytes() == (site / "ledger" / "checkpoint").read_bytes()
    history = tmp_path / "more.jsonl"
    history.write_text("\n".join(line.replace('"case-11-', '"more-11-') for line in history_lines(60, 11)) + "\n")
    inst.run("ingest", "history", history)
    inst.run("build", "--out", site)  # a grown log extends the kept checkpoint: signed and published
    assert kept.read_bytes() == (site / "ledger" / "checkpoint").read_bytes()
    inst.close()

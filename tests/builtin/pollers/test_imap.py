"""The imap poller against a real dovecot (TLS, a Maildir), on both databases."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest
from dovecot import dovecot_server
from paths import DATA, shared

from openledger import hookimpl, plugins
from openledger.config import load_config
from openledger.intake.polling import poll, select
from openledger.store import cursors
from openledger.store.database import Store
from openledger.testing import InstanceRunner

EMLS = sorted((DATA / "sources" / "email" / "emls").glob("*.eml"))


@pytest.fixture(scope="module")
def dovecot():
    with dovecot_server() as server:
        yield server


@pytest.fixture
def mailbox(dovecot):
    """An empty INBOX for each test."""
    for sub in ("cur", "new"):
        for file in (dovecot.maildir / sub).iterdir():
            file.unlink()
    for name in os.listdir(dovecot.maildir):
        if name.startswith("dovecot"):
            os.unlink(dovecot.maildir / name)  # indexes and uidlist: a new UIDVALIDITY for the new mailbox
    return dovecot


def configure(inst: InstanceRunner, name: str, options: dict) -> None:
    lines = [f"\n[pollers.{name}]"] + [f"{k} = {json.dumps(v)}" for k, v in options.items()]
    with open(inst.home / "openledger.toml", "a") as f:
        f.write("\n".join(lines) + "\n")


def mails() -> list[bytes]:
    """The test's own mails, then the real .eml files of the shared exports (skipped where they are absent)."""
    return [p.read_bytes() for p in EMLS + sorted(shared("email", "eml").glob("*.eml"))]


def test_poll_stores_new_mail_once_page_by_page(instance: InstanceRunner, mailbox, tmp_path):
    messages = mails()
    mailbox.deliver(*messages[:3])
    configure(instance, "support-mail", mailbox.poller_options(tmp_path / "password", batch=2))
    first = instance.run("intake", "poll")
    # html_only.eml answers complaint.eml (In-Reply-To): one case for the two
    assert "support-mail (imap): 3 fetched in 2 pages, 3 messages stored into 2 new cases" in first.stdout
    assert instance.count("messages", "source = 'email'") == 3
    again = instance.run("intake", "poll", "support-mail")
    assert "0 fetched in 0 pages" in again.stdout
    mailbox.deliver(*messages[3:5])
    later = instance.run("intake", "poll")
    assert f"{len(messages[3:5])} fetched" in later.stdout and instance.count("messages") == 3 + len(messages[3:5])
    status = instance.json("intake", "status", "--json")
    assert status[0]["name"] == "support-mail" and status[0]["error"] is None
    assert status[0]["cursor"]["uid"] == 3 + len(messages[3:5]) and status[0]["stored"] == instance.count("messages")
    # nothing in the mailbox was changed: still unseen, still there
    assert len(list((mailbox.maildir / "new").iterdir())) + len(list((mailbox.maildir / "cur").iterdir())) == \
        3 + len(messages[3:5])
    assert not any(":2,S" in f.name for f in (mailbox.maildir / "cur").iterdir())


class CrashAfterFirstPage:
    """A plugin that kills the process (no cleanup at all) once the first page is committed."""

    @hookimpl
    def case_opened(self, case, event):
        os._exit(9)


def _poll_and_crash(home: str, db_url: str) -> None:
    plugins.manager().register(CrashAfterFirstPage(), name="crash-after-first-page")
    config = load_config(Path(home))
    store = Store(db_url)
    poll(store, config, select(config, None)[0])


def test_a_crash_after_a_page_resumes_without_loss_or_duplicates(instance: InstanceRunner, mailbox, tmp_path):
    messages = mails()[:5]
    mailbox.deliver(*messages)
    configure(instance, "imap", mailbox.poller_options(tmp_path / "password", batch=2))
    child = multiprocessing.get_context("fork").Process(target=_poll_and_crash,
                                                        args=(str(instance.home), instance.db_url))
    child.start()
    child.join(60)
    assert child.exitcode == 9
    assert instance.count("messages") == 2  # the first page, committed with its cursor
    with instance.engine.connect() as conn:
        assert cursors.load_cursor(conn, "imap")["uid"] == 2
    result = instance.run("intake", "poll")
    assert "3 fetched in 2 pages, 3 messages stored" in result.stdout
    assert instance.count("messages") == 5 and instance.count("cases") == 4


def test_a_new_uidvalidity_reads_the_mailbox_again_and_stores_nothing_twice(instance: InstanceRunner, mailbox,
                                                                            tmp_path):
    mailbox.deliver(*mails()[:3])
    configure(instance, "imap", mailbox.poller_options(tmp_path / "password"))
    instance.run("intake", "poll")
    with instance.engine.begin() as conn:
        cursor = dict(cursors.load_cursor(conn, "imap"))
        cursors.save_cursor(conn, "imap", "imap", {**cursor, "uidvalidity": cursor["uidvalidity"] + 1}, 0)
    result = instance.run("intake", "poll")
    assert "3 fetched in 1 pages, 0 messages stored into 0 new cases (3 already stored" in result.stdout
    assert instance.count("messages") == 3


def test_refusals_are_one_line_and_kept_for_the_status(instance: InstanceRunner, mailbox, tmp_path):
    options = mailbox.poller_options(tmp_path / "password")
    (tmp_path / "password").write_text("not the password\n")
    configure(instance, "imap", options)
    result = instance.run("intake", "poll", expect=1)
    assert "imap: 0 fetched" in result.stdout and "FAILED: IMAP login as support refused" in result.stdout
    assert "Traceback" not in result.output
    status = instance.run("intake", "status").stdout
    assert "imap (imap): FAILING" in status and "login as support refused" in status


def test_tls_is_checked(instance: InstanceRunner, mailbox, tmp_path):
    options = mailbox.poller_options(tmp_path / "password")
    del options["ca_file"]  # the test CA is not trusted by the system
    configure(instance, "imap", options)
    assert "TLS failed" in instance.run("intake", "poll", expect=1).stdout


def test_passwords_stay_out_of_the_config(instance: InstanceRunner, mailbox, tmp_path, monkeypatch):
    options = mailbox.poller_options(tmp_path / "password")
    del options["password_file"]
    configure(instance, "imap", {**options, "password": mailbox.password})
    assert "never put a secret in the config" in instance.run("intake", "poll", expect=1).stdout
    (tmp_path / "password").chmod(0o644)
    other = mailbox.poller_options(tmp_path / "other") | {"password_file": str(tmp_path / "password")}
    configure(instance, "mail2", other)
    assert "readable by others" in instance.run("intake", "poll", "mail2", expect=1).stdout
    monkeypatch.setenv("OPENLEDGER_TEST_IMAP_PASSWORD", mailbox.password)
    env = dict(options) | {"password_env": "OPENLEDGER_TEST_IMAP_PASSWORD"}
    configure(instance, "mail3", env)
    mailbox.deliver(mails()[0])
    assert "1 messages stored" in instance.run("intake", "poll", "mail3").stdout


def test_an_unknown_poller_type_names_the_table(instance: InstanceRunner):
    configure(instance, "fax", {"type": "fax"})
    result = instance.run("intake", "poll", expect=1)
    assert "[pollers.fax]: no poller of type 'fax' (available: imap, " in result.output and "zendesk)" in result.output

"""The email source over the real mbox/.eml files and hand-made mailboxes."""

from __future__ import annotations

import mailbox
import os
from pathlib import Path

import pytest
from paths import DATA

from openledger.builtin.sources import email as email_source
from openledger.errors import SourceError
from openledger.intake import contract
from openledger.records import MessageRecord, Rejected

SHARED = Path(os.environ.get("OPENLEDGER_SHARED_DATA", "/work/shared/data")) / "email"
FIXTURES = DATA / "sources" / "email"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="shared e-mail data not present")


def read(path, **options):
    return contract.run(email_source.SOURCE, path, options)


def test_registers():
    found = []
    email_source.register_sources(register=found.append, config={})
    assert found[0].name == "email" and found[0].channel == "email"
    assert found[0].visibility == "private"


@needs_shared
def test_pipermail_mbox_merges_the_false_from_line_back():
    records = read(SHARED / "mbox" / "clearwater-2018-January.txt", company_addresses="@metaswitch.com")
    assert len(records) == 16 and all(isinstance(r, MessageRecord) for r in records)
    assert [r.location for r in records][:6] == [f"message {n}" for n in range(1, 7)]
    besmir = records[4]
    assert besmir.identities == ("besmir.tola@ntnu.no",)
    # the body line "From the Docs (...)" is back inside its message, in order
    assert "\nFrom the Docs (http://clearwater.readthedocs.io" in besmir.text
    assert besmir.text.index("stress testing on the deployment.") < besmir.text.index("From the Docs")
    assert besmir.text.rstrip().endswith("attachment.html>")
    # company addresses (a domain) make the message outgoing and hide no identity
    ying = records[0]
    assert ying.direction == "out" and ying.identities == ()
    assert ying.author == "Ying Huang"
    assert ying.reply_to == ying.thread == (
        "PN1PR0101MB1565566F284C9678CCCE3142A3340@PN1PR0101MB1565.INDPRD01.PROD.OUTLOOK.COM"
    )
    assert sum(r.direction == "out" for r in records) == 3  # Ying Huang twice, Graeme Robertson
    assert len({r.id for r in records}) == 16


@needs_shared
def test_real_eml_folder_decodes_encoded_headers_and_html():
    records = {r.location: r for r in read(SHARED / "eml")}
    assert set(records) == {f"mail_test_{n}.eml" for n in (5, 6, 8, 12, 13)}
    french = records["mail_test_5.eml"]
    assert french.subject == "Je prépare mon été zéro complexe !"
    russian = records["mail_test_6.eml"]  # HTML only, B-encoded UTF-8 headers
    assert russian.author == "Время пришло" and russian.subject == "Быстрее вкладывайте в золото!"
    assert "Профессионалы.ru" in russian.text and "<" not in russian.text
    chinese = records["mail_test_12.eml"]  # GB2312 headers, 8bit body
    assert chinese.subject == "代开各地增值税发票" and chinese.text.startswith("你好！")
    newsletter = records["mail_test_13.eml"]
    assert newsletter.subject == "New Webinar: So, You Have A Disaster... Now What?"
    assert newsletter.timestamp.isoformat() == "2018-08-29T20:26:47+00:00"


def test_hand_made_thread_html_only_reply_and_wrong_charset():
    records = {r.location: r for r in read(FIXTURES / "emls", company_addresses=["support@example-shop.test"])}
    complaint = records["complaint.eml"]
    assert complaint.text == "My kettle stopped working after two days. I would like a refund – it cost £29."
    assert complaint.identities == ("jorg@mail.example.org",) and complaint.direction == "in"
    reply = records["html_only.eml"]
    assert reply.direction == "out" and reply.reply_to == "complaint-1@mail.example.org"
    assert reply.thread == "complaint-1@mail.example.org"
    assert reply.subject == "Re: Votre réclamation n° 4411"
    assert reply.author == "Service Client Éxemple"
    assert reply.text == (
        "Bonjour Jörg,\n\nNous avons remboursé votre commande 4411.\n\n"
        "Cordialement,\nLe service client"
    )
    assert "track" not in reply.text and "color" not in reply.text
    assert records["wrong_charset.eml"].text == "J’ai payé deux fois."


def test_truncated_mbox_rejects_the_cut_message():
    first, cut = read(FIXTURES / "truncated.mbox")
    assert isinstance(first, MessageRecord) and first.identities == ("anna@mail.example.org",)
    assert isinstance(cut, Rejected) and cut.location == "message 2"
    assert "closing boundary" in cut.reason


def test_headerless_start_and_date_from_separator():
    fragment, carl = read(FIXTURES / "headerless_start.mbox")
    assert isinstance(fragment, Rejected) and fragment.location == "message 1"
    assert carl.timestamp.isoformat() == "2024-05-06T18:02:11+00:00"
    assert carl.identities == ("carl@mail.example.org",)


def test_maildir(tmp_path):
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    for eml in sorted((FIXTURES / "emls").glob("*.eml")):
        box.add(eml.read_bytes())
    box.close()
    records = read(tmp_path / "Maildir")
    assert len(records) == 3 and all(isinstance(r, MessageRecord) for r in records)
    assert {r.id for r in records} == {
        "complaint-1@mail.example.org", "reply-1@example-shop.test", "latin@mail.example.org",
    }
    assert records[0].location.startswith("message 1 (")


def test_a_folder_of_mbox_archives_whatever_their_names(tmp_path):
    """Pipermail's monthly archives are mbox files named 2018-January.txt: a folder of them is read in name
    order, each message's location naming its file; files that are neither mbox nor .eml are left alone."""
    folder = tmp_path / "archives"
    folder.mkdir()
    (folder / "2024-May.txt").write_bytes((FIXTURES / "headerless_start.mbox").read_bytes())
    (folder / "2024-June.txt").write_bytes((FIXTURES / "truncated.mbox").read_bytes())
    (folder / "index.html").write_text("<html>the archive's index</html>", encoding="utf-8")
    records = read(folder)
    assert [r.location for r in records] == ["2024-June.txt: message 1", "2024-June.txt: message 2",
                                             "2024-May.txt: message 1", "2024-May.txt: message 1"]
    assert isinstance(records[1], Rejected) and "closing boundary" in records[1].reason
    assert isinstance(records[2], Rejected) and records[3].identities == ("carl@mail.example.org",)


def test_a_folder_with_no_mail(tmp_path):
    (tmp_path / "notes.txt").write_text("just some notes\n", encoding="utf-8")
    with pytest.raises(SourceError, match="holds no .eml or mbox files"):
        read(tmp_path)


def test_a_folder_that_is_not_a_maildir(tmp_path):
    (tmp_path / "cur").mkdir()
    with pytest.raises(SourceError, match=f"{tmp_path}: not a Maildir"):
        read(tmp_path)


def test_a_file_that_is_not_mail(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\nwithout headers\n", encoding="utf-8")
    with pytest.raises(SourceError, match="notes.txt: not an e-mail message"):
        read(path)

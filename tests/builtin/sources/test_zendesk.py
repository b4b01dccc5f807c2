"""The zendesk source over the real API responses and a hand-made export."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from paths import DATA

from openledger.builtin.sources import zendesk
from openledger.errors import SourceError
from openledger.intake import contract
from openledger.records import MessageRecord, Rejected

SHARED = Path(os.environ.get("OPENLEDGER_SHARED_DATA", "/work/shared/data")) / "zendesk"
FIXTURES = DATA / "sources" / "zendesk"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="shared Zendesk data not present")


def read(path, **options):
    return contract.run(zendesk.SOURCE, path, options)


def test_registers():
    found = []
    zendesk.register_sources(register=found.append, config={})
    assert found[0].name == "zendesk" and found[0].channel is None and found[0].visibility is None


@needs_shared
@pytest.mark.parametrize("name", ["zenpy_incremental_tickets.json", "zenpy_incremental_tickets_cursor.json"])
def test_incremental_exports_time_and_cursor_based(name):
    records = read(SHARED / name)
    assert len(records) == 87 and all(isinstance(r, MessageRecord) for r in records)
    assert Counter(r.channel for r in records) == {"api": 84, "webform": 2, "sample_ticket": 1}
    assert {r.visibility for r in records} == {"private"}
    sample = next(r for r in records if r.id == "ticket-1")
    assert sample.subject == "Sample ticket: Meet the ticket" and sample.thread == "1"
    assert sample.meta["status"] == "open"


@needs_shared
def test_ticket_list_with_email_requester():
    email_ticket, web_ticket = read(SHARED / "go-zendesk_tickets.json")
    assert email_ticket.channel == "email" and email_ticket.identities == ("nukosuke@lavabit.com",)
    assert web_ticket.channel == "webform" and web_ticket.subject == "にゃー"


@needs_shared
def test_audits_thread_comments_into_the_ticket():
    records = read(SHARED / "zenpy_ticket_audits.json")
    assert len(records) == 87
    first = records[0]
    assert first.id == "ticket-1" and first.location == "audit 1 comment 1"  # the description
    answer = next(r for r in records if r.id == "comment-6707050311322")
    assert answer.reply_to == "ticket-1" and answer.thread == "1" and answer.direction == "out"


@needs_shared
def test_comments_file_names_its_ticket_in_links():
    (comment,) = read(SHARED / "zenpy_ticket_33_comments.json")
    assert comment.thread == "33" and comment.reply_to == "ticket-33" and comment.text == "Some comment"


@needs_shared
def test_the_whole_folder():
    records = read(SHARED)
    assert all(isinstance(r, MessageRecord) for r in records)
    assert records[0].location.startswith("go-zendesk_tickets.json: ticket 1")
    assert len({r.id for r in records}) == 91


def test_hand_made_export_channels_visibility_and_directions():
    records = read(FIXTURES / "export")
    by_id = {r.id: r for r in records if isinstance(r, MessageRecord)}
    mention = by_id["ticket-501"]
    assert (mention.channel, mention.visibility) == ("twitter", "public")
    assert mention.identities == ("@jo_customer",)
    dm = by_id["ticket-502"]
    assert (dm.channel, dm.visibility) == ("twitter", "private")
    call = by_id["ticket-503"]
    assert (call.channel, call.visibility, call.identities) == ("phone", "private", ("+44 20 7946 0018",))
    (bad,) = [r for r in records if isinstance(r, Rejected)]
    assert bad.location == "tickets.json: ticket 4" and "created_at" in bad.reason
    thread = [r for r in records if isinstance(r, MessageRecord) and r.thread == "501"]
    # description twice (ticket + creation audit, same id), the internal note left out
    assert [r.id for r in thread] == ["ticket-501", "ticket-501", "comment-8301", "comment-8401"]
    reply, thanks = thread[2], thread[3]
    assert reply.direction == "out" and reply.text == "Sorry Jo, a replacement is on its way."
    assert reply.channel == "twitter" and reply.visibility == "public"
    assert thanks.direction == "in" and thanks.reply_to == "ticket-501"


def test_not_a_zendesk_file():
    with pytest.raises(SourceError, match="users.json: not a Zendesk"):
        read(FIXTURES / "users.json")


def test_truncated_file():
    with pytest.raises(SourceError, match="truncated.json: line 1 column \\d+: truncated JSON"):
        read(FIXTURES / "truncated.json")


def test_comments_without_a_ticket_need_the_option():
    with pytest.raises(SourceError, match="ticket_id"):
        read(FIXTURES / "comments_unknown_ticket.json")
    (comment,) = read(FIXTURES / "comments_unknown_ticket.json", ticket_id="77")
    assert comment.thread == "77" and comment.direction == "out"

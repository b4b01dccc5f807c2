"""Sources reading one payload (``read_payload``): webhook bodies and polled documents, in real shapes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from paths import DATA

from openledger import plugins
from openledger.builtin.sources import email, facebook, jsonl, webform, zendesk
from openledger.errors import SourceError
from openledger.intake import contract
from openledger.intake.payloads import read_payload
from openledger.records import MessageRecord, Payload, Rejected

WEBHOOKS = DATA / "webhooks"
SHARED = Path(os.environ.get("OPENLEDGER_SHARED_DATA", "/work/shared/data"))
needs_shared = pytest.mark.skipif(not (SHARED / "zendesk").is_dir(), reason="shared data not present")


def read(source, body: bytes | str, content_type="application/json", **options):
    if isinstance(body, str):
        body = body.encode("utf-8")
    records = read_payload(source, Payload(body, content_type, ""), options)
    for record in records:
        assert contract.problems(record, source) == [], record
    return records


def test_the_webhook_sources_are_the_ones_with_read_payload():
    assert {"jsonl", "zendesk", "webform", "facebook", "email"} <= set(plugins.payload_sources({}))
    assert "csv" not in plugins.payload_sources({}) and "twcs" not in plugins.payload_sources({})


def test_jsonl_one_object_an_array_or_json_lines():
    message = {"id": "w1", "channel": "email", "visibility": "private", "timestamp": "2026-02-01T10:00:00Z",
               "author": "a@example.com", "text": "My parcel never arrived."}
    (one,) = read(jsonl.JsonlSource(), json.dumps(message, indent=2))
    assert (one.id, one.channel, one.location) == ("w1", "email", "record 1")
    two = read(jsonl.JsonlSource(), json.dumps([message, {**message, "id": "w2", "reply_to": "w1"}]))
    assert [r.id for r in two] == ["w1", "w2"] and two[1].reply_to == "w1"
    lines = read(jsonl.JsonlSource(), json.dumps(message) + "\n" + json.dumps({**message, "id": "w3"}) + "\n")
    assert [r.id for r in lines] == ["w1", "w3"]
    (bad,) = read(jsonl.JsonlSource(), json.dumps({**message, "colour": "red"}))
    assert isinstance(bad, Rejected) and bad.reason == "unknown field 'colour'"
    with pytest.raises(SourceError, match="empty body"):
        read(jsonl.JsonlSource(), b"  ")


@needs_shared
def test_zendesk_trigger_posting_a_real_ticket_as_the_api_shows_it():
    ticket = json.loads((SHARED / "zendesk" / "zenpy_incremental_tickets.json").read_bytes())["tickets"][0]
    (record,) = read(zendesk.SOURCE, json.dumps({"ticket": ticket}))
    assert record.id == f"ticket-{ticket['id']}" and record.thread == str(ticket["id"])
    assert record.direction == "in" and record.text == ticket["description"]


@needs_shared
def test_zendesk_incremental_export_page_as_a_poller_fetches_it():
    records = read(zendesk.SOURCE, (SHARED / "zendesk" / "zenpy_incremental_tickets_cursor.json").read_bytes())
    assert len(records) == 87 and all(isinstance(r, MessageRecord) for r in records)


def test_zendesk_ticket_events():
    (ticket,) = read(zendesk.SOURCE, (WEBHOOKS / "zendesk_ticket_created.json").read_bytes())
    assert (ticket.id, ticket.thread, ticket.channel, ticket.direction) == ("ticket-5158", "5158", "api", "in")
    assert ticket.subject == "Cannot login to mobile app" and ticket.meta["priority"] == "high"
    (reply,) = read(zendesk.SOURCE, (WEBHOOKS / "zendesk_ticket_comment_added.json").read_bytes())
    assert (reply.id, reply.reply_to, reply.thread, reply.direction) == ("comment-9876543210", "ticket-5158",
                                                                         "5158", "out")
    assert reply.text.startswith("We are investigating")
    # the requester's first comment is the description: the ticket's own record, stored once
    event = json.loads((WEBHOOKS / "zendesk_ticket_comment_added.json").read_bytes())
    event["event"]["comment"].update(body=event["detail"]["description"],
                                     author={"id": "8447388090494", "is_staff": False, "name": "Customer"})
    (first,) = read(zendesk.SOURCE, json.dumps(event))
    assert (first.id, first.direction) == ("ticket-5158", "in")
    event["event"]["comment"]["is_public"] = False  # an internal note is no message to the customer
    assert read(zendesk.SOURCE, json.dumps(event)) == []
    event["type"] = "zen:event-type:ticket.status_changed"
    assert read(zendesk.SOURCE, json.dumps(event)) == []
    with pytest.raises(SourceError, match="not a Zendesk tickets"):
        read(zendesk.SOURCE, '{"users": []}')
    with pytest.raises(SourceError, match="truncated JSON"):
        read(zendesk.SOURCE, '{"ticket": {"id": 1')


def test_webform_posted_by_an_html_form():
    body = "name=Ann+Example&email=Ann%40Example.com&message=The+router+keeps+dropping.&order-number=4411"
    (record,) = read(webform.SOURCE, body, "application/x-www-form-urlencoded")
    assert (record.channel, record.visibility, record.direction) == ("webform", "private", "in")
    assert record.text == "The router keeps dropping.\n\nOrder number: 4411"
    assert record.author == "Ann Example" and record.identities == ("ann@example.com",)
    assert record.id.startswith("form-")
    (again,) = read(webform.SOURCE, body, "application/x-www-form-urlencoded")
    assert again.id == record.id  # a retried post is the same submission


def test_webform_json_with_a_data_object_and_mapped_fields():
    submission = {"id": "5f2a1b", "created_at": "2026-03-01T09:30:00.000Z", "form_name": "complaints",
                  "data": {"your-message": "Billed twice.", "email": "bo@example.org", "ip": "203.0.113.9",
                           "user_agent": "Mozilla/5.0"}}
    (record,) = read(webform.SOURCE, json.dumps(submission))
    assert (record.id, record.text, record.meta["form"]) == ("5f2a1b", "Billed twice.", "complaints")
    assert record.timestamp.isoformat() == "2026-03-01T09:30:00+00:00"
    (mapped,) = read(webform.SOURCE, json.dumps({"Beschwerde": "Zu spät.", "mail": "x@example.de"}),
                     **{"fields.text": "Beschwerde"})
    assert mapped.text == "Zu spät." and mapped.identities == ("x@example.de",)
    (refused,) = read(webform.SOURCE, json.dumps({"email": "x@example.org"}))
    assert isinstance(refused, Rejected) and "no message text" in refused.reason


def test_facebook_messenger_message_from_the_platform_docs():
    (record,) = read(facebook.SOURCE, (WEBHOOKS / "facebook_messenger_message.json").read_bytes())
    assert (record.id, record.visibility, record.direction) == ("mid-mid.1457764197618:41d102a3e1ae206a38",
                                                               "private", "in")
    assert record.text == "hello, world!" and record.thread == "messenger-<PAGE_ID>-<PSID>"
    assert record.timestamp.isoformat() == "2016-03-23T00:25:52.478000+00:00"


def test_facebook_echo_of_the_pages_reply_is_outgoing_in_the_same_thread():
    event = json.loads((WEBHOOKS / "facebook_messenger_message.json").read_bytes())
    messaging = event["entry"][0]["messaging"][0]
    messaging["sender"], messaging["recipient"] = messaging["recipient"], messaging["sender"]
    messaging["message"].update(is_echo=True, mid="m_reply", text="Sorry, we are on it.")
    (reply,) = read(facebook.SOURCE, json.dumps(event))
    assert reply.direction == "out" and reply.thread == "messenger-<PAGE_ID>-<PSID>"


def test_facebook_feed_comment_and_a_like_recorded_from_a_real_page():
    (comment,) = read(facebook.SOURCE, (WEBHOOKS / "facebook_feed_comment.json").read_bytes())
    assert (comment.id, comment.visibility, comment.text) == ("comment-1163393020407286_1164864096926845",
                                                              "public", "test")
    assert comment.direction == "out"  # the Page commented on its own post
    assert read(facebook.SOURCE, (WEBHOOKS / "facebook_feed_like.json").read_bytes()) == []
    with pytest.raises(SourceError, match="not a Facebook Page webhook"):
        read(facebook.SOURCE, '{"object": "instagram", "entry": []}')


def test_email_one_message_as_imap_fetches_it():
    raw = (DATA / "sources" / "email" / "emls" / "complaint.eml").read_bytes()
    (record,) = read(email.SOURCE, raw, "message/rfc822")
    assert record.channel == "email" and record.location == "message"
    assert record.author == "Jörg Müller"  # raw UTF-8 in From (RFC 6532), not surrogate escapes
    with pytest.raises(SourceError, match="not an e-mail message"):
        read(email.SOURCE, b"hello\n", "message/rfc822")


def test_a_payload_location_prefixes_the_records_and_errors():
    records = read_payload(jsonl.JsonlSource(), Payload(b'{"id": "x"}', "application/json", "UID 7"), {})
    assert records[0].location == "UID 7: record 1"
    with pytest.raises(SourceError, match="UID 9: .*truncated JSON"):
        read_payload(zendesk.SOURCE, Payload(b'{"ticket": {', "application/json", "UID 9"), {})
    (lenient,) = read_payload(zendesk.SOURCE, Payload(b'{"ticket": {', "application/json", "UID 9"), {},
                              lenient=True)
    assert isinstance(lenient, Rejected) and lenient.location.startswith("UID 9")

"""A webhook's records meet the record contract once: a plugin source's bad record still gets its one-line 400.

The application runs in-process (its ASGI callable, the real receiver and engine) with a third-party
source registered for the test, on both databases.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from openledger import hookimpl
from openledger.instance import Instance
from openledger.intake.receiver import Receiver
from openledger.intake.sourcekit import message_from_fields
from openledger.records import MessageRecord
from openledger.service.signatures import Keys
from openledger.service.webhook import Settings, create_app, durability, intake_key
from openledger.testing import InstanceRunner, plugin_manager

WHEN = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


class ForumSource:
    """A plugin's payload source declaring channel ``forum``; the body names which records it yields."""

    name = "forum"
    version = "1.0"
    description = "test forum"
    channel = "forum"
    visibility = "public"

    def read(self, path, options):
        return iter(())

    def read_payload(self, body: bytes, options, content_type: str = "application/json"):
        for number, kind in enumerate(body.decode().split(), start=1):
            where = f"post {number}"
            if kind == "good":  # built by hand, valid
                yield MessageRecord(f"g-{number}", "forum", "public", WHEN, "no refund yet", location=where)
            elif kind == "nul":  # built by hand, breaks the contract: the source's bug
                yield MessageRecord(f"n-{number}", "forum", "public", WHEN, "no\x00refund", location=where)
            elif kind == "naive":
                yield MessageRecord(f"t-{number}", "forum", "public", WHEN.replace(tzinfo=None), "hi",
                                    location=where)
            elif kind == "helper":  # built (and checked) with openledger's helper, valid
                yield message_from_fields({"id": f"h-{number}", "channel": "forum", "visibility": "public",
                                           "timestamp": "2026-03-01T10:00:00Z", "text": "still waiting"}, where)
            elif kind == "elsewhere":  # with the helper, valid, but not the channel the source declares
                yield message_from_fields({"id": f"e-{number}", "channel": "twitter", "visibility": "public",
                                           "timestamp": "2026-03-01T10:00:00Z", "text": "still waiting"}, where)


class ForumPlugin:
    @hookimpl
    def register_sources(self, register):
        register(ForumSource())


@dataclass
class Answer:
    status: int
    body: dict


def _post(app, key: bytes, path: str, body: bytes) -> Answer:
    signature = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
    scope = {"type": "http", "method": "POST", "path": path, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"x-openledger-signature", signature.encode())]}
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start, content = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    assert content.count(b"\n") == 0
    return Answer(start["status"], json.loads(content))


@pytest.fixture
def serving(instance: InstanceRunner):
    """``post(path, body)`` to the application, with the forum plugin loaded; the receiver runs until the end."""
    with plugin_manager(only=[ForumPlugin()]):
        app = Instance(instance.home, instance.db_url)
        key, _ = intake_key(app)
        settings = Settings.from_config(app.config)
        receiver = Receiver(app.store, app.config, sync=durability(app.store))
        receiver.start()
        try:
            asgi = create_app(app.config, receiver, Keys.load(key, settings.table), settings)
            yield lambda path, body: _post(asgi, key, path, body)
        finally:
            receiver.stop()


def test_a_plugin_sources_bad_record_gets_its_one_line_400(serving, instance: InstanceRunner):
    answer = serving("/intake/forum", b"good nul")
    assert answer.status == 400
    assert answer.body == {"error": "post 2: 'text' contains a NUL character (\\x00), which the database cannot "
                                    "store"}
    answer = serving("/intake/forum", b"helper naive")
    assert (answer.status, answer.body) == (400, {"error": "post 2: timestamp must be a timezone-aware datetime"})
    assert instance.count("messages") == 0  # nothing of a refused payload


def test_a_checked_record_of_another_channel_than_declared_is_still_refused(serving, instance: InstanceRunner):
    answer = serving("/intake/forum", b"elsewhere")
    assert answer.status == 400
    assert "channel 'twitter' differs from the source's 'forum'" in answer.body["error"]
    assert "plugin" in answer.body["error"]  # the source's fault, named as such
    assert instance.count("messages") == 0


def test_good_records_of_a_plugin_source_and_of_the_jsonl_source_are_stored(serving, instance: InstanceRunner):
    answer = serving("/intake/forum", b"good helper")
    assert answer.status == 201 and answer.body["stored"] == 2 and answer.body["case"].startswith("C-")
    body = json.dumps({"id": "j-1", "channel": "email", "visibility": "private",
                       "timestamp": "2026-03-01T10:00:00Z", "text": "my refund"}).encode()
    answer = serving("/intake/jsonl", body)
    assert (answer.status, answer.body["stored"]) == (201, 1)
    assert serving("/intake/jsonl", body).status == 200  # the same post again: a duplicate
    bad = json.dumps({"id": "j-2", "channel": "email", "visibility": "private",
                      "timestamp": "2026-03-01T10:00:00Z", "text": "my refund", "mood": "cross"}).encode()
    assert serving("/intake/jsonl", bad) == Answer(400, {"error": "record 1: unknown field 'mood'"})
    assert instance.count("messages") == 3

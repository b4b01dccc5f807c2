"""A case opens at the oldest message of its thread, whatever order the export lists it in.

X direct messages and Messenger threads are exported newest first; so can be any
JSON Lines or CSV export. The case's opening time, first message and first response
must come from the true order.
"""

from __future__ import annotations

import json
from pathlib import Path

from paths import DATA, shared

from openledger.testing import InstanceRunner

DMS = DATA / "sources" / "twitter" / "milahu104-dms"


def _case_with(instance: InstanceRunner, words: str) -> dict:
    for case in instance.json("cases", "list", "--json"):
        shown = instance.json("cases", "show", str(case["id"]), "--json")
        if any(words in m["text"] for m in shown["messages"]):
            return shown
    raise AssertionError(f"no case holds {words!r}")


def test_x_direct_messages_open_at_the_oldest_message(instance: InstanceRunner):
    instance.run("ingest", "twitter", DMS)
    case = _case_with(instance, "Jeckov's assistant")
    assert case["opened_at"] == "2026-02-09T09:37:47Z"
    assert case["messages"][0]["text"].startswith("Habibi,") and case["messages"][0]["direction"] == "in"
    assert case["first_response_at"] == "2026-02-09T09:41:50Z"  # the owner answered four minutes later
    assert [e["type"] for e in case["events"]] == ["opened", "responded", "message", "message", "responded"]
    # a conversation the owner began: its first inbound message opens the case, the owner's
    # earlier message is not a response to it
    bitcoin = _case_with(instance, "Der nächste Bitcoin?")
    assert bitcoin["opened_at"] == "2026-01-30T18:05:29Z" and bitcoin["first_response_at"] is None


def test_a_messenger_thread_opens_at_its_oldest_message(instance: InstanceRunner):
    wordle = shared("facebook-export", "wordle-group-2022")
    instance.run("ingest", "facebook", wordle, "--option", "page_name=Monique Naomi")
    (case,) = instance.json("cases", "list", "--json")
    shown = instance.json("cases", "show", str(case["id"]), "--json")
    # the file lists 2022-06-29 first; the oldest message (Monique naming the group, 2022-02-28) is
    # the owner's own, so the first message of another member opens the case
    assert shown["opened_at"] == "2022-03-01T07:29:02Z"
    assert shown["messages"][0]["text"].startswith("Wordle 255 4/6") and shown["messages"][0]["direction"] == "in"
    times = [m["timestamp"] for m in shown["messages"]]
    assert times == sorted(times) and len(times) == 676
    # Monique's first message after the opening is the first response
    first_out = next(m["timestamp"] for m in shown["messages"] if m["direction"] == "out")
    assert shown["first_response_at"] == first_out > shown["opened_at"]


def test_the_engine_orders_a_thread_listed_newest_first(instance: InstanceRunner, tmp_path: Path):
    def message(id: str, when: str, text: str, direction: str = "in") -> str:
        return json.dumps({"id": id, "channel": "webform", "visibility": "private", "timestamp": when,
                           "author": "jo@mail.example.org", "text": text, "direction": direction,
                           "thread": "chat-77"})

    newest_first = [
        message("m3", "2026-05-03T12:00:00Z", "Still nothing, I want a refund."),
        message("m2", "2026-05-03T10:30:00Z", "Sorry, we are looking into it.", "out"),
        message("m1", "2026-05-03T10:00:00Z", "My order arrived broken."),
    ]
    path = tmp_path / "chat.jsonl"
    path.write_text("\n".join(newest_first) + "\n", encoding="utf-8")
    instance.run("ingest", "jsonl", path)
    (case,) = instance.json("cases", "list", "--json")
    assert case["opened_at"] == "2026-05-03T10:00:00Z" and case["first_response_at"] == "2026-05-03T10:30:00Z"
    shown = instance.json("cases", "show", str(case["id"]), "--json")
    assert [e["type"] for e in shown["events"]] == ["opened", "responded", "message"]

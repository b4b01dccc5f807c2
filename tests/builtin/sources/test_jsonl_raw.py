"""The ``jsonl`` source's rejections keep the record as read, in a posted body as in a file."""

from __future__ import annotations

import json

from openledger.builtin.sources.jsonl import JsonlSource
from openledger.intake.payloads import read_payload
from openledger.records import MessageRecord, Payload, Rejected

GOOD = {"id": "w1", "channel": "email", "visibility": "private", "timestamp": "2026-02-01T10:00:00Z",
        "author": "a@example.com", "text": "Mon colis n'est jamais arrivé."}


def read(body: bytes | str, prefix: str = "") -> list:
    if isinstance(body, str):
        body = body.encode("utf-8")
    return read_payload(JsonlSource(), Payload(body, "application/json", prefix), {})


def test_a_rejected_object_of_a_posted_body_keeps_the_object_written_again():
    bad_time = {**GOOD, "id": "w2", "timestamp": "yesterday"}
    unknown = {**GOOD, "id": "w3", "colour": "red"}
    nul = {**GOOD, "id": "w4", "text": "a\x00b"}
    long_text = {**GOOD, "id": "w5", "author": "x" * 900}
    body = json.dumps([GOOD, bad_time, unknown, nul, 7, long_text], indent=2)
    good, *bad, number, long_one = read(body)
    assert isinstance(good, MessageRecord) and isinstance(long_one, MessageRecord)
    assert [(r.location, r.raw) for r in bad] == [
        (f"record {n}", json.dumps(obj, ensure_ascii=False)) for n, obj in ((2, bad_time), (3, unknown), (4, nul))]
    assert bad[0].reason.startswith("bad timestamp") and bad[1].reason == "unknown field 'colour'"
    assert number == Rejected("record 5", "not a JSON object (a number)", "7")
    (cut,) = read(json.dumps({**long_text, "timestamp": None}))
    assert cut.reason == "missing timestamp" and cut.raw == json.dumps({**long_text, "timestamp": None},
                                                                       ensure_ascii=False)[:500]
    assert len(cut.raw) == 500


def test_a_rejected_line_of_json_lines_keeps_its_line_and_a_payload_location_prefixes_it():
    line = json.dumps({**GOOD, "visibility": "secret"})
    good, bad = read(json.dumps(GOOD) + "\n" + line + "\n", prefix="UID 7")
    assert good.location == "UID 7: line 1"
    assert (bad.location, bad.raw) == ("UID 7: line 2", line)

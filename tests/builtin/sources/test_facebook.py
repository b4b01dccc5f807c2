"""The facebook source over the real exports and a hand-made Page export."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from paths import DATA

from openledger.builtin.sources import facebook
from openledger.errors import SourceError
from openledger.intake import contract
from openledger.records import MessageRecord, Rejected

SHARED = Path(os.environ.get("OPENLEDGER_SHARED_DATA", "/work/shared/data")) / "facebook-export"
FIXTURES = DATA / "sources" / "facebook"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="shared Facebook data not present")


def read(path, **options):
    return contract.run(facebook.SOURCE, path, options)


def test_registers():
    found = []
    facebook.register_sources(register=found.append, config={})
    assert (found[0].name, found[0].channel, found[0].visibility) == ("facebook", "facebook", None)


@given(st.text())
def test_mojibake_round_trip(text):
    facebook_wrote = text.encode("utf-8").decode("latin-1")
    assert facebook.fix_mojibake(facebook_wrote) == text


@needs_shared
def test_real_posts_2020_layout():
    records = read(SHARED / "kunleiky-2020")
    assert all(isinstance(r, MessageRecord) for r in records)
    assert len(records) == 462  # 506 posts, 44 without any text (photos, "wrote on a timeline")
    assert len({r.id for r in records}) == 462
    assert {(r.visibility, r.direction) for r in records} == {("public", "out")}
    assert any("🔥🔥🔥" in r.text for r in records)
    assert not any("\u00f0\u009f" in r.text or "Ã" in r.text for r in records)


@needs_shared
def test_real_messenger_group_thread():
    records = read(SHARED / "wordle-group-2022", page_name="Monique Naomi")
    assert len(records) == 677 and all(isinstance(r, MessageRecord) for r in records)
    assert {r.thread for r in records} == {"inbox/wordlescores_9qotabreig"}
    assert {r.visibility for r in records} == {"private"}
    first, last = records[0], records[-1]  # oldest first, though Messenger writes the thread newest first
    assert first.text == "Monique named the group Wordle Scores." and first.location.endswith("message 682")
    assert last.text.endswith("🟩🟩🟩🟩🟩") and last.direction == "out"
    assert [r.timestamp for r in records] == sorted(r.timestamp for r in records)
    assert Counter(r.direction for r in records)["out"] == sum(r.author == "Monique Naomi" for r in records)
    assert Counter(r.text for r in records if r.text.startswith("["))["[sticker]"] == 4


def test_hand_made_page_export():
    records = read(FIXTURES / "page-export")
    kinds = Counter((r.meta["kind"], r.visibility, r.direction) for r in records if isinstance(r, MessageRecord))
    assert kinds == {
        ("post", "public", "out"): 1,
        ("comment", "public", "in"): 1,
        ("comment", "public", "out"): 1,
        ("message", "private", "in"): 2,
        ("message", "private", "out"): 1,
    }
    post = records[0]
    assert post.text == "Our new oat latte is here ☕ — 20% off this week!" and post.author == "Café Crème Ltd"
    rejected = [r for r in records if isinstance(r, Rejected)]
    assert [r.location for r in rejected] == [
        "posts/your_posts_1.json: post 3",
        "comments_and_reactions/comments.json: comment 3",
        "messages/inbox/zoeangstrom_a1b2c3/message_1.json: message 5",
    ]
    good = [r for r in records if isinstance(r, MessageRecord)]
    complaint = next(r for r in good if r.meta["kind"] == "comment" and r.direction == "in")
    assert complaint.text == "My latte was cold and the barista was rude 😡" and complaint.author == "Zoë Ångström"
    messages = [r for r in good if r.meta["kind"] == "message"]
    assert [m.text for m in messages] == [  # oldest first; the file lists them newest first
        "Hi, here is my receipt from this morning.", "[1 photo(s)]", "We have refunded your latte (€4.50).",
    ]
    assert {m.thread for m in messages} == {"inbox/zoeangstrom_a1b2c3"}
    assert read(FIXTURES / "page-export") == records  # ids are stable


def test_page_name_option_overrides_the_owner():
    records = read(FIXTURES / "page-export" / "comments_and_reactions" / "comments.json", page_name="Zoë Ångström")
    assert [r.direction for r in records if isinstance(r, MessageRecord)] == ["out", "in"]


def test_truncated_thread_names_file_and_position():
    with pytest.raises(SourceError, match=r"message_1\.json: line 11 column \d+: truncated JSON"):
        read(FIXTURES / "truncated")


def test_folder_that_is_not_an_export(tmp_path):
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    with pytest.raises(SourceError, match="not a Facebook export"):
        read(tmp_path)

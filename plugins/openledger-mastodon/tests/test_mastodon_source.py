"""The mastodon source plugin over two real Mastodon archives (copies in tests/data)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openledger_mastodon
import pytest

from openledger.errors import SourceError
from openledger.intake import contract
from openledger.records import MessageRecord, Rejected

DATA = Path(__file__).parent / "data"


def read(path, **options):
    return contract.run(openledger_mastodon.SOURCE, path, options)


def test_the_hook_registers_one_source():
    found = []
    openledger_mastodon.register_sources(register=found.append, config={})
    (source,) = found
    assert (source.name, source.channel, source.visibility) == ("mastodon", "mastodon", None)
    assert source.version == openledger_mastodon.__version__


def test_entry_point_is_declared_when_installed():
    from importlib.metadata import PackageNotFoundError, entry_points

    try:
        points = entry_points(group="openledger")
    except PackageNotFoundError:  # pragma: no cover
        pytest.skip("not installed")
    names = {p.name: p.value for p in points}
    if "mastodon" not in names:
        pytest.skip("plugin not pip-installed; run: pip install -e plugins/openledger-mastodon")
    assert names["mastodon"] == "openledger_mastodon"


def test_2022_archive_visibility_from_addressing():
    records = read(DATA / "hawksworx-2022-12")
    assert len(records) == 190 and all(isinstance(r, MessageRecord) for r in records)  # 26 boosts skipped
    assert Counter(r.meta["mastodon_visibility"] for r in records) == {
        "public": 153, "unlisted": 10, "followers-only": 1, "direct": 26,
    }
    assert Counter(r.visibility for r in records) == {"public": 163, "private": 27}
    assert {r.direction for r in records} == {"out"}
    first = records[0]
    assert first.text == "Setting up my mstdn" and first.timestamp.isoformat() == "2022-11-11T17:33:26+00:00"
    replies = [r for r in records if r.reply_to]
    assert len(replies) == 155 and all(r.reply_to.startswith("https://") for r in replies)
    assert not any("<p>" in r.text or "&amp;" in r.text for r in records)


def test_2024_archive_with_duplicated_ordered_items_key():
    records = read(DATA / "dealingwith-2024-07")
    assert len(records) == 117  # 150 items, 33 boosts
    assert records[0].author == "@dealingwith@indieweb.social"  # from actor.json
    assert records[0].text.endswith("https://daniel.industries/2022/11/07/less-twitter-more-indieweb/")


def test_keep_non_empty_takes_the_filled_duplicate():
    assert openledger_mastodon.keep_non_empty([("a", []), ("a", [1])]) == {"a": [1]}
    assert openledger_mastodon.keep_non_empty([("a", [1]), ("a", [])]) == {"a": [1]}


def test_truncated_outbox(tmp_path):
    text = (DATA / "hawksworx-2022-12" / "outbox.json").read_text(encoding="utf-8")
    (tmp_path / "outbox.json").write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(SourceError, match="outbox.json: line 1 column \\d+: truncated JSON"):
        read(tmp_path)


def test_not_an_outbox(tmp_path):
    (tmp_path / "outbox.json").write_text('{"type": "Person"}', encoding="utf-8")
    with pytest.raises(SourceError, match="no orderedItems"):
        read(tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceError, match="empty: not a Mastodon archive: no outbox.json"):
        read(tmp_path / "empty")


def test_a_bad_item_is_rejected_with_its_position(tmp_path):
    (tmp_path / "outbox.json").write_text(
        '{"type": "OrderedCollection", "orderedItems": ['
        '{"type": "Create", "object": {"id": "https://x.example/1", "type": "Note", "content": "<p>hi</p>",'
        ' "published": "2024-01-01T00:00:00Z", "to": [], "cc": []}},'
        '{"type": "Create", "object": {"type": "Note", "content": "no id"}},'
        '{"type": "Delete", "object": "https://x.example/2"}]}',
        encoding="utf-8",
    )
    direct, no_id, delete = read(tmp_path)
    assert direct.visibility == "private" and direct.meta["mastodon_visibility"] == "direct"
    assert isinstance(no_id, Rejected) and no_id.location == "item 2"
    assert isinstance(delete, Rejected) and delete.location == "item 3"

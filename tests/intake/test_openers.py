"""The shared opening of export files: names in an export matched like Path.glob, suffixes under .gz."""

from __future__ import annotations

import gzip

import pytest

from openledger.errors import SourceError
from openledger.intake.openers import ExportFiles, logical_name, logical_suffix, matches, open_text


@pytest.mark.parametrize(("name", "pattern", "expected"), [
    ("messages/inbox/t_1/message_1.json", "**/messages/inbox/*/message_*.json", True),
    ("your_facebook_activity/messages/inbox/t_1/message_1.json", "**/messages/inbox/*/message_*.json", True),
    ("posts/your_posts_1.json", "**/your_posts*.json", True),
    ("your_posts_1.json", "**/your_posts*.json", True),
    ("messages/inbox/message_1.json", "**/messages/inbox/*/message_*.json", False),
    ("data/tweets.js", "data/*.js", True),
    ("x/data/tweets.js", "data/*.js", False),
])
def test_matches_like_glob(name, pattern, expected):
    assert matches(name, pattern) is expected


def test_logical_names():
    assert logical_name("complaints.csv.gz") == "complaints.csv" and logical_suffix("a/b.JSONL.gz") == ".jsonl"
    assert logical_suffix("twcs.csv") == ".csv"


def test_a_plain_file_is_read_as_it_is_and_gzip_by_its_first_bytes(tmp_path):
    plain, packed = tmp_path / "a.csv", tmp_path / "b.csv"  # b is gzip whatever its name says
    plain.write_text("x,y\n1,2\n")
    packed.write_bytes(gzip.compress(b"x,y\n1,2\n"))
    for path in (plain, packed):
        with open_text(path) as f:
            assert f.read() == "x,y\n1,2\n"


def test_a_folder_and_a_single_file_as_exports(tmp_path):
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "your_posts_1.json").write_text("[]")
    with ExportFiles(tmp_path) as files:
        (found,) = files.glob("**/your_posts*.json")
        assert (found.name, found.basename, found.parent_name, found.read_bytes()) == (
            "posts/your_posts_1.json", "your_posts_1.json", "posts", b"[]")
    with ExportFiles(tmp_path / "posts" / "your_posts_1.json") as single:
        assert [f.name for f in single.glob("*.json")] == ["your_posts_1.json"] and not single.is_zip


def test_not_a_zip(tmp_path):
    (tmp_path / "x.zip").write_bytes(b"PK\x03\x04 but no more")
    with pytest.raises(SourceError, match=r"x\.zip: truncated zip archive: its central directory is missing"):
        ExportFiles(tmp_path / "x.zip")

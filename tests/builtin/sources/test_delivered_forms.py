"""Export files as services deliver them: zipped archives, gzip-compressed tables, and files cut short.

The X archive and the Facebook export arrive as .zip files, read in place;
any CSV or JSON Lines source reads a .gz; a file cut short (an mbox in the
middle of a message, a CSV in its last row, a zip without its central
directory, a gzip stream without its end) is one error naming the file and
the position, with nothing imported, unless --skip-bad quarantines the cut
record.
"""

from __future__ import annotations

import gzip
import mailbox
import shutil
import zipfile

import pytest
from paths import DATA, EXAMPLES, SHARED_DATA

from openledger.builtin.sources import cfpb, facebook, twitter
from openledger.errors import SourceError
from openledger.intake import contract
from openledger.testing import InstanceRunner

SOURCES = DATA / "sources"
needs_shared = pytest.mark.skipif(not (SHARED_DATA / "twcs").is_dir(), reason="shared data not present")


def zip_folder(folder, target, prefix: str = "", extra: dict | None = None):
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                z.write(file, prefix + file.relative_to(folder).as_posix())
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return target


def ids(source, path):
    return [getattr(r, "id", r.location) for r in contract.run(source, path)]


def test_the_x_archive_zip_is_read_in_place(tmp_path):
    folder = SOURCES / "twitter" / "archive"
    archive = zip_folder(folder, tmp_path / "twitter-2026-03-06-abc.zip",
                         extra={"Your archive.html": "<html></html>", "data/tweets_media/1-a.jpg": b"\xff\xd8"})
    assert ids(twitter.ARCHIVE, archive) == ids(twitter.ARCHIVE, folder)
    assert not (tmp_path / "data").exists()  # nothing extracted


@needs_shared
def test_a_real_x_archive_zipped_as_x_delivers_it(tmp_path):
    folder = SHARED_DATA / "twitter-archive" / "milahu104-2026-03-06"
    archive = zip_folder(folder, tmp_path / "twitter.zip")
    records = contract.run(twitter.ARCHIVE, archive)
    assert len(records) == 300 + 17 and ids(twitter.ARCHIVE, archive) == ids(twitter.ARCHIVE, folder)
    assert {r.direction for r in records if r.visibility == "public"} == {"out"}  # owner from account.js


def test_member_names_are_never_paths(tmp_path):
    tweets = (SOURCES / "twitter" / "archive" / "data" / "tweets.js").read_bytes()
    archive = tmp_path / "inbox" / "evil.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("../../escaped/data/tweets.js", tweets)
        z.writestr("/etc/data/tweet.js", tweets)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    records = contract.run(twitter.ARCHIVE, archive)
    assert len(records) == 2 * len(contract.run(twitter.ARCHIVE, SOURCES / "twitter" / "archive" / "data" /
                                               "tweets.js"))
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_the_facebook_zip_is_read_in_place(tmp_path):
    folder = SOURCES / "facebook" / "page-export"
    archive = zip_folder(folder, tmp_path / "facebook-examplepage-2026.zip", prefix="")
    assert ids(facebook.SOURCE, archive) == ids(facebook.SOURCE, folder)


def test_a_zip_without_its_central_directory_names_file_and_size(tmp_path):
    whole = zip_folder(SOURCES / "facebook" / "page-export", tmp_path / "whole.zip").read_bytes()
    cut = tmp_path / "facebook-cut.zip"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    with pytest.raises(SourceError, match=r"facebook-cut\.zip: truncated zip archive: its central directory is "
                                          rf"missing \(the file ends at byte {len(whole) * 2 // 3:,}\)"):
        contract.run(facebook.SOURCE, cut)
    with pytest.raises(SourceError, match="truncated zip archive"):
        contract.run(twitter.ARCHIVE, cut)


def gz(path, target):
    target.write_bytes(gzip.compress(path.read_bytes()))
    return target


def test_gzip_for_csv_and_json_lines(tmp_path):
    twcs = SOURCES / "twitter" / "twcs_awkward.csv"
    assert ids(twitter.TWCS, gz(twcs, tmp_path / "twcs.csv.gz")) == ids(twitter.TWCS, twcs)
    complaints = DATA / "ledger_cfpb_300.csv"
    assert ids(cfpb.SOURCE, gz(complaints, tmp_path / "complaints.csv.gz")) == ids(cfpb.SOURCE, complaints)
    api = SOURCES / "cfpb" / "complaints_api.json"
    assert ids(cfpb.SOURCE, gz(api, tmp_path / "complaints.json.gz")) == ids(cfpb.SOURCE, api)


def test_gzip_through_ingest_and_a_cut_gzip(instance: InstanceRunner, tmp_path):
    packed = gz(EXAMPLES / "messages.jsonl", tmp_path / "messages.jsonl.gz")
    assert "imported 8 messages into 5 new cases" in instance.run("ingest", "jsonl", packed).stdout
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(packed.read_bytes()[:-12])
    result = instance.run("ingest", "jsonl", cut, expect=1)
    assert "cut.jsonl.gz: truncated gzip file: the compressed data ends before its end marker" in result.output
    assert "nothing from this file was imported" in result.output and "Traceback" not in result.output


def test_an_mbox_cut_mid_message(instance: InstanceRunner, tmp_path):
    whole = tmp_path / "whole.mbox"
    box = mailbox.mbox(whole)
    for eml in sorted((SOURCES / "email" / "emls").glob("*.eml")):
        box.add(eml.read_bytes())
    box.close()
    cut = tmp_path / "support.mbox"
    cut.write_bytes(whole.read_bytes().rstrip(b"\n")[:-9])  # the last message loses its end, and the final newline
    result = instance.run("ingest", "email", cut, expect=1)
    assert f"support.mbox: message 3: truncated: the file ends in the middle of this message (at byte " \
           f"{cut.stat().st_size:,}" in result.output
    assert "(nothing from this file was imported)" in result.output and instance.count("messages") == 0
    skipped = instance.run("ingest", "email", cut, "--skip-bad")
    assert "skipped message 3: truncated" in skipped.stderr and instance.count("messages") == 2
    assert list((instance.home / "quarantine").glob("email-support.mbox-*.jsonl"))


def test_a_csv_cut_in_its_last_row(instance: InstanceRunner, tmp_path):
    header, first, second = (SOURCES / "twitter" / "twcs_awkward.csv").read_text().split("\n")[:3]
    cut = tmp_path / "twcs.csv"
    cut.write_text("\n".join([header, first, second[: second.index("@AskShop my")]]))  # cut in the text column
    result = instance.run("ingest", "twcs", cut, expect=1)
    assert "twcs.csv: row 2: 6 fields where the header has 8: the row is cut short" in result.output
    assert instance.count("messages") == 0
    instance.run("ingest", "twcs", cut, "--skip-bad")
    assert instance.count("messages") == 1


@needs_shared
def test_the_real_twcs_sample_cut_mid_text(instance: InstanceRunner, tmp_path):
    data = (SHARED_DATA / "twcs" / "twcs_sample.csv").read_bytes()
    cut = tmp_path / "twcs_sample.csv"
    cut.write_bytes(data[: data.rstrip(b"\n").rindex(b"\n") + 60])  # 60 bytes into the last row
    result = instance.run("ingest", "twcs", cut, expect=1)
    assert "twcs_sample.csv: row " in result.output and ("cut short" in result.output or "broken CSV" in
                                                         result.output)
    assert instance.count("messages") == 0


def test_a_folder_of_gzip_files(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    gz(SOURCES / "cfpb" / "complaints_api.json", folder / "a.json.gz")
    shutil.copy(DATA / "ledger_cfpb_300.csv", folder / "b.csv")
    assert len(contract.run(cfpb.SOURCE, folder)) == len(ids(cfpb.SOURCE, SOURCES / "cfpb" / "complaints_api.json")) \
        + len(ids(cfpb.SOURCE, DATA / "ledger_cfpb_300.csv"))

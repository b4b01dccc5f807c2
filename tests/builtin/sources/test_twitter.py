"""The twitter archive and twcs sources over real archives and hand-made ones."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from paths import DATA

from openledger.builtin.sources import twitter
from openledger.errors import SourceError
from openledger.intake import contract
from openledger.records import MessageRecord, Rejected

SHARED = Path(os.environ.get("OPENLEDGER_SHARED_DATA", "/work/shared/data"))
FIXTURES = DATA / "sources" / "twitter"
needs_shared = pytest.mark.skipif(not (SHARED / "twcs").is_dir(), reason="shared data not present")


def archive(path, **options):
    return contract.run(twitter.ARCHIVE, path, options)


def twcs(path, **options):
    return contract.run(twitter.TWCS, path, options)


def test_both_sources_register():
    found = []
    twitter.register_sources(register=found.append, config={})
    assert {s.name for s in found} == {"twitter", "twcs"}


@needs_shared
def test_current_archive_layout_with_direct_messages():
    records = archive(SHARED / "twitter-archive" / "milahu104-2026-03-06")
    assert all(isinstance(r, MessageRecord) for r in records)
    tweets = [r for r in records if r.visibility == "public"]
    dms = [r for r in records if r.visibility == "private"]
    assert len(tweets) == 300 and len(dms) == 17
    assert {r.direction for r in tweets} == {"out"} and {r.author for r in tweets} == {"milahu104"}
    assert sum(r.reply_to is not None for r in tweets) == 264
    assert sum(r.meta["retweet"] for r in tweets) == 35
    assert not any("&gt;" in r.text or "&amp;" in r.text for r in tweets)
    assert Counter(r.direction for r in dms) == {"out": 13, "in": 4}
    incoming = [r for r in dms if r.direction == "in"]
    assert all(r.identities == (f"twitter-id:{r.author}",) for r in incoming)
    assert len({r.thread for r in dms}) == 10


@needs_shared
def test_older_tweet_js_layout_from_its_data_folder():
    records = archive(SHARED / "twitter-archive" / "larsbrinkhoff-2021-03-22" / "data")
    assert len(records) == 200 and all(isinstance(r, MessageRecord) for r in records)
    assert sum(r.reply_to is not None for r in records) == 143
    assert records[0].id == "826354801738969088"
    assert records[0].timestamp.isoformat() == "2017-01-31T09:01:52+00:00"


def test_hand_made_archive_unescapes_threads_and_rejects_bad_items():
    records = archive(FIXTURES / "archive")
    reply, no_date, not_a_tweet, customer_dm, company_dm = records  # DMs oldest first, as they were written
    assert reply.text == "@jo_customer Sorry about the late parcel & the damage > we will send a replacement."
    assert reply.reply_to == "1499" and reply.author == "ExampleShopHelp"
    assert isinstance(no_date, Rejected) and no_date.location == "tweet 2"
    assert "created_at" in no_date.reason
    assert isinstance(not_a_tweet, Rejected) and not_a_tweet.location == "tweet 3"
    assert company_dm.direction == "out" and company_dm.identities == ()
    assert customer_dm.direction == "in" and customer_dm.identities == ("twitter-id:2000",)
    assert customer_dm.thread == company_dm.thread == "dm-1000-2000"
    assert customer_dm.location == "message 2"


def test_account_id_option_overrides_the_owner():
    records = archive(FIXTURES / "archive" / "data" / "direct-messages.js", account_id="2000")
    assert [(r.id, r.direction) for r in records] == [("dm-9001", "out"), ("dm-9002", "in")]


def test_invalid_js_wrapper_is_a_source_error_naming_the_file():
    with pytest.raises(SourceError, match=r"tweets\.js: line 1: not a Twitter archive data file"):
        archive(FIXTURES / "bad_wrapper")


def test_truncated_archive_is_a_source_error_with_the_position():
    with pytest.raises(SourceError, match=r"tweet\.js: line \d+ column \d+: truncated JSON"):
        archive(FIXTURES / "truncated")


def test_folder_without_archive_files(tmp_path):
    with pytest.raises(SourceError, match="not a Twitter archive"):
        archive(tmp_path)


@needs_shared
def test_every_twcs_row_imports():
    records = twcs(SHARED / "twcs" / "twcs_sample.csv")
    assert len(records) == 5000 and all(isinstance(r, MessageRecord) for r in records)
    assert len({r.id for r in records}) == 5000
    assert Counter(r.direction for r in records) == {"in": 2778, "out": 2222}
    first = records[0]
    assert (first.id, first.author, first.reply_to, first.direction) == ("1", "sprintcare", "3", "out")
    # the row whose unquoted text holds bare carriage returns stays one record
    paypal = next(r for r in records if r.id == "3399")
    assert paypal.text == "@AskPayPal \n\nI just love the start of email 😁 https://t.co/8u1Pf5rJoN"
    assert paypal.reply_to is None and paypal.identities == ("@116510",)


def test_twcs_awkward_rows():
    reply, bare_cr, multiline, bad = twcs(FIXTURES / "twcs_awkward.csv")
    assert reply.text == "@116510 Sorry for the trouble & delay. Please DM us."
    assert reply.reply_to == "11" and reply.direction == "out"
    assert bare_cr.text == "@AskShop my order \n\nnever came" and bare_cr.direction == "in"
    assert multiline.text == "@AskShop two\nlines"
    assert isinstance(bad, Rejected) and bad.location == "row 4"


def test_twcs_missing_column():
    with pytest.raises(SourceError, match="twcs_missing.csv: header: missing column 'inbound'"):
        twcs(FIXTURES / "twcs_missing.csv")


def test_twcs_csv_given_to_the_archive_source_says_which_source_reads_it(tmp_path):
    path = tmp_path / "twcs.csv"
    path.write_text("tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
                    "1,sprintcare,False,Tue Oct 31 22:10:47 +0000 2017,@115712 I understand.,2,3\n")
    with pytest.raises(SourceError, match=r"twcs\.csv: line 1: not a Twitter archive .*use 'openledger ingest twcs'"):
        archive(path)

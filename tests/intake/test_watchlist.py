"""The brand watch list over real customer tweets (twcs) and generated texts."""

from __future__ import annotations

import csv
import os
from datetime import UTC
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from openledger.errors import ConfigError
from openledger.intake.watchlist import WatchList

TWCS = Path(os.environ.get("OPENLEDGER_SHARED_DATA", "/work/shared/data")) / "twcs" / "twcs_sample.csv"
needs_twcs = pytest.mark.skipif(not TWCS.is_file(), reason="shared twcs data not present")

WATCH = {
    "brands": ["Chipotle", "T-Mobile", "PlayStation", "Sainsbury", "Verizon", "Amazon"],
    "web": ["chipotle.com"],
    "handles": ["@ChipotleTweets"],
    "people": ["Brian Niccol"],
}


def tweets() -> dict[str, str]:
    with TWCS.open(newline="", encoding="utf-8") as handle:
        return {row["tweet_id"]: row["text"] or "" for row in csv.DictReader(handle)}


@needs_twcs
def test_real_tweets_with_misspellings_handles_and_spelling_variants():
    texts = tweets()
    watch = WatchList(WATCH)
    chopotle = texts["3334"]  # "BOO at #Chopotle who forgot ... @ChipotleTweets"
    reasons = {(r.term, r.found) for r in watch.check(chopotle).reasons}
    assert reasons == {("Chipotle", "@ChipotleTweets"), ("@ChipotleTweets", "@ChipotleTweets")}
    (misspelt,) = watch.check(chopotle.split("@")[0]).reasons  # without the handle
    assert (misspelt.term, misspelt.found) == ("Chipotle", "Chopotle") and 85 <= misspelt.score < 100
    tmobile = watch.check(texts["1163"])  # "T-Mobile So Bs My Internet Stop Working"
    assert [(r.term, r.score) for r in tmobile.reasons] == [("T-Mobile", 100.0)]
    playstation = watch.check(texts["179"])  # "@AskPlayStation @115743 Can I get help already??"
    assert playstation.reasons[0].found == "@AskPlayStation"
    possessive = watch.check(texts["4866"])  # "@AmazonHelp Amazon's tracking says ..."
    assert possessive and {r.term for r in possessive.reasons} == {"Amazon"}


@needs_twcs
def test_real_tweets_with_look_alike_words_do_not_match():
    texts = tweets()
    watch = WatchList(WATCH)
    assert not watch.check(texts["4050"])  # "internet outages in Salisbury Mass"
    assert not watch.check(texts["255"])  # "happened on previous versions as well"
    assert not watch.check(texts["283"])  # "the iPad version of LR"


@needs_twcs
def test_every_match_in_the_sample_is_explained():
    watch = WatchList({"brands": ["Chipotle"]})
    matched = {tid: watch.check(text) for tid, text in tweets().items()}
    hits = {tid: v for tid, v in matched.items() if v}
    assert "3334" in hits and len(hits) > 50
    for verdict in hits.values():
        (reason,) = verdict.reasons
        assert "chipotle" in reason.found.lower() or reason.score < 100


def test_web_addresses_and_handles():
    watch = WatchList(WATCH)
    web = watch.check("Ordered on https://order.chipotle.com/menu and it never came")
    assert [(r.kind, r.found) for r in web.reasons] == [("web", "order.chipotle.com")]
    assert not watch.check("notchipotle.community is not us")
    handle = watch.check("hey @chipotletweets where is my bowl")
    assert {r.kind for r in handle.reasons} == {"handle", "brand"}
    assert watch.check("Brian Nicol should answer this").reasons[0].term == "Brian Niccol"


def test_threshold_is_configurable():
    assert WatchList.from_config({"watch": {"brands": ["Chipotle"], "threshold": 85}}).check("Chopotle")
    assert not WatchList.from_config({"watch": {"brands": ["Chipotle"], "threshold": 95}}).check("Chopotle")
    with pytest.raises(ConfigError):
        WatchList({"brands": ["x"]}, threshold=0)
    with pytest.raises(ConfigError):
        WatchList.from_config({"watch": {"brands": "Chipotle", "products": 3}})


brand_names = st.from_regex(r"[A-Z][a-z]{6,11}", fullmatch=True)
filler = st.lists(st.from_regex(r"[a-z]{1,4}", fullmatch=True), max_size=6).map(" ".join)


@settings(max_examples=60)
@given(brand_names, filler, filler)
def test_an_exact_mention_always_matches_fully(brand, before, after):
    text = f"{before} {brand.upper()} {after}"
    verdict = WatchList({"brands": [brand]}).check(text)
    assert verdict and verdict.reasons[0].score == 100.0


@settings(max_examples=60)
@given(brand_names, st.integers(min_value=1), st.sampled_from("qxzjk"))
def test_one_substitution_after_the_first_letter_still_matches(brand, position, letter):
    index = 1 + position % (len(brand) - 1)
    assume(brand[index].lower() != letter)
    typo = brand[:index] + letter + brand[index + 1 :]
    verdict = WatchList({"brands": [brand]}).check(f"my order from {typo} never came")
    assert verdict and verdict.reasons[0].found == typo


@settings(max_examples=60)
@given(st.text(alphabet="0123456789 .,!?-", max_size=80))
def test_texts_without_letters_never_match_a_name(text):
    assert not WatchList({"brands": ["Chipotle"], "people": ["Brian Niccol"]}).check(text)


@needs_twcs
def test_keep_screens_public_customer_tweets_and_follows_threads():
    from openledger.builtin.sources import twitter
    from openledger.intake.watchlist import keep

    # what Chipotle would ingest: every customer tweet, and its own replies only
    records = [
        r for r in twitter.TWCS.read(TWCS, {}) if r.direction == "in" or r.author == "ChipotleTweets"
    ]
    by_id = {r.id: r for r in records}
    watch = WatchList({"brands": ["Chipotle"], "handles": ["@ChipotleTweets"]})
    kept: set[str] = set()
    # oldest first, as the engine replays a thread
    verdicts = {r.id: keep(r, watch, kept) for r in sorted(records, key=lambda r: r.timestamp)}
    outbound = [r for r in records if r.direction == "out"]
    assert all(verdicts[r.id].reasons[0].kind == "not-screened" for r in outbound)
    customers = [r for r in records if r.direction == "in"]
    kept_customers = [r for r in customers if verdicts[r.id]]
    assert 50 < len(kept_customers) < len(customers) / 5
    threaded = 0
    for record in kept_customers:
        reason = verdicts[record.id].reasons[0]
        if reason.kind == "thread":
            threaded += 1
            assert by_id[record.reply_to].author == "ChipotleTweets" or by_id[record.reply_to].id in kept
        else:
            assert reason.term in ("Chipotle", "@ChipotleTweets")
    assert threaded > 0
    assert verdicts["3334"] and not verdicts["2"]  # "@sprintcare and how do you propose we do that"


def test_keep_never_screens_private_or_outgoing_messages():
    from datetime import datetime

    from openledger.intake.watchlist import keep
    from openledger.records import MessageRecord

    when = datetime(2024, 5, 2, tzinfo=UTC)
    watch = WatchList({"brands": ["Chipotle"]})
    kept: set[str] = set()
    dm = MessageRecord("d1", "twitter", "private", when, "my order never came")
    tweet = MessageRecord("t1", "twitter", "public", when, "nice weather today")
    reply = MessageRecord("t2", "twitter", "public", when, "still waiting", reply_to="d1")
    assert keep(dm, watch, kept).reasons[0].kind == "not-screened"
    assert not keep(tweet, watch, kept)
    assert keep(reply, watch, kept).reasons[0].kind == "thread"
    assert kept == {"d1", "t2"}

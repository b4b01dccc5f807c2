"""The reviews source over the two real Trustpilot scrapes and hand-made CSVs."""

from __future__ import annotations

import logging
import os
from collections import Counter
from pathlib import Path

import pytest
from paths import DATA

from openledger.builtin.sources import reviews
from openledger.errors import SourceError
from openledger.intake import contract
from openledger.records import MessageRecord, Rejected

SHARED = Path(os.environ.get("OPENLEDGER_SHARED_DATA", "/work/shared/data")) / "reviews"
FIXTURES = DATA / "sources" / "reviews"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="shared review data not present")

RENAMED = {"rating_column": "Stars", "text_column": "comments", "date_column": "Posted", "author_column": "Reviewer"}


def read(path, **options):
    return contract.run(reviews.SOURCE, path, options)


def test_registers():
    found = []
    reviews.register_sources(register=found.append, config={})
    assert (found[0].name, found[0].channel, found[0].visibility) == ("reviews", "review", "public")


@needs_shared
def test_trustpilot_scrape_with_reviewer_cards(caplog):
    with caplog.at_level(logging.INFO):
        records = read(SHARED / "trustpilot_moorebarlow.csv")
    assert len(records) == 105 and all(isinstance(r, MessageRecord) for r in records)
    assert "skipped 24 rows" in caplog.text
    assert len({r.id for r in records}) == 105
    assert Counter(r.meta["rating"] for r in records) == {5.0: 85, 1.0: 14, 3.0: 2, 4.0: 2, 2.0: 2}
    first = records[0]
    assert first.location == "row 5" and first.author == "customer"
    assert first.timestamp.isoformat() == "2025-08-28T12:00:02+00:00"
    assert {(r.channel, r.visibility, r.direction) for r in records} == {("review", "public", "in")}


@needs_shared
def test_trustpilot_json_export_columns_with_multiline_texts():
    records = read(SHARED / "trustpilot_akcpetinsurance.csv")
    assert len(records) == 838 and all(isinstance(r, MessageRecord) for r in records)
    assert records[0].id == "65ea88b6c6fd585168bf8ffc"
    assert records[0].subject == "AMAZING CUSTOMER SERVICE BY CHASE"
    assert records[0].author is None
    assert sum("\n" in r.text for r in records) >= 80  # texts spanning lines stay whole


def test_renamed_columns_duplicates_and_bad_rows():
    records = read(FIXTURES / "renamed.csv", **RENAMED)
    first, duplicate, bad_rating, bad_date, star_only = records
    assert first.text == "Waited six weeks for a refund.\nStill nothing."
    assert first.author == "Anna B." and first.meta["rating"] == 1.0
    assert duplicate.id == first.id + "-2"
    assert isinstance(bad_rating, Rejected) and bad_rating.location == "row 3"
    assert "'five'" in bad_rating.reason
    assert isinstance(bad_date, Rejected) and bad_date.location == "row 4"
    # row 5 (no rating, no text) is skipped; row 6 has a rating and no text: a star-only review
    assert star_only.location == "row 6" and star_only.author is None and star_only.text == ""
    assert read(FIXTURES / "renamed.csv", **RENAMED) == records


def test_star_only_review_is_kept(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("rating,text,date\n3,,2024-02-04\n", encoding="utf-8")
    (review,) = read(path)
    assert review.text == "" and review.meta["rating"] == 3.0


def test_missing_column_is_named():
    with pytest.raises(SourceError, match="no_rating.csv: header: missing column for rating"):
        read(FIXTURES / "no_rating.csv")


def test_wrong_encoding(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("rating,text,date\n5,Tr\xe8s bien,2024-02-04\n".encode("latin-1"))
    with pytest.raises(SourceError, match="latin.csv"):
        read(path)
    (review,) = read(path, encoding="latin-1")
    assert review.text == "Très bien"

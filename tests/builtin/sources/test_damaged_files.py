"""Damaged files never escape as tracebacks: every source yields records or raises SourceError.

Each case takes a real sample file, damages it (cut at a random byte, bytes
overwritten) and reads it. Anything other than records and a SourceError is a
bug: the user must get one line naming the file, not a traceback.
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paths import DATA

from openledger.builtin.sources import cfpb, email, facebook, reviews, twitter, zendesk
from openledger.errors import SourceError
from openledger.records import CaseRecord, MessageRecord, Rejected

SOURCES = DATA / "sources"

CASES = [
    (cfpb.SOURCE, SOURCES / "cfpb" / "complaints_api.json", "complaints.json"),
    (cfpb.SOURCE, SOURCES / "cfpb" / "bad_rows.csv", "complaints.csv"),
    (email.SOURCE, SOURCES / "email" / "emls" / "complaint.eml", "m.eml"),
    (email.SOURCE, SOURCES / "email" / "truncated.mbox", "box.mbox"),
    (twitter.ARCHIVE, SOURCES / "twitter" / "archive" / "data" / "tweets.js", "tweets.js"),
    (twitter.TWCS, SOURCES / "twitter" / "twcs_awkward.csv", "twcs.csv"),
    (twitter.TWCS, SOURCES / "twitter" / "twcs_awkward.csv.gz", "twcs.csv.gz"),
    (twitter.ARCHIVE, SOURCES / "twitter" / "archive.zip", "twitter.zip"),
    (zendesk.SOURCE, SOURCES / "zendesk" / "export" / "ticket_501_audits.json", "audits.json"),
    (
        facebook.SOURCE,
        SOURCES / "facebook" / "page-export" / "comments_and_reactions" / "comments.json",
        "comments.json",
    ),
    (reviews.SOURCE, SOURCES / "reviews" / "renamed.csv", "reviews.csv"),
]
damage = st.tuples(
    st.floats(min_value=0.0, max_value=1.0),
    st.lists(st.tuples(st.floats(min_value=0.0, max_value=1.0), st.binary(min_size=1, max_size=3)), max_size=3),
)


@pytest.mark.parametrize(("source", "sample", "name"), CASES, ids=[c[2] for c in CASES])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damage=damage)
def test_damaged_files_give_records_or_one_source_error(tmp_path, source, sample, name, damage):
    cut, patches = damage
    data = bytearray(sample.read_bytes())
    for where, junk in patches:
        at = int(where * (len(data) - 1))
        data[at : at + len(junk)] = junk
    data = data[: max(1, int(cut * len(data)))]
    folder = tmp_path / "case"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    path = folder / name
    path.write_bytes(bytes(data))
    options = {"text_column": "Comments", "rating_column": "Stars", "date_column": "Posted"}
    try:
        records = list(source.read(path, options if source is reviews.SOURCE else {}))
    except SourceError as error:
        assert name in str(error)
        return
    assert all(isinstance(r, (MessageRecord, CaseRecord, Rejected)) for r in records)

"""The cfpb source over the real CFPB extracts and small hand-made exports."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from paths import DATA

from openledger.builtin.sources import cfpb
from openledger.errors import SourceError
from openledger.intake import contract
from openledger.records import CaseRecord, Rejected

SHARED = Path(os.environ.get("OPENLEDGER_SHARED_DATA", "/work/shared/data")) / "cfpb"
FIXTURES = DATA / "sources" / "cfpb"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="shared CFPB data not present")


def read(path, **options):
    return contract.run(cfpb.SOURCE, path, options)


def test_registers_through_the_hook():
    found = []
    cfpb.register_sources(register=found.append, config={})
    assert [s.name for s in found] == ["cfpb"]
    assert found[0].visibility == "private" and found[0].channel is None


@needs_shared
def test_every_row_of_the_18_column_export_is_a_case():
    cases = read(SHARED / "complaints_2015_2020_sample.csv")
    assert len(cases) == 6623
    assert all(isinstance(c, CaseRecord) for c in cases)
    assert len({c.id for c in cases}) == 6623
    assert Counter(c.channel for c in cases) == {
        "webform": 5143, "referral": 627, "phone": 482, "letter": 267, "fax": 102, "email": 2,
    }
    assert Counter(c.outcome for c in cases) == {
        "explained": 5557, "upheld": 990, None: 72, "declined": 4,
    }
    assert Counter(c.remedy for c in cases)["refund"] == 211
    assert Counter(c.remedy for c in cases)["repair"] == 779
    # open cases (In progress, Untimely response) have no resolution time
    assert sum(c.resolved_at is None for c in cases) == 35 + 37
    assert sum(c.reopened for c in cases) == 9
    narrated = [c for c in cases if c.text]
    assert any("XXXX" in c.text for c in narrated)


@needs_shared
def test_every_row_of_the_older_14_column_export_is_a_case():
    cases = read(SHARED / "complaints_2013_2017_sample.csv")
    assert len(cases) == 3186
    assert all(isinstance(c, CaseRecord) for c in cases)
    assert len({c.id for c in cases}) == 3186
    assert Counter(c.channel for c in cases) == {
        "webform": 2233, "referral": 533, "phone": 200, "letter": 168, "fax": 52,
    }
    first = cases[0]
    assert first.opened_at.isoformat() == "2013-07-29T00:00:00+00:00"
    assert first.first_response_at.isoformat() == "2013-07-30T00:00:00+00:00"
    assert first.channel == "phone" and first.category == "Consumer Loan"
    assert first.meta["consumer_disputed"] is False
    assert sum(c.reopened for c in cases) == 595
    # six 2013 rows say "sent to company" the day before "received": clamped, noted
    early = [c for c in cases if c.meta.get("date_sent_before_received")]
    assert [c.location for c in early] == ["row 125", "row 214", "row 224", "row 276", "row 277", "row 321"]
    assert all(c.first_response_at == c.opened_at == c.resolved_at for c in early)


@needs_shared
def test_ids_are_stable_across_reads():
    path = SHARED / "complaints_2013_2017_sample.csv"
    assert [c.id for c in read(path)][:50] == [c.id for c in read(path)][:50]


def test_json_export_list_maps_outcomes_and_rejects_unknown_channel():
    records = read(FIXTURES / "complaints_api.json")
    refund, open_case, bad = records
    assert refund.id == "6912345" and refund.channel == "webform"
    assert (refund.outcome, refund.remedy, refund.amount) == ("upheld", "refund", 0.0)
    assert refund.resolved_at == refund.first_response_at
    assert refund.opened_at.utcoffset().total_seconds() == -5 * 3600
    assert refund.text.startswith("The bank held")
    assert open_case.channel == "letter" and open_case.outcome is None
    assert open_case.resolved_at is None
    assert isinstance(bad, Rejected)
    assert bad.location == "complaint 3" and "Carrier pigeon" in bad.reason


def test_elasticsearch_hits_layout():
    first, second = read(FIXTURES / "complaints_hits.json")
    assert first.id == "3571115" and first.outcome == "explained" and first.remedy == "none"
    assert second.channel == "phone" and second.remedy == "repair" and second.outcome == "upheld"
    assert second.meta["tags"] == "Older American"


def test_json_lines(tmp_path):
    path = tmp_path / "complaints.jsonl"
    path.write_text(
        '{"date_received": "2021-01-04", "product": "Mortgage", "submitted_via": "Fax",'
        ' "company_response": "Closed without relief", "complaint_id": "1"}\n'
        "{not json\n",
        encoding="utf-8",
    )
    case, bad = read(path)
    assert case.channel == "fax" and case.outcome == "declined"
    assert isinstance(bad, Rejected) and bad.location == "line 2"


def test_missing_column_names_it():
    with pytest.raises(SourceError) as caught:
        read(FIXTURES / "missing_column.csv")
    message = str(caught.value)
    assert "missing_column.csv" in message and "'Submitted via'" in message


def test_wrong_encoding_is_a_source_error_and_the_encoding_option_fixes_it():
    with pytest.raises(SourceError, match="latin1.csv.*not utf-8-sig"):
        read(FIXTURES / "latin1.csv")
    (case,) = read(FIXTURES / "latin1.csv", encoding="latin-1")
    assert case.meta["company"] == "Société Générale"


def test_bad_rows_are_rejected_with_their_row_number():
    good, bad_date, bad_response = read(FIXTURES / "bad_rows.csv")
    assert isinstance(good, CaseRecord)
    assert bad_date == Rejected("row 2", bad_date.reason, bad_date.raw)
    assert "Date received" in bad_date.reason
    assert bad_response.location == "row 3" and "relief and a hug" in bad_response.reason


def test_truncated_json_is_a_source_error():
    with pytest.raises(SourceError, match="truncated.json: complaint 2: truncated JSON"):
        read(FIXTURES / "truncated.json")


def test_json_download_is_streamed_in_chunks(tmp_path):
    import json

    rows = [
        {"date_received": "2021-01-04", "product": "Mortgage", "submitted_via": "Web",
         "company_response": "Closed with explanation", "complaint_id": str(n), "complaint_what_happened": "x" * n}
        for n in range(300)
    ]
    path = tmp_path / "complaints.json"
    path.write_text(json.dumps(rows), encoding="utf-8")  # one long line, as the download is
    cases = read(path)
    assert [c.id for c in cases] == [str(n) for n in range(300)]
    path.write_text(json.dumps(rows)[:-40], encoding="utf-8")
    with pytest.raises(SourceError, match="complaint 300: truncated JSON"):
        read(path)


def test_missing_file():
    with pytest.raises(SourceError, match="no such file"):
        read(FIXTURES / "nope.csv")

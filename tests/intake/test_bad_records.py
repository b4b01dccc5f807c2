"""Bad records never sink whole files: whatever the fault, one record is one quarantined line
(``--skip-bad``) or one line naming the file and the record (without it), on both databases."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from paths import DATA

from openledger.testing import InstanceRunner

# the header and first three rows of the real CFPB extract (../shared/data/cfpb/complaints_2015_2020_sample.csv)
CFPB = DATA / "sources" / "cfpb" / "three_rows_2015_2020.csv"
GOOD = {"channel": "email", "visibility": "private", "timestamp": "2026-02-01T10:00:00Z",
        "author": "a@example.com", "text": "My parcel never arrived."}


def jsonl(path: Path, bad_line: str) -> Path:
    lines = [json.dumps({**GOOD, "id": "g1"}), bad_line, json.dumps({**GOOD, "id": "g3"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def nested(tmp_path: Path) -> tuple[str, Path, str, str]:
    return "jsonl", jsonl(tmp_path / "nested.jsonl", "[" * 100_000 + "]" * 100_000), "line 2", "nested too deeply"


def nul(tmp_path: Path) -> tuple[str, Path, str, str]:
    line = json.dumps({**GOOD, "id": "g2", "text": "before\x00after"})
    return "jsonl", jsonl(tmp_path / "nul.jsonl", line), "line 2", "'text' contains a NUL character"


def nul_in_meta(tmp_path: Path) -> tuple[str, Path, str, str]:
    """Three real CFPB rows; the second's Issue (kept in the record's meta) holds a NUL."""
    with CFPB.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = [row for _, row in zip(range(3), reader)]
        header = list(reader.fieldnames or [])
    rows[1]["Issue"] = "Incorrect information\x00on your report"
    path = tmp_path / "cfpb.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerows(rows)
    return "cfpb", path, "row 2", "'meta.issue' contains a NUL character"


def channel(tmp_path: Path) -> tuple[str, Path, str, str]:
    line = json.dumps({**GOOD, "id": "g2", "channel": "E mail"})
    return "jsonl", jsonl(tmp_path / "channel.jsonl", line), "line 2", "channel 'e mail' is not a token"


def huge_csv_field(tmp_path: Path) -> tuple[str, Path, str, str]:
    path = tmp_path / "huge.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "channel", "visibility", "timestamp", "author", "text"])
        writer.writerow(["g1", "email", "private", GOOD["timestamp"], "a@example.com", "short"])
        writer.writerow(["g2", "email", "private", GOOD["timestamp"], "b@example.com", "x" * 1_200_000])
        writer.writerow(["g3", "email", "private", GOOD["timestamp"], "c@example.com", "y" * 200_000])  # > 131,072
    return "csv", path, "line 3", "'text' is 1,200,000 characters long, more than the 1,000,000"


FAULTS = [nested, nul, nul_in_meta, channel, huge_csv_field]


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.__name__)
def test_with_skip_bad_the_bad_record_is_one_quarantined_line(instance: InstanceRunner, tmp_path, fault):
    source, path, location, reason = fault(tmp_path)
    result = instance.run("ingest", source, path, "--skip-bad")
    assert "into 2 new cases" in result.stdout, result.output
    assert "1 bad records quarantined" in result.stdout
    (quarantine,) = (instance.home / "quarantine").glob("*.jsonl")
    (line,) = quarantine.read_text(encoding="utf-8").splitlines()
    item = json.loads(line)
    assert item["file"] == str(path) and item["location"] == location and reason in item["reason"]


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.__name__)
def test_without_skip_bad_the_first_bad_record_is_one_line_and_nothing_is_imported(instance, tmp_path, fault):
    source, path, location, reason = fault(tmp_path)
    result = instance.run("ingest", source, path, expect=1)
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {path}: {location}: ") and reason in line
    assert line.endswith("(nothing from this file was imported)")
    assert instance.count("messages") == 0 and instance.count("cases") == 0 and instance.count("events") == 0


MBOX = b"""From jm@example.com Mon Feb  2 10:00:00 2026
From: J\xf6rg M\xfcller <jm@example.com>
To: support@example.com
Subject: Lieferung \xfcberf\xe4llig
Date: Mon, 02 Feb 2026 10:00:00 +0000
Message-ID: <m1@example.com>

Mein Paket ist nicht angekommen.

From bob@example.com Mon Feb  2 11:00:00 2026
From: Bob <bob@example.com>
To: support@example.com
Subject: fine
Date: Mon, 02 Feb 2026 11:00:00 +0000
Message-ID: <m2@example.com>

Another one.
"""


def test_a_raw_8_bit_display_name_in_an_mbox_is_read_as_windows_1252(instance: InstanceRunner, tmp_path):
    path = tmp_path / "raw8.mbox"
    path.write_bytes(MBOX)
    assert "imported 2 messages into 2 new cases" in instance.run("ingest", "email", path).stdout
    with instance.engine.connect() as conn:
        import sqlalchemy as sa

        rows = conn.execute(sa.text("select author, subject from messages order by external_id")).all()
    assert tuple(rows[0]) == ("Jörg Müller", "Lieferung überfällig")


DEEP = "[" * 100_000 + "]" * 100_000
# a whole-file JSON export nested deeper than Python's parser goes: (source, file name, its text)
DEEP_FILES = [
    ("zendesk", "tickets.json", '{"tickets": ' + DEEP + "}"),
    ("cfpb", "complaints.json", '{"hits": {"hits": ' + DEEP + "}}"),
    ("cfpb", "complaints-array.json", "[" + DEEP + "]"),
    ("twitter", "tweets.js", "window.YTD.tweets.part0 = " + DEEP),
    ("facebook", "your_posts_1.json", DEEP),
]


@pytest.mark.parametrize(("source", "name", "text"), DEEP_FILES, ids=[f"{s}-{n}" for s, n, _ in DEEP_FILES])
def test_an_export_nested_too_deeply_is_one_line_naming_it(instance, tmp_path, source, name, text):
    """It was a plugin failure ("source 'cfpb' failed: RecursionError") instead of the file's fault."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = instance.run("ingest", source, path, expect=1)
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {path}: ") and "nested too deeply" in line, line
    assert "RecursionError" not in line and line.endswith("(nothing from this file was imported)")
    assert instance.count("messages") == 0 and instance.count("cases") == 0

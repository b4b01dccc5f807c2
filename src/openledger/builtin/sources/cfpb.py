"""The ``cfpb`` source: the CFPB Consumer Complaint Database export as cases.

Reads the CSV download (the 18-column layout with "Consumer complaint
narrative" and "Complaint ID", and the older 14-column layout without them,
dates ISO or M/D/YYYY) streamed row by row with the csv module, and the JSON
download or API response (a list of objects with snake_case fields such as
``date_received``, ``submitted_via``, ``company_response``; an
Elasticsearch-style ``{"hits": {"hits": [{"_source": {...}}]}}`` response;
or JSON Lines, one object a line). CSV, JSON Lines and the JSON download (a
top-level array) are streamed; only an API response object is read whole.
Every complaint becomes a
:class:`~openledger.records.CaseRecord` with its channel and outcome; its
Product, Sub-product and Issue are mapped onto the instance's taxonomy by the
category map this plugin registers (``cfpb_categories.toml``, see
:mod:`openledger.cases.categories`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path

from openledger import hookimpl
from openledger.cases.categories import CategoryMap, read_table
from openledger.errors import SourceError
from openledger.intake.sourcekit import (
    Source,
    checked,
    csv_rows,
    iter_json_array,
    load_json,
    logical_suffix,
    open_binary,
)
from openledger.jsonlines import json_lines
from openledger.records import CaseRecord, Rejected
from openledger.timeutil import parse_time

VERSION = "1.0"

#: "Submitted via" -> openledger channel.
CHANNELS = {
    "web": "webform",
    "web referral": "referral",
    "phone": "phone",
    "postal mail": "letter",
    "fax": "fax",
    "email": "email",
    "referral": "referral",
}

#: "Company response to consumer" -> (outcome, remedy, closed).
RESPONSES = {
    "closed with monetary relief": ("upheld", "refund", True),
    "closed with non-monetary relief": ("upheld", "repair", True),
    "closed with relief": ("upheld", "repair", True),
    "closed with explanation": ("explained", "none", True),
    "closed without relief": ("declined", "none", True),
    "closed": ("declined", "none", True),
    "in progress": (None, "none", False),
    "untimely response": (None, "none", False),
}

#: CSV column name -> the snake_case field of the JSON export.
CSV_TO_FIELD = {
    "Date received": "date_received",
    "Product": "product",
    "Sub-product": "sub_product",
    "Issue": "issue",
    "Sub-issue": "sub_issue",
    "Consumer complaint narrative": "complaint_what_happened",
    "Company public response": "company_public_response",
    "Company": "company",
    "State": "state",
    "ZIP code": "zip_code",
    "Tags": "tags",
    "Consumer consent provided?": "consumer_consent_provided",
    "Submitted via": "submitted_via",
    "Date sent to company": "date_sent_to_company",
    "Company response to consumer": "company_response",
    "Timely response?": "timely",
    "Consumer disputed?": "consumer_disputed",
    "Complaint ID": "complaint_id",
}
REQUIRED_CSV = ("Date received", "Product", "Submitted via", "Company response to consumer")
_META_FIELDS = (
    "sub_product", "issue", "sub_issue", "company", "state", "tags",
    "company_public_response", "consumer_consent_provided",
)


def _yes(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in ("yes", "true", "1"):
        return True
    if text in ("no", "false", "0"):
        return False
    return None


def _row_id(fields: Mapping, number: int) -> str:
    """The Complaint ID, or for the older export (no id) a stable row key."""
    complaint_id = str(fields.get("complaint_id") or "").strip()
    if complaint_id:
        return complaint_id
    digest = hashlib.sha256("\x1f".join(str(v) for v in fields.values()).encode()).hexdigest()
    return f"row{number}-{digest[:12]}"


def to_case(fields: Mapping, number: int, unit: str = "row") -> CaseRecord | Rejected:
    """Map one complaint (snake_case fields) to a CaseRecord, or a Rejected."""
    location = f"{unit} {number}"

    def reject(reason: str) -> Rejected:
        return Rejected(location, reason, json.dumps(dict(fields), default=str)[:2000])

    via = str(fields.get("submitted_via") or "").strip()
    channel = CHANNELS.get(via.lower())
    if channel is None:
        return reject(f"unknown 'Submitted via' value {via!r}")
    response = str(fields.get("company_response") or "").strip()
    mapped = RESPONSES.get(response.lower())
    if mapped is None:
        return reject(f"unknown 'Company response to consumer' value {response!r}")
    outcome, remedy, closed = mapped
    try:
        opened = parse_time(fields.get("date_received"))
    except ValueError as error:
        return reject(f"bad 'Date received': {error}")
    sent: datetime | None = None
    if str(fields.get("date_sent_to_company") or "").strip():
        try:
            sent = parse_time(fields["date_sent_to_company"])
        except ValueError as error:
            return reject(f"bad 'Date sent to company': {error}")
    category = str(fields.get("product") or "").strip()
    if not category:
        return reject("empty 'Product'")
    timely = _yes(fields.get("timely"))
    disputed = _yes(fields.get("consumer_disputed"))
    meta = {key: fields[key] for key in _META_FIELDS if fields.get(key) not in (None, "")}
    meta.update(
        product=category,
        source_channel=via,
        company_response=response,
        timely_response=timely,
        consumer_disputed=disputed,
    )
    if sent is not None and sent < opened:
        # a few 2013 rows were sent the day before they were received: clamp, keep a note
        meta["date_sent_before_received"] = True
        sent = opened
    first_response = sent if response.lower() != "untimely response" else None
    return checked(CaseRecord(
        id=_row_id(fields, number),
        channel=channel,
        visibility="private",
        category=category,
        opened_at=opened,
        first_response_at=first_response,
        resolved_at=(sent or opened) if closed else None,
        outcome=outcome,
        remedy=remedy,
        amount=0.0,
        reopened=disputed is True,
        text=str(fields.get("complaint_what_happened") or ""),
        author=None,
        location=location,
        meta=meta,
    ), raw=json.dumps(dict(fields), default=str)[:2000])


def _read_csv(path: Path, options: Mapping) -> Iterator[CaseRecord | Rejected]:
    encoding = str(options.get("encoding", "utf-8-sig"))
    names: list[str] | None = None
    for item in csv_rows(path, REQUIRED_CSV, encoding=encoding):
        if isinstance(item, Rejected):
            yield item
            continue
        number, row = item
        if names is None:
            names = [CSV_TO_FIELD.get(key, key) for key in row]
        if None in row:
            yield Rejected(f"row {number}", "more fields than the header has", repr(row)[:2000])
            continue
        yield to_case(dict(zip(names, row.values())), number)


def _hits(data, path: Path) -> list:
    if isinstance(data, dict):
        hits = data.get("hits")
        if isinstance(hits, dict) and isinstance(hits.get("hits"), list):
            return hits["hits"]
        if isinstance(data.get("complaints"), list):
            return data["complaints"]
    raise SourceError("not a CFPB JSON export (expected a list of complaints or hits.hits)", path=path)


def _is_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False


def _read_json(path: Path, options: Mapping) -> Iterator[CaseRecord | Rejected]:
    with open_binary(path) as handle:
        first = handle.read(4096).lstrip()[:1]
    with open_binary(path) as handle:  # a gzip stream cannot seek back: opened again
        first_line = handle.readline(1 << 20).strip()
    if logical_suffix(path) in (".jsonl", ".ndjson") or (
        first == b"{" and b'"hits"' not in first_line and _is_object(first_line)
    ):
        yield from _read_json_lines(path)
        return
    if first == b"[":
        items = iter_json_array(path, unit="complaint")  # the download: streamed, one complaint at a time
    else:
        items = enumerate(_hits(load_json(path), path), start=1)  # an API response
    for number, item in items:
        if isinstance(item, dict) and isinstance(item.get("_source"), dict):
            item = item["_source"]
        if not isinstance(item, dict):
            yield Rejected(f"complaint {number}", "not a JSON object", repr(item)[:2000])
            continue
        yield to_case(item, number, "complaint")


def _read_json_lines(path: Path) -> Iterator[CaseRecord | Rejected]:
    with open_binary(path) as handle:
        for item in json_lines(handle, unwrap=_unwrap):
            yield item if isinstance(item, Rejected) else to_case(item[2], item[0], "line")


def _unwrap(item):
    """A line of the API's search output wraps the complaint in ``_source``."""
    return item["_source"] if isinstance(item, dict) and isinstance(item.get("_source"), dict) else item


def read(path: Path, options: Mapping) -> Iterator[CaseRecord | Rejected]:
    """Read one CFPB export file (CSV, JSON or JSON Lines) or a folder of them."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if logical_suffix(p) in (".csv", ".json", ".jsonl", ".ndjson"))
        if not files:
            raise SourceError("folder holds no .csv or .json CFPB export", path=path)
        for file in files:
            yield from read(file, options)
        return
    if logical_suffix(path) in (".json", ".jsonl", ".ndjson"):
        yield from _read_json(path, options)
    else:
        yield from _read_csv(path, options)


SOURCE = Source(
    name="cfpb",
    version=VERSION,
    description="CFPB Consumer Complaint Database export (CSV or JSON) as resolved cases",
    channel=None,
    visibility="private",
    reader=read,
)


CATEGORIES_FILE = "cfpb_categories.toml"


@cache
def category_map() -> CategoryMap:
    """The map of every CFPB Issue, Sub-product and Product onto the default taxonomy (package data)."""
    text = resources.files(__package__).joinpath(CATEGORIES_FILE).read_text("utf-8")
    return CategoryMap(name="cfpb", version=VERSION, source="cfpb", table=read_table(CATEGORIES_FILE, text),
                       description="CFPB Issue, Sub-product and Product onto the default taxonomy")


@hookimpl
def register_sources(register, config):
    """Register the ``cfpb`` source."""
    register(SOURCE)


@hookimpl
def register_category_maps(register, config):
    """Register the map of the CFPB's categories onto the taxonomy."""
    register(category_map())

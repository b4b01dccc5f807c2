"""The ``reviews`` source: a review-site CSV (Trustpilot, Google, Yelp scrapes).

A CSV file (RFC 4180, UTF-8, header row) with one review a row. The columns
are found by name, case-insensitively, from these defaults, or named
explicitly with the options ``rating_column``, ``text_column``,
``date_column``, ``author_column``, ``id_column`` and ``title_column``:

=========  ==============================================================
field      default column names, first found wins
=========  ==============================================================
rating     rating, stars, score, review rating
text       text, review text, review, body, content, comment
date       date, published, published_at, created_at, review date, time, experienced
author     author, customer name, name, reviewer, user, username
id         id, review id, review_id
title      title, headline, summary
=========  ==============================================================

rating, text and date are required columns; author, id and title are
optional. Every review is a public, incoming ``review`` message.

Rows with neither a rating nor a text (cards a scraper picked up, such as the
reviewer-profile rows in Trustpilot scrapes) are not reviews: they are
skipped and counted in the log, not rejected. A rating that is not a number
or a date that cannot be read makes the row a Rejected.
Without an id column a review's id is a hash of author, date and text; exact
duplicate rows get ``-2``, ``-3``... so ids are stable across re-imports.
"""

from __future__ import annotations

import csv
import hashlib
import logging
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from openledger import hookimpl
from openledger.errors import SourceError
from openledger.intake.sourcekit import BARE_CR, Source, csv_rows, open_text
from openledger.records import MessageRecord, Rejected
from openledger.timeutil import parse_time

VERSION = "1.0"
log = logging.getLogger(__name__)

DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "rating": ("rating", "stars", "score", "review rating"),
    "text": ("text", "review text", "review", "body", "content", "comment"),
    "date": ("date", "published", "published_at", "created_at", "review date", "time", "experienced"),
    "author": ("author", "customer name", "name", "reviewer", "user", "username"),
    "id": ("id", "review id", "review_id"),
    "title": ("title", "headline", "summary"),
}
REQUIRED = ("rating", "text", "date")


def resolve_columns(header: Sequence[str], options: Mapping) -> dict[str, str | None]:
    """Map each field to the header's column, from the options or the defaults."""
    by_lower = {name.strip().lower(): name for name in header}
    columns: dict[str, str | None] = {}
    for field, candidates in DEFAULT_COLUMNS.items():
        chosen = options.get(f"{field}_column")
        if chosen:
            columns[field] = by_lower.get(str(chosen).strip().lower(), str(chosen))
        else:
            columns[field] = next((by_lower[c] for c in candidates if c in by_lower), None)
    return columns


def _header(path: Path, encoding: str) -> list[str]:
    try:
        with open_text(path, newline="", encoding=encoding) as handle:
            return next(csv.reader(handle), [])
    except UnicodeDecodeError:
        raise SourceError(f"not {encoding} text; set the option encoding=...", path=path, location="header") from None


def read(path: Path, options: Mapping) -> Iterator[MessageRecord | Rejected]:
    """Read one review CSV file."""
    if path.is_dir():
        raise SourceError("expected a CSV file of reviews, not a folder", path=path)
    encoding = str(options.get("encoding", "utf-8-sig"))
    columns = resolve_columns(_header(path, encoding), options)
    missing = [field for field in REQUIRED if columns[field] is None]
    if missing:
        raise SourceError(
            "missing column for " + ", ".join(missing)
            + " (name it with the option " + ", ".join(f"{m}_column=..." for m in missing) + ")",
            path=path,
            location="header",
        )
    required = [name for field in REQUIRED if (name := columns[field]) is not None]  # all of them, by now
    seen: Counter[str] = Counter()
    skipped = 0
    for item in csv_rows(path, required, encoding=encoding, bare_cr=True):
        if isinstance(item, Rejected):
            yield item
            continue
        number, row = item
        location = f"row {number}"

        def cell(field: str, row: dict[str, str] = row) -> str:
            name = columns[field]
            return (row.get(name) or "").replace(BARE_CR, "\n").strip() if name else ""

        rating_text, text = cell("rating"), cell("text")
        if not rating_text and not text:
            skipped += 1
            continue
        try:
            rating = float(rating_text) if rating_text else None
        except ValueError:
            yield Rejected(location, f"rating {rating_text!r} is not a number", repr(row)[:2000])
            continue
        try:
            when = parse_time(cell("date"))
        except ValueError as error:
            yield Rejected(location, f"bad date: {error}", repr(row)[:2000])
            continue
        author = cell("author") or None
        review_id = cell("id")
        if not review_id:
            digest = hashlib.sha256("\x1f".join((author or "", cell("date"), text)).encode()).hexdigest()[:20]
            seen[digest] += 1
            review_id = digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"
        title = cell("title") or None
        yield MessageRecord(
            id=review_id,
            channel="review",
            visibility="public",
            timestamp=when,
            text=text,
            author=author,
            direction="in",
            subject=title,
            location=location,
            meta={"rating": rating},
        )
    if skipped:
        log.info("%s: skipped %d rows with neither rating nor text (not reviews)", path, skipped)


SOURCE = Source(
    name="reviews",
    version=VERSION,
    description="Review-site CSV (rating, text, date, author) as public reviews",
    channel="review",
    visibility="public",
    reader=read,
)


@hookimpl
def register_sources(register, config):
    """Register the ``reviews`` source."""
    register(SOURCE)

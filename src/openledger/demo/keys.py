"""How a planned case is found again after ingest: the source, the second
its first message was written and the start of its text. Formats such as
the Facebook export have no ids of their own, so this is what ties an
imported case to its plan."""

from __future__ import annotations

from datetime import datetime


def match_key(source: str, when: datetime, text: str | None) -> tuple[str, int, str]:
    """(source, epoch second, first 80 characters of the whitespace-collapsed text)."""
    return source, int(when.timestamp()), " ".join((text or "").split())[:80]

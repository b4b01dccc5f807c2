"""Checks the engine applies to every record a source yields.

Each returns None for a valid record, or the reason it is invalid, which the
engine reports with the file and the record's location.
"""

from __future__ import annotations

from datetime import datetime

from openledger.records import DIRECTIONS, OUTCOMES, REMEDIES, VISIBILITIES, CaseRecord, MessageRecord


def check_message(r: MessageRecord) -> str | None:
    if not isinstance(r.id, str) or not r.id.strip():
        return "missing id"
    if len(r.id) > 500:
        return "id longer than 500 characters"
    if not isinstance(r.channel, str) or not r.channel.strip():
        return "missing channel"
    if len(r.channel) > 50:
        return "channel longer than 50 characters"
    if r.visibility not in VISIBILITIES:
        return f"visibility must be public or private, not {r.visibility!r}"
    if r.direction not in DIRECTIONS:
        return f"direction must be in or out, not {r.direction!r}"
    if not isinstance(r.timestamp, datetime) or r.timestamp.tzinfo is None:
        return "timestamp must be a timezone-aware datetime"
    if not isinstance(r.text, str):
        return "text must be a string"
    if r.reply_to is not None and (not isinstance(r.reply_to, str) or not r.reply_to):
        return "reply_to must be an earlier id or null"
    return None


def check_case(r: CaseRecord) -> str | None:
    if not isinstance(r.id, str) or not r.id.strip():
        return "missing id"
    if not isinstance(r.channel, str) or not r.channel.strip():
        return "missing channel"
    if r.visibility not in VISIBILITIES:
        return f"visibility must be public or private, not {r.visibility!r}"
    if not isinstance(r.category, str) or not r.category.strip():
        return "missing category"
    if not isinstance(r.severity, int) or not 1 <= r.severity <= 4:
        return f"severity must be 1 to 4, not {r.severity!r}"
    for name in ("opened_at", "first_response_at", "resolved_at"):
        value = getattr(r, name)
        if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
            return f"{name} must be a timezone-aware datetime"
    if r.opened_at is None:
        return "missing opened_at"
    if r.first_response_at is not None and r.first_response_at < r.opened_at:
        return "first_response_at is before opened_at"
    if r.resolved_at is not None and r.resolved_at < r.opened_at:
        return "resolved_at is before opened_at"
    if r.outcome is not None and r.outcome not in OUTCOMES:
        return f"outcome must be one of {', '.join(OUTCOMES)} or null, not {r.outcome!r}"
    if r.remedy not in REMEDIES:
        return f"remedy must be one of {', '.join(REMEDIES)}, not {r.remedy!r}"
    if not isinstance(r.amount, (int, float)) or r.amount < 0 or r.amount != r.amount:
        return f"amount must be a number >= 0, not {r.amount!r}"
    return None

"""The public projection of an event: what a ledger entry may say about it.

An entry carries, besides the event's type, channel, visibility and day, only
the fields allowed here per event type: closed-vocabulary strings, integers
and booleans. Free text never passes; durations are whole multiples of ten
minutes; amounts are whole cents. The exact values stay in the event's private
details, behind the entry's salted commitment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

_TOKEN = re.compile(r"[a-z][a-z0-9_.-]{0,49}")


def _minutes(delta: timedelta) -> int:
    """A duration in whole minutes, rounded to 10 minutes (coarse on purpose)."""
    return max(0, int(round(delta.total_seconds() / 600.0)) * 10)


def _label(value: object) -> dict[str, str | int] | None:
    if not isinstance(value, Mapping) or not isinstance(value.get("value"), str):
        return None
    text = value["value"]
    if len(text) > 100:
        return None
    confidence = value.get("confidence", 0)
    pct = int(round(float(confidence) * 100)) if isinstance(confidence, (int, float)) else 0
    return {"value": text, "confidence_pct": max(0, min(100, pct))}


def _cents(amount: float | str | None) -> int:
    return int(round(float(amount or 0) * 100))


def project(
    type: str, data: Mapping[str, Any], at: datetime, opened_at: datetime, case_channel: str
) -> dict[str, object]:
    """The public ``data`` of an entry: an allowlist per event type, integers only.

    Free text never passes: only closed-vocabulary strings, integers and booleans.
    """
    out: dict[str, object] = {}
    if type == "opened":
        if isinstance(data.get("category"), str):
            out["category"] = data["category"][:100]
        if isinstance(data.get("severity"), int):
            out["severity"] = data["severity"]
    elif type in ("responded", "resolved", "reopened", "escalated"):
        out["after_minutes"] = _minutes(at - opened_at)
    if type == "responded":
        if data.get("reply") in ("draft", "override", "agent"):
            out["reply"] = data["reply"]
        channel = data.get("channel")
        if isinstance(channel, str) and channel != case_channel and _TOKEN.fullmatch(channel):
            out["channel"] = channel
    elif type == "classified":
        labels = {k: _label(v) for k, v in (data.get("labels") or {}).items() if _TOKEN.fullmatch(str(k))}
        out["labels"] = {k: v for k, v in labels.items() if v is not None}
        if isinstance(data.get("severity"), int):
            out["severity"] = data["severity"]
    elif type == "drafted":
        out["tier"] = int(data.get("tier", 1))
        targets = data.get("targets") or {}
        for key in ("first_response_hours", "resolution_hours"):
            if isinstance(targets.get(key), (int, float)):
                out[key.replace("_hours", "_target_minutes")] = int(round(targets[key] * 60))
        if isinstance(targets.get("business_hours"), bool):
            out["business_hours"] = targets["business_hours"]
    elif type == "erased":
        pass  # an erasure says only that it happened: no data at all
    elif type == "remedy-proposed":
        out["remedy"] = str(data.get("remedy"))
        out["amount_cents"] = _cents(data.get("amount"))
    elif type == "escalated":
        out["tier"] = int(data.get("tier", 2))
        if isinstance(data.get("reason"), str) and _TOKEN.fullmatch(data["reason"]):
            out["reason"] = data["reason"]
    elif type == "resolved":
        out["outcome"] = str(data.get("outcome"))
        out["remedy"] = str(data.get("remedy"))
        out["amount_cents"] = _cents(data.get("amount"))
        if data.get("remedy_source") in ("proposal", "override", "agent"):
            out["remedy_source"] = data["remedy_source"]
    return out

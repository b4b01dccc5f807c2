"""The public projection of an event: what its ledger entry may say.

One function, :func:`project`, turns an event's exact data into the ``data``
of its entry; the release planner (:mod:`openledger.privacy.release`) calls it
with the case's published :class:`~openledger.privacy.linkage.Signature`, so
the entry says of the case exactly what the signature allows, and everything
the site shows is derived from these entries alone
(:mod:`openledger.site.derive`).

Per event type, only these fields pass (closed vocabularies, integers,
booleans and digests; free text never):

========================  =============================================================
``opened``                ``category``, ``severity``, ``audience`` (band, if known)
``responded``             ``reply`` (draft, override, agent), ``channel`` (when the reply
                          went out on another channel), ``after`` (the first response
                          only: its band from the opening, ``hidden`` or ``late``),
                          ``seal`` (a public case's first response released with its
                          case: the log's size before the seal that released it)
``classified``            ``labels`` (value and confidence in percent; the category as
                          published), ``severity``, ``gag`` (with a ``gag`` = ``yes``
                          label: the salted SHA-256 of the redacted sentence that
                          asks, or why it is ``withheld``; :mod:`openledger.cases.gag`)
``drafted``               ``tier``, service targets in minutes, ``business_hours``
``remedy-proposed``       ``remedy``, ``amount_cents``
``escalated``             ``tier``, ``reason`` (a token)
``resolved``              ``outcome``, ``remedy``, ``amount_cents``, ``remedy_source``,
                          ``after_h`` (whole hours from the opening)
``message``, ``reopened``, ``erased``   nothing
========================  =============================================================

The exact times stay behind the entry's salted commitment, which a
customer's receipt opens for its holder alone.
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from openledger import patterns

if TYPE_CHECKING:
    from openledger.privacy.linkage import Signature

_TOKEN = patterns.anchored(r"[a-z][a-z0-9_.-]{0,49}")
UNKNOWN = "unknown"


def _label(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, Mapping) or not isinstance(value.get("value"), str):
        return None
    text = value["value"]
    if len(text) > 100:
        return None
    confidence = value.get("confidence", 0)
    pct = int(round(float(confidence) * 100)) if isinstance(confidence, (int, float)) else 0
    return {"value": text, "confidence_pct": max(0, min(100, pct))}


#: the longest gag sentence kept (a longer one is cut at a word, with an ellipsis)
GAG_SENTENCE_MAX = 300
_SPACE = patterns.compile(r"\s+")


def one_line(text: str, limit: int = GAG_SENTENCE_MAX) -> str:
    """``text`` on one line, without control or format characters, at most ``limit`` characters."""
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C" or c in "\t\n\r")
    text = _SPACE.sub(" ", text).strip()
    if len(text) > limit:
        text = text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "\u2026"
    return text


def gag_digest(salt: str, sentence: str) -> str:
    """The SHA-256 (hex) of a gag sentence under its salt (hex): what the entry publishes of it."""
    return hashlib.sha256(bytes.fromhex(salt) + sentence.encode("utf-8")).hexdigest()


_HEX = patterns.anchored(r"[0-9a-f]{32}")


def _gag(value: Any) -> dict[str, str] | None:
    """A gag request as its entry publishes it: the salted digest of the sentence that asks (the sentence
    itself is published off the log, beside its salt, and can be withdrawn), or a ``withheld`` token."""
    if not isinstance(value, Mapping):
        return None
    sentence, salt = value.get("sentence"), value.get("salt")
    if isinstance(sentence, str) and sentence and isinstance(salt, str) and _HEX.fullmatch(salt):
        return {"sentence_sha256": gag_digest(salt, sentence)}
    withheld = value.get("withheld")
    return {"withheld": withheld} if isinstance(withheld, str) and _TOKEN.fullmatch(withheld) else None


def _cents(amount: Any) -> int:
    return int(round(float(amount or 0) * 100))


def whole_hours(later: datetime, earlier: datetime) -> int:
    """Whole hours from ``earlier`` to ``later`` (rounded down, never negative)."""
    return max(0, int(math.floor((later - earlier).total_seconds() / 3600.0)))


def project(type: str, data: Mapping[str, Any], case: Signature, first: str | None, opened_at: datetime,
            at: datetime, case_channel: str, seal: int | None = None) -> dict[str, Any]:
    """The public ``data`` of the entry of one event of a case published as ``case``.

    ``first`` is the band of the case's first response when this event is
    that response, else None; ``seal`` the log's size before the seal that
    releases a public case with this, its first response, else None.
    """
    out: dict[str, Any] = {}
    if type == "opened":
        out["category"] = case.category
        if isinstance(data.get("severity"), int) and not isinstance(data.get("severity"), bool):
            out["severity"] = data["severity"]
        if case.audience != UNKNOWN:
            out["audience"] = case.audience
    elif type == "responded":
        if data.get("reply") in ("draft", "override", "agent"):
            out["reply"] = data["reply"]
        channel = data.get("channel")
        if isinstance(channel, str) and channel != case_channel and _TOKEN.fullmatch(channel):
            out["channel"] = channel
        if first is not None:
            out["after"] = first
            if seal is not None:
                out["seal"] = seal
    elif type == "classified":
        labels = {k: _label(v) for k, v in (data.get("labels") or {}).items() if _TOKEN.fullmatch(str(k))}
        out["labels"] = {k: v for k, v in labels.items() if v is not None}
        if "category" in out["labels"]:
            out["labels"]["category"]["value"] = case.category
        if isinstance(data.get("severity"), int) and not isinstance(data.get("severity"), bool):
            out["severity"] = data["severity"]
        gag = _gag(data.get("gag")) if out["labels"].get("gag", {}).get("value") == "yes" else None
        if gag is not None:
            out["gag"] = gag
    elif type == "drafted":
        out["tier"] = int(data.get("tier", 1))
        targets = data.get("targets") or {}
        for key in ("first_response_hours", "resolution_hours"):
            if isinstance(targets.get(key), (int, float)):
                out[key.replace("_hours", "_target_minutes")] = int(round(targets[key] * 60))
        if isinstance(targets.get("business_hours"), bool):
            out["business_hours"] = targets["business_hours"]
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
        out["after_h"] = whole_hours(at, opened_at)
    return out

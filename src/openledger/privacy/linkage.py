"""The stated attacker, and the guarantee checked against it.

**The attacker** knows, for any public case, its channel, the moment the
customer posted, the moment of the company's first response (the stated
attacker knows only the public reply; this one knows the first response
whatever its channel, which is stronger), the case's category and the
author's audience band. For a private case it knows the channel and the day.

**The guarantee**: for every case, the number of published cases whose
published signature (:class:`Signature`: everything the site says of a case
that such knowledge can be matched against) is *consistent* with what the
attacker knows of it is at least k. A generalised value is consistent with
every true value it could stand for: channel ``other``, category ``hidden``,
audience ``hidden``, a response band ``hidden``, no published response yet,
and a response published ``late`` (after the case's period was published)
when the true response came after that period.

:func:`candidates` counts, for each target, the consistent published cases;
:func:`violations` lists the targets with fewer than k. The release planner
(:mod:`openledger.privacy.release`) keeps every seal within the guarantee,
``openledger build`` refuses a site that breaks it, and the linkage test of
the suite attacks built sites with the same rules.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from openledger import periods

OTHER = periods.POOLED_CHANNEL
LATE = "late"
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Signature:
    """What the published entries say of one case that an attacker can match."""

    channel: str
    visibility: str
    period: str
    category: str
    audience: str
    first: str | None  # the first response's band, HIDDEN, LATE, or None (none published)


@dataclass(frozen=True, slots=True)
class Knowledge:
    """What the attacker knows of one case (true values)."""

    channel: str
    visibility: str
    opened: datetime
    first_response: datetime | None
    category: str
    audience: str


def candidates(targets: Mapping[K, Knowledge], published: Mapping[Any, Signature]) -> dict[K, int]:
    """For each target, how many published cases are consistent with what the attacker knows of it."""
    public: dict[tuple[str, str, str, str], Counter[str | None]] = {}
    private: Counter[tuple[str, str]] = Counter()
    for sig in published.values():
        if sig.visibility == "public":
            public.setdefault((sig.channel, sig.period, sig.category, sig.audience), Counter())[sig.first] += 1
        else:
            private[(sig.channel, sig.period)] += 1
    out: dict[K, int] = {}
    for case, known in targets.items():
        labels = periods.labels(known.opened)
        channels = (known.channel, OTHER) if known.channel != OTHER else (OTHER,)
        if known.visibility != "public":
            out[case] = sum(private.get((c, p), 0) for c in channels for p in labels)
            continue
        total = 0
        categories = (known.category, periods.HIDDEN) if known.category != periods.HIDDEN else (periods.HIDDEN,)
        audiences = (known.audience, periods.HIDDEN) if known.audience != periods.HIDDEN else (periods.HIDDEN,)
        bands = _bands(known)  # once per target, not once per group it could be in
        for c in channels:
            for p in labels:
                for cat in categories:
                    for aud in audiences:
                        firsts = public.get((c, p, cat, aud))
                        if firsts:
                            total += _count_first(firsts, known, p, bands)
        out[case] = total
    return out


def _bands(known: Knowledge) -> tuple[str, ...]:
    """The published forms the target's first response could take (none without a valid duration)."""
    if known.first_response is None:
        return ()
    hours = (known.first_response - known.opened).total_seconds() / 3600.0
    if hours >= 0 and not math.isnan(hours):
        return tuple({periods.band(hours, precision) for precision in ("hours", "bands", "coarse")})
    return ()


def _count_first(firsts: Counter[str | None], known: Knowledge, period: str, bands: tuple[str, ...]) -> int:
    if known.first_response is None:
        return sum(firsts.values())
    total = firsts.get(None, 0) + firsts.get(periods.HIDDEN, 0)
    if known.first_response >= periods.end_of(period):
        total += firsts.get(LATE, 0)
    return total + sum(firsts.get(b, 0) for b in bands)


def violations(targets: Mapping[K, Knowledge], published: Mapping[Any, Signature], k: int) -> dict[K, int]:
    """The targets that fewer than ``k`` published cases are consistent with (case -> count)."""
    return {case: n for case, n in candidates(targets, published).items() if n < k}

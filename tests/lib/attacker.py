"""An attacker who reads only a built site, written for the tests apart from the code it attacks.

It knows, for a public case, its channel, the moment the customer posted, the
moment of the company's first response, its category and its author's
audience band (for a private case: the channel and the day), and joins that
with every published source: the log's entry bundles, the Outcomes rows, the
case index and the order of the log. :func:`candidates` counts, per target,
the published cases it cannot tell apart from the target, source by source
and all sources joined.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from openledger.ledger.tiles import decode_bundle

LEVELS = ("week", "month", "quarter", "year")
BAND_HOURS = {"<1h": (0, 1), "1-4h": (1, 4), "4-24h": (4, 24), "1-3d": (24, 72), "3-7d": (72, 168),
              ">7d": (168, math.inf), "1-24h": (1, 24), ">1d": (24, math.inf)}
MIDDLES = {0.5: ["<1h"], 2.5: ["1-4h"], 14.0: ["4-24h"], 48.0: ["1-3d"], 120.0: ["3-7d"], 252.0: [">7d"],
           12.5: ["1-24h"], 96.0: [">1d"]}


@dataclass(frozen=True)
class Known:
    """The attacker's knowledge of one case."""

    channel: str
    visibility: str
    opened: datetime
    first: datetime | None
    category: str
    audience: str


def span(label: str) -> tuple[date, date]:
    if "-W" in label:
        year, week = label.split("-W")
        start = date.fromisocalendar(int(year), int(week), 1)
        return start, start + timedelta(days=7)
    if "-Q" in label:
        year, q = label.split("-Q")
        first = 3 * (int(q) - 1) + 1
        end = date(int(year) + 1, 1, 1) if first == 10 else date(int(year), first + 3, 1)
        return date(int(year), first, 1), end
    if "-" in label:
        year, month = (int(x) for x in label.split("-"))
        return date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)
    return date(int(label), 1, 1), date(int(label) + 1, 1, 1)


def holds(label: str, moment: datetime) -> bool:
    start, end = span(label)
    return start <= moment.astimezone(UTC).date() < end


def band_holds(band: str | None, hours: float, opened_label: str, first: datetime | None) -> bool:
    if band is None or band == "hidden":
        return True
    if band == "late":
        return first is not None and first.date() >= span(opened_label)[1]
    if band.endswith("h") and band[:-1].isdigit():
        return int(band[:-1]) <= hours < int(band[:-1]) + 1
    low, high = BAND_HOURS[band]
    return low <= hours < high


def read_log(site: Path) -> list[dict]:
    """Every entry of the published log, in log order, with its index."""
    size = int((site / "ledger" / "checkpoint").read_text().splitlines()[1])
    out = []
    for n in range(0, size, 256):
        width = min(256, size - n)
        index = n // 256
        name = _tile_name(index)
        path = site / "ledger" / "tile" / "entries" / (name + ("" if width == 256 else f".p/{width}"))
        for k, raw in enumerate(decode_bundle(path.read_bytes())):
            e = json.loads(raw)
            e["_index"] = n + k
            out.append(e)
    return out


def _tile_name(n: int) -> str:
    parts = [f"{n % 1000:03d}"]
    n //= 1000
    while n > 0:
        parts.append(f"x{n % 1000:03d}")
        n //= 1000
    return "/".join(reversed(parts))


def log_signatures(entries: list[dict]) -> dict[str, dict]:
    """What the log's entries say of each case that the attacker can match."""
    cases: dict[str, dict] = {}
    for e in entries:
        c = cases.setdefault(e["case"], {"channel": e["channel"], "visibility": e["visibility"], "period": None,
                                         "category": "uncategorised", "audience": "unknown", "first": None,
                                         "opened_index": None})
        data = e["data"]
        if e["type"] == "opened":
            c["period"], c["opened_index"] = e["period"], e["_index"]
            c["category"] = data.get("category", c["category"])
            c["audience"] = data.get("audience", "unknown")
        elif e["type"] == "classified" and "category" in data.get("labels", {}):
            c["category"] = data["labels"]["category"]["value"]
        elif e["type"] == "responded" and "after" in data:
            c["first"] = data["after"]
    return cases


def row_signatures(site: Path) -> dict[str, dict]:
    """What the Outcomes rows say of each case."""
    folder = site / "data" / "outcomes"
    index = json.loads((folder / "index.json").read_text())
    out = {}
    for period in index["periods"]:
        for part in period["parts"]:
            data = json.loads((folder / part).read_text())
            for row in data["rows"]:
                out[row[0]] = dict(zip(data["columns"], row))
    return out


def _log_consistent(sig: dict, k: Known) -> bool:
    if sig["visibility"] != k.visibility or sig["channel"] not in (k.channel, "other") or sig["period"] is None:
        return False
    if k.visibility == "private":
        return holds(sig["period"], k.opened)
    if not holds(sig["period"], k.opened):
        return False
    if sig["category"] not in (k.category, "hidden") or sig["audience"] not in (k.audience, "hidden"):
        return False
    hours = (k.first - k.opened).total_seconds() / 3600 if k.first else math.nan
    return k.first is None or band_holds(sig["first"], hours, sig["period"], k.first)


def _row_consistent(row: dict, k: Known) -> bool:
    if row["visibility"] != k.visibility or row["channel"] not in (k.channel, "other"):
        return False
    if not holds(row["opened"], k.opened):
        return False
    if k.visibility == "private":
        return True
    if row["category"] not in (k.category, "hidden"):
        return False
    value = row["first_response_hours"]
    if k.first is None or value is None:
        return True
    hours = (k.first - k.opened).total_seconds() / 3600
    bands = list(MIDDLES.get(value, []))
    if value % 1 == 0.5:
        bands.append(f"{int(value - 0.5)}h")
    return any(band_holds(b, hours, row["opened"], k.first) for b in bands)


def candidates(site: Path, targets: dict[str, Known]) -> dict[str, dict[str, int]]:
    """For each target (by its public id), the number of published cases consistent with what is known:
    per source (``log``, ``rows``) and ``joined`` (consistent with every source at once)."""
    entries = read_log(site)
    logs = log_signatures(entries)
    rows = row_signatures(site)
    by_channel: dict[tuple[str, str], list[str]] = defaultdict(list)
    for case, sig in logs.items():
        by_channel[(sig["visibility"], sig["channel"])].append(case)
    out = {}
    for target, k in targets.items():
        pool = by_channel[(k.visibility, k.channel)] + by_channel[(k.visibility, "other")]
        log_ok = {c for c in pool if _log_consistent(logs[c], k)}
        row_ok = {c for c in pool if c in rows and _row_consistent(rows[c], k)}
        out[target] = {"log": len(log_ok), "rows": len(row_ok), "joined": len(log_ok & row_ok)}
    return out


def order_correlation(site: Path, opened: dict[str, datetime], smallest: int = 10) -> list[tuple[float, int]]:
    """Within each (channel, period) group of published cases, the rank correlation between the log
    position of a case's ``opened`` entry and the true moment it was opened (the order attack), with the
    group's size: ``(rho, n)`` per group."""
    logs = log_signatures(read_log(site))
    groups: dict[tuple[str, str, str], list[tuple[int, datetime]]] = defaultdict(list)
    for case, sig in logs.items():
        if case in opened and sig["opened_index"] is not None:
            groups[(sig["visibility"], sig["channel"], sig["period"])].append((sig["opened_index"], opened[case]))
    out = []
    for members in groups.values():
        if len(members) < smallest:
            continue
        by_index = [i for i, _ in sorted(members)]
        by_time = {i: r for r, (i, _) in enumerate(sorted(members, key=lambda m: m[1]))}
        n = len(members)
        d2 = sum((rank - by_time[i]) ** 2 for rank, i in enumerate(by_index))
        out.append((1 - 6 * d2 / (n * (n * n - 1)), n))
    return out


def knowledge(engine) -> dict[str, Known]:
    """The truth the attacker is assumed to know, for every case of an instance, read from its database
    (``engine``): channel, visibility, opening time, first response, category, audience band."""
    import sqlalchemy as sa

    from openledger.audit.groups import AUDIENCE_BUCKETS
    from openledger.store.models import cases_table, events_table

    def utc(v: datetime) -> datetime:
        return v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC)

    first: dict[int, datetime] = {}
    out = {}
    with engine.connect() as conn:
        for case_id, at in conn.execute(sa.select(events_table.c.case_id, events_table.c.at)
                                        .where(events_table.c.type == "responded")):
            first[case_id] = min(first.get(case_id, at), at)
        for r in conn.execute(sa.select(cases_table).where(cases_table.c.public_id.is_not(None))):
            band = "unknown"
            if r.audience is not None and r.visibility == "public":
                band = next(name for name, low, high in AUDIENCE_BUCKETS if low <= r.audience < high)
            out[r.public_id] = Known(r.channel, r.visibility, utc(r.opened_at),
                                     utc(first[r.id]) if r.id in first else None, r.category or "uncategorised", band)
    return out


def published_cases(site: Path) -> set[str]:
    """The public case ids of a built site (its case index)."""
    return {case for p in (site / "data" / "cases").glob("*.json") for case in json.loads(p.read_text())}


def attack(site: Path, truth: dict[str, Known], public: int = 300, private: int = 150) -> dict[str, int]:
    """Attack up to ``public`` public and ``private`` private published cases of ``site`` (spread evenly):
    the fewest candidates any of them has, per source and joined."""
    published = sorted(published_cases(site))
    pub = [c for c in published if truth[c].visibility == "public"]
    priv = [c for c in published if truth[c].visibility == "private"]
    chosen = pub[:: max(1, len(pub) // public)][:public] + priv[:: max(1, len(priv) // private)][:private]
    found = candidates(site, {c: truth[c] for c in chosen})
    worst = {source: min((n[source] for n in found.values()), default=0) for source in ("log", "rows", "joined")}
    worst["targets"], worst["public"] = len(chosen), min(len(pub), public)
    return worst

"""Benchmark of ``openledger build`` (the site) against a plain MkDocs build, in one run.

    PYTHONPATH=src python bench/bench_site.py [--sizes 10000,100000,1000000] [--entries-per-case 2]

For each size N it makes, outside the timed part, a realistic published
outcomes table of N cases over 36 months (the audit's columns plus the public
case id, response level and resolved-elsewhere flag) and a ledger of
``entries-per-case`` canonical schema-v1 entries per case in an in-memory
hash store. It then times :func:`openledger.site.build_site`: export the log
as tlog-tiles with a signed checkpoint, run the audit three ways, write the
audit JSON, the outcomes CSV, the month shards and the case index, render the
charts and pages, run the strict MkDocs Material build and scan the whole
site for N/10 raw identifiers. It prints build seconds, file count (total,
and without the ledger tiles, whose layout the C2SP tlog-tiles spec fixes at
256 entries per file) and bytes, beside the floor: a plain ``mkdocs build``
of a Material project with the same number of pages and no data, timed in
the same run. Target: 1,000,000 cases in under 3 minutes, under 20,000 files.
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

from openledger.cases.hierarchy import load_hierarchy
from openledger.ledger.entry import build_entry
from openledger.ledger.export import export_log
from openledger.ledger.merkle import Appender, MemoryHashStore
from openledger.ledger.note import generate_key
from openledger.site.build import build_site
from openledger.site.context import SiteInputs
from openledger.site.render import mkdocs_build
from protocol import Figures, split_flags

CHANNELS = np.array(["twitter", "facebook", "review", "email", "phone", "webform", "letter"], dtype=object)
PUBLIC = np.array([True, True, True, False, False, False, False])
CATEGORIES = np.array(["billing", "outage", "delivery", "service", "fraud", "contract"], dtype=object)
OUTCOMES = np.array(["upheld", "partly-upheld", "explained", "declined"], dtype=object)
REMEDIES = np.array(["refund", "credit", "apology", "none"], dtype=object)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def case_ids(n: int, rng: np.random.Generator) -> np.ndarray:
    raw = rng.integers(0, 256, size=(n, 10), dtype=np.uint8)
    out = []
    for row in raw:
        code = base64.b32encode(row.tobytes()).decode()
        out.append(f"C-{code[0:4]}-{code[4:8]}-{code[8:12]}-{code[12:16]}")
    return np.array(out, dtype=object)


def make_table(n: int, seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    ch = rng.integers(0, len(CHANNELS), n)
    start = np.datetime64("2023-01-01")
    opened = start + rng.integers(0, 36 * 30, n).astype("timedelta64[D]")
    censor_days = (np.datetime64("2026-01-01") - opened).astype(float)
    responded = rng.random(n) < 0.93
    first = np.where(responded, np.round(rng.lognormal(2.0, 1.0, n) * 6) / 6, np.nan)
    resolved = responded & (rng.random(n) < 0.85)
    days = np.where(resolved, np.minimum(np.round(rng.lognormal(1.0, 0.8, n) * 144) / 144, censor_days), np.nan)
    remedy = np.where(resolved, REMEDIES[rng.integers(0, 4, n)], "none").astype(object)
    amount = np.where(np.isin(remedy, ["refund", "credit"]), np.round(rng.uniform(5, 120, n), 2), 0.0)
    public = PUBLIC[ch]
    return {
        "case": case_ids(n, rng),
        "channel": CHANNELS[ch], "visibility": np.where(public, "public", "private").astype(object),
        "category": CATEGORIES[rng.integers(0, len(CATEGORIES), n)], "severity": rng.integers(1, 5, n),
        "opened": opened, "first_response_hours": np.minimum(first, censor_days * 24),
        "resolution_days": days, "resolved": resolved, "responded": responded,
        "outcome": np.where(resolved, OUTCOMES[rng.integers(0, 4, n)], "").astype(object),
        "remedy": remedy, "amount": amount,
        "escalated": rng.random(n) < 0.08, "reopened": resolved & (rng.random(n) < 0.03),
        "audience": np.where(public, np.array([0.0, 1000.0, 100001.0])[rng.integers(0, 3, n)], np.nan),
        "censor_hours": censor_days * 24, "censor_days": censor_days,
        "response_level": np.where(responded, 2, 0), "resolved_elsewhere": rng.random(n) < 0.02,
    }


def make_log(table: dict, per_case: int) -> tuple[list[bytes], np.ndarray, MemoryHashStore]:
    """``per_case`` entries per case (opened, then resolved/responded...), in a memory store."""
    types = ("opened", "responded", "resolved", "classified", "drafted")[:per_case]
    template = build_entry(case="xcasex", type="xtypex", channel="xchanx", visibility="public",
                           at=date(2024, 1, 1), data={}, deciders=[], commitment="0" * 64).decode()
    parts = template.replace("%", "%%").replace("xcasex", "%(case)s").replace("xtypex", "%(type)s")
    parts = parts.replace("xchanx", "%(channel)s").replace('"public"', '"%(visibility)s"')
    parts = parts.replace("2024-01-01", "%(at)s").replace("0" * 64, "%(commitment)s")
    entries, owners = [], []
    commitment = os.urandom(32).hex()
    days = table["opened"].astype(str)
    for case, channel, vis, day in zip(table["case"].tolist(), table["channel"].tolist(),
                                       table["visibility"].tolist(), days.tolist()):
        for t in types:
            entries.append((parts % {"case": case, "type": t, "channel": channel, "visibility": vis,
                                     "at": day, "commitment": commitment}).encode())
            owners.append(case)
    sample = build_entry(case=owners[0], type=types[0], channel=table["channel"][0],
                         visibility=table["visibility"][0], at=days[0], data={}, deciders=[],
                         commitment=commitment)
    assert sample == entries[0], "the entry template drifted from build_entry"
    store = MemoryHashStore()
    appender = Appender()
    for i in range(0, len(entries), 100_000):
        store.write_hashes(appender.extend(entries[i:i + 100_000]))
    return entries, np.array(owners, dtype=object), store


def count(root: Path, skip: str | None = None) -> tuple[int, int]:
    files = size = 0
    for dirpath, _, names in os.walk(root):
        if skip and Path(dirpath).is_relative_to(root / skip):
            continue
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(dirpath, name))
    return files, size


def floor_build(work: Path, pages: int) -> float:
    """A plain Material ``mkdocs build`` of ``pages`` short pages, no data."""
    docs = work / "floor" / "docs"
    docs.mkdir(parents=True)
    nav = []
    for i in range(pages):
        (docs / f"p{i}.md").write_text(f"# Page {i}\n\nSome text on page {i}.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
        nav.append(f'  - "Page {i}": p{i}.md')
    config = work / "floor" / "mkdocs.yml"
    config.write_text(
        "site_name: floor\ndocs_dir: docs\nsite_dir: site\nuse_directory_urls: false\n"
        "theme:\n  name: material\n  font: false\nmarkdown_extensions:\n  - tables\nnav:\n" + "\n".join(nav) + "\n")
    start = time.perf_counter()
    mkdocs_build(config)
    return time.perf_counter() - start


def run(n: int, per_case: int, work: Path, figures: Figures) -> None:
    t0 = time.perf_counter()
    table = make_table(n)
    entries, owners, store = make_log(table, per_case)
    signer = generate_key("bench.example/complaints")
    prep = time.perf_counter() - t0
    identifiers = {"author": [f"customer{i:07d}@mail.example.com" for i in range(max(n // 10, 1))]}
    inputs = SiteInputs(
        company="Bench Telecom", table=table, entry_cases=owners, entry_indices=np.arange(len(entries)),
        export=lambda d: export_log(d, iter(entries), len(entries), store, signer),
        hierarchy=load_hierarchy({}), now=NOW, identifiers=identifiers,
        secrets={"pseudonym secret": os.urandom(32)},
    )
    out = work / f"site-{n}"
    report = build_site(inputs, out)
    files, size = count(out)
    site_files, site_bytes = count(out, "ledger")
    pages = len(list(out.glob("*.html"))) - 1  # without 404.html
    floor = floor_build(work / f"floor-{n}", pages)
    print(f"{n:>9,} cases {len(entries):>10,} entries | build {report.seconds:7.1f} s | "
          f"files {files:>6,} (without ledger tiles {site_files:>5,}) | {size / 1e6:7.1f} MB "
          f"(without ledger {site_bytes / 1e6:6.1f} MB) | floor: plain mkdocs build of {pages} pages "
          f"{floor:5.2f} s, ratio {report.seconds / floor:5.1f} | (data generation {prep:.1f} s, untimed)",
          flush=True)
    figures.add(f"site build, {n:,} cases ({files:,} files)", round(report.seconds, 3), "s", round(floor, 3),
                "floor: plain mkdocs build of the same pages")
    shutil.rmtree(out)


def main() -> None:
    as_json, quick, rest = split_flags()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000" if quick else "10000,100000,1000000")
    parser.add_argument("--entries-per-case", type=int, default=2, choices=range(1, 6))
    args = parser.parse_args(rest)
    figures = Figures("site")
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            run(n, args.entries_per_case, Path(tmp), figures)
    figures.emit(as_json)


if __name__ == "__main__":
    main()

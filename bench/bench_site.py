"""Benchmark of ``openledger build`` (the site) and of ``openledger verify`` of it, each beside its floor.

    PYTHONPATH=src python bench/bench_site.py [--sizes 10000,100000,1000000]

For each size N it makes, outside the timed part, a log of N cases over 36
months as a seal would write it (schema v2 entries: ``opened`` with category,
severity and audience band, ``responded`` with its band, ``resolved`` with
outcome, remedy, amount and hours; about 2.9 entries per case; one seal) in an in-memory
hash store. It then times:

- :func:`openledger.site.build.build_site`: export the log as tlog-tiles with
  a signed checkpoint, derive the published table and case index from the
  entries, run the audit three ways, write every data file, render the
  charts and pages, run the strict MkDocs Material build and scan the whole
  site for N/10 raw identifiers; beside a plain ``mkdocs build`` of a
  Material project with the same number of pages and no data;
- ``verify`` of the built site (the log, then everything the site says,
  derived again from the entries and compared, pages rebuilt); beside the
  log-only verification (:func:`openledger.ledger.verify.verify_log`) of the
  same site in the same run. Goal: at most 3 times the log-only time.
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from openledger.cases.hierarchy import default_hierarchy_text
from openledger.ledger.canonical import canonical_json
from openledger.ledger.export import export_log
from openledger.ledger.merkle import Appender, MemoryHashStore
from openledger.ledger.note import generate_key
from openledger.ledger.published import open_published
from openledger.ledger.verify import verify_log
from openledger.plugins import audit_metrics
from openledger.site.build import build_site
from openledger.site.check import check_site_and_log
from openledger.site.context import BuildConfig, SiteInputs
from openledger.site.render import mkdocs_build
from protocol import Figures, split_flags

CHANNELS = np.array(["twitter", "facebook", "review", "email", "phone", "webform", "letter"], dtype=object)
PUBLIC = np.array([True, True, True, False, False, False, False])
CATEGORIES = np.array(["billing", "outage", "delivery", "service", "fraud", "contract"], dtype=object)
OUTCOMES = np.array(["upheld", "partly-upheld", "explained", "declined"], dtype=object)
REMEDIES = np.array(["refund", "credit", "apology", "none"], dtype=object)
BANDS = np.array(["<1h", "1-4h", "4-24h", "1-3d", "3-7d", ">7d"], dtype=object)
AUDIENCES = np.array(["under-1k", "1k-100k", "over-100k"], dtype=object)


def case_ids(n: int, rng: np.random.Generator) -> list[str]:
    raw = rng.integers(0, 256, size=(n, 10), dtype=np.uint8)
    out = []
    for row in raw:
        code = base64.b32encode(row.tobytes()).decode()
        out.append(f"C-{code[0:4]}-{code[4:8]}-{code[8:12]}-{code[12:16]}")
    return out


def make_log(n: int, seed: int = 1) -> tuple[list[bytes], MemoryHashStore]:
    """The entries of N cases over 36 months, by month period, as a seal orders them."""
    rng = np.random.default_rng(seed)
    ids = case_ids(n, rng)
    ch = rng.integers(0, len(CHANNELS), n)
    month = np.sort(rng.integers(0, 36, n))
    responded = rng.random(n) < 0.93
    resolved = responded & (rng.random(n) < 0.85)
    commitment = os.urandom(32).hex()
    entries: list[bytes] = []
    for i in range(n):
        period = f"{2023 + int(month[i]) // 12}-{int(month[i]) % 12 + 1:02d}"
        channel, public = str(CHANNELS[ch[i]]), bool(PUBLIC[ch[i]])
        base = {"case": ids[i], "channel": channel, "visibility": "public" if public else "private",
                "period": period, "deciders": [], "commitment": commitment, "v": 2}
        opened = {"category": str(CATEGORIES[rng.integers(0, len(CATEGORIES))]), "severity": int(rng.integers(1, 5))}
        if public:
            opened["audience"] = str(AUDIENCES[rng.integers(0, 3)])
        entries.append(canonical_json({**base, "type": "opened", "data": opened}))
        if responded[i]:  # a public case's first response says which seal released it (one seal here)
            after = {"after": str(BANDS[rng.integers(0, len(BANDS))])} | ({"seal": 0} if public else {})
            entries.append(canonical_json({**base, "type": "responded", "data": after}))
        if resolved[i]:
            remedy = str(REMEDIES[rng.integers(0, 4)])
            cents = int(rng.integers(500, 12000)) if remedy in ("refund", "credit") else 0
            entries.append(canonical_json({**base, "type": "resolved", "data": {
                "outcome": str(OUTCOMES[rng.integers(0, 4)]), "remedy": remedy, "amount_cents": cents,
                "after_h": int(rng.integers(1, 400))}}))
    store = MemoryHashStore()
    appender = Appender()
    for i in range(0, len(entries), 100_000):
        store.write_hashes(appender.extend(entries[i:i + 100_000]))
    return entries, store


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


def run(n: int, work: Path, figures: Figures) -> None:
    t0 = time.perf_counter()
    entries, store = make_log(n)
    signer = generate_key("bench.example/complaints")
    prep = time.perf_counter() - t0
    identifiers = {"author": [f"customer{i:07d}@mail.example.com" for i in range(max(n // 10, 1))]}
    metrics = tuple(audit_metrics({}))
    config = BuildConfig(company="Bench Telecom", k=10, policy=default_hierarchy_text(),
                         metrics=tuple(m.name for m in metrics))
    inputs = SiteInputs(
        config=config, export=lambda d, progress=None: export_log(d, iter(entries), len(entries), store, signer,
                                                         progress=progress),
        entries=lambda size: enumerate(entries[:size]), metrics=metrics, identifiers=identifiers,
        secrets={"pseudonym secret": os.urandom(32)},
    )
    out = work / f"site-{n}"
    report = build_site(inputs, out)
    files, size = count(out)
    site_files, site_bytes = count(out, "ledger")
    pages = len(list(out.glob("*.html"))) - 1  # without 404.html
    floor = floor_build(work / f"floor-{n}", pages)
    start = time.perf_counter()
    verify_log(out / "ledger")
    log_only = time.perf_counter() - start
    start = time.perf_counter()
    # as `openledger verify SITE` does: the log verified beside the site's check, from the same bytes
    _, checked = check_site_and_log(open_published(out), open_published(out / "ledger"))
    whole = time.perf_counter() - start
    assert not checked.differences, checked.differences[:3]
    print(f"{n:>9,} cases {len(entries):>10,} entries | build {report.seconds:7.1f} s | "
          f"files {files:>6,} (without ledger tiles {site_files:>5,}) | {size / 1e6:7.1f} MB "
          f"(without ledger {site_bytes / 1e6:6.1f} MB) | floor: plain mkdocs build of {pages} pages "
          f"{floor:5.2f} s, ratio {report.seconds / floor:5.1f} | verify {whole:6.1f} s, log only "
          f"{log_only:6.1f} s, ratio {whole / log_only:4.2f} | (data generation {prep:.1f} s, untimed)",
          flush=True)
    figures.add(f"site build, {n:,} cases ({files:,} files)", round(report.seconds, 3), "s", round(floor, 3),
                "floor: plain mkdocs build of the same pages")
    figures.add(f"verify the whole site, {n:,} cases", round(whole, 3), "s", round(log_only, 3),
                "peer: verify the log only (goal: ratio <= 3)")
    shutil.rmtree(out)


def main() -> None:
    as_json, quick, rest = split_flags()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000" if quick else "10000,100000,1000000")
    args = parser.parse_args(rest)
    figures = Figures("site")
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            run(n, Path(tmp), figures)
    figures.emit(as_json)


if __name__ == "__main__":
    main()

"""Benchmark: stream a 1,000,000-row CFPB-format CSV through the cfpb source.

Writes the file into a temporary folder (rows cycled from realistic values),
then measures in the same run:

- the floor: a plain ``csv.reader`` pass over the same file;
- the cfpb source: every row mapped to a CaseRecord.

Prints records/s for both, their ratio, and the peak RSS of the process
(``resource.getrusage``), which must stay far under 1 GB because the source
streams. Usage: ``python bench/bench_cfpb_ingest.py [ROWS] [--quick] [--json]``.
"""

from __future__ import annotations

import csv
import random
import resource
import tempfile
import time
from pathlib import Path

from openledger.builtin.sources import cfpb
from protocol import Figures, split_flags

HEADER = [
    "Date received", "Product", "Sub-product", "Issue", "Sub-issue",
    "Consumer complaint narrative", "Company public response", "Company", "State",
    "ZIP code", "Tags", "Consumer consent provided?", "Submitted via",
    "Date sent to company", "Company response to consumer", "Timely response?",
    "Consumer disputed?", "Complaint ID",
]
VIA = ["Web"] * 8 + ["Referral", "Phone", "Postal mail", "Fax", "Email"]
RESPONSES = ["Closed with explanation"] * 8 + [
    "Closed with non-monetary relief", "Closed with monetary relief", "In progress", "Closed",
]
NARRATIVE = (
    "I have disputed this account with XXXX several times. The balance of {{$1200.00}} "
    "is not mine and was reported on XX/XX/XXXX without notice."
)


def write_file(path: Path, rows: int) -> None:
    rng = random.Random(4)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            writer.writerow([
                f"2019-{month:02d}-{day:02d}", "Debt collection", "I do not know",
                "Attempts to collect debt not owed", "Debt is not yours",
                NARRATIVE if n % 3 == 0 else "", "", "EXAMPLE COLLECTIONS INC", "FL", "335XX",
                "", "Consent provided", rng.choice(VIA), f"2019-{month:02d}-{day:02d}",
                rng.choice(RESPONSES), "Yes", "N/A", str(3_000_000 + n),
            ])


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    as_json, quick, args = split_flags()
    rows = int(args[0]) if args else 20_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "complaints.csv"
        start = time.perf_counter()
        write_file(path, rows)
        print(f"wrote {rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - start:.1f} s")
        rss_before = peak_rss_mb()

        start = time.perf_counter()
        with path.open(newline="", encoding="utf-8") as handle:
            floor_count = sum(1 for _ in csv.reader(handle)) - 1
        floor = floor_count / (time.perf_counter() - start)

        start = time.perf_counter()
        count = rejected = 0
        for record in cfpb.SOURCE.read(path, {}):
            count += 1
            rejected += record.__class__.__name__ == "Rejected"
        elapsed = time.perf_counter() - start
        speed = count / elapsed

    assert count == rows == floor_count and rejected == 0, (count, rows, floor_count, rejected)
    print(f"floor  csv.reader     : {floor:12,.0f} rows/s")
    print(f"cfpb   source         : {speed:12,.0f} records/s  ({elapsed:.1f} s)")
    print(f"ratio  source / floor : {speed / floor:12.3f}")
    print(f"peak RSS              : {peak_rss_mb():12.0f} MB (before reading: {rss_before:.0f} MB; limit 1024 MB)")
    figures = Figures("cfpb source")
    figures.add(f"cfpb source, {rows:,} rows", speed, "records/s", floor, "floor: csv.reader")
    figures.add("peak RSS", peak_rss_mb(), "MB", 1024, "floor: the 1 GB limit")
    figures.emit(as_json)


if __name__ == "__main__":
    main()

"""Fuzz every built-in source through the real ingest engine: no traceback, no hang, no half-import.

Each source gets seed files in its real format (the fixtures under
tests/data/sources, the examples, a few generated lines); hypothesis mutates
them (bytes inserted, deleted, duplicated or replaced; adversarial pieces such
as a NUL, a raw 8-bit byte, 100,000 brackets, a 200,000-character field, a
quote, a bare CR, a truncation) and the mutated file is imported by
:class:`openledger.intake.ingest.Ingestor` into one SQLite instance per
source, with and without ``--skip-bad``. A finding is:

- a traceback: any exception but :class:`openledger.errors.OpenLedgerError`,
  or one whose message is more than one line;
- a hang: a file taking more than 10 s per record read (and at least 10 s);
- a half-import: an import that failed but changed the database (beyond
  the whole batches it committed, ``Ingestor.committed``, the documented
  outcome of a failure while writing), or one that succeeded with other
  counts than it reported.

    python bench/fuzz_sources.py [--minutes 10] [--quick] [--json]

``--quick`` runs a few examples per source (seconds; the bench smoke test
runs it); the default runs for ``--minutes`` (10), split evenly between the
sources. Figures: records tried and time per source, and findings (0 is the
floor). This is not part of ``make test``: ``make fuzz`` runs it.
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openledger import plugins
from openledger.config import create_instance
from openledger.errors import OpenLedgerError
from openledger.intake.ingest import Ingestor
from openledger.store.database import Store
from protocol import Figures, split_flags

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "sources"
HANG_PER_RECORD = 10.0

HISTORY = "\n".join(json.dumps(line) for line in [
    {"id": "h1", "channel": "email", "visibility": "private", "category": "billing", "severity": 2,
     "opened_at": "2025-01-02T10:00:00Z", "first_response_at": "2025-01-02T12:00:00Z",
     "resolved_at": "2025-01-05T10:00:00Z", "outcome": "upheld", "remedy": "refund", "amount": 20.5,
     "escalated": False, "reopened": False, "text": "Charged twice", "author": "a@example.com"},
    {"id": "h2", "channel": "twitter", "visibility": "public", "category": "delivery", "severity": 3,
     "opened_at": "2025-01-03T10:00:00Z", "first_response_at": None, "resolved_at": None, "outcome": None,
     "remedy": "none", "amount": 0, "escalated": True, "reopened": False, "audience": 1200},
]) + "\n"
REVIEWS = ("Reviewer,Stars,Posted,Comments\n"
           "Anna B.,1,2024-02-01,\"Waited six weeks for a refund.\nStill nothing.\"\n"
           "Carl,5,2024-02-02,Great service\n")

# (source, seed: a file or a folder, the file inside a folder that is mutated)
SEEDS: list[tuple[str, str, str | None]] = [
    ("email", "email/emls", "complaint.eml"),
    ("email", "email/headerless_start.mbox", None),
    ("twitter", "twitter/archive", "data/tweets.js"),
    ("twitter", "twitter/archive", "data/direct-messages.js"),
    ("twcs", "twitter/twcs_awkward.csv", None),
    ("facebook", "facebook/page-export", "posts/your_posts_1.json"),
    ("facebook", "facebook/page-export", "comments_and_reactions/comments.json"),
    ("cfpb", "cfpb/complaints_api.json", None),
    ("cfpb", "cfpb/bad_rows.csv", None),
    ("zendesk", "zendesk/export", "tickets.json"),
    ("reviews", "=reviews.csv", None),
    ("csv", "=calls.csv", None),
    ("jsonl", "=messages.jsonl", None),
    ("history", "=history.jsonl", None),
]
PIECES = [b"\x00", b"\xff", b"\xf6", b"\r", b"\n", b'"', b",", b"{", b"}", b"[", b"]", b"\\", b"\ufeff".decode(
    "utf-8").encode("utf-8"), b"[" * 100_000, b"x" * 200_000, b"E mail", b"-1", b"9" * 40, b"\xed\xa0\x80",
    b"From x@y Mon Jan  1 00:00:00 2024\n", b"=?utf-8?b?////?=", b"null", b"1e999", b'"\\ud800"']


def seed_path(seed: str, folder: Path) -> Path:
    """The seed as a path: a fixture, an example, or a generated file."""
    if not seed.startswith("="):
        return DATA / seed
    name = seed[1:]
    generated = {"reviews.csv": REVIEWS, "history.jsonl": HISTORY}
    if name in generated:
        path = folder / name
        path.write_text(generated[name], encoding="utf-8")
        return path
    return ROOT / "examples" / name


@st.composite
def mutations(draw, data: bytes) -> bytes:
    """``data`` with one to four random edits."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "piece", "delete", "duplicate", "replace", "truncate"]))
        if kind == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
        elif kind == "piece":
            data = data[:at] + draw(st.sampled_from(PIECES)) + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 64)):]
        elif kind == "duplicate":
            data = data[:at] + data[at : at + draw(st.integers(1, 2000))] * draw(st.integers(2, 4)) + data[at:]
        elif kind == "replace" and at < len(data):
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
        elif kind == "truncate":
            data = data[:at]
    return data


@dataclass
class Tally:
    examples: int = 0
    records: int = 0
    seconds: float = 0.0
    findings: list[str] = field(default_factory=list)


class Alarm(Exception):
    pass


def _alarm(signum, frame):
    raise Alarm()


def counts(store: Store) -> tuple[int, int, int]:
    with store.engine.connect() as conn:
        return tuple(conn.execute(sa.text(f"select count(*) from {t}")).scalar_one()  # type: ignore[return-value]
                     for t in ("messages", "cases", "events"))


def fuzz_seed(source_name: str, seed: str, inner: str | None, work: Path, examples: int, deadline: float,
              tally: Tally) -> None:
    config = create_instance(work / "home", name="Fuzz", origin="fuzz.example/ledger")
    store = Store(config.database_url())
    store.upgrade()
    source = plugins.sources(config.plugin_view())[source_name]
    original = seed_path(seed, work)
    target_file = original / inner if inner else original
    data = target_file.read_bytes()
    number = [0]

    @settings(max_examples=min(examples, 25), deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(mutated=mutations(data), skip_bad=st.booleans())
    def one(mutated: bytes, skip_bad: bool) -> None:
        if time.monotonic() > deadline or number[0] >= examples:
            return
        number[0] += 1
        case = work / f"case-{number[0]}"
        if inner:
            shutil.copytree(original, case)
            (case / inner).write_bytes(mutated)
        else:
            case = case.with_suffix(original.suffix)
            case.write_bytes(mutated)
        before = counts(store)
        ingestor = Ingestor(store, config, source, skip_bad=skip_bad)
        start = time.monotonic()
        faulthandler.dump_traceback_later(60, exit=False)  # a hang in C code ignores the alarm: show where
        signal.alarm(300)
        failed = None
        try:
            report = ingestor.ingest(case)
        except OpenLedgerError as exc:
            failed = str(exc)
            report = None
        except Alarm:
            tally.findings.append(f"{source_name} {seed}: hang of 300 s on example {number[0]}")
            return
        except Exception as exc:  # noqa: BLE001 - this is what the fuzzer looks for
            keep = work.parent / f"finding-{source_name}-{number[0]}{case.suffix}"
            shutil.copy(case, keep) if case.is_file() else shutil.copytree(case, keep)
            tally.findings.append(f"{source_name} {seed}: traceback {type(exc).__name__}: {exc} (kept in {keep})")
            return
        finally:
            signal.alarm(0)
            faulthandler.cancel_dump_traceback_later()
        seconds = time.monotonic() - start
        after = counts(store)
        read = 1
        if report is not None:
            read = max(1, report.messages + report.cases + report.duplicates + len(report.rejected))
            if (after[0] - before[0], after[1] - before[1]) != (report.messages, report.cases):
                tally.findings.append(f"{source_name} {seed}: counts {before}->{after} but report {report.summary()}")
        elif after != before and not ingestor.committed:
            tally.findings.append(f"{source_name} {seed}: half-import: {before}->{after} after: {failed}")
        if failed is not None and "\n" in failed:
            tally.findings.append(f"{source_name} {seed}: a message of several lines: {failed!r}")
        if seconds > max(HANG_PER_RECORD, HANG_PER_RECORD * read):
            tally.findings.append(f"{source_name} {seed}: {seconds:.1f} s for {read} records")
        tally.examples += 1
        tally.records += read
        tally.seconds += seconds
        shutil.rmtree(case, ignore_errors=True) if case.is_dir() else case.unlink(missing_ok=True)

    while number[0] < examples and time.monotonic() < deadline:
        done = number[0]
        one()  # up to 25 examples a round, new random ones each round
        if number[0] == done:
            break
    store.dispose()


def main(argv: list[str] | None = None) -> int:
    as_json, quick, rest = split_flags(argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="total time, split between the sources")
    args = parser.parse_args(rest)
    signal.signal(signal.SIGALRM, _alarm)
    sources = sorted({s for s, _, _ in SEEDS})
    tallies = {s: Tally() for s in sources}
    budget = 0.0 if quick else args.minutes * 60 / len(SEEDS)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="openledger-fuzz-") as tmp:
        for n, (source_name, seed, inner) in enumerate(SEEDS):
            work = Path(tmp) / f"seed-{n}"
            work.mkdir()
            deadline = time.monotonic() + budget if budget else float("inf")
            examples = 3 if quick else 1_000_000
            print(f"fuzzing {source_name} from {seed}{'/' + inner if inner else ''}", file=sys.stderr, flush=True)
            fuzz_seed(source_name, seed, inner, work, examples, deadline, tallies[source_name])
            shutil.rmtree(work, ignore_errors=True)
    total = time.monotonic() - started
    print(f"fuzzed {len(sources)} sources for {total / 60:.1f} minutes")
    print(f"{'source':10} {'files':>7} {'records':>9} {'seconds':>8}  findings")
    figures = Figures("fuzz_sources")
    findings = 0
    for name, tally in tallies.items():
        print(f"{name:10} {tally.examples:7} {tally.records:9} {tally.seconds:8.1f}  {len(tally.findings)}")
        for finding in tally.findings[:5]:
            print(f"    {finding}")
        findings += len(tally.findings)
        figures.add(f"{name}: mutated files imported", tally.examples, "files", None)
        figures.add(f"{name}: records tried", tally.records, "records", None)
    figures.add("findings (traceback, hang, half-import)", findings, "findings", None)
    figures.add("time", round(total, 1), "s", None)
    figures.emit(as_json)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())

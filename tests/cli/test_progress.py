"""The progress display of the long commands (:mod:`openledger.progress`): on a terminal a row per stage with
the count, the rate and, with a known total, a bar and the time remaining; nothing when standard error is not
a terminal. The services' progress callbacks add up to the work done."""

from __future__ import annotations

import io
import json
import re
import threading
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rich.console import Console
from site_fixtures import make_site_instance

from openledger import progress
from openledger.testing import make_instance

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
START = datetime(2026, 3, 2, 9, tzinfo=UTC)


def complaints(tmp_path, n: int):
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({
        "id": f"c{i}", "channel": "email", "visibility": "private", "direction": "in",
        "author": f"customer{i}@example.net", "timestamp": (START + timedelta(minutes=i)).isoformat(),
        "text": "My bill is wrong again, please refund the extra charge.",
    }) + "\n" for i in range(n)))
    return path


@pytest.fixture
def terminal(monkeypatch):
    """Standard error as a terminal: what the progress display draws, as plain text lines."""
    screen = io.StringIO()
    monkeypatch.setattr(progress, "_console", lambda: Console(file=screen, force_terminal=True, width=160))

    def lines() -> list[str]:
        text = ANSI.sub("", screen.getvalue()).replace("\r", "\n")
        return [line.strip() for line in text.split("\n") if line.strip()]

    return lines


def test_process_on_a_terminal_shows_its_total_a_rate_and_an_eta(tmp_path, terminal):
    inst = make_instance(tmp_path / "home")
    inst.run("ingest", "jsonl", complaints(tmp_path, 450))
    ingest = terminal()
    assert any(re.search(r"records read\s+450 records\s+[\d,.]+ records/s elapsed \d+:\d\d:\d\d", line)
               for line in ingest), ingest
    assert any(re.search(r"records written .*100% 450/450 records\s+[\d,.]+ records/s\s+eta \d+:\d\d:\d\d", line)
               for line in ingest), ingest
    result = inst.run("process")
    assert result.stdout.startswith("processed 450 cases")
    shown = terminal()[len(ingest):]
    rows = [line for line in shown if line.lstrip("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ ").startswith("processing")]
    assert rows, shown
    last = rows[-1]
    assert re.search(r"100%\s+450/450 cases\s+[\d,.]+ cases/s\s+eta \d+:\d\d:\d\d$", last), last
    assert all("/450 cases" in row and " cases/s " in row and " eta " in row for row in rows), rows
    assert "processing" not in result.stderr  # the display went to the terminal, not into the output


def test_nothing_is_drawn_when_standard_error_is_not_a_terminal(tmp_path):
    inst = make_instance(tmp_path / "home")
    ingested = inst.run("ingest", "jsonl", complaints(tmp_path, 30))
    processed = inst.run("process", "--limit", "10")
    assert processed.stdout.startswith("processed 10 cases")
    for result in (ingested, processed):
        assert "/s" not in result.output and "eta" not in result.output and "\x1b[" not in result.output


@pytest.fixture(scope="module")
def small_site_instance(tmp_path_factory):
    base = tmp_path_factory.mktemp("progress")
    return make_site_instance(base / "home", cases=60, summaries=False), base


@pytest.fixture
def recorded(monkeypatch):
    """The stages the CLI's commands report, as (label, stage, n, total), instead of drawing them."""
    seen: list[tuple[str, str, int, int | None]] = []

    @contextmanager
    def recording(label, units=None):
        yield lambda stage, n, total: seen.append((label, stage, n, total))

    for module in ("site", "ledger", "audit"):
        monkeypatch.setattr(f"openledger.cli.{module}.stages", recording)
    return seen


def sums(seen, label: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for where, stage, n, _ in seen:
        if where == label:
            out[stage] = out.get(stage, 0) + n
    return out


def totals_reached(seen, label: str) -> None:
    """Every stage with a total ends at its last total, never past it."""
    done = sums(seen, label)
    for stage in done:
        last = [total for where, s, _, total in seen if where == label and s == stage][-1]
        if last is not None:
            assert done[stage] == last, (stage, done[stage], last)


def test_build_and_verify_report_counts_that_add_up_to_the_work_done(small_site_instance, recorded):
    inst, base = small_site_instance
    out = base / "site"
    line = inst.run("build", "--out", out).stdout
    entries = int(re.search(r"([\d,]+) log entries", line).group(1).replace(",", ""))
    built = sums(recorded, "build")
    assert built["entries derived"] == entries and built["verify: entries checked"] == entries
    assert built["verify: entries derived"] == entries
    tiles = len([p for p in (out / "ledger").rglob("*") if p.is_file()]) - 2  # and checkpoint, verifier.key
    assert built["tiles written"] == tiles
    # every file, the marker too (written before the scan, as the staged site's verification starts beside it)
    assert built["files scanned"] == len([p for p in out.rglob("*") if p.is_file()])
    assert built["pages built"] == built["verify: pages built"] > 0
    totals_reached(recorded, "build")

    recorded.clear()
    said = inst.run("verify", out).stdout
    checked = re.search(r"ok: the site says what its log says: ([\d,]+) files derived again from ([\d,]+) entries",
                        said)
    assert checked, said
    verified = sums(recorded, "verify")
    assert verified["entries checked"] == entries == int(checked.group(2).replace(",", ""))
    assert verified["entries derived"] == entries
    assert verified["files compared"] == int(checked.group(1).replace(",", ""))
    totals_reached(recorded, "verify")

    recorded.clear()  # the same from a URL
    handler = partial(SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        said = inst.run("verify", f"http://127.0.0.1:{server.server_address[1]}/").stdout
    finally:
        server.shutdown()
        server.server_close()
    assert "ok: the site says what its log says" in said
    assert sums(recorded, "verify")["entries checked"] == entries
    totals_reached(recorded, "verify")


def test_export_log_reports_the_tiles_written(small_site_instance, recorded, tmp_path):
    inst, _ = small_site_instance
    said = inst.run("export-log", tmp_path / "log").stdout
    files = int(re.search(r"\((\d+) files\)", said).group(1))
    assert sums(recorded, "export-log") == {"tiles written": files - 2}  # and checkpoint, verifier.key
    totals_reached(recorded, "export-log")


def test_audit_reports_what_it_reads(small_site_instance, recorded, tmp_path):
    inst, base = small_site_instance
    size = int(inst.run("checkpoint").stdout.splitlines()[1])  # seals: the audit then reads this log
    inst.run("audit")
    assert sums(recorded, "audit") == {"entries derived": size}
    totals_reached(recorded, "audit")
    recorded.clear()
    inst.run("audit", "--exact")
    assert sums(recorded, "audit")["cases read"] > 0
    out = tmp_path / "site"
    inst.run("build", "--out", out)
    recorded.clear()
    inst.run("audit", "--from-site", out)
    rows = len((out / "data" / "outcomes.csv").read_text("utf-8").splitlines()) - 1
    assert sums(recorded, "audit") == {"rows read": rows}


def test_counted_reports_every_item_once():
    seen: list[tuple[str, int, int | None]] = []
    assert list(progress.counted(range(2500), lambda *call: seen.append(call), "rows", 2500)) == list(range(2500))
    assert seen == [("rows", 0, 2500), ("rows", 1000, 2500), ("rows", 1000, 2500), ("rows", 500, 2500)]
    assert list(progress.counted("ab", None, "rows")) == ["a", "b"]

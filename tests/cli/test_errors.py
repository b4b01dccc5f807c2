"""Errors end in one place: one line and an exit status, the traceback only with --debug,
and Ctrl-C says truthfully what was and was not imported."""

from __future__ import annotations

import json
import traceback

import pytest
from sqlalchemy.exc import OperationalError

from openledger import hookimpl, plugins
from openledger.testing import InstanceRunner


class Interrupting:
    """A source that reads JSON Lines like ``jsonl`` but is interrupted (Ctrl-C) inside ``stop.jsonl``, is
    interrupted inside ``cut.jsonl`` in a query whose clean-up then fails (as psycopg's does when SQLAlchemy's ping
    of a pooled connection is cut short), or breaks with a bug inside ``bug.jsonl``."""

    name = "interrupting"
    version = "1"
    description = "test source"
    channel = None
    visibility = None

    def read(self, path, options):
        source = plugins.sources({})["jsonl"]
        for number, record in enumerate(source.read(path, options), start=1):
            if path.name == "stop.jsonl" and number == 2:
                raise KeyboardInterrupt
            if path.name == "cut.jsonl" and number == 2:
                try:
                    raise KeyboardInterrupt
                finally:
                    raise OperationalError("SELECT 1", {}, Exception(
                        "can't change 'autocommit' now: connection in transaction status ACTIVE"))
            if path.name == "bug.jsonl":
                raise ZeroDivisionError("division by zero")
            yield record


class Plugin:
    @hookimpl
    def register_sources(self, register):
        register(Interrupting())


@pytest.fixture
def interrupting():
    plugin = Plugin()
    plugins.pm.register(plugin, name="interrupting-test-plugin")
    try:
        yield
    finally:
        plugins.pm.unregister(plugin)


def lines(path, first_id: int, count: int) -> None:
    path.write_text("".join(
        json.dumps({"id": str(first_id + i), "channel": "email", "visibility": "private",
                    "timestamp": f"2026-03-0{1 + i}T10:00:00Z", "author": f"c{first_id + i}@example.org",
                    "text": "My bill is wrong."}) + "\n"
        for i in range(count)))


def test_ctrl_c_says_which_files_were_imported_and_which_not(instance: InstanceRunner, tmp_path, interrupting):
    done, stopped, later = tmp_path / "done.jsonl", tmp_path / "stop.jsonl", tmp_path / "later.jsonl"
    lines(done, 1, 2), lines(stopped, 10, 3), lines(later, 20, 1)
    result = instance.run("ingest", "interrupting", done, stopped, later, expect=130)
    assert result.stderr.strip() == (f"interrupted; imported whole: {done}; nothing from {stopped} or later files "
                                     "was imported")
    assert instance.count("cases") == 2 and instance.count("messages") == 2


def test_ctrl_c_is_reported_when_the_clean_up_it_cut_short_fails(instance: InstanceRunner, tmp_path, interrupting):
    done, cut = tmp_path / "done.jsonl", tmp_path / "cut.jsonl"
    lines(done, 1, 2), lines(cut, 10, 3)
    result = instance.run("ingest", "interrupting", done, cut, expect=130)
    assert result.stderr.strip() == (f"interrupted; imported whole: {done}; nothing from {cut} or later files "
                                     "was imported")
    assert instance.count("cases") == 2 and instance.count("messages") == 2


def test_ctrl_c_elsewhere_does_not_claim_anything(instance: InstanceRunner, tmp_path, interrupting):
    stopped = tmp_path / "stop.jsonl"
    lines(stopped, 10, 3)
    result = instance.run("ingest", "interrupting", stopped, "--dry-run", expect=130)
    assert result.stderr.strip() == "interrupted; a dry run imports nothing"


def test_a_bug_is_one_line_and_debug_shows_the_traceback(instance: InstanceRunner, tmp_path, interrupting, monkeypatch):
    bug = tmp_path / "bug.jsonl"
    lines(bug, 1, 1)
    result = instance.run("ingest", "interrupting", bug, expect=1)
    assert len(result.stderr.strip().splitlines()) == 1 and "ZeroDivisionError" in result.stderr
    assert "Traceback" not in result.output
    debugged = instance.run("--debug", "ingest", "interrupting", bug, expect=1)
    chain = "".join(traceback.format_exception(debugged.exception))
    assert "ZeroDivisionError: division by zero" in chain and 'Interrupting' not in result.stderr
    monkeypatch.setenv("OPENLEDGER_DEBUG", "1")
    assert instance.run("ingest", "interrupting", bug, expect=1).exception is not None
    assert instance.count("cases") == 0


def test_an_error_the_user_can_fix_is_one_line_with_its_status(instance: InstanceRunner, tmp_path):
    result = instance.run("ingest", "jsonl", tmp_path / "missing.jsonl", expect=1)
    assert result.stderr == f"Error: {tmp_path / 'missing.jsonl'}: no such file (nothing from this file was imported)\n"

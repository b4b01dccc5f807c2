"""The plugin API: a plugin registered at run time is used end to end."""

from __future__ import annotations

import json

import pluggy
import pytest

from openledger import hookimpl, plugins
from openledger.records import (
    BlindCaseView,
    Draft,
    Label,
    MessageRecord,
    RemedyProposal,
)
from openledger.testing import InstanceRunner
from openledger.timeutil import parse_time


class LetterSource:
    name = "letters"
    version = "1.2"
    description = "scanned letters, one file per letter"
    channel = "letter"
    visibility = "private"

    def read(self, path, options):
        for number, block in enumerate(path.read_text().split("\n---\n"), start=1):
            date, _, body = block.partition("\n")
            yield MessageRecord(id=f"{path.name}#{number}", channel="letter", visibility="private",
                                timestamp=parse_time(date, strict=True), text=body.strip(), location=f"letter {number}")


class Seen:
    blind_attrs: list = []
    opened: list = []
    resolved: list = []


class UrgencyClassifier:
    name = "test-urgency"
    version = "0.1"
    label = "kind"  # overrides the built-in kind classifier: plugins are asked first

    def classify(self, item):
        return Label("complaint", 0.99, {"why": "test"})


class Responder:
    name = "test-responder"
    version = "0.3"

    def draft(self, case):
        return Draft(reply=f"Re your {case.channel} message", tier=3, first_response_hours=2)

    def propose_remedy(self, case):
        assert isinstance(case, BlindCaseView)
        Seen.blind_attrs = [a for a in ("channel", "visibility", "audience") if hasattr(case, a)]
        try:
            _ = case.channel  # reading it must raise: the blind view has no channel
        except AttributeError:
            pass
        else:  # pragma: no cover - the test below fails if this happens
            Seen.blind_attrs.append("readable channel")
        return RemedyProposal("credit", 10.0, "goodwill")


class TestPlugin:
    @hookimpl
    def register_sources(self, register):
        register(LetterSource())

    @hookimpl
    def register_classifiers(self, register):
        register(UrgencyClassifier())

    @hookimpl
    def register_responders(self, register):
        register(Responder())

    @hookimpl
    def case_opened(self, case, event):
        Seen.opened.append((case.channel, event["type"]))

    @hookimpl
    def case_resolved(self, case, event):
        Seen.resolved.append((case.id, event["data"]["remedy"]))


@pytest.fixture
def test_plugin():
    plugin = TestPlugin()
    plugins.pm.register(plugin, name="test-plugin")
    Seen.opened, Seen.resolved, Seen.blind_attrs = [], [], []
    try:
        yield plugin
    finally:
        plugins.pm.unregister(plugin)


def test_runtime_plugin_end_to_end(instance: InstanceRunner, tmp_path, test_plugin):
    letters = tmp_path / "post-2026-03.txt"
    letters.write_text(
        "2026-03-02T09:00:00Z\nDear Sirs, my meter was read wrongly.\n---\n"
        "2026-03-03T09:00:00Z\nI enclose my bill."
    )
    assert "into 2 new cases" in instance.run("ingest", "letters", letters).stdout
    assert Seen.opened == [("letter", "opened"), ("letter", "opened")]
    instance.run("process")
    case = instance.json("cases", "show", 1, "--json")
    classified, drafted, escalated, proposed = case["events"][-4:]
    assert classified["data"]["labels"]["kind"] == {"value": "complaint", "confidence": 0.99}
    assert {"name": "test-urgency", "version": "0.1"} in classified["data"]["deciders"]
    assert drafted["private"]["reply"] == "Re your letter message"
    assert drafted["data"]["deciders"] == [{"name": "test-responder", "version": "0.3"}]
    assert escalated["type"] == "escalated" and case["tier"] == 3
    assert proposed["data"] == {
        "remedy": "credit", "amount": 10.0, "deciders": [{"name": "test-responder", "version": "0.3"}]
    }
    assert Seen.blind_attrs == []
    instance.run("resolve", 1, "--outcome", "upheld")
    assert Seen.resolved == [(1, "credit")]
    listed = json.loads(instance.run("plugins", "--json").stdout)
    mine = next(p for p in listed if p["name"] == "test-plugin")
    assert not mine["builtin"]
    assert {"register_sources", "case_opened"} <= set(mine["hooks"])
    assert {
        "kind": "source", "name": "letters", "version": "1.2", "description": "scanned letters, one file per letter"
    } in mine["registers"]


def test_hookimpl_with_unknown_argument_is_refused_at_registration():
    class Typo:
        @hookimpl
        def register_sources(self, register, confg):
            pass

    with pytest.raises(pluggy.PluginValidationError):
        plugins.pm.register(Typo(), name="typo")
    assert plugins.pm.get_plugin("typo") is None


def test_plugin_errors_are_one_line(instance: InstanceRunner, tmp_path):
    class Broken:
        name = "broken"
        version = "0"
        label = "kind"

        def classify(self, item):
            raise RuntimeError("model file missing")

    class Plugin:
        @hookimpl
        def register_classifiers(self, register):
            register(Broken())

    plugin = Plugin()
    plugins.pm.register(plugin, name="broken-plugin")
    try:
        path = tmp_path / "m.jsonl"
        path.write_text(json.dumps({"id": "1", "channel": "email", "visibility": "private",
                                    "timestamp": "2026-01-01T00:00:00Z", "text": "hello"}) + "\n")
        instance.run("ingest", "jsonl", path)
        result = instance.run("process", expect=1)
        assert result.stderr.strip() == (
            "Error: plugin 'broken-plugin': classifier 'broken' on case 1: failed: RuntimeError: model file missing "
            "(case 1 stays unprocessed and is tried again on the next run)")
        assert instance.count("events", "type = 'classified'") == 0
        assert instance.count("cases", "processed_at is null") == 1
        assert instance.count("plugin_faults", "plugin = 'broken-plugin' and subject = 'case 1'") == 1
    finally:
        plugins.pm.unregister(plugin)


def test_builtins_are_listed_as_plugins(instance: InstanceRunner):
    listed = json.loads(instance.run("plugins", "--json").stdout)
    names = {p["name"] for p in listed if p["builtin"]}
    assert {"openledger.builtin.sources.jsonl", "openledger.builtin.sources.csvfile"} <= names
    text = instance.run("plugins").stdout
    assert "source: jsonl" in text and "(built-in)" in text


def test_the_core_never_imports_a_builtin_plugin():
    """Built-ins are reached only through hooks (DESIGN.md): no core module imports one."""
    from pathlib import Path

    import openledger

    root = Path(openledger.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if "builtin" in path.relative_to(root).parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith(("import openledger.builtin", "from openledger.builtin")):
                offenders.append(f"{path.relative_to(root)}:{number}")
    assert offenders == []


def _fake_install(root, module: str, code: str, entry: str):
    """An installed distribution without pip: a module and a .dist-info folder on sys.path."""
    (root / f"{module}.py").write_text(code)
    info = root / f"{module}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[openledger]\n{entry} = {module}\n")


@pytest.fixture
def fresh_manager(monkeypatch, tmp_path):
    """Plugins loaded again from scratch (restored afterwards), with tmp_path on sys.path."""
    import importlib

    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    monkeypatch.setattr(plugins, "_loaded", None)
    return tmp_path


def test_an_installed_plugin_that_cannot_load_is_one_line(fresh_manager):
    """A redactor plugin that fails to import must stop the command (a site built without it
    could leak), with one line naming the plugin, not a traceback."""
    from click.testing import CliRunner

    from openledger.cli import main

    _fake_install(fresh_manager, "acme_broken", "import no_such_module_xyz\n", "acme-broken")
    line = ("Error: plugin 'acme-broken' (acme_broken 0.1, entry point acme-broken = acme_broken): cannot be "
            "loaded: ModuleNotFoundError: No module named 'no_such_module_xyz'")
    result = CliRunner().invoke(main, ["classify"], input="hello")  # any command that needs plugins
    assert (result.exit_code, result.stderr.strip()) == (1, line)
    listed = CliRunner().invoke(main, ["plugins", "--installed"])  # still lists it, with its problem
    assert listed.exit_code == 0
    assert "acme-broken 0.1 (installed: acme_broken)" in listed.stdout
    assert "  PROBLEM: cannot be loaded: ModuleNotFoundError: No module named 'no_such_module_xyz'" in listed.stdout
    checked = CliRunner().invoke(main, ["plugins", "--check"])
    assert (checked.exit_code, checked.stderr.strip()) == (1, line)


def test_an_unknown_name_in_openledger_load_plugins_is_an_error(fresh_manager, monkeypatch):
    from click.testing import CliRunner

    from openledger.cli import main

    _fake_install(fresh_manager, "acme_fine", "", "acme-fine")
    monkeypatch.setenv("OPENLEDGER_LOAD_PLUGINS", "acme-fine,acme-typo")
    result = CliRunner().invoke(main, ["plugins", "--installed"])
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert line.startswith("Error: OPENLEDGER_LOAD_PLUGINS names acme-typo, which is not installed (installed: ")
    assert "acme-fine" in line and "\n" not in line


def test_a_source_that_crashes_is_one_line_and_imports_nothing(instance: InstanceRunner, tmp_path):
    class Crashing:
        name = "crashing"
        version = "0"
        channel = "email"
        visibility = "private"

        def read(self, path, options):
            yield MessageRecord(id="1", channel="email", visibility="private",
                                timestamp=parse_time("2026-01-01T00:00:00Z", strict=True), text="hello",
                                location="item 1")
            raise KeyError("body")

    class Plugin:
        @hookimpl
        def register_sources(self, register):
            register(Crashing())

    plugin = Plugin()
    plugins.pm.register(plugin, name="crashing-plugin")
    try:
        (tmp_path / "x.json").write_text("{}")
        result = instance.run("ingest", "crashing", tmp_path / "x.json", expect=1)
        assert result.stderr.strip() == (f"Error: {tmp_path / 'x.json'}: after item 1: plugin 'crashing-plugin': "
                                         "source 'crashing' failed: KeyError: 'body'; a fault of the plugin, not bad "
                                         "input (nothing from this file was imported)")
        assert instance.count("messages") == 0
        assert instance.count("plugin_faults", "plugin = 'crashing-plugin'") == 1
    finally:
        plugins.pm.unregister(plugin)


def test_imported_history_opens_cases_but_resolves_none(instance: InstanceRunner, tmp_path, test_plugin):
    """case_resolved reports an agent's resolution; a case imported already resolved (history,
    CFPB) is reported once, by case_opened, as the reference says."""
    line = {"id": "h1", "channel": "email", "visibility": "private", "category": "billing", "severity": 2,
            "opened_at": "2023-03-01T09:12:00Z", "first_response_at": None, "resolved_at": "2023-03-02T09:12:00Z",
            "outcome": "upheld", "remedy": "none", "amount": 0, "escalated": False, "reopened": False}
    (tmp_path / "h.jsonl").write_text(json.dumps(line) + "\n")
    instance.run("ingest", "history", tmp_path / "h.jsonl")
    assert Seen.opened == [("email", "opened")] and Seen.resolved == []

"""The command line as a user meets it: help, version, init, errors."""

from __future__ import annotations

import importlib
import os
import pkgutil
import stat
import subprocess
import sys

import click
from click.testing import CliRunner

from openledger import __version__
from openledger.cli import main
from openledger.cli.main import COMMANDS
from openledger.testing import InstanceRunner


def all_commands(group: click.Group, prefix=()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, (*prefix, name)
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


def test_each_command_is_loaded_from_the_module_that_defines_it():
    """The root group imports a command's module when the command is asked for (``COMMANDS``): the table names
    every command that the modules of ``openledger.cli`` define, each with its own module, and a command line
    imports only its command's module."""
    script = ("import sys; from openledger.cli import main; "
              "print(sorted(m for m in sys.modules if m.startswith('openledger.cli.')))")
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['openledger.cli.main']"
    import openledger.cli as package
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"openledger.cli.{module.name}")
    defined = {name: command.callback.__module__ for name, command in main.commands.items()}
    assert defined == {name: f"openledger.cli.{module}" for name, module in COMMANDS.items()}


def test_version_and_help_everywhere():
    runner = CliRunner()
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output
    commands = list(all_commands(main))
    assert {("init",), ("ingest",), ("process",), ("cases", "list"), ("cases", "show"), ("respond",),
            ("escalate",), ("resolve",), ("reopen",), ("plugins",)} <= set(commands)
    for path in commands:
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage: " in result.output and "--help" in result.output


def test_init_creates_config_secret_and_database(tmp_path):
    home = tmp_path / "ledger"
    result = CliRunner().invoke(main, ["init", str(home), "--name", "Northwind Telecom"])
    assert result.exit_code == 0, result.output
    assert (home / "openledger.toml").read_text().count('name = "Northwind Telecom"') == 1
    assert (home / "openledger.db").stat().st_size > 0
    secret = home / "secret.key"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert len(bytes.fromhex(secret.read_text().strip())) == 32


def test_home_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENLEDGER_HOME", str(tmp_path / "envhome"))
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    assert (tmp_path / "envhome" / "openledger.toml").exists()
    result = runner.invoke(main, ["cases", "list"])
    assert result.exit_code == 0 and "no cases" in result.output


def test_init_refuses_to_overwrite(instance: InstanceRunner):
    result = instance.run("init", expect=1)
    assert result.stderr.startswith("Error: ")
    assert "openledger.toml: an instance already exists here" in result.stderr
    assert "Traceback" not in result.output


def test_commands_without_instance_say_so(tmp_path):
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "nothing"), "cases", "list"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {tmp_path / 'nothing' / 'openledger.toml'}: no openledger instance here "
        f"(run 'openledger init {tmp_path / 'nothing'}' first)"
    )


def test_bad_config_is_one_line(tmp_path):
    home = tmp_path / "home"
    assert CliRunner().invoke(main, ["init", str(home)]).exit_code == 0
    (home / "openledger.toml").write_text('[instance]\nname = "unterminated\n')
    result = CliRunner().invoke(main, ["--home", str(home), "cases", "list"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "openledger.toml: invalid TOML" in lines[0] and "line 2" in lines[0]


def test_bad_database_urls(tmp_path):
    home = tmp_path / "home"
    assert CliRunner().invoke(main, ["init", str(home)]).exit_code == 0
    for url, expected in [
        ("nonsense://x", "invalid database URL"),
        ("not a url at all", "invalid database URL"),
        ("postgresql+psycopg://nobody:secretpw@127.0.0.1:1/none", "cannot open database"),
        ("mysql://nobody:secretpw@db/x", "its driver is not installed (No module named 'MySQLdb')"),
        (f"sqlite:///{tmp_path}/missing/dir/x.db", "database folder does not exist"),
        (f"sqlite:///{tmp_path}/empty.db", "holds no openledger instance"),
    ]:
        result = CliRunner().invoke(main, ["--home", str(home), "--db", url, "cases", "list"])
        assert result.exit_code == 1, (url, result.output)
        line = result.stderr.strip()
        assert "\n" not in line and expected in line, (url, line)
        assert "secretpw" not in line


def test_database_url_from_environment(tmp_path, monkeypatch, db_url):
    home = tmp_path / "home"
    monkeypatch.setenv("OPENLEDGER_DATABASE_URL", db_url)
    assert CliRunner().invoke(main, ["init", str(home)]).exit_code == 0
    assert not (home / "openledger.db").exists()
    assert CliRunner().invoke(main, ["--home", str(home), "cases", "list"]).exit_code == 0


def test_usage_errors_exit_2(instance: InstanceRunner):
    assert instance.run("ingest", expect=2)
    assert instance.run("resolve", "1", "--outcome", "maybe", expect=2)
    assert instance.run("ingest", "jsonl", "x.jsonl", "-o", "novalue", expect=2)


def test_unknown_source(instance: InstanceRunner, tmp_path):
    result = instance.run("ingest", "fax-machine", os.devnull, expect=1)
    assert "no source named 'fax-machine'" in result.stderr and "jsonl" in result.stderr

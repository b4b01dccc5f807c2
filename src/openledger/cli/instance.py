"""``init`` and ``plugins``."""

from __future__ import annotations

import json
from typing import TypedDict

import click

from openledger import plugins
from openledger.cli.main import main, pass_app
from openledger.config import INTAKE_KEY_NAME
from openledger.instance import Instance
from openledger.store.database import safe_url
from openledger.store.faults import latest_faults


@main.command()
@click.argument("home", required=False, type=click.Path(file_okay=False))
@click.option("--name", help="The company's name, shown on the public site.")
@click.option("--origin", help="The ledger's origin line, e.g. example.com/complaints.")
@click.pass_context
def init(ctx: click.Context, home: str | None, name: str | None, origin: str | None) -> None:
    """Create an instance: config, secret key and database."""
    app: Instance = ctx.obj
    created = Instance.create(app.home if home is None else home, name=name, origin=origin, db=app.db_option)
    verifier = created.verifier_path.read_text().strip()
    click.echo(f"created instance in {created.home}")
    click.echo(f"  config:   {created.config.path}")
    click.echo(f"  database: {safe_url(created.database_url)}")
    click.echo(f"  ledger:   key {created.key_path} (mode 0600), verifier {verifier}")
    click.echo(f"  intake:   key {created.home / INTAKE_KEY_NAME} (mode 0600): webhook senders sign with it")
    click.echo("next: openledger ingest SOURCE FILE   (see 'openledger plugins' for sources)")


class _PluginRow(TypedDict):
    name: str
    version: str | None
    builtin: bool
    distribution: str | None
    entry_point: str | None
    hooks: list[str]
    registers: list[dict[str, str]]
    problems: list[str]
    faults: dict[str, int | str] | None


@main.command(name="plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--installed", is_flag=True, help="Only installed plugins, not the built-ins.")
@click.option("--check", is_flag=True, help="Exit with status 1 when any plugin is broken (each problem on one line).")
@pass_app
def plugins_command(app: Instance, as_json: bool, installed: bool, check: bool) -> None:
    """List plugins (also broken ones, with their problems), their hooks and what they register."""
    try:
        config = app.config.plugin_view()
    except Exception:  # noqa: BLE001 - listing plugins needs no instance: any unreadable one means no config
        config = {}
    faults: dict[str, tuple[int, str, str]] = {}
    if config:
        try:
            with app.store.engine.connect() as conn:
                faults = latest_faults(conn)
        except Exception:  # noqa: BLE001 - nor a database: without one there are no recorded faults to show
            faults = {}
    infos = plugins.inspect_plugins(config, include_builtin=not installed)
    rows: list[_PluginRow] = [
        {
            "name": info.name,
            "version": info.version,
            "builtin": info.builtin,
            "distribution": info.distribution,
            "entry_point": info.entry_point,
            "hooks": list(info.hooks),
            "registers": [{"kind": kind, "name": obj.name, "version": obj.version,
                           "description": getattr(obj, "description", "")} for kind, obj in info.registers],
            "problems": list(info.problems),
            "faults": ({"count": faults[info.name][0], "latest": faults[info.name][2]}
                       if info.name in faults else None),
        }
        for info in infos
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    else:
        for row in rows:
            tag = "built-in" if row["builtin"] else f"installed: {row['distribution'] or 'registered at run time'}"
            click.echo(f"{row['name']} {row['version'] or ''} ({tag})")
            if row["entry_point"]:
                click.echo(f"  entry point: {row['entry_point']}")
            click.echo(f"  hooks: {', '.join(row['hooks']) or 'none'}")
            for item in row["registers"]:
                click.echo(f"  {item['kind']}: {item['name']} {item['version']}")
            for problem in row["problems"]:
                click.echo(f"  PROBLEM: {problem}")
            if row["faults"]:
                click.echo(f"  faults recorded: {row['faults']['count']}, the latest: {row['faults']['latest']}")
    broken = [f"{plugins.describe(info.name)}: {problem}" for info in infos for problem in info.problems]
    if check:
        for line in broken:
            click.echo(f"Error: {line}", err=True)
        if broken:
            raise SystemExit(1)
        click.echo(f"{len(infos)} plugin(s), no problem", err=True)

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
    hooks: list[str]
    registers: list[dict[str, str]]


@main.command(name="plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--installed", is_flag=True, help="Only installed plugins, not the built-ins.")
@pass_app
def plugins_command(app: Instance, as_json: bool, installed: bool) -> None:
    """List loaded plugins, their hooks and what they register."""
    try:
        config = app.config.plugin_view()
    except Exception:  # noqa: BLE001 - listing plugins needs no instance: any unreadable one means no config
        config = {}
    registered: dict[str, list[dict[str, str]]] = {}
    for kind, obj in plugins.registered(config):
        owner = plugins.owner_of(obj)
        registered.setdefault(owner, []).append(
            {"kind": kind, "name": obj.name, "version": obj.version, "description": getattr(obj, "description", "")}
        )
    rows: list[_PluginRow] = [
        {
            "name": info.name,
            "version": info.version,
            "builtin": info.builtin,
            "hooks": list(info.hooks),
            "registers": registered.get(info.name, []),
        }
        for info in plugins.list_plugins(include_builtin=not installed)
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        tag = "built-in" if row["builtin"] else "installed"
        click.echo(f"{row['name']} {row['version'] or ''} ({tag})")
        click.echo(f"  hooks: {', '.join(row['hooks'])}")
        for item in row["registers"]:
            click.echo(f"  {item['kind']}: {item['name']} {item['version']}")

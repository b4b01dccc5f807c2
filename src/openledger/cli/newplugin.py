"""``new-plugin``: start a plugin package from the templates."""

from __future__ import annotations

from pathlib import Path

import click

from openledger.cli.main import main
from openledger.templates.scaffold import KINDS, new_plugin


@main.command(name="new-plugin")
@click.argument("name")
@click.option("--kind", type=click.Choice(KINDS), required=True, help="What the plugin adds.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write [default: ./openledger-NAME].")
def new_plugin_command(name: str, kind: str, out: Path | None) -> None:
    """Write a ready, tested, installable plugin package NAME (see docs/plugins.md).

    The package has the entry point, the hook, a sample and tests that pass
    as written; install it with 'pip install -e FOLDER' and run its tests
    with 'python -m pytest FOLDER'.
    """
    folder, written = new_plugin(name, kind, out)
    click.echo(f"wrote {len(written)} files into {folder}:")
    for path in written:
        click.echo(f"  {path.relative_to(folder)}")
    click.echo(f"next: pip install -e {folder} && python -m pytest {folder}")

"""``witness init|add-log|key|serve``: run a C2SP tlog-witness."""

from __future__ import annotations

from pathlib import Path

import click

from openledger.cli.main import main
from openledger.errors import OpenLedgerError

HOME_HELP = "The witness's folder (witness.toml, witness.key, witness.db)."


@main.group()
def witness() -> None:
    """Run a witness: cosign other logs' checkpoints that only grow (C2SP tlog-witness)."""


@witness.command(name="init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", required=True, help="The witness key's name, e.g. witness.example.org/w1.")
@click.option("--log", "logs", multiple=True, metavar="VERIFIER_KEY", help="A log to witness (repeatable).")
def init_command(directory: Path, name: str, logs: tuple[str, ...]) -> None:
    """Create a witness in DIRECTORY: config, a new key (mode 0600), its public key."""
    from openledger.witness.server import PUBLIC, create_home

    home = create_home(directory, name)
    for key in logs:
        home.add_log(key)
    click.echo(f"created witness in {directory}")
    click.echo(f"  cosigner key (give it to the logs you witness): {(directory / PUBLIC).read_text().strip()}")
    click.echo(f"  logs: {len(logs)}; add one with: openledger witness add-log {directory} VERIFIER_KEY")


@witness.command(name="add-log")
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("key", metavar="VERIFIER_KEY")
def add_log_command(directory: Path, key: str) -> None:
    """Witness one more log: its verifier key (the key's name is the log's origin)."""
    from openledger.witness.server import Home

    verifier = Home(directory).add_log(key)
    click.echo(f"witnessing {verifier.name} ({verifier.encode()})")


@witness.command(name="key")
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
def key_command(directory: Path) -> None:
    """Print the witness's cosigner key (a verifier key of type 0x04)."""
    from openledger.witness.server import Home

    click.echo(Home(directory).cosigner().key.encode())


@witness.command(name="serve")
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=7380, show_default=True)
@click.option("--db", "db_url", metavar="URL", help="Database URL [default: the config's, or witness.db].")
def serve_command(directory: Path, host: str, port: int, db_url: str | None) -> None:
    """Serve POST /add-checkpoint and GET /<origin hash>/checkpoint until Ctrl-C."""
    import uvicorn

    from openledger.witness.server import Home, app

    home = Home(directory)
    witness = home.witness(db_url)
    if not witness.logs:
        raise OpenLedgerError("no log to witness; add one with 'openledger witness add-log'",
                              path=home.config_path)
    click.echo(f"witness {witness.cosigner.key.encode()} for {', '.join(sorted(witness.logs))} "
               f"on http://{host}:{port}/", err=True)
    uvicorn.run(app(witness), host=host, port=port, log_level="warning", access_log=False)

"""The public site: ``build`` and ``serve``."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path

import click

from openledger.cli.main import main, pass_app
from openledger.errors import OpenLedgerError
from openledger.instance import Instance
from openledger.progress import stages


def default_out(app: Instance) -> Path:
    return app.home / "site"


@main.command(name="build")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the built site [default: HOME/site].")
@pass_app
def build_command(app: Instance, out: Path | None) -> None:
    """Anonymize, audit, sign a checkpoint and build the public MkDocs site."""
    from openledger.cases.categories import unmapped_categories, unmapped_line
    from openledger.site.gag_page import warning_line
    from openledger.site.gather import build  # loads the audit's statistics

    with stages("build") as progress:
        report = build(app, out or default_out(app), progress=progress)
    click.echo(report.line())
    with app.store.engine.connect() as conn:
        warning = unmapped_line(unmapped_categories(conn, app.config.plugin_view()))
    for line in (warning, warning_line(report.gag_requests)):
        if line:
            click.echo(line, err=True)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        click.echo(f"{self.address_string()} {format % args}", err=True)


@main.command(name="serve")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="The built site [default: HOME/site].")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@pass_app
def serve_command(app: Instance, directory: Path | None, port: int) -> None:
    """Preview the built site on http://127.0.0.1:PORT/ (local only)."""
    root = directory or default_out(app)
    if not (root / "index.html").is_file():
        raise OpenLedgerError("no built site here; run `openledger build` first", path=root)
    handler = functools.partial(_Quiet, directory=str(root))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise OpenLedgerError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    with server:
        click.echo(f"serving {root} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("stopped")

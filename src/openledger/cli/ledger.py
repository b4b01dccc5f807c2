"""The log: ``checkpoint``, ``export-log``, ``verify``, ``receipt``, ``verify-receipt``."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import click

from openledger.cases.queries import find_case
from openledger.cli.main import main, pass_app
from openledger.errors import NotFoundError
from openledger.instance import Instance
from openledger.ledger import receipt, verify
from openledger.ledger.entry import parse_entry
from openledger.ledger.published import open_published
from openledger.ledger.tiles import iter_entries
from openledger.store import ledger


@main.command()
@pass_app
def checkpoint(app: Instance) -> None:
    """Sign a checkpoint over the current log and print it (a C2SP signed note)."""
    click.echo(app.sign_checkpoint().decode("utf-8"), nl=False)


@main.command(name="export-log")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@pass_app
def export_log(app: Instance, directory: Path) -> None:
    """Seal the log, then write it into DIRECTORY as C2SP tlog-tiles, with checkpoint and verifier.key."""
    app.seal()
    result = app.export_log(directory)
    click.echo(f"exported {result.checkpoint.size} entries to {directory} ({result.files} files)")


def _locations(where: str) -> tuple[str | Path, str | Path | None]:
    """(the log's folder or URL, the site root or None) for a site, its ledger/ folder or a URL."""
    if where.startswith(("http://", "https://")):
        base = where.rstrip("/") + "/"
        try:
            open_published(base).read("checkpoint")
        except NotFoundError:
            return base + "ledger/", base
        return base, base[: -len("ledger/")] if base.endswith("/ledger/") else None
    path = Path(where)
    if not (path / "checkpoint").exists() and (path / "ledger").is_dir():
        site = path if (path / "index.html").exists() or (path / "data").exists() else None
        return path / "ledger", site  # a built site's root (or a folder holding only an exported log)
    if path.is_dir() and not (path / "checkpoint").exists() and not (path / "verifier.key").exists():
        raise NotFoundError("no published log here (no checkpoint, nor ledger/checkpoint)", path=path)
    return path, path.parent if path.name == "ledger" and (path.parent / "data").is_dir() else None


def _location(where: str) -> str | Path:
    return _locations(where)[0]


@main.command(name="verify")
@click.argument("where", metavar="DIR_OR_URL")
@click.option("--key", metavar="KEY_OR_FILE", help="The verifier key to trust (a key string or a file); "
              "default: the published verifier.key.")
@click.option("--since", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="An older checkpoint file: prove the log only grew since.")
@click.option("--json", "as_json", is_flag=True, help="Print the result, with every difference, as JSON.")
def verify_command(where: str, key: str | None, since: Path | None, as_json: bool) -> None:
    """Verify a published site from its files alone (its root, its ledger/ folder, or a URL).

    Checks the signed checkpoint, every entry and tile, consistency with an
    older checkpoint (--since), then derives everything the site says from
    the log's entries and its build configuration and compares: every data
    file, every page's text and links, the charts, the scripts. Exit 1 with
    one line per difference.
    """
    log, site = _locations(where)
    summary = verify.verify_log(log, key=key, since=since.read_bytes() if since else None, since_name=str(since))
    if not as_json:
        click.echo(summary.line())
    if site is None:
        if as_json:
            click.echo(json.dumps({"ok": True, "log": summary.line(), "site": None}, indent=2))
        else:
            click.echo("note: no site pages or data files here: only the log was checked")
        return
    from openledger.site.check import check_site  # loads the audit's statistics and MkDocs

    log_files = open_published(log)
    entries = list(iter_entries(log_files, summary.size))
    checked = check_site(open_published(site), entries, log_files.read("checkpoint").decode("utf-8"),
                         log_files.read("verifier.key").decode("utf-8").strip())
    if as_json:
        click.echo(json.dumps({"log": summary.line(), **checked.as_json()}, indent=2, ensure_ascii=False))
    else:
        for line in checked.differences:
            click.echo(f"differs: {line}")
        for line in checked.not_checked:
            click.echo(f"not checked: {line}")
        if not checked.differences:
            click.echo(f"ok: the site says what its log says: {checked.checked:,} files derived again from "
                       f"{summary.size:,} entries ({checked.cases:,} cases) and compared")
    if checked.differences:
        raise SystemExit(1)


@main.command(name="receipt")
@click.argument("case")
@click.option("--json", "as_json", is_flag=True, help="Print the receipt JSON (what the customer keeps).")
@pass_app
def receipt_command(app: Instance, case: str, as_json: bool) -> None:
    """A customer's receipt for CASE (internal or public id): entries with inclusion proofs."""
    with app.store.engine.begin() as conn:
        case_id, public_id = find_case(conn, case)
        data, signed, fresh = ledger.receipt(conn, case_id, public_id, app.signer, app.origin)
    entries = data["entries"]
    size = signed.decode().splitlines()[1]
    if fresh:
        click.echo(f"note: signed a new checkpoint of size {size}, not published yet: the customer can check this "
                   "receipt once the site is published again (openledger build)", err=True)
    if as_json:
        click.echo(receipt.receipt_json(data))
        return
    click.echo(f"case {public_id}: {len(entries)} entries, proven in the log of size {size}")
    for item in data["entries"]:
        parsed = parse_entry(base64.b64decode(item["entry"]))
        at = item.get("opening", {}).get("at", parsed["period"])
        click.echo(f"  #{item['index']} {at} {parsed['type']} ({len(item['proof'])} proof hashes)")
    for waiting in data["pending"]:
        click.echo(f"  pending {waiting['at']} {waiting['type']} (recorded, sealed into the log with its period)")
    click.echo("save it with --json and check it with: openledger verify-receipt RECEIPT SITE")


@main.command(name="verify-receipt")
@click.argument("receipt_file", metavar="RECEIPT", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("where", metavar="DIR_OR_URL")
@click.option("--key", metavar="KEY_OR_FILE", help="The verifier key to trust; default: the published one.")
def verify_receipt_command(receipt_file: Path, where: str, key: str | None) -> None:
    """Check a receipt against a published log."""
    data = receipt.read_receipt_file(receipt_file)
    verdict = receipt.judge_receipt(data, _location(where), key=key, name=str(receipt_file))
    click.echo(verdict.line())
    if verdict.status != "verified":
        raise SystemExit(1)

"""The log: ``checkpoint``, ``export-log``, ``verify``, ``receipt``, ``verify-receipt``."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import click

from openledger.cli.main import main, pass_app
from openledger.instance import Instance
from openledger.ledger import receipt, verify
from openledger.ledger.checkpoint import open_checkpoint
from openledger.ledger.entry import parse_entry
from openledger.ledger.errors import LedgerFormatError
from openledger.ledger.policy import Policy, parse_policy, policy_from_keys, require
from openledger.ledger.published import locate, open_published
from openledger.progress import stages


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
    with stages("export-log") as progress:
        result = app.export_log(directory, progress)
    click.echo(f"exported {result.checkpoint.size} entries to {directory} ({result.files} files)")


def _locations(where: str) -> tuple[str | Path, str | Path | None]:
    """(the log's folder or URL, the site root or None) for a site, its ledger/ folder or a URL."""
    return locate(where)


def _location(where: str) -> str | Path:
    return _locations(where)[0]


def _trusting(log: str | Path, published: str, command: str) -> None:
    """Say on standard error that the key came from the site itself, and how to pin it.

    Said after a success only: a failure stays one line.
    """
    where = open_published(log).where("verifier.key")
    click.echo(f"note: trusting the key published with the site ({where}): that proves the log is consistent, "
               f"not whose it is; pin the key, obtained from the company another way, with: "
               f"openledger {command} --key '{published}'", err=True)


@main.command(name="verify")
@click.argument("where", metavar="DIR_OR_URL")
@click.option("--key", metavar="KEY_OR_FILE", help="The verifier key to trust (a key string or a file); "
              "default: the published verifier.key.")
@click.option("--since", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="An older checkpoint file: prove the log only grew since.")
@click.option("--witness-key", "witness_keys", multiple=True, metavar="KEY_OR_FILE",
              help="A witness's cosigner key to trust (repeatable): the checkpoint must carry its valid "
              "cosignature (all of them, or --witness-quorum).")
@click.option("--witness-quorum", type=click.IntRange(min=1), metavar="K",
              help="How many of the --witness-key witnesses must have cosigned [default: all].")
@click.option("--witness-policy", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A C2SP tlog-policy file: the witnesses, groups and quorum to require (and the log keys to "
              "trust, if it lists any).")
@click.option("--json", "as_json", is_flag=True, help="Print the result, with every difference, as JSON.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes that share the site's check (0: two where the system can fork, for the charts and, "
              "on a large site, the log and the data files; 1: this process only). The result is the same.")
@click.option("--strict", is_flag=True, help="Also exit 1 when part of the site could not be checked (the lines "
              "'not checked': other renderer versions, plugins not installed here, summaries, withdrawn sentences).")
def verify_command(where: str, key: str | None, since: Path | None, witness_keys: tuple[str, ...],
                   witness_quorum: int | None, witness_policy: Path | None, as_json: bool, jobs: int,
                   strict: bool) -> None:
    """Verify a published site from its files alone (its root, its ledger/ folder, or a URL).

    Checks the signed checkpoint, every entry and tile, consistency with an
    older checkpoint (--since), the witnesses' cosignatures (--witness-key,
    --witness-policy), then derives everything the site says from the log's
    entries and its build configuration and compares: every data file, every
    page, the charts, the scripts. Exit 1 with one line per difference; with
    --strict, also when part of the site could not be checked.
    """
    log, site = _locations(where)
    policy = _witness_policy(witness_keys, witness_quorum, witness_policy)
    if policy is not None and policy.logs and key is None:
        files = open_published(log)
        checkpoint, note = open_checkpoint(files.read("checkpoint"), policy.logs, path=files.where("checkpoint"))
        key = next(v.encode() for v in policy.logs if (v.name, v.key_id) == (note.verified[0].name,
                                                                             note.verified[0].key_id))
    if site is None:
        with stages("verify") as progress:
            summary = verify.verify_log(log, key=key, since=since.read_bytes() if since else None,
                                        since_name=str(since), progress=progress)
        if not as_json:
            click.echo(summary.line())
        _witnessed(log, policy, as_json)
        if as_json:
            click.echo(json.dumps({"ok": True, "log": summary.line(), "site": None}, indent=2))
        else:
            click.echo("note: no site pages or data files here: only the log was checked")
        if key is None:
            _trusting(log, summary.key, f"verify {where}")
        return
    from openledger.site.check import check_site_and_log  # loads the audit's statistics and MkDocs

    with stages("verify") as progress:
        summary, checked = check_site_and_log(open_published(site), open_published(log), key,
                                              since=since.read_bytes() if since else None, since_name=str(since),
                                              jobs=jobs, progress=progress)
    if not as_json:
        click.echo(summary.line())
    _witnessed(log, policy, as_json)
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
    if strict and checked.not_checked:
        click.echo(f"strict: {len(checked.not_checked)} part(s) of the site not checked (listed above)", err=True)
        raise SystemExit(1)
    if key is None:
        _trusting(log, summary.key, f"verify {where}")


def _witnessed(log: str | Path, policy: Policy | None, as_json: bool) -> None:
    """Check the checkpoint's cosignatures against the witness policy (if one is given); say so."""
    if policy is not None:
        files = open_published(log)
        witnessed = require(policy, files.read("checkpoint"), files.where("checkpoint")).line()
        if not as_json:
            click.echo(witnessed)


def _key_text(value: str) -> str:
    """A key given as a string, or the text of the file that holds it."""
    if "+" not in value and Path(value).is_file():
        return Path(value).read_text("utf-8").strip()
    return value


def _witness_policy(keys: tuple[str, ...], quorum: int | None, policy_file: Path | None) -> Policy | None:
    if keys and policy_file:
        raise click.UsageError("give --witness-key or --witness-policy, not both")
    if quorum is not None and not keys:
        raise click.UsageError("--witness-quorum needs --witness-key")
    if policy_file is not None:
        return parse_policy(policy_file.read_bytes(), path=policy_file)
    if not keys:
        return None
    try:
        return policy_from_keys([_key_text(k) for k in keys], quorum)
    except LedgerFormatError as exc:
        raise LedgerFormatError(f"--witness-key: {exc.message}") from None


@main.command(name="receipt")
@click.argument("case")
@click.option("--json", "as_json", is_flag=True, help="Print the receipt JSON (what the customer keeps).")
@pass_app
def receipt_command(app: Instance, case: str, as_json: bool) -> None:
    """A customer's receipt for CASE (internal or public id): entries with inclusion proofs."""
    from openledger.cases.queries import find_case  # the database layer: not loaded by verify
    from openledger.store import ledger

    with app.store.engine.begin() as conn:
        case_id, public_id = find_case(conn, case)
        data, signed, fresh = ledger.receipt(conn, case_id, public_id, app.sign_in)
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
    log = _location(where)
    verdict = receipt.judge_receipt(data, log, key=key, name=str(receipt_file))
    click.echo(verdict.line())
    if verdict.status != "verified":
        raise SystemExit(1)
    if key is None:
        _trusting(log, verify.load_verifier(open_published(log)).encode(), f"verify-receipt {receipt_file} {where}")

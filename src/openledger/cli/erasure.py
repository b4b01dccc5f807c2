"""``erase``: a customer's request to be forgotten."""

from __future__ import annotations

import click

from openledger.cases.erasure import erase_customer, find_target
from openledger.cli.main import main, pass_app
from openledger.instance import Instance
from openledger.intake.quarantine import erase_from_quarantine


@main.command()
@click.argument("who", metavar="CUSTOMER_OR_CASE")
@click.option("--identity", is_flag=True, help="Read CUSTOMER_OR_CASE as an identity even if it is all digits.")
@click.option("--channel", help="The channel of a handle or author name (when it names customers in several).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def erase(app: Instance, who: str, identity: bool, channel: str | None, yes: bool) -> None:
    """Erase a customer's private details: their messages, the private details of
    their cases' events and the ledger salts.

    CUSTOMER_OR_CASE is a case id, a public case id (all cases of the same
    customer are erased) or an identity the customer wrote from (e-mail
    address, phone number, handle, author name). The public ledger does not
    change and still verifies; each case gets an 'erased' event.
    """
    secret = app.config.secret()
    how = {"identity": identity, "channel": channel, "region": app.config.get("identity").get("default_region")}
    with app.store.engine.connect() as conn:
        target = find_target(conn, secret, who, **how)
    listed = ", ".join(f"{cid} ({pid})" if pid else str(cid) for cid, pid in zip(target.case_ids, target.public_ids))
    click.echo(f"customer found by {target.named_by}: {len(target.case_ids)} case(s): {listed}")
    if not yes and not click.confirm("Erase their messages and private details for good?", default=False):
        click.echo("nothing erased")
        raise SystemExit(1)
    target, report = erase_customer(app.store, secret, who, **how)
    named = [who] if target.named_by == "identity" else []
    quarantined = erase_from_quarantine(app.home, [*named, *report.identities_seen])
    click.echo(
        f"erased {report.cases} case(s): {report.messages} messages, private details of {report.events} events, "
        f"{report.salts} ledger salts, {report.identities} identity links, {quarantined} quarantined records; "
        f"tables rewritten on disk ({report.compacted}); "
        f"no earlier log entry changed, {report.cases - report.already_erased} 'erased' entries added"
    )

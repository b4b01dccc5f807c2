"""Agent actions: ``respond``, ``escalate``, ``resolve``, ``reopen``."""

from __future__ import annotations

import click

from openledger.cases import actions
from openledger.cases.replies import ReplyLabels
from openledger.cli.main import main, pass_app
from openledger.instance import Instance
from openledger.records import MONEYLESS_REMEDIES, OUTCOMES, REMEDIES

agent_option = click.option("--agent", default="agent", show_default=True, help="Who acts (kept private).")


@main.command()
@click.argument("case_id", type=int)
@click.option("--text", help="The reply sent to the customer.")
@click.option("--accept-draft", is_flag=True, help="Send the drafted reply.")
@click.option("--channel", help="Channel the reply went out on [default: the case's].")
@click.option("--reason", help="Why the draft was not used (needed when a draft exists and --text is given).")
@agent_option
@pass_app
def respond(app: Instance, case_id: int, text, accept_draft, channel, reason, agent) -> None:
    """Record a reply to the customer."""
    event = actions.respond(app.store, case_id, text=text, accept_draft=accept_draft,
                            channel=channel, reason=reason, agent=agent, labels=ReplyLabels.from_config(app.config))
    said = [f"{name} {label['value']}" for name, label in ((event.get("classified") or {}).get("data") or {})
            .get("labels", {}).items()]
    click.echo(f"case {case_id}: responded ({event['data']['reply']})" + (f"; {', '.join(said)}" if said else ""))


@main.command()
@click.argument("case_id", type=int)
@click.option("--tier", type=click.IntRange(1, 9), help="The new tier [default: one up].")
@click.option("--reason", required=True, help="Why (kept private).")
@agent_option
@pass_app
def escalate(app: Instance, case_id: int, tier, reason, agent) -> None:
    """Escalate a case to a higher tier."""
    event = actions.escalate(app.store, case_id, tier=tier, reason=reason, agent=agent)
    click.echo(f"case {case_id}: escalated to tier {event['data']['tier']}")


@main.command()
@click.argument("case_id", type=int)
@click.option("--outcome", required=True, type=click.Choice(OUTCOMES))
@click.option("--remedy", type=click.Choice(REMEDIES), help="[default: the proposed remedy, else none]")
@click.option("--amount", type=click.FloatRange(min=0), help="Amount of a refund or credit.")
@click.option("--reason", help="Why, when departing from the proposed remedy (kept private).")
@agent_option
@pass_app
def resolve(app: Instance, case_id: int, outcome, remedy, amount, reason, agent) -> None:
    """Resolve a case with an outcome and a remedy."""
    event = actions.resolve(app.store, case_id, outcome=outcome, remedy=remedy, amount=amount,
                            reason=reason, agent=agent)
    d = event["data"]
    if remedy is not None or d["remedy_source"] == "override":
        click.echo(f"case {case_id}: resolved {d['outcome']}, remedy {d['remedy']} {d['amount']:g} "
                   f"({d['remedy_source']})")
    elif d["remedy_source"] == "proposal":
        proposal = event["proposal"]
        by = ", ".join(f"{x.get('name')} {x.get('version')}" for x in proposal["deciders"]) or "process"
        click.echo(f"case {case_id}: resolved {d['outcome']} with the proposed remedy, "
                   f"{_remedy_words(d['remedy'], d['amount'])} (proposed by {by}; no --remedy given)")
    else:
        click.echo(f"case {case_id}: resolved {d['outcome']} with remedy none: no remedy was proposed "
                   "(see 'openledger process') and no --remedy given")


def _remedy_words(remedy: str, amount: float) -> str:
    """``credit of 20``, ``refund without an amount``, ``apology``."""
    if amount > 0:
        return f"{remedy} of {amount:g}"
    return remedy if remedy in MONEYLESS_REMEDIES else f"{remedy} without an amount"


@main.command()
@click.argument("case_id", type=int)
@click.option("--reason", required=True, help="Why (kept private).")
@agent_option
@pass_app
def reopen(app: Instance, case_id: int, reason, agent) -> None:
    """Reopen a resolved case."""
    actions.reopen(app.store, case_id, reason=reason, agent=agent)
    click.echo(f"case {case_id}: reopened")

"""``openledger demo``: a synthetic company's year, end to end."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from openledger.cli.main import main
from openledger.demo.plan import BIASES
from openledger.demo.runner import audit_summary, influence_summary, run_demo
from openledger.instance import Instance
from openledger.progress import stages

DEFAULT_HOME = Path("demo/ledger")


@main.command()
@click.option("--home", "home", type=click.Path(file_okay=False, path_type=Path),
              help="Instance home for the demo [default: the global --home, else demo/ledger]. "
              "An existing demo there is replaced; anything else is refused.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Where the site goes [default: HOME/site].")
@click.option("--cases", type=click.IntRange(50, 1_000_000), default=5000, show_default=True,
              help="How many cases in the year.")
@click.option("--seed", type=int, default=2024, show_default=True,
              help="Random seed: the same seed gives the same company and year.")
@click.option("--bias", type=click.Choice(BIASES), default="public-favoured", show_default=True,
              help="How the agents treat channels: public-favoured answers public posts faster "
              "and gives them remedies more often.")
@click.pass_context
def demo(ctx: click.Context, home: Path | None, out: Path | None, cases: int, seed: int, bias: str) -> None:
    """Create a synthetic company (Northwind Wireless, a telecom) with a year of
    customer contact on twelve channels, write it as real export files, ingest,
    process, let agents resolve the cases, and build the site."""
    from openledger.site.gather import build  # loads the audit's statistics

    app: Instance = ctx.obj
    if home is None:
        home = app.home if ctx.parent and ctx.parent.params.get("home") else DEFAULT_HOME
    out = out or home / "site"
    result = run_demo(home, cases=cases, seed=seed, bias=bias, db=app.db_option)
    demo = Instance(home, app.db_option)
    with stages("build") as progress:
        built = build(demo, out, progress=progress)
    click.echo(built.line())
    site = f"site built in {out}"
    first = min(c.opened for c in result.plan.cases).date()
    names = sorted({channel for channel, _ in result.channels})
    public = sorted({channel for channel, visibility in result.channels if visibility == "public"})
    click.echo(f"\n{result.cases:,} cases of Northwind Wireless from {first} to {result.plan.until} "
               f"on {len(names)} channels ({', '.join(names)}; public: {', '.join(public)}), {bias} agents")
    click.echo(f"  inputs:  {home / 'inputs'}  (" + ", ".join(sorted({i.path.name for i in result.inputs})) + ")")
    click.echo("  agents:  " + ", ".join(f"{n:,} {what}" for what, n in sorted(result.agent.actions.items())))
    click.echo(
        f"  ledger:  {result.checkpoint_size:,} entries, signed checkpoint; verifier key {home / 'verifier.key'}"
    )
    click.echo(f"  audit:   {audit_summary(demo)}")
    click.echo(f"  influence: {influence_summary(out)}")
    click.echo(f"  site:    {site}")
    db = f" --db '{app.db_option}'" if app.db_option else ""
    exe = command_name()
    steps = [
        (f"{exe} --home {home} serve --dir {out}", "serve the site on http://127.0.0.1:8000"),
        (f"{exe} verify {out} --key {home / 'verifier.key'}", "check the published log"),
        (f"{exe} --home {home}{db} audit --by channel", "the fair treatment audit, channel by channel"),
        (f"{exe} --home {home}{db} cases list", "the cases, as an agent sees them"),
    ]
    width = max(len(command) for command, _ in steps)
    click.echo("\nNext:")
    for command, what in steps:
        click.echo(f"  {command.ljust(width)}   # {what}")


def command_name() -> str:
    """How to run openledger from here: plain ``openledger`` when it is on PATH, else its path."""
    on_path = shutil.which("openledger")
    here = Path(sys.prefix) / "bin" / "openledger"
    if on_path and Path(on_path).resolve() == here.resolve():
        return "openledger"
    if here.exists():
        try:
            return str(here.relative_to(Path.cwd()))
        except ValueError:
            return str(here)
    return "openledger"

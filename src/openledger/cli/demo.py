"""``openledger demo``: a synthetic company's year, end to end."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from openledger.cli import App, main
from openledger.demo.plan import BIASES
from openledger.demo.runner import run_demo

DEFAULT_HOME = Path("demo/ledger")
OUT_FLAGS = ("--out", "--output", "-o", "--site", "--dir", "--directory", "-d")


def build_site(home: Path, db: str | None, out: Path) -> str:
    """Run ``openledger build`` when it exists, else publish the log alone; say which."""
    build = main.commands.get("build")
    if build is None:
        from openledger.cli.ledger import export_to

        result = export_to(App(str(home), db), out / "ledger")
        return (f"no 'openledger build' command in this version: site pages skipped; "
                f"the log ({result.checkpoint.size} entries) is published in {out / 'ledger'}")
    args = ["--home", str(home), *(["--db", db] if db else []), "build"]
    where = None
    for param in build.params:
        flags = [o for o in getattr(param, "opts", ()) if o in OUT_FLAGS]
        if isinstance(param, click.Option) and flags:
            where = [flags[0], str(out)]
            break
        if isinstance(param, click.Argument):
            where = [str(out)]
            break
    main.main(args + (where or []), standalone_mode=False)
    return f"site built in {out}" if where else "site built where 'openledger build' puts it by default (see its --help)"


def audit_line(home: Path, db: str | None) -> str:
    """The audit's overall verdict by visibility and the metrics found unequal."""
    from openledger import plugins
    from openledger.audit import Settings, run_audit
    from openledger.outcomes import table_from_db
    from openledger.timeutil import now

    app = App(str(home), db)
    config = app.config.plugin_view()
    with app.store.engine.connect() as conn:
        table = table_from_db(conn, now())
    result = run_audit(table, metrics=plugins.audit_metrics(config), dimension="visibility",
                       settings=Settings.from_config(config))
    unequal = [f"{f.metric} {f.adjusted.ratio:.2f}x" for f in result.findings
               if f.verdict == "unequal" and f.adjusted.ratio is not None]
    found = f" (public vs private: {', '.join(unequal)})" if unequal else ""
    return f"{result.overall.upper()}{found}"


@main.command()
@click.option("--home", "home", type=click.Path(file_okay=False, path_type=Path),
              help="Instance home for the demo [default: the global --home, else demo/ledger]. "
              "An existing demo there is replaced; anything else is refused.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Where the site goes [default: HOME/site].")
@click.option("--cases", type=click.IntRange(50, 1_000_000), default=2000, show_default=True, help="How many cases in the year.")
@click.option("--seed", type=int, default=2024, show_default=True, help="Random seed: the same seed gives the same company and year.")
@click.option("--bias", type=click.Choice(BIASES), default="public-favoured", show_default=True,
              help="How the agents treat channels: public-favoured answers public posts faster and gives them remedies more often.")
@click.pass_context
def demo(ctx: click.Context, home: Path | None, out: Path | None, cases: int, seed: int, bias: str) -> None:
    """Create a synthetic company (Northwind Wireless, a telecom) with a year of
    customer contact on twelve channels, write it as real export files, ingest,
    process, let agents resolve the cases, and build the site."""
    app: App = ctx.obj
    if home is None:
        home = app.home if ctx.parent and ctx.parent.params.get("home") else DEFAULT_HOME
    out = out or home / "site"
    result = run_demo(home, cases=cases, seed=seed, bias=bias, db=app.db_option)
    site = build_site(home, app.db_option, out)
    first = min(c.opened for c in result.plan.cases).date()
    names = sorted({channel for channel, _ in result.channels})
    public = sorted({channel for channel, visibility in result.channels if visibility == "public"})
    click.echo(f"\n{result.cases:,} cases of Northwind Wireless from {first} to {result.plan.until} on {len(names)} channels "
               f"({', '.join(names)}; public: {', '.join(public)}), {bias} agents")
    click.echo(f"  inputs:  {home / 'inputs'}  (" + ", ".join(sorted({i.path.name for i in result.inputs})) + ")")
    click.echo("  agents:  " + ", ".join(f"{n:,} {what}" for what, n in sorted(result.agent.actions.items())))
    click.echo(f"  ledger:  {result.checkpoint_size:,} entries, signed checkpoint; verifier key {home / 'verifier.key'}")
    click.echo(f"  audit:   {audit_line(home, app.db_option)}")
    click.echo(f"  site:    {site}")
    db = f" --db '{app.db_option}'" if app.db_option else ""
    exe = command_name()
    steps = [
        (f"{exe} --home {home} serve --dir {out}" if "serve" in main.commands
         else f"python -m http.server --directory {out} 8000", "serve the site on http://127.0.0.1:8000"),
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

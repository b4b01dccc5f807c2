"""The whole demo: instance, exports, ingest, process, agents, checkpoint, site."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select

from openledger import plugins
from openledger.cases.outbox import deliver
from openledger.cases.process import process_cases
from openledger.cases.queries import case_count
from openledger.demo import agents, exports_mail, exports_social, exports_tables
from openledger.demo.company import CONFIG_EXTRA, NAME, ORIGIN
from openledger.demo.plan import Plan, make_plan
from openledger.errors import ConfigError
from openledger.instance import Instance
from openledger.intake.ingest import Ingestor
from openledger.progress import step
from openledger.store.database import safe_url
from openledger.store.models import cases_table as cases_t

MARKER = "demo.json"  # in the home: this instance was made by the demo and may be replaced


@dataclass
class Input:
    """One written export and how it is ingested."""

    source: str
    path: Path
    records: int
    options: dict = field(default_factory=dict)


@dataclass
class DemoResult:
    home: Path
    plan: Plan
    inputs: list[Input]
    cases: int
    agent: agents.AgentReport
    checkpoint_size: int
    channels: dict[tuple[str, str], int]


def prepare_home(home: Path, db: str | None) -> Instance:
    """Create the instance (replacing an earlier demo's, never anything else)."""
    if home.exists() and any(home.iterdir()):
        if not (home / MARKER).exists():
            raise ConfigError(f"{home} exists and was not made by 'openledger demo'; choose another --home")
        shutil.rmtree(home)
    instance = Instance.create(home, name=NAME, origin=ORIGIN, db=db, extra_config=CONFIG_EXTRA)
    (home / MARKER).write_text("{}\n")
    with instance.store.engine.connect() as conn:
        if case_count(conn):
            raise ConfigError(f"the database {safe_url(instance.database_url)} already holds cases; "
                              "give the demo an empty one")
    return instance


def write_inputs(plan: Plan, folder: Path) -> list[Input]:
    """Every export, in the formats the built-in sources read."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(plan.seed + 1)
    inputs = [
        Input("email", folder / "support-inbox.mbox", exports_mail.write_mbox(plan, folder / "support-inbox.mbox")),
        Input("twcs", folder / "twitter-mentions.csv",
              exports_social.write_twcs(plan, folder / "twitter-mentions.csv")),
        Input("twitter", folder / "twitter-archive",
              exports_social.write_twitter_archive(plan, folder / "twitter-archive")),
        Input("facebook", folder / "facebook-page", exports_social.write_facebook(plan, folder / "facebook-page")),
        Input("reviews", folder / "reviews.csv", exports_tables.write_reviews(plan, folder / "reviews.csv")),
        Input("csv", folder / "call-log.csv", exports_tables.write_calls(plan, folder / "call-log.csv", rng),
              dict(exports_tables.CALL_OPTIONS)),
        Input("csv", folder / "letters.csv", exports_tables.write_letters(plan, folder / "letters.csv")),
        Input("zendesk", folder / "zendesk-tickets.json",
              exports_tables.write_zendesk(plan, folder / "zendesk-tickets.json")),
        Input("cfpb", folder / "cfpb-complaints.csv",
              exports_tables.write_cfpb(plan, folder / "cfpb-complaints.csv", rng)),
    ]
    return inputs


def run_demo(home: Path, *, cases: int = 5000, seed: int = 2024, bias: str = "public-favoured",
             until: date | None = None, db: str | None = None) -> DemoResult:
    """Create the demo instance in ``home`` and fill it with a year of cases."""
    until = until or datetime.now(UTC).date()
    with step("planning a year of customer contact", unit="cases") as s:
        plan = make_plan(cases, seed, bias, until)
        s.advance(len(plan.cases))
    instance = prepare_home(home, db)
    config, store = instance.config, instance.store
    with step("writing the exports", unit="records") as s:
        inputs = write_inputs(plan, home / "inputs")
        s.advance(sum(i.records for i in inputs))
    sources = plugins.sources(config.plugin_view())
    total_cases = 0
    for item in inputs:
        options = {**dict(config.get("sources").get(item.source, {})), **item.options}
        with step(f"ingest {item.source} {item.path.name}", total=item.records) as s:
            report = Ingestor(
                store, config, sources[item.source], options=options, progress=s.advance
            ).ingest(item.path)
        if report.rejected:
            raise ConfigError(f"the demo export {item.path} had bad records: {report.rejected[0].reason}")
        total_cases += report.cases
    failed = deliver(store).error()  # case_opened for every new case
    if failed is not None:
        raise failed
    with step("process: classify, draft, propose remedies", total=total_cases, unit="cases") as s:
        # dated at each case's opening, as a run right after each day's ingest would be: the labels are then
        # published with the case, not held until the demo's last period settles
        processed = process_cases(store, config, progress=s.advance, dated=lambda view: view.opened_at, jobs=0)
    if (fault := processed.error()) is not None:  # an installed classifier or responder broke its contract
        raise fault
    with step("agents answering and resolving", unit="actions") as s:
        done = agents.simulate(store, config, plan, progress=s.advance, total=s.total)
    signed = instance.sign_checkpoint()  # seals what may be published, then signs
    checkpoint_size = int(signed.decode("utf-8").splitlines()[1])
    (home / MARKER).write_text(json.dumps({
        "company": NAME, "seed": seed, "bias": bias, "cases": total_cases, "until": until.isoformat(),
        "outages": [d.isoformat() for d in plan.outages],
    }, indent=2) + "\n")
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(cases_t.c.channel, cases_t.c.visibility, func.count())
            .group_by(cases_t.c.channel, cases_t.c.visibility)
        )
        channels = {(channel, visibility): n for channel, visibility, n in rows}
    return DemoResult(home, plan, inputs, total_cases, done, checkpoint_size, channels)


def audit_summary(instance: Instance) -> str:
    """The audit's overall verdict by visibility and the metrics found unequal."""
    from openledger.audit import Settings, run_audit  # loads SciPy
    from openledger.site.gather import published_derivation

    config = instance.config.plugin_view()
    table = published_derivation(instance).table
    result = run_audit(table, metrics=plugins.audit_metrics(config), dimension="visibility",
                       settings=Settings.from_config(config))
    unequal = [f"{f.metric} {100 * f.adjusted.ratio:+.1f} pts" if f.scale == "difference" else
               f"{f.metric} {f.adjusted.ratio:.2f}x" for f in result.findings
               if f.verdict == "unequal" and f.adjusted.ratio is not None]
    found = f" (public vs private: {', '.join(unequal)})" if unequal else ""
    return f"{result.overall.upper()}{found}"


def influence_summary(site: Path) -> str:
    """What the built site says of influence: each influence audit's overall verdict and the gag requests it
    lists (read from its published data files)."""
    verdicts = []
    for dimension in ("leverage", "deflection", "tone"):
        path = site / "data" / f"audit-{dimension}.json"
        verdict = json.loads(path.read_text("utf-8"))["overall"] if path.exists() else "not run"
        verdicts.append(f"{dimension} {verdict}")
    listed = site / "data" / "gag-requests.json"
    gags = len(json.loads(listed.read_text("utf-8"))) if listed.exists() else 0
    return f"{', '.join(verdicts)}; {gags:,} gag request{'' if gags == 1 else 's'} listed"

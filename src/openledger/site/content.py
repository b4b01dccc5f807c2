"""Everything the site says, as a function of its log and its build configuration.

:func:`render` takes what is derived from the log's entries
(:mod:`openledger.site.derive`), the published build configuration
(:class:`~openledger.site.context.BuildConfig`) and the signed checkpoint,
and returns every data file (bytes), every built-in page (Markdown) and
every chart (SVG). ``openledger build`` writes exactly this; ``openledger
verify`` calls the same function on the published entries and compares.
Nothing here reads a database, a clock or a random source.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from openledger.audit import DIMENSIONS, AuditResult, run_audit
from openledger.audit.groups import INFLUENCE_DIMENSIONS
from openledger.audit.outcomes_csv import csv_bytes
from openledger.errors import OpenLedgerError
from openledger.ledger.checkpoint import Checkpoint
from openledger.ledger.note import parse_note
from openledger.site import audit_page, charts, pages, shards
from openledger.site.context import BuildConfig, SiteContext
from openledger.site.derive import Derived, GagRequest, with_sentences
from openledger.site.sentences import ordered


@dataclass
class Content:
    """A site's content: data files by site path, built-in pages, charts by docs path."""

    files: dict[str, bytes]
    pages: list[tuple[str, str, str]]  # (docs path, title, Markdown)
    charts: dict[str, str]  # docs path -> SVG text
    context: SiteContext


def audits(table: Mapping[str, np.ndarray], metrics: Sequence[Any],
           config: BuildConfig) -> tuple[dict[str, AuditResult], dict[str, str]]:
    """The audit by every dimension, and why a dimension could not be run.

    An influence dimension (``leverage``, ``deflection``, ``tone``) is run
    only when some published case has its label: a log without such labels
    gives the same files as before they existed.
    """
    results: dict[str, AuditResult] = {}
    problems: dict[str, str] = {}
    n = len(table["channel"]) if "channel" in table else 0
    for dim in DIMENSIONS:
        if n == 0:
            problems[dim] = "no published cases"
            continue
        column = INFLUENCE_DIMENSIONS.get(dim)
        if column is not None and not (np.asarray(table.get(column, ())) != "").any():
            problems[dim] = f"no published case is labelled '{column}'"
            continue
        try:
            results[dim] = run_audit(table, metrics, dim, settings=config.audit, source="the outcomes table")
        except OpenLedgerError as exc:
            problems[dim] = str(exc)
    return results, problems


def render(derived: Derived, config: BuildConfig, signed_checkpoint: str, verifier_key: str,
           metrics: Sequence[Any], schema: Mapping[str, Any],
           summaries: Mapping[str, str] | None = None,
           gag_sentences: Mapping[str, tuple[str, str]] | None = None) -> Content:
    """The whole content of a site; see the module docstring.

    ``gag_sentences`` (digest -> (salt, sentence)) are the gag sentences published beside the log; each is
    shown only where it matches its entry's digest (:func:`openledger.site.derive.with_sentences`).
    """
    text, _ = parse_note(signed_checkpoint.encode("utf-8"))
    checkpoint = Checkpoint.parse(text)
    results, problems = audits(derived.table, metrics, config)
    files: dict[str, bytes] = {"data/build.json": config.to_json()}
    for dim, result in results.items():  # every dimension's data file; the influence ones are not in the pages yet
        files[f"data/audit-{dim}.json"] = (result.to_json() + "\n").encode("utf-8")
    files["data/outcomes.csv"] = csv_bytes(derived.table)
    outcome_files, index = shards.outcome_files(derived.table, schema, summaries if config.summaries else None)
    files.update(outcome_files)
    files.update(shards.case_index_files(derived.case_entries))
    gags = with_sentences(derived.gags, gag_sentences or {})
    if gags:
        files[GAG_REQUESTS] = gag_requests_json(gags)
    influence = {dim: results.pop(dim) for dim in INFLUENCE_DIMENSIONS if dim in results}
    context = SiteContext(
        company=config.company, as_of=derived.as_of, table=derived.table, audits=results, influence=influence,
        audit_problems=problems, checkpoint=checkpoint, signed_checkpoint=signed_checkpoint,
        verifier_key=verifier_key, hierarchy=config.hierarchy, k=config.k, metrics=tuple(metrics),
        outcomes_index=index, spam=derived.spam, gags=gags,
    )
    drawn, alts = _charts(context)
    return Content(files, pages.builtin_pages(context, alts), drawn, context)


#: every gag request on the log, with the sentence and its salt where published (absent when there is none)
GAG_REQUESTS = "data/gag-requests.json"


def gag_requests_json(gags: Sequence[GagRequest]) -> bytes:
    """``data/gag-requests.json``: ``{"requests": [...]}``, one object per request in log order: ``case``,
    ``channel``, ``period``, and ``sentence`` with its ``salt`` (hex; SHA-256 of the salt's bytes and the
    sentence's UTF-8 is the entry's ``sentence_sha256``) or ``withheld`` (why there is no sentence)."""
    rows = []
    for gag in gags:
        row: dict[str, str | None] = {"case": gag.case, "channel": gag.channel, "period": gag.period}
        if gag.sentence is not None:
            row.update(salt=gag.salt, sentence=gag.sentence)
        else:
            row["withheld"] = gag.withheld
        rows.append(row)
    return (json.dumps({"requests": rows}, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _charts(context: SiteContext) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    drawn: dict[str, str] = {}
    alts: dict[str, tuple[str, str]] = {}
    first = next(iter(context.audits.values()), None)
    if first is None:
        return drawn, alts
    band = (first.settings.get("tolerance_low", 0.8), first.settings.get("tolerance_high", 1.25))
    for meta in first.metrics:
        name = meta["name"]
        bars = audit_page.chart_bars(context, name)
        if not bars:
            continue
        title = name.replace("_", " ").capitalize()
        path = f"charts/{shards.shard_of(name)}-{len(alts)}.svg"
        if meta.get("scale") == "difference":
            points = float(first.settings.get("tolerance_difference", 0.05))
            drawn[path] = charts.difference_chart(bars, (-points, points),
                                                  "adjusted difference from the reference (percentage points)")
            alts[name] = (path, charts.alt_text(title, bars, (-points, points)))
        else:
            drawn[path] = charts.ratio_chart(bars, band, "adjusted ratio to the reference (log scale)")
            alts[name] = (path, charts.alt_text(title, bars, band))
    public = context.audits.get("visibility")
    if public is not None:  # Home's summary: public against private on every measure compared by a ratio
        bars = [charts.Bar(f.metric.replace("_", " "), None if f.verdict == "not-comparable" else f.adjusted.ratio,
                           f.adjusted.ci_low, f.adjusted.ci_high, f.verdict, f.scale)
                for f in ordered(public.findings, public.settings) if f.scale != "difference"]
        if bars:
            drawn[SUMMARY_CHART] = charts.ratio_chart(bars, band, "public against private: adjusted ratio (log scale)")
            alts[""] = (SUMMARY_CHART, charts.alt_text("Public against private, every measure compared by a ratio",
                                                       bars, band))
    return drawn, alts


#: Home's chart of every ratio measure, public against private (``""`` in the charts' text alternatives)
SUMMARY_CHART = "charts/summary.svg"


def root_hash(checkpoint: Checkpoint) -> str:
    """The checkpoint's root hash as published (base64)."""
    return base64.b64encode(checkpoint.root).decode()

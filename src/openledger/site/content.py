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
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from openledger.audit import DIMENSIONS, AuditResult, run_audit
from openledger.audit.groups import INFLUENCE_DIMENSIONS
from openledger.audit.outcomes_csv import csv_bytes
from openledger.errors import OpenLedgerError
from openledger.ledger.aside import Aside, forks
from openledger.ledger.checkpoint import Checkpoint
from openledger.ledger.note import parse_note
from openledger.site import audit_page, charts, gag_page, pages, shards
from openledger.site.context import BuildConfig, SiteContext
from openledger.site.derive import Derived, with_sentences
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


def apart_files(derived: Derived, schema: Mapping[str, Any],
                summaries: Mapping[str, str] | None = None) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of the data files made from the derived table alone, which nothing else of the site
    reads: ``outcomes.csv``, then the Outcomes rows (``data/outcomes/<period>.<n>.json``, and with
    ``summaries`` the ``data/summaries/`` files beside them), one part at a time. ``openledger verify`` may
    make and compare them in a second process while this one renders the rest (:func:`render` with
    ``apart=False``, which still makes ``data/outcomes/index.json`` and the case index: the two processes
    then take about as long)."""
    yield "data/outcomes.csv", csv_bytes(derived.table)
    yield from shards.iter_outcome_files(derived.table, schema, summaries)


def render(derived: Derived, config: BuildConfig, signed_checkpoint: str, verifier_key: str,
           metrics: Sequence[Any], schema: Mapping[str, Any],
           summaries: Mapping[str, str] | None = None,
           gag_sentences: Mapping[str, tuple[str, str]] | None = None, apart: bool = True,
           jobs: int = 0, case_index: bool = True) -> Content:
    """The whole content of a site; see the module docstring.

    ``gag_sentences`` (digest -> (salt, sentence)) are the gag sentences published beside the log; each is
    shown only where it matches its entry's digest (:func:`openledger.site.derive.with_sentences`).
    ``apart=False`` leaves out the files of :func:`apart_files` (made elsewhere), ``case_index=False`` the case
    index (:func:`~openledger.site.shards.case_index_files`, made elsewhere); the rest is the same.
    ``jobs`` 1 draws every chart in this process; 0 (automatic), half of them in a forked one from
    :data:`CHARTS_APART` charts (:func:`_drawn`). The content is the same.
    """
    text, _ = parse_note(signed_checkpoint.encode("utf-8"))
    checkpoint = Checkpoint.parse(text)
    results, problems = audits(derived.table, metrics, config)
    files: dict[str, bytes] = {"data/build.json": config.to_json()}
    for dim, result in results.items():  # every dimension's data file, the influence ones included
        files[f"data/audit-{dim}.json"] = (result.to_json() + "\n").encode("utf-8")
    summaries = summaries if config.summaries else None
    if apart:
        files["data/outcomes.csv"] = csv_bytes(derived.table)
        outcome_files, index = shards.outcome_files(derived.table, schema, summaries)
        files.update(outcome_files)
    else:  # made by apart_files
        index = shards.outcome_index(derived.table, summaries is not None)
        files["data/outcomes/index.json"] = shards.dumps(index)
    if case_index:
        files.update(shards.case_index_files(derived.case_entries))
    gags = with_sentences(derived.gags, gag_sentences or {})
    files[gag_page.DATA] = gag_page.data_file(gags)
    influence = {dim: results.pop(dim) for dim in INFLUENCE_DIMENSIONS if dim in results}
    context = SiteContext(
        company=config.company, as_of=derived.as_of, table=derived.table, audits=results, influence=influence,
        audit_problems=problems, checkpoint=checkpoint, signed_checkpoint=signed_checkpoint,
        verifier_key=verifier_key, hierarchy=config.hierarchy, k=config.k, metrics=tuple(metrics),
        outcomes_index=index, spam=derived.spam, gags=gags, gag_rule=config.gag_rule,
    )
    drawn, alts = _charts(context, jobs)
    return Content(files, pages.builtin_pages(context, alts), drawn, context)


def _charts(context: SiteContext, jobs: int = 0) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Every chart (docs path -> SVG) and its text alternative (by measure; see :func:`_influence_charts`)."""
    drawing: dict[str, Callable[[], str]] = {}
    alts: dict[str, tuple[str, str]] = {}
    _influence_charts(context, drawing, alts)
    first = next(iter(context.audits.values()), None)
    if first is None:
        return _drawn(drawing, jobs), alts
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
            drawing[path] = partial(charts.difference_chart, bars, (-points, points),
                                    "adjusted difference from the reference (percentage points)")
            alts[name] = (path, charts.alt_text(title, bars, (-points, points)))
        else:
            drawing[path] = partial(charts.ratio_chart, bars, band, "adjusted ratio to the reference (log scale)")
            alts[name] = (path, charts.alt_text(title, bars, band))
    public = context.audits.get("visibility")
    if public is not None:  # Home's summary: public against private on every measure compared by a ratio
        bars = [charts.Bar(f.metric.replace("_", " "), None if f.verdict == "not-comparable" else f.adjusted.ratio,
                           f.adjusted.ci_low, f.adjusted.ci_high, f.verdict, f.scale)
                for f in ordered(public.findings, public.settings) if f.scale != "difference"]
        if bars:
            drawing[SUMMARY_CHART] = partial(charts.ratio_chart, bars, band,
                                             "public against private: adjusted ratio (log scale)")
            alts[""] = (SUMMARY_CHART, charts.alt_text("Public against private, every measure compared by a ratio",
                                                       bars, band))
    return _drawn(drawing, jobs), alts


#: from how many charts half of them are drawn by a forked process (where ``fork`` and a second core are
#: available): each takes about 0.1 to 0.2 s, starting the process a few milliseconds
CHARTS_APART = 4


def _drawn(drawing: Mapping[str, Callable[[], str]], jobs: int = 0) -> dict[str, str]:
    """Each chart drawn (path -> SVG, in the order given): as ``jobs`` says (:func:`~openledger.ledger.aside.forks`,
    from :data:`CHARTS_APART` charts), every second one by a forked process while this one draws the others.
    The SVG is the same whichever process draws it."""
    paths = list(drawing)
    if not forks(jobs, len(paths), CHARTS_APART):
        return {path: drawing[path]() for path in paths}
    theirs = paths[1::2]
    aside = Aside(lambda: [drawing[path]() for path in theirs], "drawing the charts")
    try:
        drawn = {path: drawing[path]() for path in paths[0::2]}
        drawn.update(zip(theirs, aside.result()))
    finally:
        aside.close()
    return {path: drawn[path] for path in paths}


def _influence_charts(context: SiteContext, drawing: dict[str, Callable[[], str]],
                      alts: dict[str, tuple[str, str]]) -> None:
    """Per influence dimension that ran, a chart of its measures compared by a ratio and one of those compared
    by a difference (keys ``<dimension>:ratio`` and ``<dimension>:difference`` of the text alternatives), to be
    drawn (:func:`_drawn`)."""
    for dim, result in context.influence.items():
        band = (result.settings.get("tolerance_low", 0.8), result.settings.get("tolerance_high", 1.25))
        points = float(result.settings.get("tolerance_difference", 0.05))
        title = audit_page.INFLUENCE_TITLES[dim]
        for scale, bars in audit_page.influence_bars(result).items():
            if not bars:
                continue
            path = f"charts/influence-{dim}-{scale}.svg"
            if scale == "difference":
                drawing[path] = partial(charts.difference_chart, bars, (-points, points),
                                        "adjusted difference from the reference (percentage points)")
                alts[f"{dim}:{scale}"] = (path, charts.alt_text(f"{title}, measures compared by a difference",
                                                                bars, (-points, points)))
            else:
                drawing[path] = partial(charts.ratio_chart, bars, band, "adjusted ratio to the reference (log scale)")
                alts[f"{dim}:{scale}"] = (path, charts.alt_text(f"{title}, measures compared by a ratio", bars,
                                                                band))


#: Home's chart of every ratio measure, public against private (``""`` in the charts' text alternatives)
SUMMARY_CHART = "charts/summary.svg"


def root_hash(checkpoint: Checkpoint) -> str:
    """The checkpoint's root hash as published (base64)."""
    return base64.b64encode(checkpoint.root).decode()

"""The Audit page: one section per metric with its chart, the findings and
a suppressed table by channel and public/private, then the method in plain
words."""

from __future__ import annotations

import math

import numpy as np

from openledger.audit.result import format_p, format_ratio, format_value
from openledger.site.cells import cell_groups, metric_cells
from openledger.site.context import SiteContext
from openledger.site.escape import attr, cell, md

DIMENSION_TITLES = {
    "visibility": "public against private",
    "channel": "each channel against the private channels",
    "audience": "public authors by audience size",
}
VERDICTS = {"equal": "equal", "unequal": "**unequal**", "insufficient-data": "not enough data"}
OVERALL = {"fair": "fair", "unfair": "**unfair**", "insufficient-data": "not enough data"}


def fmt_value(x: float | None, unit: str) -> str:
    """A metric value for a table cell: share as %, hours/days with one decimal."""
    return format_value(x, unit, missing="–")


def _ratio(f) -> str:
    return format_ratio(f.adjusted, dash="–")


def _p(p: float | None) -> str:
    return format_p(p, missing="–").replace("<0.001", "< 0.001")


def _findings(context: SiteContext, metric: str, unit: str) -> list[str]:
    lines = [
        "| Comparison | Group | Reference | Group value | Reference value "
        "| Adjusted ratio [95% CI] | p (Holm) | Verdict |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    for dim, result in context.audits.items():
        for f in result.findings:
            if f.metric != metric:
                continue
            small = f.n < context.k or f.reference_n < context.k
            value = "–" if small else fmt_value(f.value, unit)
            ref = "–" if small else fmt_value(f.reference_value, unit)
            lines.append(
                f"| {md(dim)} | {cell(f.group)} | {cell(f.reference)} | {value} | {ref} | "
                f"{_ratio(f)} | {_p(f.p_adjusted)} | {VERDICTS.get(f.verdict, md(f.verdict))} |"
            )
    return lines


def _cells(context: SiteContext, metric, unit: str, groups: tuple[list[str], np.ndarray]) -> list[str]:
    table = metric_cells(metric, context.table, groups)
    lines = [
        "| Channel | Public cases | Public value | Private cases | Private value |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, counts, values in zip(table.channels, table.counts, table.values):
        parts = []
        for count, value in zip(counts, values):
            parts += [f"{count:,}", fmt_value(value, unit) if count else "–"]
        lines.append(f"| {cell(name)} | " + " | ".join(parts) + " |")
    return lines


METHOD = """\
## The method in plain words

Each measure compares a group of complaints (for example those made in public on social media)
with a reference group (those made privately, by e-mail, phone, letter or web form). Because
public and private complaints may be about different things, we compare like with like: cases
of the same category and severity are compared with each other, and the results are pooled.

- **Shares** (responded, resolved in favour, remedy given, escalated, reopened) are compared as
  a Mantel-Haenszel risk ratio: 1.2 means the group's share is 20% higher.
- **Times** (to first response, to resolution) are compared as a time ratio from a stratified
  Cox model, counting cases still waiting: below 1 means the group is served faster.
- **Amounts** are compared as a ratio of stratified means.

A measure is **equal** when the whole 95% interval of its ratio lies within the equal band
({low} to {high}); **unequal** when the ratio lies outside the band and the difference is
significant after the Holm correction for testing many measures at once (at level {alpha}); and
**not enough data** otherwise, including when a side has fewer than {min_cases} cases. The audit is
**fair** when every measure with enough data is equal.

Every number here is computed from the published case rows, and those are published so that no
customer can be singled out: each case shares everything an outsider could know of it (its
channel, when it was posted and answered, its category) with enough others that it is among at
least {k} cases that look the same from outside. Channels
with too few cases are pooled as "other", times are published by week, month or quarter and
response times in bands, as coarse as that needs. The full method is in the project's
documentation (audit method); the numbers on this page come from the published
`data/audit-*.json` files and can be recomputed from `data/outcomes.csv`.
"""


def publication_note(context: SiteContext) -> str:
    """One sentence on how coarsely the public cases are published (Home and the audit page say the same)."""
    table = context.table
    if "visibility" not in table or not len(table["visibility"]):
        return ""
    public = table["visibility"] == "public"
    n = int(public.sum())
    if n == 0:
        return ""
    hidden = int((public & (table["category"] == "hidden")).sum())
    pooled = int((public & (table["channel"] == "other")).sum())
    parts = []
    if hidden:
        parts.append(f"{hidden:,} with their category hidden (left out of the comparisons)")
    if pooled:
        parts.append(f'{pooled:,} under the channel "other" (their channels are too small to show alone)')
    how = f"; {' and '.join(parts)}" if parts else ""
    return (f"{n:,} public complaints are published, each looking like at least {context.k} others to anyone "
            f"who knows when it was posted and answered{how}.")


def render(context: SiteContext, charts: dict[str, tuple[str, str]]) -> str:
    """The Audit page's Markdown; ``charts`` maps a metric name to (SVG path, text alternative)."""
    lines = ["# The fair treatment audit", ""]
    for dim in ("visibility", "channel", "audience"):
        result = context.audits.get(dim)
        if result is not None:
            lines.append(f"- **{DIMENSION_TITLES[dim].capitalize()}**: "
                         f"{OVERALL.get(result.overall, md(result.overall))} (reference: {md(result.reference)})")
        else:
            reason = context.audit_problems.get(dim, "no data")
            lines.append(f"- **{DIMENSION_TITLES[dim].capitalize()}**: not run ({md(reason)})")
    lines.append("")
    if note := publication_note(context):
        lines += [md(note), ""]
    first = next(iter(context.audits.values()), None)
    if first is None:
        return "\n".join(lines + [method_text(context)])
    metric_objects = {m.name: m for m in context.metrics}
    groups = cell_groups(context.table)
    for meta in first.metrics:
        name, unit = meta["name"], meta["unit"]
        lines += [f"## {md(name.replace('_', ' ').capitalize())}", "", md(meta["description"]), ""]
        if name in charts:
            path, alt = charts[name]
            lines += [
                (f'<figure class="ol-chart"><img src="{attr(path)}" alt="{attr(alt)}" width="640">'
                f"<figcaption>{attr(alt)}</figcaption></figure>"),
                "",
            ]
        lines += _findings(context, name, unit) + [""]
        if name in metric_objects:
            lines += ["By channel and public/private (eligible cases):", ""]
            lines += _cells(context, metric_objects[name], unit, groups) + [""]
    lines.append(method_text(context))
    return "\n".join(lines)


def method_text(context: SiteContext) -> str:
    """The method section, with this build's settings."""
    s = next(iter(context.audits.values())).settings if context.audits else {}
    return METHOD.format(
        low=s.get("tolerance_low", 0.8), high=s.get("tolerance_high", 1.25),
        alpha=s.get("alpha", 0.05), min_cases=s.get("min_cases", 30), k=context.k,
    )


def chart_bars(context: SiteContext, metric: str):
    """The bars of ``metric``'s chart: every comparison of every dimension."""
    from openledger.site.charts import Bar

    bars = []
    for result in context.audits.values():
        for f in result.findings:
            if f.metric == metric:
                r = f.adjusted
                ratio = r.ratio if r.ratio is not None and math.isfinite(r.ratio) else None
                bars.append(Bar(f"{f.group} vs {f.reference}", ratio, r.ci_low, r.ci_high, f.verdict))
    return bars

"""The Audit page: one section per metric with its chart, the findings and
a suppressed table by channel and public/private, then the method in plain
words."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from openledger.audit.exclusion import SPAM_MIN_PERCENT
from openledger.audit.groups import INFLUENCE_DIMENSIONS
from openledger.audit.result import finding_notes, format_p, format_ratio, format_share, format_value
from openledger.site.cells import cell_groups, metric_cells
from openledger.site.context import SiteContext
from openledger.site.escape import attr, cell, md
from openledger.site.sentences import distance, findings_in_words, plain_words

DIMENSION_TITLES = {
    "visibility": "public against private",
    "channel": "each channel against the private channels",
    "audience": "public authors by audience size",
}
VERDICTS = {"equal": "equal", "unequal": "**unequal**", "insufficient-data": "not enough data",
            "not-comparable": "not comparable"}
OVERALL = {"fair": "fair", "unfair": "**unfair**", "insufficient-data": "not enough data",
           "not-comparable": "not comparable on some measures"}


def fmt_value(x: float | None, unit: str) -> str:
    """A metric value for a table cell: share as %, hours/days with one decimal."""
    return format_value(x, unit, missing="–")


def _ratio(f) -> str:
    return format_ratio(f.adjusted, dash="–", scale=f.scale)


def _p(p: float | None) -> str:
    return format_p(p, missing="–").replace("<0.001", "< 0.001")


def _coverage(f, k: int) -> str:
    c = f.coverage
    parts = []
    for share, cases, of in ((c.share, c.cases, c.of), (c.reference_share, c.reference_cases, c.reference_of)):
        parts.append("–" if of < k or share is None else f"{format_share(share)} ({cases:,})")
    return " / ".join(parts)


def _row(first: str, f, unit: str, k: int) -> str:
    """One finding as a row of a findings table, ``first`` its first cell (already Markdown)."""
    small = f.n < k or f.reference_n < k
    value = "–" if small else fmt_value(f.adjusted_value, unit)
    ref = "–" if small else fmt_value(f.adjusted_reference_value, unit)
    crude = "–" if small else f"{fmt_value(f.value, unit)} / {fmt_value(f.reference_value, unit)}"
    return (f"| {first} | {cell(f.group)} | {cell(f.reference)} | {VERDICTS.get(f.verdict, md(f.verdict))} | "
            f"{value} | {ref} | {_ratio(f)} | {crude} | {format_ratio(f.naive, dash='–', scale=f.scale)} | "
            f"{_coverage(f, k)} | {_p(f.p_adjusted)} |")


def _header(first: str, word: str) -> list[str]:
    return [
        f"| {first} | Group | Reference | Verdict | Group value\\* | Reference value\\* "
        f"| Adjusted {word} [95% CI] | Crude values | Crude {word} | Coverage | p (Holm) |",
        "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]


def _findings(context: SiteContext, metric: str, unit: str, scale: str = "ratio") -> list[str]:
    lines = _header("Comparison", "difference" if scale == "difference" else "ratio")
    notes = []
    for dim, result in context.audits.items():
        for f in result.findings:
            if f.metric != metric:
                continue
            lines.append(_row(md(dim), f, unit, context.k))
            notes += [f"- {cell(f.group)} against {cell(f.reference)}: {md(line)}"
                      for line in finding_notes(f, result.settings)]
    return lines + ([""] + notes if notes else [])


FOOTNOTE = (
    "\\* Stratum-weighted: each side's value over the categories and severities both sides have, weighted alike "
    "(n₁n₀/(n₁+n₀) per stratum), so the two values are the ones the adjusted ratio (or difference) compares{times}. "
    "Crude values and the crude ratio pool all cases without that adjustment. Coverage: the share (and number) of "
    "each side's cases that sit in a category and severity the other side also has (group / reference); below "
    "{min_coverage} a comparison is **not comparable**, because its ratio would describe only a few kinds of "
    "complaint, not the groups."
)


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
- **A share near 100 %** (the response rate) is compared as a difference in percentage points: 99 % against
  95 % answered is +4 points, where a ratio of the shares (1.04) would hide it and a ratio of the cases left
  unanswered (0.2) would make a few cases look like a gulf. It is equal within ±{points:g} points.

A measure is **equal** when the whole 95% interval of its ratio lies within the equal band
({low} to {high}); **unequal** when the ratio lies outside the band and the difference is
significant after the Holm correction for testing many measures at once (at level {alpha}); **not
comparable** when less than {min_coverage} of either side's cases are of a category and severity the other
side also has (there is too little like to compare with like); and **not enough data** otherwise, including
when a side has fewer than {min_cases} cases. The audit is **fair** when every measure with enough data is
equal, and never fair or unfair on measures that are not comparable.

Every number here is computed from the published case rows, and those are published so that no
customer can be singled out: each case shares everything an outsider could know of it (its
channel, when it was posted and answered, its category) with enough others that it is among at
least {k} cases that look the same from outside. Channels
with too few cases are pooled as "other", times are published by week, month or quarter and
response times in bands, as coarse as that needs. The full method is in the project's
documentation (audit method); the numbers on this page come from the published
`data/audit-*.json` files and can be recomputed from `data/outcomes.csv`.
"""


def spam_note(context: SiteContext) -> str:
    """How many cases were left out as spam, and by what rule ('' when none)."""
    n = context.get("spam", 0)
    if not n:
        return ""
    return (f"{n:,} {'case was' if n == 1 else 'cases were'} left out of the outcomes and the audit as spam "
            f"(labelled spam with a confidence of at least {SPAM_MIN_PERCENT} %: not complaints anyone treated "
            "well or badly).")


def publication_note(context: SiteContext) -> str:
    """How coarsely the public cases are published, and how many cases were left out as spam
    (Home and the audit page say the same)."""
    spam = spam_note(context)
    table = context.table
    if "visibility" not in table or not len(table["visibility"]):
        return spam
    public = table["visibility"] == "public"
    n = int(public.sum())
    if n == 0:
        return spam
    hidden = int((public & (table["category"] == "hidden")).sum())
    pooled = int((public & (table["channel"] == "other")).sum())
    parts = []
    if hidden:
        parts.append(f"{hidden:,} with their category hidden (left out of the comparisons)")
    if pooled:
        pool = public & (table["channel"] == "other")
        own = public & ~pool & (table["category"] != "hidden")
        answered = ""
        if own.any() and "responded" in table:
            rate, own_rate = 100 * table["responded"][pool].mean(), 100 * table["responded"][own].mean()
            answered = (f"; {rate:.0f}% of them were answered, against {own_rate:.0f}% of the public complaints "
                        "published under their own channel")
            if own_rate - rate >= 1:
                answered += (", so the comparison by channel, which leaves them out, sees the public channels "
                             "answer more often than they do")
        parts.append(f'{pooled:,} under the channel "other" (too few like them to publish under their own '
                     f"channel{answered})")
    how = f"; {' and '.join(parts)}" if parts else ""
    note = (f"{n:,} public complaints are published, each looking like at least {context.k} others to anyone "
            f"who knows when it was posted and answered{how}.")
    if "responded" in table and "first_response_hours" in table:
        answered_public = public & table["responded"].astype(bool)
        withheld = int((answered_public & np.isnan(table["first_response_hours"].astype(float))).sum())
        if withheld:
            note += (f" {withheld:,} of the {int(answered_public.sum()):,} answered public complaints are published "
                     "without their response time (it would single someone out); the audit counts each through "
                     "the answered complaints published with theirs in the same channel, period, category and "
                     "audience band.")
    return note + (f" {spam}" if spam else "")


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
    lines += findings_in_words(context)
    if note := publication_note(context):
        lines += [md(note), ""]
    first = next(iter(context.audits.values()), None)
    if first is None:
        return "\n".join(lines + influence_section(context, charts) + [method_text(context)])
    metric_objects = {m.name: m for m in context.metrics}
    groups = cell_groups(context.table)
    for meta in by_distance(context, first.metrics):
        name, unit = meta["name"], meta["unit"]
        lines += [f"## {md(name.replace('_', ' ').capitalize())}", "", md(meta["description"]), ""]
        if name in charts:
            path, alt = charts[name]
            lines += [
                (f'<figure class="ol-chart"><img src="{attr(path)}" alt="{attr(alt)}" width="640">'
                f"<figcaption>{attr(alt)}</figcaption></figure>"),
                "",
            ]
        scale = meta.get("scale", "ratio")
        if scale == "difference":
            band = 100 * float(first.settings.get("tolerance_difference", 0.05))
            lines += [f"Compared as a difference: the group's share minus the reference's, in percentage points "
                      f"(pts), equal within ±{band:g} pts. Near 100 % a ratio of shares would hide a difference "
                      "(99 % against 95 % is 1.04) or, taken of the cases left out, blow a small one up (0 % "
                      "against 1.6 % unanswered).", ""]
        lines += _findings(context, name, unit, scale) + [""]
        lines += [FOOTNOTE.format(
            times=" (for times: the median of the weighted mix of the strata's waiting-time curves; the ratio "
                  "comes from a model of the whole curves, so the two can differ a little)"
            if meta["kind"] == "time" else "",
            min_coverage=format_share(first.settings.get("min_coverage", 0.5))), ""]
        if name in metric_objects:
            lines += ["By channel and public/private (eligible cases):", ""]
            lines += _cells(context, metric_objects[name], unit, groups) + [""]
    lines += influence_section(context, charts)
    lines.append(method_text(context))
    return "\n".join(lines)


def by_distance(context: SiteContext, metrics: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """The metrics' sections from the farthest from equal (over every comparison) to the nearest."""
    farthest: dict[str, float] = {}
    for result in context.audits.values():
        for f in result.findings:
            farthest[f.metric] = max(farthest.get(f.metric, -1.0), distance(f, result.settings))
    position = {m["name"]: i for i, m in enumerate(metrics)}
    return sorted(metrics, key=lambda m: (-farthest.get(m["name"], -1.0), position[m["name"]]))


def method_text(context: SiteContext) -> str:
    """The method section, with this build's settings."""
    s = next(iter(context.audits.values())).settings if context.audits else {}
    return METHOD.format(
        low=s.get("tolerance_low", 0.8), high=s.get("tolerance_high", 1.25),
        alpha=s.get("alpha", 0.05), min_cases=s.get("min_cases", 30), k=context.k,
        min_coverage=format_share(s.get("min_coverage", 0.5)),
        points=100 * float(s.get("tolerance_difference", 0.05)),
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
                if f.verdict == "not-comparable":  # a ratio of a few strata: not drawn as if it were the groups'
                    ratio = None
                bars.append(Bar(f"{f.group} vs {f.reference}", ratio, r.ci_low, r.ci_high, f.verdict, f.scale))
    return bars


INFLUENCE_TITLES = {"leverage": "Leverage", "deflection": "Deflection", "tone": "Tone"}
#: what each influence audit compares, in words
INFLUENCE_WHAT = {
    "leverage": "private complaints that threatened to go public, to the press, a regulator or a lawyer, against "
                "comparable private ones that made no threat (all threats pooled, then each kind)",
    "deflection": "public complaints that a company reply moved private (\"DM us\", \"call us\") against public "
                  "ones kept public, and against private complaints",
    "tone": "complaints from hostile or negative customers against those from neutral or positive ones, within "
            "the same channel",
}
INFLUENCE_INTRO = (
    "Whether something other than the complaint decides how it is treated: a threat (leverage), a reply that "
    "moves a public complaint out of the audience's sight (deflection), or the customer's tone. Each compares "
    "cases by the labels their log entries carry, with the same method as the sections above (like with like "
    "by category and severity, 95% intervals, the Holm correction, the same verdicts); cases without the label "
    "are in no group. The numbers are in `data/audit-leverage.json`, `data/audit-deflection.json` and "
    "`data/audit-tone.json`."
)


def influence_bars(result) -> dict[str, list]:
    """The bars of an influence audit's charts: its findings compared by a ratio (``ratio``) and by a
    difference (``difference``), each labelled with the measure and the comparison."""
    from openledger.site.charts import Bar

    out: dict[str, list] = {"ratio": [], "difference": []}
    for f in result.findings:
        r = f.adjusted
        ratio = r.ratio if r.ratio is not None and math.isfinite(r.ratio) else None
        if f.verdict == "not-comparable":
            ratio = None
        label = f"{f.metric.replace('_', ' ')}: {f.group} vs {f.reference}"
        out["difference" if f.scale == "difference" else "ratio"].append(
            Bar(label, ratio, r.ci_low, r.ci_high, f.verdict, f.scale))
    return out


#: the cases an influence audit reads the label of: (visibility, or None for all; how the text names them)
LABELLED_CASES = {"leverage": ("private", "private cases (a threat is compared among private cases only)"),
                  "deflection": ("public", "public cases"),
                  "tone": (None, "cases")}


def _labelled(context: SiteContext, dim: str) -> str:
    """How many of the published cases the dimension reads carry its label (the audit's coverage of the log)."""
    column = INFLUENCE_DIMENSIONS[dim]
    values = context.table.get(column)
    if values is None or "visibility" not in context.table:
        return ""
    visibility, which = LABELLED_CASES[dim]
    read = np.ones(len(values), dtype=bool) if visibility is None else context.table["visibility"] == visibility
    n = int(read.sum())
    if not n:
        return ""
    labelled = int((read & (np.asarray(values) != "")).sum())
    return (f"{labelled:,} of the {n:,} published {md(which)} carry the label <code>{attr(column)}</code>; the "
            "others are in no group.")


def _follow_up(context: SiteContext, rates: dict) -> list[str]:
    """The public follow-up rate per channel: a table (a channel of fewer than k cases is not shown)."""
    lines = [
        "#### Public follow-up after a case moved private",
        "",
        "Of the public complaints a reply moved private that were answered and resolved: how many got a public "
        "reply on their own channel after the resolution, closing the case where the audience saw it open. A "
        "rate, not a comparison: no verdict.",
        "",
        "| Channel | Moved private and resolved | Followed up in public | Share [95% CI] |",
        "|---|---:|---:|---:|",
    ]
    for channel, rate in rates.items():
        name = "**all**" if channel == "all" else cell(channel)
        cases = int(rate.get("cases") or 0)
        if cases < context.k:
            lines.append(f"| {name} | fewer than {context.k} | – | – |")
            continue
        share, low, high = rate.get("share"), rate.get("ci_low"), rate.get("ci_high")
        interval = f" [{format_share(low)}, {format_share(high)}]" if low is not None and high is not None else ""
        lines.append(f"| {name} | {cases:,} | {int(rate.get('followed_up') or 0):,} | "
                     f"{'–' if share is None else format_share(share)}{interval} |")
    return lines + [""]


def _chart(charts: dict[str, tuple[str, str]], key: str) -> list[str]:
    if key not in charts:
        return []
    path, alt = charts[key]
    return [f'<figure class="ol-chart"><img src="{attr(path)}" alt="{attr(alt)}" width="640">'
            f"<figcaption>{attr(alt)}</figcaption></figure>", ""]


def influence_section(context: SiteContext, charts: dict[str, tuple[str, str]]) -> list[str]:
    """The audit page's Influence section: per influence dimension its verdict, plain words, charts, findings
    and coverage; a dimension that did not run is one line saying why."""
    lines = ["## Influence", "", INFLUENCE_INTRO, ""]
    for dim in INFLUENCE_DIMENSIONS:
        result = context.influence.get(dim)
        if result is None:
            reason = context.audit_problems.get(dim, "no data")
            lines.append(f"- **{INFLUENCE_TITLES[dim]}**: not run ({md(reason)})")
        else:
            lines.append(f"- **{INFLUENCE_TITLES[dim]}**: "
                         f"{OVERALL.get(result.overall, md(result.overall))} (reference: {md(result.reference)})")
    lines.append("")
    for dim, result in context.influence.items():
        if dim not in INFLUENCE_TITLES:
            continue
        units = {m["name"]: m["unit"] for m in result.metrics}
        lines += [f"### {INFLUENCE_TITLES[dim]}", "", md(f"Compares {INFLUENCE_WHAT[dim]}."), ""]
        if labelled := _labelled(context, dim):
            lines += [labelled, ""]
        failing, passing = plain_words({dim: result}, (dim,))
        lines += [f"- {md(said)}" for said in failing]
        if failing:
            lines.append("")
        if passing:
            lines += [md(f"Equal (within the equal band): {'; '.join(passing)}."), ""]
        elif not failing:
            lines += ["No measure has enough data for a verdict yet.", ""]
        lines += _chart(charts, f"{dim}:ratio") + _chart(charts, f"{dim}:difference")
        lines += _header("Measure", "ratio or difference")
        notes = []
        for f in result.findings:
            lines.append(_row(md(f.metric.replace("_", " ")), f, units.get(f.metric, ""), context.k))
            notes += [f"- {cell(f.metric)}, {cell(f.group)} against {cell(f.reference)}: {md(line)}"
                      for line in finding_notes(f, result.settings)]
        lines += [""] + (notes + [""] if notes else [])
        if dim == "deflection" and result.follow_up:
            lines += _follow_up(context, result.follow_up)
    return lines

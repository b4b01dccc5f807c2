"""The audit result: JSON serialisation (the public contract) and a text table."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

TITLE = "Fair treatment audit"


@dataclass(frozen=True, slots=True)
class Estimate:
    """An effect size (group / reference) with its 95% interval and (unadjusted) p-value,
    and how many strata it was estimated from."""

    ratio: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    strata_used: int = 0


def estimate_json(e: Estimate) -> dict[str, float | None]:
    """An estimate as published: ratio, interval and p-value, JSON-safe."""
    return {"ratio": clean(e.ratio), "ci_low": clean(e.ci_low), "ci_high": clean(e.ci_high),
            "p_value": clean(e.p_value)}


def clean(x: float | None) -> float | None:
    """A JSON-safe float: None for None/NaN/inf, else 6 significant digits."""
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x):
        return None
    return float(f"{x:.6g}")


@dataclass(frozen=True, slots=True)
class Coverage:
    """How many of each side's eligible cases sit in strata both sides have (the
    strata the adjusted ratio is estimated from), out of how many."""

    cases: int
    of: int
    reference_cases: int
    reference_of: int
    strata: int = 0  # how many strata both sides share

    @property
    def share(self) -> float | None:
        return self.cases / self.of if self.of else None

    @property
    def reference_share(self) -> float | None:
        return self.reference_cases / self.reference_of if self.reference_of else None

    def as_json(self) -> dict[str, object]:
        return {
            "group": {"cases": self.cases, "share": clean(self.share)},
            "reference": {"cases": self.reference_cases, "share": clean(self.reference_share)},
            "strata": self.strata,
        }


@dataclass(frozen=True)
class Finding:
    """One comparison: a metric, a group against its reference."""

    metric: str
    kind: str
    group: str
    reference: str
    value: float | None  # crude: all the side's eligible cases (on the compared scale)
    reference_value: float | None
    adjusted: Estimate  # within strata of category x severity
    naive: Estimate  # pooled, no case-mix adjustment: the crude ratio
    p_adjusted: float | None
    n: int
    reference_n: int
    verdict: str
    adjusted_value: float | None = None  # stratum-weighted over the shared strata: what ``adjusted`` compares
    adjusted_reference_value: float | None = None
    coverage: Coverage = field(default_factory=lambda: Coverage(0, 0, 0, 0))
    scale: str = "ratio"  # or "difference": ``adjusted`` and ``naive`` are group minus reference

    def as_json(self) -> dict[str, object]:
        return {
            "metric": self.metric,
            "group": self.group,
            "reference": self.reference,
            "value": clean(self.value),
            "reference_value": clean(self.reference_value),
            "ratio": clean(self.adjusted.ratio),
            "ci_low": clean(self.adjusted.ci_low),
            "ci_high": clean(self.adjusted.ci_high),
            "p_value": clean(self.adjusted.p_value),
            "p_adjusted": clean(self.p_adjusted),
            "n": self.n,
            "verdict": self.verdict,
            "kind": self.kind,
            "reference_n": self.reference_n,
            "naive": estimate_json(self.naive),
            "adjusted_value": clean(self.adjusted_value),
            "adjusted_reference_value": clean(self.adjusted_reference_value),
            "coverage": self.coverage.as_json(),
            "scale": self.scale,
        }

    @property
    def directions_differ(self) -> bool:
        """The crude and the adjusted ratio point in opposite directions, each clearly (its 95%
        interval excludes 1)."""
        centre = 0.0 if self.scale == "difference" else 1.0
        return _direction(self.naive, centre) * _direction(self.adjusted, centre) < 0

    @property
    def values_note(self) -> str:
        """For times, whose ratio comes from the whole waiting-time curves and whose values are
        medians: ``direction`` when the medians point the other way from a clear ratio,
        ``magnitude`` when they differ by more than twice as much (or half) as the ratio says, or
        are the same while the ratio clearly is not 1, else empty. Shares and means are the
        values their ratio divides, so never."""
        v, ref, ratio = self.adjusted_value, self.adjusted_reference_value, self.adjusted.ratio
        if self.kind != "time" or v is None or not ref or not ratio:
            return ""
        if _side(v / ref) * _direction(self.adjusted) < 0:
            return "direction"
        if v > 0 and abs(math.log(v / ref) - math.log(ratio)) > math.log(2):
            return "magnitude"
        if _direction(self.adjusted) and _side(v / ref) == 0:  # same median, clearly different waits
            return "magnitude"
        return ""


def _direction(e: Estimate, centre: float = 1.0) -> int:
    """1 or -1 when the whole 95% interval lies above or below ``centre`` (1 for a ratio), else 0."""
    if e.ci_low is not None and e.ci_low > centre:
        return 1
    if e.ci_high is not None and e.ci_high < centre:
        return -1
    return 0


def _side(ratio: float | None) -> int:
    """Which side of 1 a ratio lies on, as shown with two decimals (0: at 1, or none)."""
    if ratio is None or not math.isfinite(ratio):
        return 0
    shown = round(ratio, 2)
    return (shown > 1) - (shown < 1)


@dataclass(frozen=True)
class AuditResult:
    """Everything the audit found; ``to_json`` is the published contract."""

    overall: str
    dimension: str
    reference: str
    groups: dict[str, dict[str, float | None]]  # group -> {"n": int, metric: value}
    findings: tuple[Finding, ...]
    metrics: tuple[dict[str, str], ...]  # name, version, kind, unit, description
    settings: dict[str, float] = field(default_factory=dict)
    strata: int = 0
    strata_by: str = "category x severity"  # what a stratum holds alike
    #: ``--by deflection``: the public follow-up rate of the cases moved private (:mod:`openledger.audit.followup`)
    follow_up: dict[str, dict[str, object]] | None = None

    def as_json(self) -> dict[str, object]:
        groups = {
            g: {k: (v if k == "n" else clean(v)) for k, v in vals.items()}
            for g, vals in self.groups.items()
        }
        return {
            "overall": self.overall,
            "dimension": self.dimension,
            "reference": self.reference,
            "groups": groups,
            "findings": [f.as_json() for f in self.findings],
            "method": {
                "strata": self.strata_by,
                "strata_count": self.strata,
                "rate": "Mantel-Haenszel risk ratio (Greenland-Robins CI), CMH test",
                "rate_difference": "Mantel-Haenszel risk difference (Sato CI), CMH test, for metrics with "
                "scale 'difference'",
                "time": "time ratio 1/HR, stratified Cox hazard ratio (Breslow ties); "
                "stratified log-rank test",
                "amount": "stratified ratio of means (delta-method CI), "
                "z-test with pooled within-stratum variance",
                "adjustment": "Holm",
                "confidence": 0.95,
                "adjusted_values": "stratum-weighted over the strata both sides share, weights n1 n0 / (n1 + n0): "
                "shares and means (their ratio is the adjusted ratio), times as the median of the weighted "
                "Kaplan-Meier curves",
                "coverage": "each side's eligible cases in strata both sides share, over all its eligible cases",
            },
            "tolerance": [self.settings.get("tolerance_low"), self.settings.get("tolerance_high")],
            "tolerance_difference": self.settings.get("tolerance_difference"),
            "alpha": self.settings.get("alpha"),
            "min_cases": self.settings.get("min_cases"),
            "min_coverage": self.settings.get("min_coverage"),
            "metrics": list(self.metrics),
            **({"public_follow_up": self.follow_up} if self.follow_up is not None else {}),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """Deterministic JSON: same input, byte-identical text; never NaN."""
        return json.dumps(self.as_json(), indent=indent, ensure_ascii=False, allow_nan=False)


def format_value(x: float | None, unit: str, missing: str = "-") -> str:
    """A metric value for a table: a share as %, hours and days with one decimal."""
    if x is None or not math.isfinite(x):
        return missing
    if unit == "share":
        return f"{100 * x:.1f}%"
    if unit == "hours":
        return f"{x:.1f} h"
    if unit == "days":
        return f"{x:.1f} d"
    return f"{x:,.2f}"


def format_ratio(e: Estimate, dash: str = "-", scale: str = "ratio") -> str:
    """A ratio with its 95% interval: ``1.32 [1.10-1.58]``; a difference of shares in
    percentage points: ``+1.6 pts [+0.9 to +2.3]``."""
    if scale == "difference" and e.ratio is not None:
        if e.ci_low is None or e.ci_high is None:
            return f"{100 * e.ratio:+.1f} pts"
        return f"{100 * e.ratio:+.1f} pts [{100 * e.ci_low:+.1f} to {100 * e.ci_high:+.1f}]"
    if e.ratio is None:
        return dash
    if e.ci_low is None or e.ci_high is None:
        return f"{e.ratio:.2f}"
    return f"{e.ratio:.2f} [{e.ci_low:.2f}{dash}{e.ci_high:.2f}]"


def format_p(p: float | None, missing: str = "-") -> str:
    """A p-value, ``<0.001`` below a thousandth."""
    if p is None:
        return missing
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def format_share(x: float | None) -> str:
    """A share as a percentage with at most one decimal, rounded down (so a share
    below a threshold never shows as the threshold): ``49.9%``, ``50%``, ``100%``."""
    if x is None:
        return "-"
    tenths = math.floor(1000 * x + 1e-9) / 10
    return f"{tenths:.1f}".removesuffix(".0") + "%"


def render_text(result: AuditResult) -> str:
    """A readable plain-text table of the findings."""
    units = {m["name"]: m["unit"] for m in result.metrics}
    head = ("metric", "group", "reference", "value*", "ref. value*",
            "ratio [95% CI]", "crude values", "crude ratio", "coverage", "p (Holm)", "n", "verdict")
    rows = [head]
    notes: list[str] = []
    for f in result.findings:
        unit = units.get(f.metric, "")
        rows.append((
            f.metric, f.group, f.reference,
            format_value(f.adjusted_value, unit), format_value(f.adjusted_reference_value, unit),
            format_ratio(f.adjusted, scale=f.scale),
            f"{format_value(f.value, unit)} / {format_value(f.reference_value, unit)}",
            format_ratio(f.naive, scale=f.scale),
            f"{format_share(f.coverage.share)} / {format_share(f.coverage.reference_share)}",
            format_p(f.p_adjusted), f"{f.n:,}", f.verdict,
        ))
        notes += [f"{f.metric}, {f.group}: {line}" for line in finding_notes(f, result.settings)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    compared = [m["name"] for m in result.metrics if m.get("scale") == "difference"]
    lines = [
        f"{TITLE} by {result.dimension} (reference: {result.reference}): {result.overall.upper()}",
        f"Ratios are group / reference within {result.strata_by}; for times below 1 "
        f"means faster. Equal band {result.settings.get('tolerance_low')}-"
        f"{result.settings.get('tolerance_high')}, alpha {result.settings.get('alpha')}, "
        f"at least {result.settings.get('min_cases')} cases a side.",
        "* stratum-weighted over the strata both sides share: the values the ratio compares. Crude: all "
        "cases pooled. Coverage: each side's share of cases in strata both share (group / reference); "
        f"below {format_share(result.settings.get('min_coverage'))} a comparison is not-comparable.",
        *([f"{', '.join(compared)}: compared as a difference, group minus reference in percentage points "
           f"(pts), equal within +-{100 * float(result.settings.get('tolerance_difference', 0.05)):g} pts: "
           "near 100% a ratio of shares hides or inflates a difference."] if compared else []),
        "",
    ]
    if not result.findings:
        groups = ", ".join(result.groups) or "none"
        return "\n".join(lines) + (
            f"No group to compare with the reference {result.reference!r} (groups with cases: {groups}).\n"
        )
    for i, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    if notes:
        lines += ["", *notes]
    if result.follow_up:
        lines += ["", "Public follow-up after a case moved private (a reply on its own channel after the "
                      "resolution), of the resolved public cases moved private:"]
        for channel, rate in result.follow_up.items():
            share = rate["share"]
            shown = "-" if share is None else (f"{format_share(share)} [{format_share(rate['ci_low'])}-"  # type: ignore[arg-type]
                                               f"{format_share(rate['ci_high'])}]")  # type: ignore[arg-type]
            lines.append(f"  {channel}: {rate['followed_up']:,} of {rate['cases']:,} = {shown}")
    return "\n".join(lines) + "\n"


def finding_notes(f: Finding, settings: dict[str, float]) -> list[str]:
    """Plain sentences a finding needs beside its numbers: why it is not comparable, and where
    the crude and the adjusted figures point different ways."""
    notes = []
    if f.verdict == "not-comparable":
        c = f.coverage
        side, share, cases, of = min(
            (("the group", c.share, c.cases, c.of), ("the reference", c.reference_share, c.reference_cases,
                                                      c.reference_of)),
            key=lambda x: -1.0 if x[1] is None else x[1])
        notes.append(
            f"not comparable: only {format_share(share)} of {side}'s cases ({cases:,} of {of:,}) are of a "
            f"category and severity the other side also has, below the "
            f"{format_share(settings.get('min_coverage'))} needed to compare like with like.")
        return notes  # its ratio and values describe a few strata: nothing more to say of them
    alpha = settings.get("alpha")
    if (f.adjusted.ratio is None and f.adjusted.p_value is not None and f.p_adjusted is not None
            and alpha is not None and f.p_adjusted < alpha and f.verdict == "insufficient-data"):
        what = "time ratio" if f.kind == "time" else f.scale
        notes.append(
            f"the test finds the two sides differ (p {format_p(f.p_adjusted)}), but no {what} can be estimated: "
            "in the categories and severities both sides share, one side's cases never had the event, or too few "
            "did, so there is no interval to hold against the equal band and no verdict; compare the crude "
            "values.")
    if f.directions_differ:
        notes.append(
            f"crude and adjusted point in opposite directions: over all cases the "
            f"{f.scale} is {format_ratio(f.naive, scale=f.scale).split(' [')[0]}, within the same category and "
            f"severity {format_ratio(f.adjusted, scale=f.scale).split(' [')[0]}; the crude figure reflects the "
            "different mix of complaints.")
    if f.values_note == "direction":
        notes.append("the stratum-weighted medians and the time ratio point different ways: the two sides' "
                     "waiting times have different shapes (the ratio weighs every waiting time, the median "
                     "only the middle one), so read both.")
    elif f.values_note == "magnitude":
        notes.append("the stratum-weighted medians and the time ratio differ in size: a median marks only "
                     "the middle case (and moves in steps where times are published in bands), while the ratio "
                     "weighs every waiting time, cases never answered included; read both.")
    return notes

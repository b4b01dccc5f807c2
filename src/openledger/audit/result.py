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


@dataclass(frozen=True)
class Finding:
    """One comparison: a metric, a group against its reference."""

    metric: str
    kind: str
    group: str
    reference: str
    value: float | None
    reference_value: float | None
    adjusted: Estimate  # within strata of category x severity
    naive: Estimate  # pooled, no case-mix adjustment
    p_adjusted: float | None
    n: int
    reference_n: int
    verdict: str

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
        }


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
                "strata": "category x severity",
                "strata_count": self.strata,
                "rate": "Mantel-Haenszel risk ratio (Greenland-Robins CI), CMH test",
                "time": "time ratio 1/HR, stratified Cox hazard ratio (Breslow ties); "
                "stratified log-rank test",
                "amount": "stratified ratio of means (delta-method CI), "
                "z-test with pooled within-stratum variance",
                "adjustment": "Holm",
                "confidence": 0.95,
            },
            "tolerance": [self.settings.get("tolerance_low"), self.settings.get("tolerance_high")],
            "alpha": self.settings.get("alpha"),
            "min_cases": self.settings.get("min_cases"),
            "metrics": list(self.metrics),
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


def format_ratio(e: Estimate, dash: str = "-") -> str:
    """A ratio with its 95% interval: ``1.32 [1.10-1.58]``."""
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


def render_text(result: AuditResult) -> str:
    """A readable plain-text table of the findings."""
    units = {m["name"]: m["unit"] for m in result.metrics}
    head = ("metric", "group", "reference", "value", "ref. value",
            "ratio [95% CI]", "naive ratio", "p (Holm)", "n", "verdict")
    rows = [head]
    for f in result.findings:
        unit = units.get(f.metric, "")
        rows.append((
            f.metric, f.group, f.reference,
            format_value(f.value, unit), format_value(f.reference_value, unit),
            format_ratio(f.adjusted), format_ratio(f.naive), format_p(f.p_adjusted),
            f"{f.n:,}", f.verdict,
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [
        f"{TITLE} by {result.dimension} (reference: {result.reference}): {result.overall.upper()}",
        f"Ratios are group / reference within category x severity; for times below 1 "
        f"means faster. Equal band {result.settings.get('tolerance_low')}-"
        f"{result.settings.get('tolerance_high')}, alpha {result.settings.get('alpha')}, "
        f"at least {result.settings.get('min_cases')} cases a side.",
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
    return "\n".join(lines) + "\n"

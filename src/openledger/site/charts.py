"""Audit charts rendered at build time to static SVG with matplotlib (Agg).

One chart per metric: the case-mix-adjusted ratio of each group to its
reference with its 95% interval, on a log scale, over the shaded "equal"
band. Each chart comes with a text alternative that says the same in words.
The SVG is self-contained (text as paths, no fonts or links to fetch) and
deterministic for the same input.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

matplotlib.rcParams.update({
    "svg.hashsalt": "openledger",
    "svg.fonttype": "path",
    "font.size": 9,
})

COLOURS = {"equal": "#2e7d32", "unequal": "#c62828", "insufficient-data": "#757575", "not-comparable": "#757575"}
#: what the chart says in place of a ratio it does not draw
NO_RATIO = {"not-comparable": "not comparable"}


@dataclass(frozen=True)
class Bar:
    """One row of a ratio chart."""

    label: str
    ratio: float | None
    low: float | None
    high: float | None
    verdict: str
    scale: str = "ratio"  # or "difference": group minus reference, shares


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def _points(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:+.1f}"


def alt_text(title: str, bars: Sequence[Bar], band: tuple[float, float]) -> str:
    """The chart in words, for screen readers and text browsers. For a chart of differences
    ``band`` is in shares (-0.05, 0.05) and the text says percentage points."""
    difference = any(b.scale == "difference" for b in bars)
    if difference:
        parts = [f"{title}: adjusted difference from the reference in percentage points, equal band "
                 f"{_points(band[0])} to {_points(band[1])}."]
    else:
        parts = [f"{title}: adjusted ratio to the reference, equal band {band[0]} to {band[1]}."]
    fmt = _points if difference else _fmt
    for b in bars:
        if b.ratio is None:
            parts.append(f"{b.label}: {NO_RATIO.get(b.verdict, 'not enough data')}.")
        else:
            parts.append(f"{b.label}: {fmt(b.ratio)} (95% interval {fmt(b.low)} to {fmt(b.high)}), "
                         f"{b.verdict.replace('-', ' ')}.")
    return " ".join(parts)


def difference_chart(bars: Sequence[Bar], band: tuple[float, float], xlabel: str) -> str:
    """An SVG forest plot of differences of shares (``bars`` and ``band`` in shares, drawn in
    percentage points on a linear axis)."""
    points = [Bar(b.label, None if b.ratio is None else 100 * b.ratio, None if b.low is None else 100 * b.low,
                  None if b.high is None else 100 * b.high, b.verdict, b.scale) for b in bars]
    return ratio_chart(points, (100 * band[0], 100 * band[1]), xlabel, linear=True)


def ratio_chart(bars: Sequence[Bar], band: tuple[float, float], xlabel: str, linear: bool = False) -> str:
    """An SVG forest plot of ``bars`` (returns the SVG text); ``linear``: differences around 0
    instead of ratios around 1 on a log scale."""
    height = 0.9 + 0.32 * max(len(bars), 1)
    fig = Figure(figsize=(6.4, height), dpi=72)
    ax = fig.add_subplot()
    centre = 0.0 if linear else 1.0
    if not linear:
        ax.set_xscale("log")
    ax.axvspan(band[0], band[1], color="#e8f5e9", zorder=0, label="equal band")
    ax.axvline(centre, color="#9e9e9e", linewidth=0.8, zorder=1)
    values = [band[0], band[1]]
    for y, b in enumerate(bars):
        if b.ratio is None or not math.isfinite(b.ratio) or (b.ratio <= 0 and not linear):
            ax.text(centre, y, NO_RATIO.get(b.verdict, "not enough data"), va="center", ha="center",
                    color=COLOURS["insufficient-data"])
            continue
        colour = COLOURS.get(b.verdict, "#424242")
        if linear and b.low is not None and b.high is not None:
            ax.plot([b.low, b.high], [y, y], color=colour, linewidth=2, zorder=2)
            values += [b.low, b.high]
        elif b.low and b.high and b.low > 0 and math.isfinite(b.high):
            ax.plot([b.low, b.high], [y, y], color=colour, linewidth=2, zorder=2)
            values += [b.low, b.high]
        ax.plot([b.ratio], [y], "o", color=colour, zorder=3)
        values.append(b.ratio)
    lo, hi = min(values), max(values)
    ax.set_yticks(range(len(bars)), [b.label.replace("$", r"\$") for b in bars])
    ax.set_ylim(len(bars) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    if linear:
        pad = 0.08 * (hi - lo)
        ax.set_xlim(lo - pad, hi + pad)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(6))
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: f"{x:+g}" if x else "0"))
    else:
        ax.set_xlim(lo / 1.15, hi * 1.15)
        ticks = [t for t in (0.25, 0.5, 0.8, 1.0, 1.25, 2.0, 4.0) if lo / 1.15 <= t <= hi * 1.15]
        ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return buffer.getvalue()

"""Audit charts rendered at build time to static SVG with matplotlib (Agg).

One chart per metric: the case-mix-adjusted ratio of each group to its
reference with its 95% interval, on a log scale, over the shaded "equal"
band. Each chart comes with a text alternative that says the same in words.
The SVG is self-contained (text as paths, no fonts or links to fetch) and
deterministic for the same input. The ratio axis's ticks are chosen so that
no two labels touch: 1, the equal band's edges, then powers of ten and 5 and 2
times them, each kept only with room around its label (measured with the
renderer, then checked again on the final layout).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot as plt
from matplotlib.backends.backend_agg import FigureCanvasAgg
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


#: the least room, in points, between two tick labels of the ratio axis
TICK_GAP = 6.0


def _tick(t: float) -> str:
    return f"{t:g}"


def _difference_tick(t: float) -> str:
    return f"{t:+g}" if t else "0"


def tick_candidates(low: float, high: float, band: tuple[float, float]) -> list[float]:
    """Ticks of a log ratio axis from ``low`` to ``high``, most wanted first.

    1 first, then the equal band's edges, then the powers of ten, then 5 and 2
    times them (nearest to 1 first within each kind).
    """
    kinds: list[list[float]] = [[1.0], [band[0], band[1]], [], [], []]
    for decade in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1):
        for at, mantissa in ((2, 1), (3, 5), (4, 2)):
            kinds[at].append(float(f"{mantissa}e{decade}"))
    out: list[float] = []
    for kind in kinds:
        for t in sorted(kind, key=lambda v: abs(math.log(v))):
            if low <= t <= high and t not in out:
                out.append(t)
    return out


def _label_span(ax, renderer, t: float, label: Callable[[float], str] = _tick) -> tuple[float, float]:
    """The horizontal extent, in display units, of the tick label of ``t`` (centred on its tick)."""
    x = ax.transData.transform((t, 0.0))[0]
    font = ax.get_xticklabels()[0].get_fontproperties()
    width = renderer.get_text_width_height_descent(label(t), font, ismath=False)[0]
    return x - width / 2, x + width / 2


def spaced_ticks(ax, renderer, candidates: Sequence[float], label: Callable[[float], str] = _tick) -> list[float]:
    """The candidates, most wanted first, whose labels keep ``TICK_GAP`` points from every label taken."""
    gap = renderer.points_to_pixels(TICK_GAP)
    taken: list[tuple[float, float, float]] = []
    for t in candidates:
        left, right = _label_span(ax, renderer, t, label)
        if all(right + gap <= other_left or left >= other_right + gap for _, other_left, other_right in taken):
            taken.append((t, left, right))
    return [t for t, _, _ in taken]


def _drop_overlapping(ax, renderer, ticks: list[float], label: Callable[[float], str] = _tick) -> None:
    """After the final layout, measure the drawn tick labels; while two touch, drop the less wanted.

    ``ticks`` is most wanted first.
    """
    ticks = list(ticks)
    while True:
        ax.figure.draw_without_rendering()
        low, high = ax.get_xlim()
        drawn = zip(ax.get_xticklabels(), ax.get_xticks())
        boxes = sorted(((label.get_window_extent(renderer), t) for label, t in drawn if low <= t <= high),
                       key=lambda b: b[0].x0)
        clash = next((i for i in range(len(boxes) - 1) if boxes[i][0].x1 >= boxes[i + 1][0].x0), None)
        if clash is None:
            return
        pair = (boxes[clash][1], boxes[clash + 1][1])
        ticks.remove(max(pair, key=lambda t: ticks.index(t) if t in ticks else len(ticks)))
        ax.set_xticks(sorted(ticks), [label(t) for t in sorted(ticks)])


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
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    if linear:
        pad = 0.08 * (hi - lo)
        low, high = lo - pad, hi + pad
        label = _difference_tick
        nice = matplotlib.ticker.MaxNLocator(6).tick_values(low, high)
        candidates = [0.0, band[0], band[1]] + [float(t) for t in nice]
        candidates = [t for i, t in enumerate(candidates) if low <= t <= high and t not in candidates[:i]]
    else:
        low, high = lo / 1.15, hi * 1.15
        label = _tick
        candidates = tick_candidates(low, high, band)
    ax.set_xlim(low, high)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    renderer = FigureCanvasAgg(fig).get_renderer()
    ax.set_xticks([centre], [label(centre)])
    fig.tight_layout()
    ticks = spaced_ticks(ax, renderer, candidates, label)
    ax.set_xticks(sorted(ticks), [label(t) for t in sorted(ticks)])
    fig.tight_layout()
    _drop_overlapping(ax, renderer, ticks, label)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return buffer.getvalue()

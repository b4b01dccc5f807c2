"""The audit's findings in plain words: who is favoured, on what, by how much, with its interval.

Home and the top of the audit page say each unequal finding as a sentence
("Public complaints get a remedy 1.4 times as often as private ones with the
same category and severity (95% interval 1.3 to 1.5).") before naming the
measures found equal, and both list findings from the farthest from equal to
the nearest (:func:`distance`). Built-in metrics have their own wording; a
plugin's metric is said with its name.

The audit page's Influence section says the influence audits (``leverage``,
``deflection``, ``tone``) the same way, their groups in words ("Private
complaints that threatened to go public get a remedy 1.8 times as often as
private ones that made no threat, with the same category and severity (95%
interval 1.5 to 2.1).").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from openledger.site.escape import md

#: metric -> (what a ratio above 1 means, in words): "{group} complaints {phrase} {ratio} times as ... as {ref}"
RATIO_PHRASES = {
    "remedy_rate": ("get a remedy", "as often as"),
    "resolution_rate": ("are resolved in the customer's favour", "as often as"),
    "escalation_rate": ("are escalated", "as often as"),
    "reopen_rate": ("are reopened", "as often as"),
    "first_response_hours": ("wait for a first response", "as long as"),
    "resolution_days": ("wait for a resolution", "as long as"),
    "remedy_amount": ("get remedies worth", "as much as"),
}
#: metric -> what a positive difference in points means
DIFFERENCE_PHRASES = {"response_rate": ("are answered", "more often than", "less often than")}


#: dimension -> group -> (as the subject of a sentence, as its reference): the influence audits' groups in words
INFLUENCE_SIDES: dict[str, dict[str, tuple[str, str]]] = {
    "leverage": {
        "threat": ("Private complaints that threatened to go public, to the press, a regulator or a lawyer",
                   "private ones that threatened something"),
        "publicity": ("Private complaints that threatened to go public", "private ones that threatened to go public"),
        "press": ("Private complaints that threatened to go to the press", "private ones that threatened the press"),
        "regulator": ("Private complaints that threatened to go to a regulator",
                      "private ones that threatened a regulator"),
        "legal": ("Private complaints that threatened legal action", "private ones that threatened legal action"),
        "none": ("Private complaints that made no threat", "private ones that made no threat"),
    },
    "deflection": {
        "moved-private": ("Public complaints that a reply moved private", "public ones a reply moved private"),
        "kept-public": ("Public complaints kept public", "public ones kept public"),
        "private": ("Private complaints", "private ones"),
    },
    "tone": {
        "hostile-negative": ("Complaints from hostile or negative customers",
                             "those from hostile or negative customers"),
        "neutral-positive": ("Complaints from neutral or positive customers",
                             "those from neutral or positive customers"),
    },
}
#: how the comparison holds cases alike, by dimension (default: category and severity)
ALIKE = {
    "leverage": ", with the same category and severity",
    "deflection": ", with the same category and severity",
    "tone": ", in the same channel and with the same category and severity",
}


def _side(label: str, reference: bool, dimension: str | None = None) -> str:
    """A group as the subject of a sentence, or its reference as the object."""
    said = INFLUENCE_SIDES.get(dimension or "", {}).get(label)
    if said is not None:
        return said[1] if reference else said[0]
    if label.startswith("private except "):
        return f"private complaints in channels other than {label[len('private except '):]}"
    if label in ("private", "public"):
        return f"{label} ones" if reference else f"{label.capitalize()} complaints"
    return f"complaints on {label}" if reference else f"Complaints on {label}"


def _number(x: float) -> str:
    return f"{x:.2g}" if x < 10 else f"{x:.0f}"


def sentence(finding: Any, dimension: str | None = None) -> str | None:
    """One finding (an :class:`openledger.audit.result.Finding`) as a sentence; None without an estimate.

    ``dimension`` names the audit it comes from, so that an influence audit's groups are said in words."""
    est = finding.adjusted
    if est.ratio is None or not math.isfinite(est.ratio):
        return None
    group, reference = _side(finding.group, False, dimension), _side(finding.reference, True, dimension)
    interval = ""
    if est.ci_low is not None and est.ci_high is not None and math.isfinite(est.ci_low) \
            and math.isfinite(est.ci_high):
        if finding.scale == "difference":
            interval = f" (95% interval {100 * est.ci_low:+.1f} to {100 * est.ci_high:+.1f} points)"
        else:
            interval = f" (95% interval {_number(est.ci_low)} to {_number(est.ci_high)})"
    alike = ALIKE.get(dimension or "", " with the same category and severity")
    if finding.scale == "difference":
        verb, more, less = DIFFERENCE_PHRASES.get(finding.metric, (f"score on {finding.metric}", "higher than",
                                                                   "lower than"))
        points = 100 * est.ratio
        if abs(points) < 0.05:
            return f"{group} {verb} as often as {reference}{alike}{interval}."
        return (f"{group} {verb} {abs(points):.1f} percentage points {more if points > 0 else less} "
                f"{reference}{alike}{interval}.")
    if finding.metric not in RATIO_PHRASES:  # a plugin's metric: said by its name
        name = finding.metric.replace("_", " ")
        return (f"{group} have a {name} {_number(est.ratio)} times that of {reference}{alike}{interval}.")
    verb, compare = RATIO_PHRASES[finding.metric]
    return f"{group} {verb} {_number(est.ratio)} times {compare} {reference}{alike}{interval}."


def distance(finding: Any, settings: Mapping[str, Any]) -> float:
    """How far a finding is from equal, in widths of its equal band (0 at equal; -1 without an estimate)."""
    est = finding.adjusted
    if est.ratio is None or not math.isfinite(est.ratio):
        return -1.0
    if finding.scale == "difference":
        return abs(est.ratio) / float(settings.get("tolerance_difference", 0.05))
    if est.ratio <= 0:
        return -1.0
    high = float(settings.get("tolerance_high", 1.25))
    return abs(math.log(est.ratio)) / math.log(high)


def ordered(findings: Iterable[Any], settings: Mapping[str, Any]) -> list[Any]:
    """Findings from the farthest from equal to the nearest (ties: metric, group)."""
    return sorted(findings, key=lambda f: (-distance(f, settings), f.metric, f.group))


def plain_words(results: Mapping[str, Any], dimensions: Iterable[str] = ("visibility", "channel", "audience")
                ) -> tuple[list[str], list[str]]:
    """(a sentence per unequal finding, farthest first; the measures found equal, as phrases), over the
    results of ``dimensions`` (by default the channel audits; the Influence section passes one influence
    dimension at a time)."""
    failing: list[str] = []
    passing: list[str] = []
    for dim in dimensions:
        result = results.get(dim)
        if result is None:
            continue
        for f in ordered(result.findings, result.settings):
            if f.verdict == "unequal":
                said = sentence(f, dim)
                if said:
                    failing.append(said)
            elif f.verdict == "equal":
                passing.append(f"{f.metric.replace('_', ' ')} ({f.group} against {f.reference})")
    return failing, passing


def findings_in_words(context: Any) -> list[str]:
    """Markdown lines for Home and the top of the audit page (a :class:`~openledger.site.context.SiteContext`):
    each unequal finding as a sentence, farthest from equal first, then the measures found equal."""
    failing, passing = plain_words(context.audits)
    lines = [f"- {md(said)}" for said in failing]
    if failing:
        lines.append("")
    if passing:
        lines += [md(f"Within the equal band: {'; '.join(passing)}."), ""]
    return lines

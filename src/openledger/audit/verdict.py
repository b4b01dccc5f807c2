"""Audit settings, multiple-comparison adjustment and the verdict rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from openledger.errors import ConfigError

EQUAL, UNEQUAL, INSUFFICIENT = "equal", "unequal", "insufficient-data"
NOT_COMPARABLE = "not-comparable"
#: every finding verdict; only the first two bear on fair or unfair
VERDICTS = (EQUAL, UNEQUAL, INSUFFICIENT, NOT_COMPARABLE)
#: every overall verdict
OVERALLS = ("fair", "unfair", INSUFFICIENT, NOT_COMPARABLE)


@dataclass(frozen=True)
class Settings:
    """The knobs of the verdict rules (``[audit]`` table of the config)."""

    tolerance_low: float = 0.8
    tolerance_high: float = 1.25
    alpha: float = 0.05
    min_cases: int = 30
    #: the least share of each side's cases that must sit in strata both sides have
    min_coverage: float = 0.5
    #: the equal band of a rate compared as a difference: plus or minus this share (0.05: 5 points)
    tolerance_difference: float = 0.05

    def __post_init__(self) -> None:
        if not 0 < self.tolerance_low <= 1 <= self.tolerance_high:
            raise ConfigError("audit tolerance must satisfy 0 < low <= 1 <= high")
        if not 0 < self.alpha < 1:
            raise ConfigError("audit alpha must lie between 0 and 1")
        if self.min_cases < 2:
            raise ConfigError("audit min_cases must be at least 2")
        if not 0 < self.tolerance_difference < 1:
            raise ConfigError("audit tolerance_difference must lie between 0 and 1 (a share: 0.05 is 5 points), "
                              f"not {self.tolerance_difference}")
        if not 0 <= self.min_coverage <= 1:
            raise ConfigError(
                f"audit min_coverage must lie between 0 and 1 (a share of cases), not {self.min_coverage}")

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> Settings:
        """Read ``tolerance_low``, ``tolerance_high``, ``alpha``, ``min_cases``,
        ``min_coverage``, ``tolerance_difference`` from ``config["audit"]``;
        absent keys keep their defaults."""
        section = dict((config or {}).get("audit", {}) or {})
        known = {"tolerance_low", "tolerance_high", "alpha", "min_cases", "min_coverage", "tolerance_difference"}
        unknown = sorted(set(section) - known - {"dimension", "reference"})
        if unknown:
            raise ConfigError(f"unknown key(s) in [audit]: {', '.join(unknown)}")
        try:
            return cls(
                tolerance_low=float(section.get("tolerance_low", cls.tolerance_low)),
                tolerance_high=float(section.get("tolerance_high", cls.tolerance_high)),
                alpha=float(section.get("alpha", cls.alpha)),
                min_cases=int(section.get("min_cases", cls.min_cases)),
                min_coverage=float(section.get("min_coverage", cls.min_coverage)),
                tolerance_difference=float(section.get("tolerance_difference", cls.tolerance_difference)),
            )
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"invalid value in [audit]: {exc}") from None


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm-adjusted p-values; None entries stay None and are not counted.

    The step-down Bonferroni adjustment, computed as statsmodels'
    ``multipletests(method="holm")`` computes it (same sort, products and
    running maximum, so the same floats), without its ``gc.collect()`` on
    every call.
    """
    idx = [i for i, p in enumerate(p_values) if p is not None]
    out: list[float | None] = [None] * len(p_values)
    if idx:
        values = np.asarray([p_values[i] for i in idx], dtype=float)
        order = np.argsort(values)
        adjusted = np.maximum.accumulate(np.take(values, order) * np.arange(len(values), 0, -1))
        adjusted[adjusted > 1] = 1
        for i, p in zip((idx[k] for k in order.tolist()), adjusted.tolist()):
            out[i] = float(p)
    return out


def comparable(coverage: float | None, reference_coverage: float | None, settings: Settings) -> bool:
    """Whether both sides have at least ``min_coverage`` of their cases in strata both have."""
    return (coverage is not None and reference_coverage is not None
            and min(coverage, reference_coverage) >= settings.min_coverage)


def verdict(
    ratio: float | None,
    ci_low: float | None,
    ci_high: float | None,
    p_adjusted: float | None,
    enough: bool,
    settings: Settings,
    comparable: bool = True,
    scale: str = "ratio",
) -> str:
    """``equal`` / ``unequal`` / ``insufficient-data`` / ``not-comparable``.

    Too few cases on a side is ``insufficient-data``; then, too small a share
    of either side's cases in strata both sides have (``comparable`` False) is
    ``not-comparable``, whatever the ratio says: it describes a few strata, not
    the groups. On the ``difference`` scale ``ratio`` and its interval are a
    difference of shares and the band is ``+-tolerance_difference``."""
    if not enough:
        return INSUFFICIENT
    if not comparable:
        return NOT_COMPARABLE
    if ratio is None or ci_low is None or ci_high is None:
        return INSUFFICIENT
    low, high = settings.tolerance_low, settings.tolerance_high
    if scale == "difference":
        low, high = -settings.tolerance_difference, settings.tolerance_difference
    if low <= ci_low and ci_high <= high:
        return EQUAL
    if p_adjusted is not None and p_adjusted < settings.alpha and not low <= ratio <= high:
        return UNEQUAL
    return INSUFFICIENT


def overall(verdicts: Sequence[str], enough: Sequence[bool]) -> str:
    """``unfair`` if any finding is unequal; ``fair`` if every finding with
    enough data (both sides at least ``min_cases``) is equal, and there is
    one; ``not-comparable`` if every such finding is equal or not comparable
    (so only coverage stands between the audit and a verdict); else
    ``insufficient-data``. A not-comparable finding is never unequal nor
    equal, so it can neither make nor complete a fair or unfair verdict."""
    if UNEQUAL in verdicts:
        return "unfair"
    counted = [v for v, ok in zip(verdicts, enough) if ok]
    if counted and all(v == EQUAL for v in counted):
        return "fair"
    if counted and all(v in (EQUAL, NOT_COMPARABLE) for v in counted):
        return NOT_COMPARABLE
    return INSUFFICIENT

"""Audit settings, multiple-comparison adjustment and the verdict rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from openledger.errors import ConfigError

EQUAL, UNEQUAL, INSUFFICIENT = "equal", "unequal", "insufficient-data"


@dataclass(frozen=True)
class Settings:
    """The knobs of the verdict rules (``[audit]`` table of the config)."""

    tolerance_low: float = 0.8
    tolerance_high: float = 1.25
    alpha: float = 0.05
    min_cases: int = 30

    def __post_init__(self) -> None:
        if not 0 < self.tolerance_low <= 1 <= self.tolerance_high:
            raise ConfigError("audit tolerance must satisfy 0 < low <= 1 <= high")
        if not 0 < self.alpha < 1:
            raise ConfigError("audit alpha must lie between 0 and 1")
        if self.min_cases < 2:
            raise ConfigError("audit min_cases must be at least 2")

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> Settings:
        """Read ``tolerance_low``, ``tolerance_high``, ``alpha``, ``min_cases``
        from ``config["audit"]``; absent keys keep their defaults."""
        section = dict((config or {}).get("audit", {}) or {})
        known = {"tolerance_low", "tolerance_high", "alpha", "min_cases"}
        unknown = sorted(set(section) - known - {"dimension", "reference"})
        if unknown:
            raise ConfigError(f"unknown key(s) in [audit]: {', '.join(unknown)}")
        try:
            return cls(
                tolerance_low=float(section.get("tolerance_low", cls.tolerance_low)),
                tolerance_high=float(section.get("tolerance_high", cls.tolerance_high)),
                alpha=float(section.get("alpha", cls.alpha)),
                min_cases=int(section.get("min_cases", cls.min_cases)),
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


def verdict(
    ratio: float | None,
    ci_low: float | None,
    ci_high: float | None,
    p_adjusted: float | None,
    enough: bool,
    settings: Settings,
) -> str:
    """``equal`` / ``unequal`` / ``insufficient-data`` by the issue's rules."""
    if not enough or ratio is None or ci_low is None or ci_high is None:
        return INSUFFICIENT
    low, high = settings.tolerance_low, settings.tolerance_high
    if low <= ci_low and ci_high <= high:
        return EQUAL
    if p_adjusted is not None and p_adjusted < settings.alpha and not low <= ratio <= high:
        return UNEQUAL
    return INSUFFICIENT


def overall(verdicts: Sequence[str], enough: Sequence[bool]) -> str:
    """``unfair`` if any finding is unequal; ``fair`` if every finding with
    enough data (both sides at least ``min_cases``) is equal, and there is
    one; else ``insufficient-data``."""
    if UNEQUAL in verdicts:
        return "unfair"
    counted = [v for v, ok in zip(verdicts, enough) if ok]
    if counted and all(v == EQUAL for v in counted):
        return "fair"
    return INSUFFICIENT

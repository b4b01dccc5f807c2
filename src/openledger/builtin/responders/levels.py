"""Kept for older imports: response levels now live in :mod:`openledger.levels`."""

from openledger.levels import (
    LEVEL_NAMES,
    RESPONSE_TYPES,
    LevelResult,
    assess_level,
    response_level,
)

__all__ = ["LEVEL_NAMES", "RESPONSE_TYPES", "LevelResult", "assess_level", "response_level"]

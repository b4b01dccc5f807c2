"""Kept for older imports: the SLA functions now live in :mod:`openledger.sla`."""

from openledger.sla import (
    STATES,
    Targets,
    TargetStatus,
    breached,
    target_status,
    track_sla,
)

__all__ = ["STATES", "TargetStatus", "Targets", "breached", "target_status", "track_sla"]

"""Built-in plugin: the eight standard fair treatment audit metrics.

They are registered through ``register_audit_metrics`` exactly as a third
party's metrics would be; see :mod:`openledger.audit.metrics` for their
definitions and ``docs/audit-method.md`` for what each one means.
"""

from __future__ import annotations

from openledger import hookimpl
from openledger.audit.metrics import BUILTIN_METRICS


@hookimpl
def register_audit_metrics(register, config):
    """Register the built-in metrics (``config`` is not used)."""
    for metric in BUILTIN_METRICS:
        register(metric)

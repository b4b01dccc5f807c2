"""An audit metric whose ``values`` reads a column the published table does not have."""

from openledger import hookimpl
from openledger.audit.metrics import rate_metric


def _hits(table):
    refunded = table["refunded"]  # no such published column
    return refunded, table["resolved"]


@hookimpl
def register_audit_metrics(register):
    register(rate_metric("refund_rate", "Share of resolved cases refunded.", _hits))

"""The built-in audit plugin modules load into a pluggy manager like third-party plugins."""

from __future__ import annotations

import pluggy
import pytest
from audit_sim import simulate

from openledger import hookimpl, hookspecs
from openledger.audit import BUILTIN_METRICS, Metric, run_audit
from openledger.builtin import audit_metrics
from openledger.builtin.sources import history
from openledger.errors import OpenLedgerError


class ExtraMetric:
    """A third-party plugin adding one metric through the hook."""

    @hookimpl
    def register_audit_metrics(self, register, config):
        register(Metric(
            name="apology_only_rate", version="1.0", kind="rate", unit="share",
            description="Share of resolved cases closed with an apology only.",
            compute=lambda t: (t["remedy"] == "apology", t["resolved"]),
        ))


def _manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("openledger")
    pm.add_hookspecs(hookspecs)
    pm.register(audit_metrics, name="openledger.builtin.audit_metrics")
    pm.register(history, name="openledger.builtin.sources.history")
    pm.register(ExtraMetric(), name="extra")
    return pm


def test_hooks_validate_and_collect_builtin_and_third_party_metrics():
    pm = _manager()
    found = []
    pm.hook.register_audit_metrics(register=found.append, config={})
    names = {m.name for m in found}
    assert names == {m.name for m in BUILTIN_METRICS} | {"apology_only_rate"}
    sources = []
    pm.hook.register_sources(register=sources.append, config={})
    assert [s.name for s in sources] == ["history"]
    result = run_audit(simulate(3_000, 81), metrics=found)
    assert {f.metric for f in result.findings} == names


def test_two_metrics_with_one_name_are_refused():
    with pytest.raises(OpenLedgerError, match="'remedy_rate' is reserved or used twice"):
        run_audit(simulate(100, 82), metrics=(*BUILTIN_METRICS, BUILTIN_METRICS[4]))

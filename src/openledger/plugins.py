"""The pluggy plugin manager.

Built-in plugins are modules listed in ``DEFAULT_PLUGINS``; they are imported
and registered exactly like third-party plugins, which are found through the
``openledger`` entry-point group. ``OPENLEDGER_LOAD_PLUGINS`` (a comma
separated list of plugin names, possibly empty) restricts which installed
plugins load; built-ins always load. A name that is not installed, or a
plugin that fails to import, stops with one error line naming it.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import pluggy

from openledger import hookspecs
from openledger.errors import OpenLedgerError

DEFAULT_PLUGINS = (
    "openledger.builtin.sources.csvfile",
    "openledger.builtin.sources.jsonl",
    "openledger.builtin.sources.history",
    "openledger.builtin.sources.email",
    "openledger.builtin.sources.twitter",
    "openledger.builtin.sources.facebook",
    "openledger.builtin.sources.cfpb",
    "openledger.builtin.sources.zendesk",
    "openledger.builtin.sources.reviews",
    "openledger.builtin.sources.webform",
    "openledger.builtin.pollers.imap",
    "openledger.builtin.pollers.zendesk",
    "openledger.builtin.classifiers.lexical",
    "openledger.builtin.classifiers.vader",
    "openledger.builtin.responders.policy",
    "openledger.builtin.redactors.contact",
    "openledger.builtin.redactors.financial",
    "openledger.builtin.redactors.references",
    "openledger.builtin.redactors.addresses",
    "openledger.builtin.redactors.birthdates",
    "openledger.builtin.redactors.names",
    "openledger.builtin.audit_metrics",
)

_manager: pluggy.PluginManager | None = None


def manager() -> pluggy.PluginManager:
    """The plugin manager, with the built-ins and installed plugins loaded on first use.

    ``openledger.plugins.pm`` is the same object. Loading waits until a
    command needs a plugin, so ``--help`` and ``--version`` start at once.
    """
    global _manager
    if _manager is None:
        pm = pluggy.PluginManager("openledger")
        pm.add_hookspecs(hookspecs)
        _load(pm)  # a plugin that cannot load leaves no half-loaded manager behind
        _manager = pm
        globals()["pm"] = _manager
    return _manager


def __getattr__(name: str):
    if name == "pm":
        return manager()
    raise AttributeError(f"module 'openledger.plugins' has no attribute {name!r}")


def _load(pm: pluggy.PluginManager) -> None:
    for name in DEFAULT_PLUGINS:
        module = importlib.import_module(name)
        if not pm.is_registered(module):
            pm.register(module, name=name)
    allowed = os.environ.get("OPENLEDGER_LOAD_PLUGINS")
    installed = {ep.name: ep for ep in importlib.metadata.entry_points(group="openledger")}
    names = list(installed) if allowed is None else [n for n in (n.strip() for n in allowed.split(",")) if n]
    unknown = [n for n in names if n not in installed]
    if unknown:
        raise OpenLedgerError(f"OPENLEDGER_LOAD_PLUGINS names {', '.join(unknown)}, which is not installed "
                              f"(installed: {', '.join(sorted(installed)) or 'none'})")
    for name in names:
        try:
            installed[name].load()  # imported here so that a failure names its plugin
        except Exception as exc:  # noqa: BLE001 (a plugin's bug, reported in one line)
            raise OpenLedgerError(f"plugin {name!r} ({installed[name].value}) cannot be loaded: "
                                  f"{type(exc).__name__}: {exc}") from exc
        pm.load_setuptools_entrypoints("openledger", name=name)


@dataclass(frozen=True)
class PluginInfo:
    name: str
    version: str | None
    builtin: bool
    hooks: tuple[str, ...]


def is_builtin(name: str) -> bool:
    return name.startswith("openledger.builtin.")


def list_plugins(include_builtin: bool = True) -> list[PluginInfo]:
    """Every registered plugin with its distribution version and hooks."""
    versions = {}
    pm = manager()
    for plugin, dist in pm.list_plugin_distinfo():
        versions[pm.get_name(plugin)] = dist.version
    infos = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            continue
        builtin = is_builtin(name)
        if builtin and not include_builtin:
            continue
        hooks = tuple(sorted(h.name for h in pm.get_hookcallers(plugin) or ()))
        version = versions.get(name)
        if builtin:
            from openledger import __version__

            version = __version__
        infos.append(PluginInfo(name, version, builtin, hooks))
    return sorted(infos, key=lambda i: (not i.builtin, i.name))


_owners: dict[int, str] = {}


def owner_of(obj) -> str:
    """The name of the plugin that registered ``obj``."""
    return _owners.get(id(obj), "?")


def _collect(hook, kind: str, config) -> list:
    """Call a ``register_*`` hook and return the registered objects in hook order.

    Implementations are called one by one in pluggy's order (installed plugins
    before built-ins) so each object is attributed to its plugin. The first
    object registered under a name wins.
    """
    found: list = []
    seen: set[str] = set()
    for impl in reversed(hook.get_hookimpls()):

        def register(obj, _plugin=impl.plugin_name) -> None:
            for attr in ("name", "version"):
                if not isinstance(getattr(obj, attr, None), str):
                    raise OpenLedgerError(f"plugin {_plugin}: a registered {kind} has no string '{attr}': {obj!r}")
            if obj.name in seen:
                return
            seen.add(obj.name)
            _owners[id(obj)] = _plugin
            found.append(obj)

        available = {"register": register, "config": config}
        impl.function(**{name: available[name] for name in impl.argnames})
    return found


def sources(config) -> dict:
    return {s.name: s for s in _collect(manager().hook.register_sources, "source", config)}


def payload_sources(config) -> dict:
    """The sources that can read one payload (``read_payload``): what the webhook accepts."""
    return {name: s for name, s in sources(config).items() if callable(getattr(s, "read_payload", None))}


def pollers(config) -> dict:
    return {p.name: p for p in _collect(manager().hook.register_pollers, "poller", config)}


def classifiers(config) -> list:
    return _collect(manager().hook.register_classifiers, "classifier", config)


def responders(config) -> list:
    return _collect(manager().hook.register_responders, "responder", config)


def redactors(config) -> list:
    return _collect(manager().hook.register_redactors, "redactor", config)


def audit_metrics(config) -> list:
    return _collect(manager().hook.register_audit_metrics, "audit metric", config)


class Registered(Protocol):
    """What every registered object (source, classifier, responder, redactor, metric) has."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...


def registered(config) -> Iterator[tuple[str, Registered]]:
    """(kind, object) for everything registered, for ``openledger plugins``."""
    for kind, getter in (
        ("source", lambda c: list(sources(c).values())),
        ("poller", lambda c: list(pollers(c).values())),
        ("classifier", classifiers),
        ("responder", responders),
        ("redactor", redactors),
        ("audit metric", audit_metrics),
    ):
        for obj in getter(config):
            yield kind, obj

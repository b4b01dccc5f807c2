"""The pluggy manager: loading plugins, checking them and calling their hooks.

Built-in plugins are modules listed in ``DEFAULT_PLUGINS``; they are imported
and registered exactly like third-party plugins, which are found through the
``openledger`` entry-point group. ``OPENLEDGER_LOAD_PLUGINS`` (a comma
separated list of plugin names, possibly empty) restricts which installed
plugins load; built-ins always load.

Loading checks every plugin (each problem is one line naming the plugin, its
distribution and its entry point):

- the entry point imports;
- no two distributions declare the same entry-point name (then neither is
  imported: which one was meant is not known);
- every hook implementation is an openledger hook (pluggy's
  ``check_pending``, with a "did you mean" for a misspelt name) and takes
  only that hook's arguments.

The objects of the ``register_*`` hooks are checked when a command collects
them: the hook must not raise, each object must have what its kind requires
(:data:`KINDS`), and names are unique within a kind (a name is what the
ledger records next to each decision, so it must say which object decided).

A command that needs plugins stops with the first problem (exit status 1);
``openledger plugins`` lists every plugin with its problems, and
``openledger plugins --check`` exits 1 when there is one.

Every hook is called through pluggy's hook callers, one plugin at a time
(``subset_hook_caller``) wherever the framework must know which plugin
answered, so ``OPENLEDGER_TRACE_PLUGINS=1`` (pluggy's hook-call monitoring)
shows every call on standard error.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import inspect
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import pluggy

from openledger import hookspecs
from openledger.errors import OpenLedgerError, PluginError
from openledger.records import LABEL_VALUES, LABELS, VISIBILITIES

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
    "openledger.builtin.classifiers.influence",
    "openledger.builtin.responders.policy",
    "openledger.builtin.redactors.contact",
    "openledger.builtin.redactors.financial",
    "openledger.builtin.redactors.references",
    "openledger.builtin.redactors.addresses",
    "openledger.builtin.redactors.birthdates",
    "openledger.builtin.redactors.names",
    "openledger.builtin.audit_metrics",
)

GROUP = "openledger"
MAX_CHANNEL = 50


# --- what the manager knows of each plugin ------------------------------------------------


@dataclass
class PluginRecord:
    """One plugin the manager loaded or tried to load."""

    name: str
    builtin: bool = False
    distribution: str | None = None
    version: str | None = None
    entry_point: str | None = None  # "name = module"
    hooks: tuple[str, ...] = ()
    problems: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """``plugin 'reddit' (openledger-reddit 0.1.0, entry point reddit = openledger_reddit)``."""
        if self.builtin:
            return f"plugin {self.name!r} (built-in)"
        where = [f"{self.distribution} {self.version or ''}".strip()] if self.distribution else []
        if self.entry_point:
            where.append(f"entry point {self.entry_point}")
        return f"plugin {self.name!r}" + (f" ({', '.join(where)})" if where else "")


@dataclass
class Loaded:
    """A plugin manager and what loading found."""

    pm: pluggy.PluginManager
    records: dict[str, PluginRecord]

    def problems(self) -> list[str]:
        return [f"{r.describe()}: {p}" for r in self.records.values() for p in r.problems]


def is_builtin(name: str) -> bool:
    return name.startswith("openledger.builtin.")


def _declared_hooks(obj: object) -> tuple[str, ...]:
    """The names of the attributes of ``obj`` marked with ``openledger.hookimpl``."""
    return tuple(sorted(n for n in dir(obj) if not n.startswith("__")
                        and hasattr(getattr(obj, n, None), f"{GROUP}_impl")))


def _arguments(function: Callable) -> list[str]:
    """The argument names pluggy passes to a hook implementation (those without a default)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in parameters
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty and p.name != "self"]


def _hook_problems(pm: pluggy.PluginManager, obj: object) -> list[str]:
    """Hook implementations of ``obj`` that are no openledger hook, or take arguments the hook has not."""
    specs = {name: getattr(pm.hook, name) for name in dir(pm.hook) if not name.startswith("_")}
    specs = {name: hc for name, hc in specs.items() if isinstance(hc, pluggy.HookCaller) and hc.has_spec()}
    found = []
    for name in _declared_hooks(obj):
        function = getattr(obj, name)
        if getattr(function, f"{GROUP}_impl", {}).get("optionalhook"):
            continue
        if name not in specs:
            close = difflib.get_close_matches(name, specs, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            found.append(f"implements {name}, which is not an openledger hook{hint}")
            continue
        spec = specs[name].spec
        assert spec is not None  # has_spec() above
        allowed = spec.argnames
        extra = [a for a in _arguments(function) if a not in allowed]
        if extra:
            found.append(f"hook {name}() has argument{'s' if len(extra) > 1 else ''} "
                         f"{', '.join(repr(a) for a in extra)} that the hook does not pass "
                         f"(it passes {', '.join(allowed)})")
    return found


def _register(pm: pluggy.PluginManager, record: PluginRecord, obj: object) -> None:
    """Register ``obj`` under ``record.name``, or note why not in ``record.problems``."""
    record.hooks = _declared_hooks(obj)
    problems = _hook_problems(pm, obj)
    if problems:
        record.problems.extend(problems)
        return
    try:
        pm.register(obj, name=record.name)
    except pluggy.PluginValidationError as exc:  # what pluggy checks beyond argument names
        record.problems.append(str(exc).strip().splitlines()[0])
    except ValueError as exc:  # the same object or name twice
        record.problems.append(f"cannot be registered: {exc}")


def _trace(pm: pluggy.PluginManager) -> None:
    """Print every hook call and its result on standard error (``OPENLEDGER_TRACE_PLUGINS=1``)."""

    def short(value: object) -> str:
        if isinstance(value, Mapping):
            text = "{" + ", ".join(map(str, value)) + "}"
        elif callable(value) and not hasattr(value, "name"):
            text = f"<{getattr(value, '__name__', type(value).__name__)}>"
        else:
            text = repr(value)
        return text if len(text) <= 80 else text[:77] + "..."

    def before(hook_name: str, impls: Sequence[pluggy.HookImpl], kwargs: Mapping[str, Any]) -> None:
        names = ", ".join(impl.plugin_name for impl in reversed(impls)) or "no plugin"
        args = ", ".join(f"{k}={short(v)}" for k, v in kwargs.items())
        print(f"openledger: hook {hook_name}({args}) -> {names}", file=sys.stderr)

    def after(outcome: pluggy.Result[Any], hook_name: str, impls: Sequence[pluggy.HookImpl],
              kwargs: Mapping[str, Any]) -> None:
        if outcome.exception is not None:
            print(f"openledger: hook {hook_name} raised {type(outcome.exception).__name__}: {outcome.exception}",
                  file=sys.stderr)
        else:
            print(f"openledger: hook {hook_name} returned {short(outcome.get_result())}", file=sys.stderr)

    pm.add_hookcall_monitoring(before, after)


def _new_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    if os.environ.get("OPENLEDGER_TRACE_PLUGINS", "") not in ("", "0"):
        _trace(pm)
    return pm


def _entry_point_record(ep: importlib.metadata.EntryPoint) -> PluginRecord:
    dist = ep.dist
    return PluginRecord(ep.name, distribution=dist.metadata["Name"] if dist else None,
                        version=dist.version if dist else None, entry_point=f"{ep.name} = {ep.value}")


def _load_builtins(pm: pluggy.PluginManager, records: dict[str, PluginRecord]) -> None:
    for name in DEFAULT_PLUGINS:
        record = records[name] = PluginRecord(name, builtin=True)
        _register(pm, record, importlib.import_module(name))


def _load_entry_points(pm: pluggy.PluginManager, records: dict[str, PluginRecord], names: list[str],
                       installed: dict[str, list[importlib.metadata.EntryPoint]]) -> None:
    for name in names:
        points = installed[name]
        record = records[name] = _entry_point_record(points[0])
        if len(points) > 1:
            declared = "; ".join(f"{r.distribution} {r.version} ({r.entry_point})"
                                 for r in map(_entry_point_record, points))
            record.distribution, record.version, record.entry_point = None, None, None
            record.problems.append(f"is declared by {len(points)} distributions: {declared}; none of them was "
                                   "loaded: uninstall all but one")
            continue
        try:
            obj = points[0].load()  # imported here so that a failure names its plugin
        except Exception as exc:  # noqa: BLE001 (a plugin's bug, reported in one line)
            record.problems.append(f"cannot be loaded: {type(exc).__name__}: {exc}")
            continue
        _register(pm, record, obj)


def installed_entry_points() -> dict[str, list[importlib.metadata.EntryPoint]]:
    """Every entry point of the ``openledger`` group, by name (more than one: a conflict)."""
    found: dict[str, list[importlib.metadata.EntryPoint]] = {}
    for ep in importlib.metadata.entry_points(group=GROUP):
        found.setdefault(ep.name, []).append(ep)
    return found


def build(only: Iterable[str | object] | None = None) -> Loaded:
    """A new manager with the built-ins and the installed plugins (or only those named).

    ``only`` (for tests) names installed plugins by entry-point name, or gives
    plugin objects (modules, instances) to register as they are; without it,
    every installed plugin loads, restricted by ``OPENLEDGER_LOAD_PLUGINS``.
    """
    pm = _new_manager()
    records: dict[str, PluginRecord] = {}
    _load_builtins(pm, records)
    installed = installed_entry_points()
    objects: list[object] = []
    if only is None:
        allowed = os.environ.get("OPENLEDGER_LOAD_PLUGINS")
        names = list(installed) if allowed is None else [n for n in (n.strip() for n in allowed.split(",")) if n]
        where = "OPENLEDGER_LOAD_PLUGINS names"
    else:
        wanted = list(only)
        names = [n for n in wanted if isinstance(n, str)]
        objects = [o for o in wanted if not isinstance(o, str)]
        where = "plugin_manager(only=...) names"
    unknown = [n for n in names if n not in installed]
    if unknown:
        raise OpenLedgerError(f"{where} {', '.join(unknown)}, which is not installed "
                              f"(installed: {', '.join(sorted(installed)) or 'none'})")
    _load_entry_points(pm, records, names, installed)
    for obj in objects:
        record = _object_record(obj, installed)
        records[record.name] = record
        _register(pm, record, obj)
    if not any(r.problems for r in records.values()):
        try:
            pm.check_pending()  # the checks above cover it; this is pluggy's own word
        except pluggy.PluginValidationError as exc:
            name = pm.get_name(exc.plugin) or "?"
            records.setdefault(name, PluginRecord(name)).problems.append(str(exc).strip().splitlines()[0])
    return Loaded(pm, records)


def _object_record(obj: object, installed: dict[str, list[importlib.metadata.EntryPoint]]) -> PluginRecord:
    """The record of a plugin object given directly: named by its entry point when it is installed."""
    module = getattr(obj, "__name__", None)
    for _name, points in installed.items():
        if len(points) == 1 and points[0].value == module:
            return _entry_point_record(points[0])
    return PluginRecord(module or type(obj).__name__)


_loaded: Loaded | None = None


def load() -> Loaded:
    """The plugins, loaded on first use, with what the load-time checks found (never raises for those)."""
    global _loaded
    if _loaded is None:
        _loaded = build()
    return _loaded


def manager() -> pluggy.PluginManager:
    """The plugin manager, for a command that needs plugins: a broken plugin stops it here.

    ``openledger.plugins.pm`` is the same object. Loading waits until a
    command needs a plugin, so ``--help`` and ``--version`` start at once.
    """
    loaded = load()
    problems = loaded.problems()
    if problems:
        more = f" (and {len(problems) - 1} more problem(s): run 'openledger plugins --check')" \
            if len(problems) > 1 else ""
        raise PluginError(problems[0] + more)
    return loaded.pm


@contextmanager
def using(loaded: Loaded) -> Iterator[Loaded]:
    """Make ``loaded`` the plugins of every command until the block ends (see ``openledger.testing``)."""
    global _loaded
    previous = _loaded
    _loaded = loaded
    try:
        yield loaded
    finally:
        _loaded = previous


def __getattr__(name: str):
    if name == "pm":
        return manager()
    raise AttributeError(f"module 'openledger.plugins' has no attribute {name!r}")


def describe(plugin: str) -> str:
    """``plugin 'NAME' (distribution VERSION, entry point NAME = MODULE)`` for messages."""
    record = load().records.get(plugin)
    return record.describe() if record else f"plugin {plugin!r}"


# --- what each kind of registered object must have ---------------------------------------


def _text(obj: object, attr: str) -> str | None:
    value = getattr(obj, attr, None)
    if not isinstance(value, str) or not value.strip():
        return f"no {attr!r} (a non-empty string)"
    return None


def _method(obj: object, *names: str) -> str | None:
    if any(callable(getattr(obj, n, None)) for n in names):
        return None
    return f"no {' or '.join(f'{n}()' for n in names)} method"


def _named(obj: object) -> str | None:
    return _text(obj, "name") or _text(obj, "version")


def _source_problem(obj: object) -> str | None:
    if problem := _named(obj) or _method(obj, "read"):
        return problem
    for attr in ("channel", "visibility"):
        if not hasattr(obj, attr):
            return f"no {attr!r} attribute (a string, or None when it comes from the data)"
    channel, visibility = obj.channel, obj.visibility  # type: ignore[attr-defined]
    if channel is not None and (not isinstance(channel, str) or not channel.strip()
                                or channel != channel.strip().lower() or len(channel) > MAX_CHANNEL):
        return f"channel must be None or a lower-case name of at most {MAX_CHANNEL} characters, not {channel!r}"
    if visibility is not None and visibility not in VISIBILITIES:
        return f"visibility must be None, 'public' or 'private', not {visibility!r}"
    return None


def _classifier_problem(obj: object) -> str | None:
    if problem := _named(obj) or _text(obj, "label") or _method(obj, "classify"):
        return problem
    label, values = obj.label, getattr(obj, "values", None)  # type: ignore[attr-defined]
    if values is not None:
        if isinstance(values, str) or not isinstance(values, Iterable):
            return f"values must be a collection of strings, not {values!r}"
        values = list(values)
        if not values or not all(isinstance(v, str) and v.strip() for v in values):
            return "values must be a non-empty collection of non-empty strings"
        if label in LABEL_VALUES and not set(values) <= set(LABEL_VALUES[label]):
            strays = sorted(set(values) - set(LABEL_VALUES[label]))
            return (f"declares values {', '.join(strays)} for label {label!r}, whose values are "
                    f"{', '.join(LABEL_VALUES[label])}")
    elif label not in LABELS and label not in LABEL_VALUES:
        return f"label {label!r} is not one of {', '.join(LABELS)}: a label of its own needs 'values' (its value set)"
    return None


def _metric_problem(obj: object) -> str | None:
    if problem := _named(obj) or _method(obj, "values"):
        return problem
    kind = getattr(obj, "kind", None)
    if kind not in ("rate", "time", "amount"):
        return f"kind must be 'rate', 'time' or 'amount', not {kind!r}"
    return None


def _category_map_problem(obj: object) -> str | None:
    if problem := _named(obj) or _text(obj, "source"):
        return problem
    table = getattr(obj, "table", None)
    if not isinstance(table, Mapping) or not all(
            isinstance(f, str) and isinstance(values, Mapping)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in values.items())
            for f, values in table.items()):
        return "table must be a mapping of field name to a mapping of native value to category name (str)"
    return None


def _page_problem(obj: object) -> str | None:
    return _text(obj, "path") or _text(obj, "title") or _method(obj, "render")


@dataclass(frozen=True)
class Kind:
    """A kind of registered object: its ``register_*`` hook, what it must have and what names it."""

    name: str
    hook: str
    problem: Callable[[object], str | None]
    key: str = "name"


KINDS = {
    kind.name: kind
    for kind in (
        Kind("source", "register_sources", _source_problem),
        Kind("poller", "register_pollers", lambda o: _named(o) or _text(o, "source") or _method(o, "poll")),
        Kind("classifier", "register_classifiers", _classifier_problem),
        Kind("responder", "register_responders", lambda o: _named(o) or _method(o, "draft", "propose_remedy")),
        Kind("redactor", "register_redactors", lambda o: _named(o) or _method(o, "find")),
        Kind("audit metric", "register_audit_metrics", _metric_problem),
        Kind("category map", "register_category_maps", _category_map_problem),
        Kind("site page", "register_site_pages", _page_problem, key="path"),
    )
}

_owners: dict[int, str] = {}


def owner_of(obj) -> str:
    """The name of the plugin that registered ``obj``."""
    return _owners.get(id(obj), "?")


def callers(hook_name: str, pm: pluggy.PluginManager | None = None) -> Iterator[tuple[str, pluggy.HookCaller]]:
    """(plugin name, a hook caller for that plugin alone) in pluggy's call order.

    Installed plugins come before built-ins (pluggy calls later registrations
    first); ``tryfirst``/``trylast`` are respected.
    """
    pm = pm or manager()
    impls = list(reversed(getattr(pm.hook, hook_name).get_hookimpls()))
    everyone = [impl.plugin for impl in impls]
    for impl in impls:
        others = [p for p in everyone if p is not impl.plugin]
        yield impl.plugin_name, pm.subset_hook_caller(hook_name, remove_plugins=others)


def implementers(hook_name: str) -> list[str]:
    """The plugins implementing ``hook_name``, in call order (none: the hook costs nothing)."""
    return [impl.plugin_name for impl in reversed(getattr(manager().hook, hook_name).get_hookimpls())]


def call_one(hook_name: str, plugin: str, **kwargs):
    """Call ``hook_name`` of one plugin only (through pluggy, so that tracing sees it)."""
    pm = manager()
    others = [impl.plugin for impl in getattr(pm.hook, hook_name).get_hookimpls() if impl.plugin_name != plugin]
    return pm.subset_hook_caller(hook_name, remove_plugins=others)(**kwargs)


def collect(kind_name: str, problems: dict[str, list[str]] | None = None, **kwargs) -> list:
    """Call a ``register_*`` hook and return the registered objects in hook order.

    Each plugin's implementation is called on its own, so that every object
    is attributed to its plugin (:func:`owner_of`). An implementation that
    raises, an object that lacks what its kind requires, or a name that
    another object of the kind already has, is a :class:`PluginError` naming
    the plugin, or (with ``problems``, for ``openledger plugins``) a line in
    ``problems[plugin]`` and the object left out.
    """
    kind = KINDS[kind_name]
    pm = manager() if problems is None else load().pm
    found: list = []
    owners: dict[str, str] = {}

    def fail(plugin: str, message: str) -> None:
        if problems is None:
            raise PluginError(f"{describe(plugin)}: {message}", plugin=plugin)
        problems.setdefault(plugin, []).append(message)

    for plugin, caller in callers(kind.hook, pm):
        objects: list = []

        def register(obj: object, objects: list = objects) -> None:
            objects.append(obj)

        try:
            caller(register=register, **kwargs)
        except OpenLedgerError as exc:  # e.g. a ConfigError of the instance: the user's to fix
            if problems is None:
                raise
            problems.setdefault(plugin, []).append(str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 (a plugin's bug, reported in one line naming it)
            fail(plugin, f"{kind.hook}() raised {type(exc).__name__}: {exc}")
            continue
        for obj in objects:
            problem = kind.problem(obj)
            key = getattr(obj, kind.key, None)
            label = f"{kind.name} {key!r}" if isinstance(key, str) else f"a {kind.name} ({obj!r})"
            if problem or not isinstance(key, str):
                problem = problem or f"no {kind.key!r}"
                fail(plugin, f"{label} has {problem}" if problem.startswith("no ") else f"{label}: {problem}")
                continue
            if key in owners:
                first = owners[key]
                where = "twice" if first == plugin else f"also by {describe(first)}"
                fail(plugin, f"{label} is registered {where}: names must be unique within a kind")
                continue
            owners[key] = plugin
            _owners[id(obj)] = plugin
            found.append(obj)
    return found


@contextmanager
def blamed(objects: Iterable[object]) -> Iterator[None]:
    """Name the plugin in a :class:`PluginError` that a pure core raised naming only one of ``objects``.

    The pure cores (``audit``, ``privacy``) know a metric or redactor by its
    name, not the plugin that registered it; the command that handed them
    the objects wraps the call in this, so the line names the plugin too.
    """
    try:
        yield
    except PluginError as exc:
        if exc.plugin is not None:
            raise
        owner = next((owner_of(o) for o in objects if getattr(o, "name", None) == exc.subject), None)
        if owner is None:
            raise
        raise PluginError(f"{describe(owner)}: {exc}", plugin=owner, subject=exc.subject) from exc


def sources(config) -> dict:
    return {s.name: s for s in collect("source", config=config)}


def payload_sources(config) -> dict:
    """The sources that can read one payload (``read_payload``): what the webhook accepts."""
    return {name: s for name, s in sources(config).items() if callable(getattr(s, "read_payload", None))}


def pollers(config) -> dict:
    return {p.name: p for p in collect("poller", config=config)}


def classifiers(config) -> list:
    return collect("classifier", config=config)


def responders(config) -> list:
    return collect("responder", config=config)


def redactors(config) -> list:
    return collect("redactor", config=config)


def audit_metrics(config) -> list:
    return collect("audit metric", config=config)


def category_maps(config) -> list:
    return collect("category map", config=config)


def site_pages(context) -> list:
    return collect("site page", context=context)


class Registered(Protocol):
    """What every registered object (source, classifier, responder, redactor, metric) has."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...


@dataclass(frozen=True)
class PluginInfo:
    """A plugin for ``openledger plugins``: where it comes from, its hooks, what it registers and its problems."""

    name: str
    version: str | None
    builtin: bool
    hooks: tuple[str, ...]
    distribution: str | None = None
    entry_point: str | None = None
    problems: tuple[str, ...] = ()
    registers: tuple[tuple[str, Registered], ...] = ()


def inspect_plugins(config, include_builtin: bool = True) -> list[PluginInfo]:
    """Every plugin, loaded or not, with its hooks, registered objects and problems (never raises for them).

    Runs the load-time checks and collects every kind of object with
    ``config`` (site pages are collected at build time, with the build's
    context, so they are not listed here).
    """
    from openledger import __version__

    loaded = load()
    problems: dict[str, list[str]] = {name: list(r.problems) for name, r in loaded.records.items()}
    registered: dict[str, list[tuple[str, Registered]]] = {}
    for kind in KINDS.values():
        if kind.hook == "register_site_pages":
            continue
        for obj in collect(kind.name, problems, config=config):
            registered.setdefault(owner_of(obj), []).append((kind.name, obj))
    infos = []
    names = list(loaded.records) + [n for n, p in loaded.pm.list_name_plugin()
                                    if p is not None and n not in loaded.records]
    for name in names:
        record = loaded.records.get(name) or PluginRecord(name)
        builtin = record.builtin or is_builtin(name)
        if builtin and not include_builtin:
            continue
        plugin = loaded.pm.get_plugin(name)
        hooks = tuple(sorted(h.name for h in loaded.pm.get_hookcallers(plugin) or ())) if plugin else record.hooks
        infos.append(PluginInfo(name, __version__ if builtin else record.version, builtin, hooks,
                                record.distribution, record.entry_point, tuple(problems.get(name, ())),
                                tuple(registered.get(name, ()))))
    return sorted(infos, key=lambda i: (not i.builtin, i.name))

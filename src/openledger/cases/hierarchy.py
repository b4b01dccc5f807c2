"""The response hierarchy: one published policy table for every channel.

The file is TOML 1.0 (read with :mod:`tomllib`); the format is documented
in ``docs/classifiers-and-responders.md`` and in the shipped default,
``openledger/templates/hierarchy.toml``. ``config["hierarchy_file"]`` names a
company's own file (relative paths are resolved against ``config["home"]``
when the engine provides it, else against the working directory).

Each ``[[rule]]`` may set ``kind``, ``category`` and ``severity`` (absent or
``"*"`` = any) and the policy fields ``template``, ``tier``,
``first_response_hours``, ``resolution_hours``, ``business_hours``; fields a
rule leaves out come from ``[defaults]``. The most specific matching rule
wins; among equally specific rules, the first in the file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from openledger import patterns
from openledger.errors import ConfigError

FORMAT_VERSION = 1
SEVERITIES = (1, 2, 3, 4)
_POLICY_FIELDS: dict[str, type[object] | tuple[type[object], ...]] = {
    "template": str, "tier": int, "first_response_hours": (int, float), "resolution_hours": (int, float),
    "business_hours": bool,
}
_MATCH_FIELDS = ("kind", "category", "severity")
_SEVERITY = patterns.anchored(r"^\s*(?:(\*)|(\d)|(>=|<=)\s*(\d)|(\d)\s*-\s*(\d))\s*$")
_TEMPLATE_NAME = patterns.anchored(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Policy:
    """What the hierarchy says for one case."""

    template: str
    tier: int
    first_response_hours: float
    resolution_hours: float
    business_hours: bool
    rule: int  # index of the matching [[rule]] (0-based), -1 for [defaults]


@dataclass(frozen=True)
class Rule:
    """One ``[[rule]]``: a pattern and the policy it gives."""

    kind: str
    category: str
    severities: frozenset[int]
    policy: Policy

    @property
    def specificity(self) -> int:
        return ((self.kind != "*") + (self.category != "*")
                + (self.severities != frozenset(SEVERITIES)))

    def matches(self, kind: str, category: str, severity: int) -> bool:
        return (self.kind in ("*", kind) and self.category in ("*", category)
                and severity in self.severities)


@dataclass(frozen=True)
class Hierarchy:
    """A parsed hierarchy file."""

    defaults: Policy
    rules: tuple[Rule, ...]
    source: str

    def lookup(self, kind: str | None, category: str | None, severity: int) -> Policy:
        """The policy of the most specific rule matching the case, else the defaults."""
        best: Rule | None = None
        for rule in self.rules:
            if rule.matches(kind or "", category or "", severity):
                if best is None or rule.specificity > best.specificity:
                    best = rule
        return best.policy if best else self.defaults

    @property
    def templates(self) -> set[str]:
        """Every template name the hierarchy refers to."""
        return {self.defaults.template} | {r.policy.template for r in self.rules}


def parse_severity(value, where: str) -> frozenset[int]:
    """``"*"``, ``3``, ``">=3"``, ``"<=2"`` or ``"2-3"`` as a set of severities."""
    match = _SEVERITY.match(str(value))
    if not match:
        raise ConfigError(f"severity must be *, 1-4, >=N, <=N or N-M, not {value!r}", location=where)
    star, exact, op, bound, low, high = match.groups()
    if star:
        chosen = set(SEVERITIES)
    elif exact:
        chosen = {int(exact)}
    elif op:
        chosen = {s for s in SEVERITIES if (s >= int(bound) if op == ">=" else s <= int(bound))}
    else:
        chosen = {s for s in SEVERITIES if int(low) <= s <= int(high)}
    if not chosen or not chosen <= set(SEVERITIES):
        raise ConfigError(f"severity {value!r} selects nothing in 1-4", location=where)
    return frozenset(chosen)


def _policy(table: Mapping, base: Mapping, where: str, index: int) -> Policy:
    merged = {**base, **{k: v for k, v in table.items() if k in _POLICY_FIELDS}}
    for name, kind in _POLICY_FIELDS.items():
        if name not in merged:
            raise ConfigError(f"{name} is missing", location=where)
        value = merged[name]
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise ConfigError(f"{name} has the wrong type: {value!r}", location=where)
    if not _TEMPLATE_NAME.match(merged["template"]):
        raise ConfigError(f"template names are lower-case words, not {merged['template']!r}",
                          location=where)
    if merged["tier"] < 1 or merged["first_response_hours"] < 0 or merged["resolution_hours"] < 0:
        raise ConfigError("tier must be >= 1 and hours >= 0", location=where)
    if merged["resolution_hours"] < merged["first_response_hours"]:
        raise ConfigError("resolution_hours is shorter than first_response_hours", location=where)
    return Policy(merged["template"], merged["tier"], float(merged["first_response_hours"]),
                  float(merged["resolution_hours"]), merged["business_hours"], index)


def parse_hierarchy(text: str, source: str = "hierarchy.toml") -> Hierarchy:
    """Parse the TOML text of a hierarchy file; errors name ``source`` and the rule."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"not valid TOML: {error}", path=source) from error
    if data.get("version", FORMAT_VERSION) != FORMAT_VERSION:
        raise ConfigError(f"unsupported hierarchy version {data.get('version')!r}", path=source)
    unknown = set(data) - {"version", "defaults", "rule"}
    if unknown:
        raise ConfigError(f"unknown top-level key(s) {sorted(unknown)}", path=source)
    try:
        extra = set(data.get("defaults", {})) - set(_POLICY_FIELDS)
        if extra:
            raise ConfigError(f"unknown key(s) {sorted(extra)}", location="[defaults]")
        defaults = _policy(data.get("defaults", {}), {}, "[defaults]", -1)
        base = {k: getattr(defaults, k) for k in _POLICY_FIELDS}
        rules = []
        for index, table in enumerate(data.get("rule", [])):
            where = f"rule {index + 1}"
            extra = set(table) - set(_POLICY_FIELDS) - set(_MATCH_FIELDS)
            if extra:
                raise ConfigError(f"unknown key(s) {sorted(extra)}", location=where)
            rules.append(Rule(str(table.get("kind", "*")), str(table.get("category", "*")),
                              parse_severity(table.get("severity", "*"), where),
                              _policy(table, base, where, index)))
    except ConfigError as error:
        raise ConfigError(error.message, path=source, location=error.location) from None
    return Hierarchy(defaults, tuple(rules), source)


def default_hierarchy_text() -> str:
    """The text of the shipped default hierarchy."""
    return resources.files("openledger").joinpath("templates/hierarchy.toml").read_text("utf-8")


def hierarchy_text(config: Mapping | None) -> tuple[str, str]:
    """The TOML text of the hierarchy named by ``config['hierarchy_file']`` (or the default), and its name."""
    name = (config or {}).get("hierarchy_file")
    if not name:
        return default_hierarchy_text(), "openledger/templates/hierarchy.toml"
    path = Path(name).expanduser()
    home = (config or {}).get("home")
    if not path.is_absolute() and home:
        path = Path(home) / path
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except OSError as error:
        raise ConfigError(f"cannot read the hierarchy file: {error.strerror}", path=path) from error


def load_hierarchy(config: Mapping | None) -> Hierarchy:
    """The hierarchy named by ``config['hierarchy_file']``, or the shipped default."""
    return parse_hierarchy(*hierarchy_text(config))

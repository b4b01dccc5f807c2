"""One category vocabulary across sources: each source's own categories mapped onto the taxonomy.

A complaint from the CFPB comes with the regulator's Product, Sub-product and
Issue; a history file with the company's own ``category`` names; a
classifier answers with a category of the instance's taxonomy
(:func:`openledger.cases.contract.categories`). The audit compares cases
within strata of category x severity, so a case whose category is outside the
taxonomy shares no stratum with the cases of other sources and drops out of
every adjusted comparison. A *category map* says, for one source, which
category of the taxonomy each native value means.

Maps come from two places, asked in this order:

1. the instance's ``[categories.map.SOURCE.FIELD]`` tables in
   ``openledger.toml`` (validated here: a target outside the taxonomy is one
   line naming the table and the value);
2. the maps plugins register with the ``register_category_maps`` hook, in hook
   order (installed plugins before the built-ins; the built-in ``cfpb``
   source ships ``cfpb_categories.toml``). A plugin map's target that is not
   in the instance's taxonomy is skipped, so a company that replaced the
   taxonomy sees those values as unmapped rather than an error.

Within a table the fields are asked in the order written (most specific
first); the first value that names a category decides, and ``""`` says the
value does not decide by itself (the next field or table does). The field
``category`` is the record's category; any other field is read from the
record's ``meta`` (a list there, like Zendesk tags, is tried element by
element). Values are compared as :func:`openledger.privacy.labels.slug`
tokens, so case, spacing and punctuation do not matter. When no table maps a
record, a category that is already a name of the taxonomy stands for itself;
otherwise the case keeps its own category, made a safe token
(:mod:`openledger.privacy.labels`), and is *unmapped*:
:func:`unmapped_categories` lists those for ``openledger audit`` and
``openledger build``.

The mapping is applied when a case is stored (``openledger ingest`` of whole
cases), so the case row, its ``opened`` event, the log and the site carry the
taxonomy's category; the native values are kept in the private details of
the ``opened`` event (committed, never published). Cases made of messages
are mapped by ``openledger process`` from their inbound messages' ``meta``
(:mod:`openledger.cases.process`): a map that decides wins over the
classifiers. Events already in the log
are never rewritten: cases imported before a map existed keep their category
(see docs/sources.md, "Categories").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from openledger import plugins
from openledger.cases.contract import categories
from openledger.errors import ConfigError
from openledger.privacy.labels import LabelCleaner, slug
from openledger.records import CaseRecord

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

#: the field that is the record's own category (every other field is read from its ``meta``)
CATEGORY_FIELD = "category"

Table = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class CategoryMap:
    """A map from one source's native category values onto taxonomy categories.

    ``table`` maps a field name to a mapping of native value to category
    (``""``: this value does not decide); fields are asked in its order.
    """

    name: str
    version: str
    source: str
    table: Table
    description: str = ""


def read_table(path: Path | str, text: str | None = None) -> Table:
    """A map's table from a TOML file (``[FIELD]`` tables of ``"native value" = "category"``).

    For plugin authors: ship the table as package data and read it with
    ``read_table(path)`` (or pass its ``text``). A malformed table is a
    :class:`~openledger.errors.ConfigError` naming the file and the value.
    """
    import tomllib

    try:
        data = tomllib.loads(text if text is not None else Path(path).read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the category map: {exc}", path=path) from None
    return checked_table(data, where=str(path))


def checked_table(data: object, where: str) -> Table:
    """``data`` as a read-only table, or a :class:`ConfigError` naming the first thing wrong with it."""
    if not isinstance(data, Mapping):
        raise ConfigError("a category map must be a table of fields", location=where)
    table: dict[str, Mapping[str, str]] = {}
    for name, values in data.items():
        if not isinstance(values, Mapping):
            raise ConfigError(f"field {name!r} must be a table of \"native value\" = \"category\"",
                              location=where)
        for value, target in values.items():
            if not isinstance(target, str):
                inner = f"{where[:-1]}.{name}]" if where.endswith("]") else f"{where}: [{name}]"
                raise ConfigError(f"{value!r} must map to a category name (a string, or \"\" to let the next "
                                  f"field decide), not {target!r}", location=inner)
        table[str(name)] = MappingProxyType({str(k): v.strip().lower() for k, v in values.items()})
    return MappingProxyType(table)


def config_maps(config: Mapping, taxonomy: frozenset[str] | None = None) -> dict[str, Table]:
    """The ``[categories.map]`` tables of the config, by source, checked against the taxonomy."""
    section = config.get("categories")
    if section is None:
        return {}
    if not isinstance(section, Mapping):
        raise ConfigError("'categories' must be a table", location="[categories]")
    strays = sorted(set(section) - {"map"})
    if strays:
        raise ConfigError(f"unknown key {strays[0]!r} (the only key is 'map')", location="[categories]")
    maps = section.get("map", {})
    if not isinstance(maps, Mapping):
        raise ConfigError("'map' must be a table of sources", location="[categories.map]")
    taxonomy = taxonomy if taxonomy is not None else categories(config)
    found: dict[str, Table] = {}
    for source, data in maps.items():
        where = f"[categories.map.{source}]"
        table = checked_table(data, where)
        for name, values in table.items():
            for value, target in values.items():
                if target and target not in taxonomy:
                    raise ConfigError(f"{value!r} maps to {target!r}, which is not a category of the taxonomy "
                                      f"({', '.join(sorted(taxonomy))})",
                                      location=f"[categories.map.{source}.{name}]")
        found[str(source)] = table
    return found


def check_sources(maps: Mapping[str, Table], known: Iterable[str]) -> None:
    """A config map for a source that does not exist is a typo: one line naming it."""
    known = sorted(known)
    for source in maps:
        if source not in known:
            raise ConfigError(f"names source {source!r}, which is not a source ({', '.join(known)})",
                              location=f"[categories.map.{source}]")


@dataclass
class Mapped:
    """What the mapper made of one record."""

    category: str
    native: dict[str, Any] = field(default_factory=dict)  # the native values asked, for the private details
    by: str | None = None  # the map's name (CONFIG_MAP: the config's); None: unmapped, or a taxonomy name
    version: str | None = None  # the map's version ("config" for the instance's tables)
    mapped: bool = True


CONFIG_MAP = "categories.map"  # how the config's tables are named where a map is recorded


class CategoryMapper:
    """The category of each record of one source: its maps in order, then the record's own category.

    ``tables`` are ``(name, version, table)`` in the order asked; ``clean``
    turns an unmapped category into a safe token; ``unmapped`` counts those
    tokens.
    """

    def __init__(self, source: str, tables: list[tuple[str, str, Table]], taxonomy: frozenset[str],
                 clean: LabelCleaner | None = None) -> None:
        self.source = source
        self.taxonomy = taxonomy
        self.clean = clean or LabelCleaner()
        self.tables = [(name, version, {f: {slug(k): v for k, v in values.items() if not v or v in taxonomy}
                                        for f, values in table.items()})
                       for name, version, table in tables]
        self.fields = list(dict.fromkeys(f for _, _, table in self.tables for f in table))
        self.unmapped: dict[str, int] = {}
        self._tokens: dict[str, str] = {}  # native values repeat: each is made a token once

    def _token(self, value: str) -> str:
        token = self._tokens.get(value)
        if token is None:
            token = self._tokens[value] = slug(value)
        return token

    @staticmethod
    def _values(category: str | None, meta: Mapping | None, name: str) -> list[str]:
        value = category if name == CATEGORY_FIELD else (meta or {}).get(name)
        if isinstance(value, (list, tuple)):
            return [str(v) for v in value if v not in (None, "")]
        return [] if value in (None, "") else [str(value)]

    def lookup(self, category: str | None, meta: Mapping | None) -> Mapped:
        """What the maps make of a record's ``category`` and ``meta`` (``mapped`` False: no map decides)."""
        native = {name: found if len(found) > 1 else found[0]
                  for name in self.fields if (found := self._values(category, meta, name))}
        for by, version, table in self.tables:
            for name, targets in table.items():
                for value in self._values(category, meta, name):
                    target = targets.get(self._token(value))
                    if target:
                        return Mapped(target, native, by, version)
        return Mapped("", native, mapped=False)

    def __call__(self, record: CaseRecord) -> Mapped:
        found = self.lookup(record.category, record.meta)
        if found.mapped:
            return found
        own = self._token(record.category)
        if own in self.taxonomy:
            return Mapped(own, found.native)
        token = self.clean(record.category)
        self.unmapped[token] = self.unmapped.get(token, 0) + 1
        return Mapped(token, found.native, mapped=False)


def plugin_maps(config: Mapping) -> list[CategoryMap]:
    """The maps every plugin registers (``register_category_maps``), in hook order."""
    return plugins.category_maps(config)


def mappers(config: Mapping, clean: LabelCleaner | None = None) -> dict[str, CategoryMapper]:
    """A mapper for every source that has a map: the config's table first, then the plugins' in hook order."""
    taxonomy = categories(config)
    configured = config_maps(config, taxonomy)
    check_sources(configured, plugins.sources(config))
    tables: dict[str, list[tuple[str, str, Table]]] = {}
    for source, table in configured.items():
        tables.setdefault(source, []).append((CONFIG_MAP, "config", table))
    for m in plugin_maps(config):
        tables.setdefault(m.source, []).append((m.name, m.version, m.table))
    return {source: CategoryMapper(source, found, taxonomy, clean) for source, found in tables.items()}


def mapper_for(source: str, config: Mapping, clean: LabelCleaner | None = None) -> CategoryMapper:
    """The mapper of ``source`` (with no table when no map names it: a category of the taxonomy stands)."""
    found = mappers(config, clean).get(source)
    return found or CategoryMapper(source, [], categories(config), clean)


@dataclass(frozen=True)
class Unmapped:
    """Cases of one source whose category is outside the taxonomy."""

    source: str
    category: str
    cases: int

    def as_json(self) -> dict:
        return {"source": self.source, "category": self.category, "cases": self.cases}


def unmapped_categories(conn: Connection, config: Mapping) -> list[Unmapped]:
    """Every (source, category) of stored cases outside the taxonomy, most cases first.

    These cases share no category x severity stratum with cases of another
    vocabulary: ``openledger audit`` lists them, ``openledger build`` warns.
    """
    from sqlalchemy import func, select  # the database layer loads here, not with the sources that map categories

    from openledger.store.models import cases_table as cases_t

    config_maps(config)  # a broken [categories.map] says so here too
    taxonomy = categories(config)
    rows = conn.execute(
        select(cases_t.c.source, cases_t.c.category, func.count())
        .where(cases_t.c.category.is_not(None), cases_t.c.category.not_in(sorted(taxonomy)))
        .group_by(cases_t.c.source, cases_t.c.category)
    ).all()
    return sorted((Unmapped(s, c, n) for s, c, n in rows), key=lambda u: (-u.cases, u.source, u.category))


def unmapped_line(found: list[Unmapped], shown: int = 5) -> str | None:
    """One warning line for ``build``: how many cases, in which categories (the largest first)."""
    if not found:
        return None
    total = sum(u.cases for u in found)
    named = ", ".join(f"{u.source} {u.category!r} ({u.cases:,})" for u in found[:shown])
    more = f" and {len(found) - shown} more" if len(found) > shown else ""
    return (f"warning: {total:,} cases in {len(found)} categories outside the taxonomy share no stratum with "
            f"other sources in the audit: {named}{more}; map them in [categories.map] (see 'openledger audit')")


def unmapped_table(found: list[Unmapped]) -> str:
    """The plain-text section ``openledger audit`` prints under its findings."""
    title = "Unmapped categories (outside the taxonomy: these cases share no stratum with other sources)"
    if not found:
        return f"{title}: none.\n"
    rows = [("source", "category", "cases")] + [(u.source, u.category, f"{u.cases:,}") for u in found]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [f"{title}:", ""]
    for i, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += ["", "Map them in [categories.map] of openledger.toml (docs/sources.md, \"Categories\"); cases "
              "stored before keep their category."]
    return "\n".join(lines) + "\n"

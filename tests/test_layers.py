"""The architecture, from the code's own imports (docs/architecture.md draws it).

Every ``import`` and ``from ... import`` of src/openledger counts, also those
inside functions (a lazy import is still a dependency), but not those under
``if TYPE_CHECKING:`` (never run). The layers below may
import only what their row allows; nothing imports the command line but
``__main__``; no module imports itself back through others; the core never
imports a built-in plugin.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import openledger

SRC = Path(openledger.__file__).parent

FOUNDATION = {"openledger", "errors", "records", "timeutil", "periods", "hookspecs", "jsonlines", "files", "progress",
              "patterns"}
#: part -> the parts it may import (besides itself and the foundation)
ALLOWED = {
    "foundation": set(),
    "ledger": set(),
    "audit": set(),
    "privacy": set(),
    "plugins": set(),
    "config": {"privacy"},
    "store": {"ledger", "audit", "privacy"},
    "witness": {"ledger", "store"},
    "monitor": {"ledger", "witness", "store"},
    "cases": {"ledger", "audit", "privacy", "store", "plugins", "config"},
    "intake": {"ledger", "privacy", "store", "plugins", "config", "cases"},
    "instance": {"config", "ledger", "privacy", "store", "witness"},
    "site": {"ledger", "audit", "privacy", "store", "plugins", "config", "cases", "instance"},
    "demo": {"ledger", "audit", "privacy", "store", "plugins", "config", "cases", "intake", "instance", "site"},
    "service": {"ledger", "audit", "privacy", "store", "plugins", "config", "cases", "intake", "instance", "site"},
    "builtin": {"ledger", "audit", "privacy", "cases", "intake", "config"},
    "cli": {"ledger", "audit", "privacy", "store", "plugins", "config", "cases", "intake", "instance", "site", "demo",
            "service", "witness", "monitor", "templates"},
    "testing": {"plugins"},
    "templates": set(),
    "__main__": {"cli"},
}


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def part_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "foundation"
    first = parts[1]
    return "foundation" if first in FOUNDATION else first


def _type_checking(test: ast.expr) -> bool:
    """``if TYPE_CHECKING:``: imports for the type checker only, never run."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports() -> dict[str, set[str]]:
    """module -> the openledger modules it imports (anywhere in its code)."""
    found: dict[str, set[str]] = {}
    known = {module_name(p) for p in SRC.rglob("*.py") if "migrations" not in p.parts}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        name = module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        tree = ast.parse(path.read_text("utf-8"))
        typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If) and _type_checking(block.test)
                       for stmt in block.body for n in ast.walk(stmt)}
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(
                        package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                    )
                targets.add(base)
                targets.update(f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known)
        found[name] = {t for t in targets if t in known and t != name}
    return found


GRAPH = imports()


def test_at_most_fifteen_modules_in_the_core_package():
    top = sorted(p.name for p in SRC.glob("*.py"))
    assert len(top) <= 15, top


def test_nothing_imports_the_command_line_but_main():
    offenders = sorted(m for m, targets in GRAPH.items()
                       if any(t == "openledger.cli" or t.startswith("openledger.cli.") for t in targets)
                       and part_of(m) not in ("cli", "__main__"))
    assert offenders == []


def test_the_core_never_imports_a_builtin_plugin():
    offenders = sorted(m for m, targets in GRAPH.items() if part_of(m) != "builtin"
                       and any(t.startswith("openledger.builtin") for t in targets))
    assert offenders == []


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_each_layer_imports_only_what_lies_below_it(part):
    allowed = ALLOWED[part] | {part, "foundation"}
    wrong = sorted(f"{m} -> {t}" for m, targets in GRAPH.items() if part_of(m) == part
                   for t in targets if part_of(t) not in allowed)
    assert wrong == []


def test_no_circle_of_imports():
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(GRAPH.get(module, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (circle := visit(target)):
                return circle
        path.pop()
        state[module] = 2
        return None

    for module in sorted(GRAPH):
        if module not in state:
            circle = visit(module)
            assert circle is None, " -> ".join(circle)


def test_every_part_is_known():
    assert sorted({part_of(m) for m in GRAPH} - set(ALLOWED)) == []

"""MkDocs hook: generate reference/hooks.md from the docstrings in hookspecs.py,
so the hook reference cannot drift from the code."""

from __future__ import annotations

import inspect
import re

from mkdocs.structure.files import File

ROLE = re.compile(r":(?:class|func|mod|meth|attr):`~?([^`]+)`")
PARAM = re.compile(r"^:param (\w+):\s*", re.M)


def _markdown(doc: str) -> str:
    doc = ROLE.sub(r"`\1`", doc)
    doc = PARAM.sub(lambda m: f"- `{m.group(1)}`: ", doc)
    doc = re.sub(r"``([^`]+)``", r"`\1`", doc)
    return doc


def render() -> str:
    from openledger import hookspecs

    lines = [
        "# Hook reference",
        "",
        "Generated from `src/openledger/hookspecs.py` at documentation build time.",
        "",
        _markdown(inspect.cleandoc(hookspecs.__doc__)),
        "",
    ]
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction):
        if not hasattr(fn, "openledger_spec"):
            continue
        lines += [f"## `{name}{inspect.signature(fn)}`", "", _markdown(inspect.cleandoc(fn.__doc__ or "")), ""]
    return "\n".join(lines)


def on_files(files, config):
    files.append(File.generated(config, "reference/hooks.md", content=render()))
    return files

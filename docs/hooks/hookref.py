"""Write docs/reference/hooks.md, the hook reference, from the code that defines the plugin API.

    python docs/hooks/hookref.py            # rewrite docs/reference/hooks.md
    python docs/hooks/hookref.py --check    # exit 1 when it is not current

The page is generated from the docstrings of ``src/openledger/hookspecs.py``
(every hook, its arguments, order and error rules), the dataclasses of
``src/openledger/records.py`` with their attribute docstrings (the objects a
plugin gets and returns), the label values and the identity forms, and
committed; ``tests/e2e/test_docs.py`` fails when it is not current, so the
reference cannot drift from the code.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
import sys
from pathlib import Path

ROLE = re.compile(r":(?:class|func|mod|meth|attr):`~?([^`]+)`")
PARAM = re.compile(r"^:param (\w+):\s*", re.M)
DOCS = Path(__file__).resolve().parents[1]
TARGET = DOCS / "reference" / "hooks.md"

#: what kind of hook each is (the columns of the summary table)
KIND = {
    "register_sources": "registration",
    "register_classifiers": "registration",
    "register_responders": "registration",
    "register_redactors": "registration",
    "register_audit_metrics": "registration",
    "register_category_maps": "registration",
    "register_site_pages": "registration",
    "case_opened": "event",
    "case_resolved": "event",
    "site_built": "event",
}
ON_ERROR = {
    "register_sources": "a fault of the plugin: the file is not imported (`--skip-bad` does not skip it)",
    "register_classifiers": "the case stays unprocessed; `process` exits 1 naming the plugin and the case",
    "register_responders": "the case stays unprocessed; `process` exits 1 naming the plugin and the case",
    "register_redactors": "the command stops naming the redactor; nothing half-redacted",
    "register_audit_metrics": "the audit stops naming the metric; `audit` exits 1, a build shows no findings",
    "register_category_maps": "a command that stores or lists cases stops naming the plugin",
    "register_site_pages": "the build fails naming the page and the plugin; the old site stays",
    "case_opened": "retried on the next run (outbox, at least once); the command exits 1",
    "case_resolved": "retried on the next run (outbox, at least once); the command exits 1",
    "site_built": "`build` exits 1 naming the plugin; the site stays built",
}
VALUE_TYPES = ("MessageRecord", "CaseRecord", "Rejected", "ClassifyInput", "Label", "CaseView", "MessageView",
               "BlindCaseView", "BlindMessageView", "Draft", "RemedyProposal", "Span")


def _markdown(doc: str) -> str:
    doc = ROLE.sub(r"`\1`", doc)
    doc = PARAM.sub(lambda m: f"- `{m.group(1)}`: ", doc)
    doc = re.sub(r"``([^`]+)``", r"`\1`", doc)
    return doc


def _one_line(doc: str) -> str:
    return " ".join(_markdown(inspect.cleandoc(doc)).split()).replace("|", "\\|")


def attribute_docs(path: Path) -> dict[str, dict[str, str]]:
    """class -> field -> the docstring written under the field (PEP 257 attribute docstrings)."""
    found: dict[str, dict[str, str]] = {}
    for node in ast.parse(path.read_text("utf-8")).body:
        if not isinstance(node, ast.ClassDef):
            continue
        fields: dict[str, str] = {}
        body = node.body
        for item, after in zip(body, body[1:]):
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name) \
                    and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant) \
                    and isinstance(after.value.value, str):
                fields[item.target.id] = after.value.value
        found[node.name] = fields
    return found


def _default(field: dataclasses.Field) -> str:
    if field.default is not dataclasses.MISSING:
        return f"`{field.default!r}`"
    if field.default_factory is not dataclasses.MISSING:
        value = field.default_factory()
        return "empty" if not value else f"`{value!r}`"
    return "required"


def _hooks() -> list[str]:
    from openledger import hookspecs

    specs = [(name, fn) for name, fn in vars(hookspecs).items()
             if inspect.isfunction(fn) and hasattr(fn, "openledger_spec")]
    lines = ["## Summary", "",
             "| hook | kind | firstresult | order | when the plugin or its objects fail |", "|---|---|---|---|---|"]
    for name, fn in specs:
        opts = fn.openledger_spec
        called = "each plugin, installed before built-ins"
        lines.append(f"| [`{name}`](#{name}) | {KIND.get(name, '')} | {'yes' if opts.get('firstresult') else 'no'} "
                     f"| {called} | {ON_ERROR.get(name, '')} |")
    lines.append("")
    for name, fn in specs:
        lines += [f"## `{name}`", "", f"```python\n{name}{inspect.signature(fn)}\n```", "",
                  _markdown(inspect.cleandoc(fn.__doc__ or "")), ""]
    return lines


def _values() -> list[str]:
    from openledger import records

    docs = attribute_docs(Path(records.__file__))
    lines = ["## Value types", "",
             "In `openledger.records`: frozen dataclasses with slots, so a plugin can neither change what it",
             "was given nor read an attribute a view leaves out.", ""]
    for name in VALUE_TYPES:
        cls = getattr(records, name)
        lines += [f"### `{name}`", "", _markdown(inspect.cleandoc(cls.__doc__ or "")), "",
                  "| field | type | default | meaning |", "|---|---|---|---|"]
        for field in dataclasses.fields(cls):
            meaning = _one_line(docs.get(name, {}).get(field.name, ""))
            kind = str(field.type).replace("|", "or")
            lines.append(f"| `{field.name}` | `{kind}` | {_default(field)} | {meaning} |")
        lines.append("")
    lines += ["### Label values", "",
              "The value of a `Label` must be one of its label's values; a classifier of a label of its own",
              "declares them in `values`.", "", "| label | values |", "|---|---|"]
    for label, values in records.LABEL_VALUES.items():
        lines.append(f"| `{label}` | {', '.join(f'`{v}`' for v in values)} |")
    lines.append("| `category` | the instance's taxonomy (`[taxonomy]`, see Classifiers and responders); by default "
                 + ", ".join(f"`{c}`" for c in records.DEFAULT_CATEGORIES) + " |")
    lines.append("")
    return lines


def _identities() -> list[str]:
    from openledger.privacy import identity

    doc = inspect.cleandoc(identity.__doc__ or "")
    canonical = doc.split("Canonical forms", 1)[1]
    return ["## Identity forms", "", "`MessageRecord.identities` (`openledger.privacy.identity`):", "",
            _markdown("Canonical forms" + canonical), ""]


def render() -> str:
    from openledger import hookspecs

    lines = [
        "# Hook reference",
        "",
        "<!-- Generated by `python docs/hooks/hookref.py` from src/openledger/hookspecs.py and",
        "     src/openledger/records.py; do not edit: tests/e2e/test_docs.py checks that it is current. -->",
        "",
        _markdown(inspect.cleandoc(hookspecs.__doc__ or "")),
        "",
    ]
    lines += _hooks() + _values() + _identities()
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = TARGET.read_text("utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is not current: run python docs/hooks/hookref.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, "utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
